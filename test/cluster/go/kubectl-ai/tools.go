//go:build tools

// Package tools pins kubectl-ai (and its gollm module, which its own go.mod reaches only through
// a local replace) for `go build github.com/GoogleCloudPlatform/kubectl-ai/cmd`: the e2e
// suite drives `infra:ai` with the real binary.
package tools

import _ "github.com/GoogleCloudPlatform/kubectl-ai/cmd"
