package terminal

import (
	"fmt"

	"github.com/kubetab/kubetab/engine/kubelet/sh"
	"github.com/kubetab/kubetab/engine/kubelet/sh/filters"
	"github.com/kubetab/kubetab/engine/kubelet/sh/openssl"
)

// openssl is the node's openssl (engine/kubelet/sh/openssl): its keys and serial numbers
// come from the cluster's "openssl" stream, a certificate's validity from virtual time.
// It changes nothing in the cluster, so nothing is journaled; what it writes is a file
// like any other.
func (s *Session) openssl(c *sh.Call) int {
	c.Charge(hostCommandSteps)
	env := openssl.Env{Rand: openssl.Reader(s.cluster.Stream("openssl")), Now: s.cluster.Now()}
	return c.Filter(func(fc *filters.Call) int { return openssl.Run(fc, env) })
}

// goCommand answers `go`: the docs' https-nginx example runs `go run make_secret.go` in
// its Makefile's secret target, which kubetab cannot build; `kubectl create secret tls`
// does what it does.
func (s *Session) goCommand(c *sh.Call) int {
	fmt.Fprintln(c.Stderr(), "go: the Go toolchain is not available in kubetab's terminal: create a TLS secret with kubectl create secret tls NAME --cert=FILE --key=FILE")
	return ExitNotFound
}
