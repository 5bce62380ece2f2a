package kubelet

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/kubetab/kubetab/engine/api"
)

// ContainerLogs returns a container's log (previous: the instance before the last restart),
// with the API server's and kubelet's errors: NotFound for a missing pod, BadRequest for a
// wrong or missing container name, a container not started yet, or no previous instance.
// An empty container name picks the only container.
func (m *Manager) ContainerLogs(namespace, pod, container string, previous bool) ([]LogLine, error) {
	obj, err := m.c.Store.Get(podsResource, namespace, pod)
	if err != nil {
		return nil, err
	}
	p := obj.(*corev1.Pod)
	if container == "" {
		switch len(p.Spec.Containers) {
		case 1:
			container = p.Spec.Containers[0].Name
		case 0:
			return nil, apierrors.NewBadRequest(fmt.Sprintf("a container name must be specified for pod %s", pod))
		default:
			names := make([]string, len(p.Spec.Containers))
			for i := range p.Spec.Containers {
				names[i] = p.Spec.Containers[i].Name
			}
			return nil, apierrors.NewBadRequest(fmt.Sprintf("a container name must be specified for pod %s, choose one of: [%s]", pod, strings.Join(names, " ")))
		}
	} else if !hasContainer(p, container) {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("container %s is not valid for pod %s", container, pod))
	}
	var ctr *containerRuntime
	if r := m.pods[podKey(namespace, pod)]; r != nil && r.pod.UID == p.UID {
		for _, x := range r.containers {
			if x.spec.Name == container {
				ctr = x
			}
		}
		if ctr != nil {
			r.runProgram(ctr)
		}
	}
	if previous {
		if ctr == nil || ctr.had().last == nil {
			return nil, apierrors.NewBadRequest(fmt.Sprintf("previous terminated container %q in pod %q not found", container, pod))
		}
		return logLines(ctr.had().previous), nil
	}
	if ctr == nil || !ctr.everStarted {
		reason := "ContainerCreating"
		if ctr != nil && ctr.waitingReason != "" {
			reason = ctr.waitingReason
		}
		// The kubelet words the most common pending failures (validateContainerLogStatus).
		switch reason {
		case "ErrImagePull":
			reason = "image can't be pulled"
		case "ImagePullBackOff":
			reason = "trying and failing to pull image"
		}
		if p.Spec.NodeName == "" {
			return nil, apierrors.NewBadRequest(fmt.Sprintf("pod %s does not have a host assigned", pod))
		}
		return nil, apierrors.NewBadRequest(fmt.Sprintf("container %q in pod %q is waiting to start: %s", container, pod, reason))
	}
	return logLines(ctr.logs), nil
}

// ContainerLogDropped is how many lines the current log of a container has lost to
// MaxLogLines (0 when nothing was trimmed, or for an unknown container).
func (m *Manager) ContainerLogDropped(namespace, pod, container string) int {
	r := m.pods[podKey(namespace, pod)]
	if r == nil {
		return 0
	}
	for _, x := range r.containers {
		if x.spec.Name == container {
			return x.had().logsDropped
		}
	}
	return 0
}

func hasContainer(p *corev1.Pod, name string) bool {
	for i := range p.Spec.Containers {
		if p.Spec.Containers[i].Name == name {
			return true
		}
	}
	for i := range p.Spec.InitContainers {
		if p.Spec.InitContainers[i].Name == name {
			return true
		}
	}
	return false
}

// NetError is a connection failure, worded as Go's net package words it.
type NetError struct{ Msg string }

func (e *NetError) Error() string { return e.Msg }

// HTTPGet makes a GET request to a simulated server, by IP or by name: a Service's name
// as a pod in default resolves it, or, for convenience, a pod's name (default namespace
// first, or "name.namespace"). Without a client, the request comes from the target node's
// pod-network gateway, as the kubelet's probes do.
func (m *Manager) HTTPGet(rawURL string) (status int, body string, err error) {
	return m.HTTPGetFrom("", rawURL)
}

// HTTPGetFrom is HTTPGet from a given client address (another pod's IP for `kubectl exec
// ... curl`); a name then resolves as it does in that pod, through the cluster DNS. An
// empty clientIP means the target node's gateway.
func (m *Manager) HTTPGetFrom(clientIP, rawURL string) (status int, body string, err error) {
	u, err := parseHTTPURL(rawURL)
	if err != nil {
		return 0, "", err
	}
	host := u.Hostname()
	if m.podByIP(host) == nil && strings.Trim(host, "0123456789.") != "" {
		ip := ""
		if c := m.podByIP(clientIP); c != nil {
			ip = m.lookupFrom(c.pod.Namespace, host)
		} else if ip, _ = m.lookupPodIP(host); ip == "" {
			ip = m.lookupFrom("default", host)
		}
		if ip == "" {
			return 0, "", &NetError{fmt.Sprintf("dial tcp: lookup %s: no such host", host)}
		}
		host = ip
	}
	return m.httpGetAt(clientIP, host, u.String())
}

func parseHTTPURL(rawURL string) (*url.URL, error) {
	if !strings.Contains(rawURL, "://") {
		rawURL = "http://" + rawURL
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("unsupported protocol scheme %q", u.Scheme)
	}
	return u, nil
}

// httpGetAt makes the GET request of rawURL (its Host header and path) to the address ip.
func (m *Manager) httpGetAt(clientIP, ip, rawURL string) (status int, body string, err error) {
	resp, err := m.requestAt(clientIP, ip, rawURL)
	return resp.Status, resp.Body, err
}

// requestAt is httpGetAt with the whole response (an https server's handshake too).
func (m *Manager) requestAt(clientIP, ip, rawURL string) (Response, error) {
	u, err := parseHTTPURL(rawURL)
	if err != nil {
		return Response{}, err
	}
	port := 80
	if u.Scheme == "https" {
		port = 443
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return Response{}, fmt.Errorf("invalid port %q", p)
		}
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	return m.connect(clientIP, ip, port, &Request{Method: "GET", Host: u.Host, Path: path, Port: port, ClientIP: clientIP, TLS: u.Scheme == "https"})
}

// lookupPodIP resolves "name" (default namespace, then any namespace in order) or
// "name.namespace" to a pod IP.
func (m *Manager) lookupPodIP(host string) (string, bool) {
	name, ns, qualified := strings.Cut(host, ".")
	if qualified {
		if ns, _, _ = strings.Cut(ns, "."); ns != "" {
			if obj, err := m.c.Store.Get(podsResource, ns, name); err == nil {
				ip := obj.(*corev1.Pod).Status.PodIP
				return ip, ip != ""
			}
		}
		return "", false
	}
	if obj, err := m.c.Store.Get(podsResource, "default", name); err == nil {
		ip := obj.(*corev1.Pod).Status.PodIP
		return ip, ip != ""
	}
	found := ""
	m.c.Store.Each(podsResource, "", func(o api.Object) bool {
		if o.GetName() == name {
			found = o.(*corev1.Pod).Status.PodIP
			return false
		}
		return true
	})
	return found, found != ""
}
