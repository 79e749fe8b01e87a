package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/cloudnativelabs/kube-router/v2/pkg/controllers/netpol"
	"github.com/cloudnativelabs/kube-router/v2/pkg/healthcheck"
	"github.com/cloudnativelabs/kube-router/v2/pkg/options"
	"github.com/spf13/pflag"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"
)

// runNetworkPolicy enforces NetworkPolicy on the node with kube-router's policy controller,
// the one k3s embeds for the same reason: the CNI bridge plugin connects pods but enforces
// nothing, and a chart whose policies are never enforced is a chart whose policies are never
// tested. Only the firewall runs (iptables chains and ipsets per pod, ingress and egress);
// pod networking stays with the bridge plugin and Services with kube-proxy. kube-router's
// service proxy, whose advisories are why newer releases exist, is not linked at all.
//
// It takes kube-router's own flags (--kubeconfig, --hostname-override,
// --service-cluster-ip-range, ...); the ones that switch on routing or the proxy are ignored.
func runNetworkPolicy(args []string) int {
	config := options.NewKubeRouterConfig()
	flags := pflag.NewFlagSet("network-policy", pflag.ContinueOnError)
	config.AddFlags(flags)
	if err := flags.Parse(args); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	config.RunFirewall, config.RunRouter, config.RunServiceProxy = true, false, false
	config.MetricsEnabled = false

	restConfig, err := clientcmd.BuildConfigFromFlags(config.Master, config.Kubeconfig)
	if err != nil {
		klog.ErrorS(err, "Loading kubeconfig")
		return 1
	}
	client := kubernetes.NewForConfigOrDie(restConfig)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	factory := informers.NewSharedInformerFactory(client, 0)
	pods := factory.Core().V1().Pods().Informer()
	namespaces := factory.Core().V1().Namespaces().Informer()
	policies := factory.Networking().V1().NetworkPolicies().Informer()

	iptablesHandlers, ipsetHandlers, err := netpol.NewIPTablesHandlers(config)
	if err != nil {
		klog.ErrorS(err, "Creating iptables and ipset handlers")
		return 1
	}
	controller, err := netpol.NewNetworkPolicyController(client, config, pods, policies, namespaces,
		&sync.Mutex{}, iptablesHandlers, ipsetHandlers)
	if err != nil {
		klog.ErrorS(err, "Creating the network policy controller")
		return 1
	}
	if _, err := pods.AddEventHandler(controller.PodEventHandler); err != nil {
		klog.ErrorS(err, "Watching pods")
		return 1
	}
	if _, err := namespaces.AddEventHandler(controller.NamespaceEventHandler); err != nil {
		klog.ErrorS(err, "Watching namespaces")
		return 1
	}
	if _, err := policies.AddEventHandler(controller.NetworkPolicyEventHandler); err != nil {
		klog.ErrorS(err, "Watching network policies")
		return 1
	}
	factory.Start(ctx.Done())
	for informer, synced := range factory.WaitForCacheSync(ctx.Done()) {
		if !synced {
			klog.ErrorS(nil, "Informer cache did not sync", "type", informer.String())
			return 1
		}
	}

	// The controller reports each sync on this channel and blocks once it is full; nothing
	// here acts on the reports, the chains themselves are the readiness signal.
	heartbeats := make(chan *healthcheck.ControllerHeartbeat, 1)
	go func() {
		for range heartbeats {
		}
	}()
	var running sync.WaitGroup
	running.Add(1)
	go controller.Run(heartbeats, ctx.Done(), &running)
	klog.InfoS("Network policy controller started", "node", config.HostnameOverride)
	<-ctx.Done()
	running.Wait()
	return 0
}
