// Command kube is one multi-call binary holding the Kubernetes server components, etcd,
// a hostPath volume provisioner and a NetworkPolicy controller for the project's test
// cluster. Linking Kubernetes once instead of seven times saves most of the cold build
// time on a small machine.
//
// The component is chosen by the name the binary is called under (a symlink such as
// kube-apiserver -> kube) or, failing that, by the first argument:
//
//	kube kube-apiserver --etcd-servers=...
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/spf13/cobra"
	"go.etcd.io/etcd/server/v3/etcdmain"
	"k8s.io/component-base/cli"
	apiserver "k8s.io/kubernetes/cmd/kube-apiserver/app"
	controllermanager "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	proxy "k8s.io/kubernetes/cmd/kube-proxy/app"
	scheduler "k8s.io/kubernetes/cmd/kube-scheduler/app"
	kubelet "k8s.io/kubernetes/cmd/kubelet/app"
)

// cobraRunner runs a Kubernetes component the way its own main package does.
func cobraRunner(newCommand func() *cobra.Command) func([]string) int {
	return func(args []string) int {
		command := newCommand()
		command.SetArgs(args)
		return cli.Run(command)
	}
}

var components = map[string]func(args []string) int{
	"kube-apiserver":          cobraRunner(apiserver.NewAPIServerCommand),
	"kube-controller-manager": cobraRunner(controllermanager.NewControllerManagerCommand),
	"kube-scheduler":          cobraRunner(func() *cobra.Command { return scheduler.NewSchedulerCommand() }),
	"kubelet":                 cobraRunner(kubelet.NewKubeletCommand),
	"kube-proxy":              cobraRunner(proxy.NewProxyCommand),
	"hostpath-provisioner":    runProvisioner,
	"network-policy":          runNetworkPolicy,
	"metrics-server":          runMetricsServer,
	"etcd": func(args []string) int {
		// etcdmain parses its arguments with the program name first, like os.Args.
		etcdmain.Main(append([]string{"etcd"}, args...))
		return 0
	},
}

func main() {
	name, args := filepath.Base(os.Args[0]), os.Args[1:]
	if _, known := components[name]; !known && len(args) > 0 {
		name, args = args[0], args[1:]
	}
	run, known := components[name]
	if !known {
		names := make([]string, 0, len(components))
		for component := range components {
			names = append(names, component)
		}
		sort.Strings(names)
		fmt.Fprintf(os.Stderr, "usage: kube COMPONENT [flags], COMPONENT one of %v\n", names)
		os.Exit(2)
	}
	os.Exit(run(args))
}
