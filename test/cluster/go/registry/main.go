// Command registry is the CNCF Distribution registry (the registry:2 image's server) with
// only the filesystem and in-memory storage drivers and htpasswd auth, so it builds
// without the cloud SDKs the stock command pulls in. It is the cluster's local image
// registry: images pushed to it are what the node's containerd pulls.
package main

import (
	"os"

	"github.com/distribution/distribution/v3/registry"
	_ "github.com/distribution/distribution/v3/registry/auth/htpasswd"
	_ "github.com/distribution/distribution/v3/registry/storage/driver/filesystem"
	_ "github.com/distribution/distribution/v3/registry/storage/driver/inmemory"
)

func main() {
	// Without an exporter named, OpenTelemetry sends traces to an OTLP collector on
	// localhost and logs every failed attempt; the official image turns it off the same way.
	if os.Getenv("OTEL_TRACES_EXPORTER") == "" {
		os.Setenv("OTEL_TRACES_EXPORTER", "none")
	}
	// cobra has printed the error already (an unknown command or flag).
	if err := registry.RootCmd.Execute(); err != nil {
		os.Exit(1)
	}
}
