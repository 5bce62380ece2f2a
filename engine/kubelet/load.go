package kubelet

import "time"

// LoadWindow is how far back the requests a pod served count as its load (the resource
// metrics model, engine/metrics).
const LoadWindow = time.Minute

// countRequest remembers that the pod at ip served a request now (requests through the
// network: curl, wget, proxies; not the kubelet's own probes).
func (m *Manager) countRequest(ip string) {
	r := m.podByIP(ip)
	if r == nil {
		return
	}
	now := m.c.Now()
	cutoff := now.Add(-LoadWindow)
	x := r.more()
	i := 0
	for i < len(x.served) && !x.served[i].After(cutoff) {
		i++
	}
	x.served = append(x.served[i:], now)
}

// RequestsServed counts the requests the pod namespace/name served after since (at most
// LoadWindow ago).
func (m *Manager) RequestsServed(namespace, name string, since time.Time) int {
	r := m.pods[namespace+"/"+name]
	if r == nil || r.seldom == nil {
		return 0
	}
	n := 0
	for _, t := range r.seldom.served {
		if t.After(since) {
			n++
		}
	}
	return n
}
