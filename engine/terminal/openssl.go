package terminal

import (
	"fmt"
	"math/rand/v2"

	"github.com/kubetab/kubetab/engine/kubelet/sh"
	"github.com/kubetab/kubetab/engine/kubelet/sh/filters"
	"github.com/kubetab/kubetab/engine/kubelet/sh/openssl"
)

// openssl is the node's openssl (engine/kubelet/sh/openssl): its keys and serial numbers
// come from a stream of the session's seed, a certificate's validity from virtual time.
// It changes nothing in the cluster, so nothing is journaled; what it writes is a file
// like any other.
func (s *Session) openssl(c *sh.Call) int {
	c.Charge(hostCommandSteps)
	// Each run draws from a stream of its own number, which the saved shell state keeps,
	// so that a session loaded from storage makes new keys, not the first run's again.
	s.draws++
	env := openssl.Env{Rand: openssl.Reader(rand.New(rand.NewPCG(s.seed, opensslStream^s.draws))), Now: s.cluster.Now()}
	return c.Filter(func(fc *filters.Call) int { return openssl.Run(fc, env) })
}

// opensslStream sets openssl's streams apart from the cluster's ("openssl" in ASCII).
const opensslStream = 0x6f70656e73736c

// goCommand answers `go`: the docs' https-nginx example runs `go run make_secret.go` in
// its Makefile's secret target, which kubetab cannot build; `kubectl create secret tls`
// does what it does.
func (s *Session) goCommand(c *sh.Call) int {
	fmt.Fprintln(c.Stderr(), "go: the Go toolchain is not available in kubetab's terminal: create a TLS secret with kubectl create secret tls NAME --cert=FILE --key=FILE")
	return ExitNotFound
}
