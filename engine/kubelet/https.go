package kubelet

import (
	"strings"

	"github.com/kubetab/kubetab/engine/kubelet/sh"
)

// HTTPS as far as kubetab takes it: no TLS bytes, a handshake in which the server shows
// the certificate its configuration names (nginx's ssl_certificate, read from the
// container's files at the time of the request) or says that the port speaks plain HTTP;
// the client (the shell's curl) checks it (engine/kubelet/sh/tls.go).

// handshake is nginx's side of an https request: its certificate on an ssl port, a plain
// HTTP port's failure on another; nil for a plain request.
func (w *webServer) handshake(req *Request) *sh.TLS {
	if !req.TLS {
		return nil
	}
	if !w.conf.ports[req.Port] {
		return &sh.TLS{Plain: true}
	}
	cert, _ := w.ctr.FS().ReadFile(w.conf.cert)
	return &sh.TLS{Cert: cert}
}

var _ sh.TLSEnv = (*containerEnv)(nil)

// HTTPSGet is HTTPGet with the server's handshake (sh.TLSEnv).
func (e *containerEnv) HTTPSGet(rawURL, ip string) (int, string, *sh.TLS, error) {
	if strings.HasPrefix(ip, "127.") && e.r.ip != "" {
		ip = e.r.ip
	}
	resp, err := e.r.k.m.requestAt(e.r.ip, ip, rawURL)
	return resp.Status, resp.Body, resp.TLS, shError(err)
}

// HTTPSGetFromNode is HTTPGetFromNode with the server's handshake.
func (m *Manager) HTTPSGetFromNode(node, ip, rawURL string) (int, string, *sh.TLS, error) {
	resp, err := m.requestAt(m.NodeIP(node), ip, rawURL)
	return resp.Status, resp.Body, resp.TLS, shError(err)
}
