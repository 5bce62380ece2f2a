package terminal

import (
	"github.com/kubetab/kubetab/engine/cluster"
	"github.com/kubetab/kubetab/engine/kubelet/sh"
	"github.com/kubetab/kubetab/engine/persist"
)

var _ sh.TLSEnv = hostEnv{}

// HTTPSGet is HTTPGet with the server's side of the handshake, which curl checks
// (sh.TLSEnv); a request that reached a server is journaled as HTTPGet's are.
func (e hostEnv) HTTPSGet(url, ip string) (int, string, *sh.TLS, error) {
	s := e.s
	if status, body, ok, err := s.listenerGet(url, ip); ok {
		return status, body, nil, err
	}
	status, body, tls, err := s.cluster.Kubelets.HTTPSGetFromNode(cluster.ControlPlaneNode, ip, url)
	if err == nil {
		s.mergeAdvance = false
		s.record(persist.Entry{Args: persist.Texts([]string{"curl", "-s", url})})
	}
	return status, body, tls, loopbackRefused(ip, err)
}
