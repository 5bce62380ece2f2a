package kubelet

import (
	"errors"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubetab/kubetab/engine/dns"
	"github.com/kubetab/kubetab/engine/kubelet/sh"
	"github.com/kubetab/kubetab/engine/proxy"
)

// What a pod's network is beyond pod IPs: kube-proxy's Service routing (Manager.Proxy),
// the cluster DNS (Manager.DNS), the servers of the nodes themselves, and the files the
// kubelet writes for name resolution (/etc/hosts, /etc/resolv.conf).

// hostsFile is the kubelet's managed /etc/hosts (managedHostsFileContent): localhost, the
// pod's IP with its hostname (fully qualified when it has a subdomain), its hostAliases.
func hostsFile(pod *corev1.Pod, ip, hostname string) string {
	var b strings.Builder
	b.WriteString("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n" +
		"fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n")
	if ip != "" {
		if pod.Spec.Subdomain != "" {
			fmt.Fprintf(&b, "%s\t%s.%s.%s.svc.%s\t%s\n", ip, hostname, pod.Spec.Subdomain, pod.Namespace, dns.ClusterDomain, hostname)
		} else {
			fmt.Fprintf(&b, "%s\t%s\n", ip, hostname)
		}
	}
	if len(pod.Spec.HostAliases) > 0 {
		b.WriteString("\n# Entries added by HostAliases.\n")
		for _, a := range pod.Spec.HostAliases {
			fmt.Fprintf(&b, "%s\t%s\n", a.IP, strings.Join(a.Hostnames, "\t"))
		}
	}
	return b.String()
}

// QueryDNS asks the cluster DNS, the only name server there is: another address does not
// answer.
func (e *containerEnv) QueryDNS(server, name, qtype string) (sh.DNSAnswer, error) {
	m := e.r.k.m
	if m.DNS == nil || server != dns.ServerIP {
		return sh.DNSAnswer{}, fmt.Errorf("dial udp %s:53: %w", server, sh.ErrTimeout)
	}
	return shAnswer(m.DNS.Query(name, qtype)), nil
}

func shAnswer(a dns.Answer) sh.DNSAnswer {
	out := sh.DNSAnswer{Rcode: a.Rcode, Authoritative: a.Authoritative}
	for _, r := range a.Records {
		out.Records = append(out.Records, sh.DNSRecord{Name: r.Name, Type: r.Type, Data: r.Data})
	}
	return out
}

// HTTPGet reaches the cluster from the pod, connecting to ip (localhost is the pod itself).
func (e *containerEnv) HTTPGet(rawURL, ip string) (int, string, error) {
	status, body, _, err := e.HTTPSGet(rawURL, ip) // https.go
	return status, body, err
}

// HTTPGetFromNode makes the GET request of rawURL to the address ip from the node named
// node, as its shell would (the terminal's, as on a kind node): kube-proxy on that node
// routes cluster IPs and node ports, pod IPs are reached directly, and the servers see the
// node's address. Errors carry the causes the shell's curl and wget print.
func (m *Manager) HTTPGetFromNode(node, ip, rawURL string) (status int, body string, err error) {
	status, body, _, err = m.HTTPSGetFromNode(node, ip, rawURL) // https.go
	return status, body, err
}

// NodeIP is the InternalIP of the node named name, "" for no such node.
func (m *Manager) NodeIP(name string) string {
	if k := m.nodes[name]; k != nil {
		return k.hostIP()
	}
	return ""
}

// shError gives a connection error the cause the shell's clients print.
func shError(err error) error {
	var ne *NetError
	if errors.As(err, &ne) {
		switch {
		case strings.HasSuffix(ne.Msg, "connection refused"):
			err = errors.Join(sh.ErrConnectionRefused, err)
		case strings.HasSuffix(ne.Msg, "no such host"):
			err = errors.Join(sh.ErrUnknownHost, err)
		case strings.HasSuffix(ne.Msg, "i/o timeout"), strings.HasSuffix(ne.Msg, "no route to host"):
			err = errors.Join(sh.ErrTimeout, err)
		}
	}
	return err
}

// lookupFrom resolves host as a pod in namespace ns would, through the cluster DNS and the
// pod's search path, or "" when it does not resolve.
func (m *Manager) lookupFrom(ns, host string) string {
	if m.DNS == nil {
		return ""
	}
	for _, d := range []string{ns + ".svc." + dns.ClusterDomain, "svc." + dns.ClusterDomain, dns.ClusterDomain, ""} {
		name := host
		if d != "" {
			name += "." + d
		}
		for _, r := range m.DNS.Query(name, "A").Records {
			if r.Type == "A" {
				return r.Data
			}
		}
	}
	return ""
}

// nodeNamed finds the kubelet whose node has the InternalIP ip.
func (m *Manager) nodeAt(ip string) *Kubelet {
	for _, k := range m.nodes {
		if k.hostIP() == ip {
			return k
		}
	}
	return nil
}

// connect delivers a request to ip:port from clientIP as the network would: through
// kube-proxy's rules first (a Service's cluster IP, a node port, an external IP), then to
// the pod or the node at the address.
func (m *Manager) connect(clientIP, ip string, port int, req *Request) (Response, error) {
	addr := fmt.Sprintf("%s:%d", ip, port)
	if m.Proxy != nil {
		// The connection meets kube-proxy's rules on the node it enters: the client's, or
		// the node it is addressed to.
		node := m.nodeAt(ip)
		entering := ""
		if node != nil {
			entering = node.name
		} else if c := m.podByIP(clientIP); c != nil {
			entering = c.k.name
		} else if k := m.nodeAt(clientIP); k != nil {
			entering = k.name // a node's own shell (the terminal)
		}
		ep, handled, err := m.Proxy.Route(entering, clientIP, ip, port)
		switch {
		case errors.Is(err, proxy.ErrRejected):
			return Response{}, &NetError{fmt.Sprintf("dial tcp %s: connect: connection refused", addr)}
		case errors.Is(err, proxy.ErrDropped):
			return Response{}, &NetError{fmt.Sprintf("dial tcp %s: i/o timeout", addr)}
		case handled:
			if node != nil && clientIP != "" {
				// Traffic entering through a node port is masqueraded to the node's address.
				req.ClientIP = ip
			}
			ip, port = ep.IP, ep.Port
			req.Port = port
		}
	}
	if m.podByIP(ip) == nil {
		if k := m.nodeAt(ip); k != nil {
			return k.serveHTTP(port)
		}
	}
	resp, err := m.deliverHTTP(ip, port, req)
	if err == nil {
		m.countRequest(ip)
	}
	return resp, err
}

// serveHTTP answers a plain HTTP request to the node itself: the API server (on the
// control plane) and the kubelet speak only HTTPS, as Go's TLS servers answer such a
// request; nothing else listens.
func (k *Kubelet) serveHTTP(port int) (Response, error) {
	_, controlPlane := k.node.Labels["node-role.kubernetes.io/control-plane"]
	if port == 10250 || (port == 6443 && controlPlane) {
		return Response{Status: 400, Body: "Client sent an HTTP request to an HTTPS server.\n"}, nil
	}
	return Response{}, &NetError{fmt.Sprintf("dial tcp %s:%d: connect: connection refused", k.hostIP(), port)}
}
