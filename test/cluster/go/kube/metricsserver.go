package main

import (
	"github.com/spf13/cobra"
	genericapiserver "k8s.io/apiserver/pkg/server"
	metricsserver "sigs.k8s.io/metrics-server/cmd/metrics-server/app"
)

// runMetricsServer serves the resource metrics API (metrics.k8s.io) that the HPA controller
// and `kubectl top` read: metrics-server as its own image runs it, with its own flags,
// linked into the node's binary like the rest. It scrapes each kubelet's /metrics/resource
// and is reached through the API server's aggregation layer.
func runMetricsServer(args []string) int {
	return cobraRunner(func() *cobra.Command {
		return metricsserver.NewMetricsServerCommand(genericapiserver.SetupSignalHandler())
	})(args)
}
