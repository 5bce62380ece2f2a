package terminal

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/kubetab/kubetab/engine/apiserver/rest"
	"github.com/kubetab/kubetab/engine/cluster"
	"github.com/kubetab/kubetab/engine/kubectl"
	"github.com/kubetab/kubetab/engine/kubelet"
	"github.com/kubetab/kubetab/engine/kubelet/sh"
	"github.com/kubetab/kubetab/engine/persist"
)

// `kubectl proxy`: the API server's REST paths on the node's localhost:8001 while the proxy
// runs as a job (jobs.go), for curl in the terminal (engine/apiserver/rest answers). Typed
// without `&` it runs in the foreground of its terminal until Ctrl-C, as the docs run it
// "in a second terminal" (terminals.go); in a script it becomes a background job, since a
// line that waited for it would never end.

const defaultProxyPort = 8001

// listener is where a job listens on the node (a proxy, a port-forward), and what answers a
// request there: its path with the query.
type listener struct {
	address string
	port    int
	serve   func(target string) (status int, body string, err error)
}

// listens tells whether the listener takes connections to ip:port.
func (l *listener) listens(ip string, port int) bool {
	return l.port == port && (l.address == ip || l.address == "0.0.0.0" || (l.address == "localhost" && ip == "127.0.0.1"))
}

// bindError is the error of a job whose address is taken, or nil.
func (s *Session) bindError(address string, port int) error {
	for _, j := range s.jobs.list {
		if l := j.listen; l != nil && l.port == port && (l.address == address || l.address == "0.0.0.0" || address == "0.0.0.0") {
			return fmt.Errorf("listen tcp %s:%d: bind: address already in use", address, port)
		}
	}
	return nil
}

// isProxy tells whether a command line is `kubectl proxy ...`.
func isProxy(args []string) bool {
	return len(args) > 1 && (args[0] == "kubectl" || args[0] == "k") && args[1] == "proxy"
}

// kubectlProxy is `kubectl proxy` typed in the terminal: a proxy job, journaled (with the
// terminal's jobs, the journal is what brings it back after a reload).
func (s *Session) kubectlProxy(c *sh.Call, args []string) int {
	code := s.startJob(c, args, s.startProxy)
	if code == 0 {
		s.foreground(c) // terminals.go
	}
	return code
}

// startProxy starts a proxy job for `kubectl proxy ARGS` (args[0] is kubectl), or says why
// not as kubectl does.
func (s *Session) startProxy(args []string, stdout, stderr io.Writer) int {
	l := &listener{address: "127.0.0.1", port: defaultProxyPort}
	prefix := "/"
	rest := args[2:]
	for len(rest) > 0 {
		a := rest[0]
		rest = rest[1:]
		name, value, hasValue := strings.Cut(a, "=")
		takes := func() (string, bool) {
			if hasValue {
				return value, true
			}
			if len(rest) == 0 {
				return "", false
			}
			v := rest[0]
			rest = rest[1:]
			return v, true
		}
		switch name {
		case "-p", "--port", "--address", "--api-prefix", "--accept-hosts", "--accept-paths", "--reject-paths", "--reject-methods", "--keepalive", "-w", "--www", "-P", "--www-prefix", "-n", "--namespace", "--context", "--kubeconfig":
			v, ok := takes()
			if !ok {
				fmt.Fprintf(stderr, "error: flag needs an argument: %s\nSee 'kubectl proxy --help' for usage.\n", name)
				return 1
			}
			switch name {
			case "-p", "--port":
				n, err := strconv.Atoi(v)
				if err != nil || n < 0 || n > 65535 {
					fmt.Fprintf(stderr, "error: invalid argument %q for \"%s\" flag: strconv.ParseInt: parsing %q: invalid syntax\nSee 'kubectl proxy --help' for usage.\n", v, name, v)
					return 1
				}
				l.port = n
			case "--address":
				l.address = v
			case "--api-prefix":
				prefix = v
			}
		case "--disable-filter":
		default:
			if strings.HasPrefix(a, "-") {
				fmt.Fprintf(stderr, "error: unknown flag: %s\nSee 'kubectl proxy --help' for usage.\n", name)
			} else {
				fmt.Fprintf(stderr, "error: unexpected arguments: %v\nSee 'kubectl proxy -h' for help and examples\n", append([]string{a}, rest...))
			}
			return 1
		}
	}
	if l.port == 0 {
		l.port = 37000 + s.jobs.next + 1 // any free port: kubectl lets the system choose
	}
	if err := s.bindError(l.address, l.port); err != nil {
		fmt.Fprintf(stderr, "error: %v\n", err)
		return 1
	}
	l.serve = func(target string) (int, string, error) {
		if prefix != "/" && prefix != "" {
			rest, found := strings.CutPrefix(target, "/"+strings.Trim(prefix, "/"))
			if !found {
				return 404, "404 page not found\n", nil
			}
			target = rest
		}
		res := s.restServer().Get(target)
		return res.Status, res.Body, nil
	}
	s.jobs.add(&job{command: strings.Join(args, " "), listen: l})
	fmt.Fprintf(stdout, "Starting to serve on %s:%d\n", l.address, l.port)
	return 0
}

// listenerGet answers a request to a job listening on the node: ok is false when none
// listens on ip:port.
func (s *Session) listenerGet(rawURL, ip string) (status int, body string, ok bool, err error) {
	u, perr := url.Parse(rawURL)
	if perr != nil {
		return 0, "", false, nil
	}
	port, _ := strconv.Atoi(u.Port())
	if port == 0 {
		port = 80
	}
	for _, j := range s.jobs.list {
		if l := j.listen; l != nil && l.listens(ip, port) {
			target := u.EscapedPath()
			if target == "" {
				target = "/"
			}
			if u.RawQuery != "" {
				target += "?" + u.RawQuery
			}
			status, body, err = l.serve(target)
			return status, body, true, err
		}
	}
	return 0, "", false, nil
}

// restServer is the API server's REST face for the session's cluster.
func (s *Session) restServer() *rest.Server {
	return &rest.Server{
		Store:   s.cluster.Store,
		Version: kubectl.ServerVersionInfo,
		Address: s.cluster.Kubelets.NodeIP(cluster.ControlPlaneNode) + ":6443",
		HTTPGet: s.podGet,
	}
}

// podGet is a request from the control plane's node to ip:port on the cluster's network,
// journaled when it reached a server (which may have changed: a counter, an access log).
func (s *Session) podGet(ip string, port int, path string) (int, string, error) {
	target := "http://" + ip + ":" + strconv.Itoa(port) + path
	status, body, err := s.cluster.Kubelets.HTTPGetFromNode(cluster.ControlPlaneNode, ip, target)
	if err == nil {
		s.mergeAdvance = false
		s.record(persist.Entry{Args: persist.Texts([]string{"curl", "-s", target})})
	}
	// The API server words the dial's own error ("dial tcp IP:PORT: connect: ...").
	var ne *kubelet.NetError
	if errors.As(err, &ne) {
		err = errors.New(ne.Msg)
	}
	return status, body, err
}

// loopbackRefused: nothing listens on the node's loopback but what the terminal started (a
// proxy), so a request there is refused at once rather than left to time out.
func loopbackRefused(ip string, err error) error {
	if err != nil && errors.Is(err, sh.ErrTimeout) && (ip == "127.0.0.1" || ip == "::1") {
		return sh.ErrConnectionRefused
	}
	return err
}
