package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"
)

// provisionerName is the StorageClass provisioner this controller serves.
const provisionerName = "todo-chatbot.local/hostpath"

// selectedNodeAnnotation is how the scheduler tells provisioners which node a claim of a
// WaitForFirstConsumer class has to live on, once it has placed the claim's first pod.
const selectedNodeAnnotation = "volume.kubernetes.io/selected-node"

// runProvisioner is a minimal dynamic volume provisioner for a single-node cluster: for
// every pending claim of a StorageClass it serves it creates a directory on the node and
// a hostPath PersistentVolume pre-bound to the claim; when a released volume's reclaim
// policy is Delete it removes both. A claim of a WaitForFirstConsumer class waits until
// the scheduler has selected this node for it. The directories are world-writable because hostPath
// volumes ignore fsGroup, and the chart's PostgreSQL runs as a non-root user.
//
// It polls instead of watching: a test cluster has a handful of claims, and polling every
// second keeps the code free of informer plumbing.
func runProvisioner(args []string) int {
	flags := flag.NewFlagSet("hostpath-provisioner", flag.ContinueOnError)
	kubeconfig := flags.String("kubeconfig", "", "kubeconfig of the provisioner's identity")
	root := flags.String("root", "", "directory holding one sub-directory per volume")
	node := flags.String("node", "", "name of the node the volumes live on")
	if err := flags.Parse(args); err != nil || *kubeconfig == "" || *root == "" || *node == "" {
		fmt.Fprintln(os.Stderr, "usage: kube hostpath-provisioner --kubeconfig FILE --root DIR --node NAME")
		return 2
	}
	config, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		klog.ErrorS(err, "Loading kubeconfig")
		return 1
	}
	client := kubernetes.NewForConfigOrDie(config)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	klog.InfoS("Provisioner started", "provisioner", provisionerName, "root", *root)
	for ctx.Err() == nil {
		if err := reconcileVolumes(ctx, client, *root, *node); err != nil && ctx.Err() == nil {
			klog.ErrorS(err, "Reconciling volumes")
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
	return 0
}

func reconcileVolumes(ctx context.Context, client kubernetes.Interface, root, node string) error {
	classes, err := client.StorageV1().StorageClasses().List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	served := map[string]storagev1.StorageClass{}
	for _, class := range classes.Items {
		if class.Provisioner == provisionerName {
			served[class.Name] = class
		}
	}
	claims, err := client.CoreV1().PersistentVolumeClaims("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	for i := range claims.Items {
		claim := &claims.Items[i]
		if claim.Spec.StorageClassName == nil || claim.Spec.VolumeName != "" || claim.DeletionTimestamp != nil {
			continue
		}
		if class, ok := served[*claim.Spec.StorageClassName]; ok && placedOn(claim, &class, node) {
			if err := provision(ctx, client, root, node, claim, &class); err != nil {
				klog.ErrorS(err, "Provisioning", "claim", klog.KObj(claim))
			}
		}
	}
	volumes, err := client.CoreV1().PersistentVolumes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	for i := range volumes.Items {
		volume := &volumes.Items[i]
		if volume.Annotations["pv.kubernetes.io/provisioned-by"] != provisionerName ||
			volume.Status.Phase != corev1.VolumeReleased ||
			volume.Spec.PersistentVolumeReclaimPolicy != corev1.PersistentVolumeReclaimDelete {
			continue
		}
		if err := os.RemoveAll(filepath.Join(root, volume.Name)); err != nil {
			klog.ErrorS(err, "Removing volume directory", "volume", volume.Name)
			continue
		}
		err := client.CoreV1().PersistentVolumes().Delete(ctx, volume.Name, metav1.DeleteOptions{})
		if err != nil && !apierrors.IsNotFound(err) {
			klog.ErrorS(err, "Deleting volume", "volume", volume.Name)
			continue
		}
		klog.InfoS("Deleted volume", "volume", volume.Name)
	}
	return nil
}

// placedOn tells whether a claim may be provisioned on the node now: at once for an
// Immediate class, once the scheduler has selected the node for a WaitForFirstConsumer one.
func placedOn(claim *corev1.PersistentVolumeClaim, class *storagev1.StorageClass, node string) bool {
	if class.VolumeBindingMode == nil || *class.VolumeBindingMode != storagev1.VolumeBindingWaitForFirstConsumer {
		return true
	}
	return claim.Annotations[selectedNodeAnnotation] == node
}

func provision(ctx context.Context, client kubernetes.Interface, root, node string,
	claim *corev1.PersistentVolumeClaim, class *storagev1.StorageClass) error {
	name := "pvc-" + string(claim.UID)
	dir := filepath.Join(root, name)
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	// MkdirAll honours the umask; the mode has to be set explicitly.
	if err := os.Chmod(dir, 0o777); err != nil {
		return err
	}
	reclaim := corev1.PersistentVolumeReclaimDelete
	if class.ReclaimPolicy != nil {
		reclaim = *class.ReclaimPolicy
	}
	hostPathType := corev1.HostPathDirectory
	volume := &corev1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{
			Name:        name,
			Annotations: map[string]string{"pv.kubernetes.io/provisioned-by": provisionerName},
		},
		Spec: corev1.PersistentVolumeSpec{
			Capacity:                      corev1.ResourceList{corev1.ResourceStorage: claim.Spec.Resources.Requests[corev1.ResourceStorage]},
			AccessModes:                   claim.Spec.AccessModes,
			PersistentVolumeReclaimPolicy: reclaim,
			StorageClassName:              class.Name,
			VolumeMode:                    claim.Spec.VolumeMode,
			ClaimRef: &corev1.ObjectReference{
				Kind: "PersistentVolumeClaim", APIVersion: "v1",
				Namespace: claim.Namespace, Name: claim.Name, UID: claim.UID,
				ResourceVersion: claim.ResourceVersion,
			},
			PersistentVolumeSource: corev1.PersistentVolumeSource{
				HostPath: &corev1.HostPathVolumeSource{Path: dir, Type: &hostPathType},
			},
			NodeAffinity: &corev1.VolumeNodeAffinity{Required: &corev1.NodeSelector{
				NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{{
					Key: "kubernetes.io/hostname", Operator: corev1.NodeSelectorOpIn, Values: []string{node},
				}}}},
			}},
		},
	}
	_, err := client.CoreV1().PersistentVolumes().Create(ctx, volume, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		return nil
	}
	if err == nil {
		klog.InfoS("Provisioned volume", "volume", name, "claim", klog.KObj(claim))
	}
	return err
}
