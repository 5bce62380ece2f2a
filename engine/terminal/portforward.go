package terminal

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver/rest"
	"github.com/kubetab/kubetab/engine/kubelet/sh"
	"github.com/kubetab/kubetab/engine/store"
)

// `kubectl port-forward TYPE/NAME [LOCAL:]REMOTE...`: a job (jobs.go) listening on the node's
// localhost that forwards each request to one pod, chosen when it starts (as kubectl picks
// a pod of a Service or Deployment once), on the pod's port. Journaled like a proxy job.

// isPortForward tells whether a command line is `kubectl port-forward ...`.
func isPortForward(args []string) bool {
	return len(args) > 1 && (args[0] == "kubectl" || args[0] == "k") && args[1] == "port-forward"
}

// kubectlPortForward is `kubectl port-forward` typed in the terminal.
func (s *Session) kubectlPortForward(c *sh.Call, args []string) int {
	code := s.startJob(c, args, s.startPortForward)
	if code == 0 {
		s.foreground(c) // terminals.go
	}
	return code
}

// startPortForward starts the forwarding jobs of `kubectl port-forward ARGS`, one per port
// pair, or says why not as kubectl does.
func (s *Session) startPortForward(args []string, stdout, stderr io.Writer) int {
	ns, address := "default", "localhost"
	var words []string
	rest := args[2:]
	for len(rest) > 0 {
		a := rest[0]
		rest = rest[1:]
		name, value, hasValue := strings.Cut(a, "=")
		switch name {
		case "-n", "--namespace", "--address", "--pod-running-timeout":
			if !hasValue {
				if len(rest) == 0 {
					fmt.Fprintf(stderr, "error: flag needs an argument: %s\nSee 'kubectl port-forward --help' for usage.\n", name)
					return 1
				}
				value, rest = rest[0], rest[1:]
			}
			switch name {
			case "-n", "--namespace":
				ns = value
			case "--address":
				address = value
			}
		default:
			if strings.HasPrefix(a, "-") {
				fmt.Fprintf(stderr, "error: unknown flag: %s\nSee 'kubectl port-forward --help' for usage.\n", name)
				return 1
			}
			words = append(words, a)
		}
	}
	if len(words) < 2 {
		fmt.Fprintln(stderr, "error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples")
		return 1
	}
	pod, svc, err := s.forwardTarget(ns, words[0])
	if err != "" {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if pod.Status.Phase != corev1.PodRunning {
		fmt.Fprintf(stderr, "error: unable to forward port because pod is not running. Current status=%s\n", pod.Status.Phase)
		return 1
	}
	type pair struct{ local, remote int }
	var pairs []pair
	for _, spec := range words[1:] {
		localText, remoteText, both := strings.Cut(spec, ":")
		if !both {
			remoteText = localText
		}
		remote, rerr := strconv.Atoi(remoteText)
		local, lerr := strconv.Atoi(localText)
		if localText == "" {
			local, lerr = 0, nil
		}
		if rerr != nil || lerr != nil || remote < 1 || remote > 65535 || local < 0 || local > 65535 {
			fmt.Fprintf(stderr, "error: Error parsing local port '%s': strconv.ParseUint: parsing %q: invalid syntax\n", localText, localText)
			return 1
		}
		if svc != nil {
			remote = serviceTargetPort(svc, pod, remote)
		}
		if local == 0 {
			local = 37000 + s.jobs.next + 1 // kubectl lets the system choose
		}
		pairs = append(pairs, pair{local, remote})
	}
	addresses := []string{"127.0.0.1"}
	if address != "localhost" {
		addresses = strings.Split(address, ",")
	}
	for _, p := range pairs {
		for _, a := range addresses {
			if err := s.bindError(a, p.local); err != nil {
				fmt.Fprintf(stderr, "Unable to listen on port %d: Listeners failed to create with the following errors: [unable to create listener: Error %v]\nerror: unable to listen on any of the requested ports: [{%d %d}]\n", p.local, err, p.local, p.remote)
				return 1
			}
		}
	}
	for _, p := range pairs {
		for _, a := range addresses {
			fmt.Fprintf(stdout, "Forwarding from %s:%d -> %d\n", a, p.local, p.remote)
			if address == "localhost" {
				fmt.Fprintf(stdout, "Forwarding from [::1]:%d -> %d\n", p.local, p.remote)
			}
		}
	}
	namespace, name := pod.Namespace, pod.Name
	for _, p := range pairs {
		remote := p.remote
		for _, a := range addresses {
			l := &listener{address: a, port: p.local, serve: func(target string) (int, string, error) {
				// The pod kubectl chose, while it runs: once it is gone the forward is lost.
				obj := s.cluster.Store.Lookup(api.ResourceForKind("Pod"), namespace, name)
				p, _ := obj.(*corev1.Pod)
				if p == nil || p.Status.PodIP == "" || p.Status.Phase != corev1.PodRunning {
					return 0, "", sh.ErrConnectionRefused
				}
				return s.podGet(p.Status.PodIP, remote, target)
			}}
			s.jobs.add(&job{command: strings.Join(args, " "), listen: l})
		}
	}
	return 0
}

// forwardTarget resolves TYPE/NAME to the pod a port-forward reaches (and the Service named,
// whose ports map to the pod's), or kubectl's error.
func (s *Session) forwardTarget(ns, ref string) (*corev1.Pod, *corev1.Service, string) {
	kind, name, typed := strings.Cut(ref, "/")
	if !typed {
		kind, name = "pod", ref
	}
	r := api.LookupResource(kind)
	if r == nil {
		return nil, nil, fmt.Sprintf("error: the server doesn't have a resource type %q", kind)
	}
	obj, err := s.cluster.Store.Get(r, ns, name)
	if err != nil {
		return nil, nil, "Error from server (NotFound): " + err.Error()
	}
	var selector labels.Selector
	var svc *corev1.Service
	var ls *metav1.LabelSelector
	switch o := obj.(type) {
	case *corev1.Pod:
		return o, nil, ""
	case *corev1.Service:
		if len(o.Spec.Selector) == 0 {
			return nil, nil, fmt.Sprintf("error: invalid service '%s': Service is defined without a selector", name)
		}
		svc, selector = o, labels.SelectorFromSet(o.Spec.Selector)
	case *corev1.ReplicationController:
		selector = labels.SelectorFromSet(o.Spec.Selector)
	case *appsv1.Deployment:
		ls = o.Spec.Selector
	case *appsv1.ReplicaSet:
		ls = o.Spec.Selector
	case *appsv1.DaemonSet:
		ls = o.Spec.Selector
	case *batchv1.Job:
		ls = o.Spec.Selector
	default:
		return nil, nil, fmt.Sprintf("error: cannot attach to %s: selector for %s not implemented", r.Kind, ref)
	}
	if ls != nil {
		sel, err := metav1.LabelSelectorAsSelector(ls)
		if err != nil {
			return nil, nil, "error: " + err.Error()
		}
		selector = sel
	}
	pods, _ := s.cluster.Store.List(api.ResourceForKind("Pod"), ns, store.ListOptions{Labels: selector})
	for _, o := range pods {
		if p := o.(*corev1.Pod); p.Status.Phase == corev1.PodRunning && p.DeletionTimestamp == nil {
			return p, svc, ""
		}
	}
	return nil, nil, "error: unable to forward port because pod is not running. Current status=Pending"
}

// serviceTargetPort maps a Service's port to the pod's port it targets, as kubectl
// port-forward svc/NAME does.
func serviceTargetPort(svc *corev1.Service, pod *corev1.Pod, port int) int {
	for _, sp := range svc.Spec.Ports {
		if int(sp.Port) != port {
			continue
		}
		if sp.TargetPort.IntValue() != 0 {
			return sp.TargetPort.IntValue()
		}
		if sp.TargetPort.StrVal != "" {
			if n := rest.ContainerPort(pod, sp.TargetPort.StrVal); n != 0 {
				return n
			}
		}
		return port
	}
	return port
}
