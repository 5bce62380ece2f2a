package terminal

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/cluster"
	"github.com/kubetab/kubetab/engine/kubelet/sh"
	"github.com/kubetab/kubetab/engine/metrics"
)

// Shims of minikube and kind: the docs assume one of them made the cluster (`curl
// http://"$(minikube ip):$NODE_PORT"`, `minikube service NAME --url`). kubetab's cluster is a
// kind-like one (its nodes are kubetab-control-plane, kubetab-worker...), so the shims answer
// from it: minikube's node is the control plane's node, kind's cluster is "kubetab". What has
// no counterpart here says so in one line (docs/decisions.md, "minikube and kind").

// kindCluster is the cluster's name as kind would know it: the prefix of its node names.
const kindCluster = "kubetab"

func (s *Session) minikube(c *sh.Call) int {
	c.Charge(hostCommandSteps)
	out, errOut := c.Stdout(), c.Stderr()
	args := c.Args()[1:]
	if len(args) == 0 {
		fmt.Fprintln(errOut, "minikube (a kubetab shim) answers: ip, service NAME [--url] [-n NS], status, start, addons list|enable NAME, kubectl -- ARGS")
		return 1
	}
	ip := s.cluster.Kubelets.NodeIP(cluster.ControlPlaneNode)
	switch args[0] {
	case "ip":
		fmt.Fprintln(out, ip)
		return 0
	case "status":
		fmt.Fprint(out, "minikube\ntype: Control Plane\nhost: Running\nkubelet: Running\napiserver: Running\nkubeconfig: Configured\n\n")
		return 0
	case "start":
		fmt.Fprintln(out, "😄  minikube (kubetab shim): the cluster is already running: kubetab's cluster starts with the tab")
		fmt.Fprintln(out, "🏄  Done! kubectl is now configured to use \"minikube\" cluster and \"default\" namespace by default")
		return 0
	case "service":
		return s.minikubeService(args[1:], ip, out, errOut)
	case "addons":
		if len(args) == 3 && (args[1] == "enable" || args[1] == "disable") && args[2] == metricsServerAddon {
			// It changes the cluster: journaled, and replayed through exec.
			return s.execJournaled(append([]string{"minikube"}, args...), nil, c.Dir(), nil, out, errOut, false)
		}
		return s.minikubeAddons(args[1:], out, errOut)
	case "kubectl":
		kargs := args[1:]
		if len(kargs) > 0 && kargs[0] == "--" {
			kargs = kargs[1:]
		}
		return s.runHostArgs(c, append([]string{"kubectl"}, kargs...))
	}
	fmt.Fprintf(errOut, "❌  minikube %s is not available in kubetab (minikube here is a shim over kubetab's own cluster)\n", args[0])
	return 1
}

// minikubeService prints the URLs of a NodePort or LoadBalancer Service on minikube's node.
func (s *Session) minikubeService(args []string, ip string, out, errOut io.Writer) int {
	ns, name, urlOnly := "default", "", false
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--url":
			urlOnly = true
		case a == "-n" || a == "--namespace":
			if i+1 < len(args) {
				ns = args[i+1]
				i++
			}
		case strings.HasPrefix(a, "--namespace="):
			ns = strings.TrimPrefix(a, "--namespace=")
		case a == "list":
			fmt.Fprintln(errOut, "❌  minikube service list is not available in kubetab: kubectl get services -A")
			return 1
		case !strings.HasPrefix(a, "-"):
			name = a
		}
	}
	if name == "" {
		fmt.Fprintln(errOut, "❌  Exiting due to MK_USAGE: You must specify a service name")
		return 1
	}
	obj := s.cluster.Store.Lookup(api.ResourceForKind("Service"), ns, name)
	svc, _ := obj.(*corev1.Service)
	if svc == nil {
		fmt.Fprintf(errOut, "❌  Exiting due to SVC_NOT_FOUND: Service '%s' was not found in '%s' namespace.\nYou may select another namespace by using 'minikube service %s -n <namespace>'. Or list out all the services using 'minikube service list'\n", name, ns, name)
		return 1
	}
	var urls, targets []string
	for _, p := range svc.Spec.Ports {
		if p.NodePort == 0 {
			continue
		}
		urls = append(urls, fmt.Sprintf("http://%s:%d", ip, p.NodePort))
		targets = append(targets, p.TargetPort.String())
	}
	if len(urls) == 0 {
		fmt.Fprintf(errOut, "😿  service %s/%s has no node port\n", ns, name)
		return 0
	}
	if urlOnly {
		for _, u := range urls {
			fmt.Fprintln(out, u)
		}
		return 0
	}
	rows := [][]string{{"NAMESPACE", "NAME", "TARGET PORT", "URL"}}
	for i, u := range urls {
		rows = append(rows, []string{ns, name, targets[i], u})
	}
	writeMinikubeTable(out, rows)
	fmt.Fprintf(out, "🎉  Opening service %s/%s in default browser...\n", ns, name)
	fmt.Fprintln(out, "kubetab cannot open a browser from its terminal: curl the URL above")
	return 0
}

// writeMinikubeTable draws minikube's bordered table (its header centred, cells left-aligned,
// ports right-aligned).
func writeMinikubeTable(w io.Writer, rows [][]string) {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], len(c))
		}
	}
	rule := "|"
	for _, wd := range widths {
		rule += strings.Repeat("-", wd+2) + "|"
	}
	fmt.Fprintln(w, rule)
	for n, r := range rows {
		line := "|"
		for i, c := range r {
			pad := widths[i] - len(c)
			_, numeric := strconv.Atoi(c)
			switch {
			case n == 0:
				line += " " + strings.Repeat(" ", pad/2) + c + strings.Repeat(" ", pad-pad/2) + " |"
			case numeric == nil:
				line += " " + strings.Repeat(" ", pad) + c + " |"
			default:
				line += " " + c + strings.Repeat(" ", pad) + " |"
			}
		}
		fmt.Fprintln(w, line)
		if n == 0 {
			fmt.Fprintln(w, rule)
		}
	}
	fmt.Fprintln(w, rule)
}

// minikubeAddons are the addons `minikube addons list` shows, and what kubetab has of each.
var minikubeAddonList = []struct{ name, status, note string }{
	{"dashboard", "disabled", "kubetab's page shows the cluster instead"},
	{"default-storageclass", "disabled", "kubetab has no storage classes"},
	{"ingress", "disabled", "kubetab has no Ingress"},
	{metricsServerAddon, "disabled", ""},
	{"storage-provisioner", "disabled", "kubetab has no persistent volumes"},
}

func (s *Session) minikubeAddons(args []string, out, errOut io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(errOut, "minikube addons (a kubetab shim) answers: list, enable NAME, disable NAME")
		return 1
	}
	switch args[0] {
	case "list":
		rows := [][]string{{"ADDON NAME", "PROFILE", "STATUS", "MAINTAINER"}}
		for _, a := range minikubeAddonList {
			status, maintainer := a.status, "kubetab (not available)"
			if a.name == metricsServerAddon {
				status, maintainer = "disabled", "Kubernetes"
				if s.cluster.Metrics.Available() != metrics.ErrNotServed {
					status = "enabled ✅"
				}
			}
			rows = append(rows, []string{a.name, "minikube", status, maintainer})
		}
		writeMinikubeTable(out, rows)
		return 0
	case "enable", "disable":
		if len(args) < 2 {
			fmt.Fprintf(errOut, "❌  Exiting due to MK_USAGE: usage: minikube addons %s ADDON_NAME\n", args[0])
			return 1
		}
		for _, a := range minikubeAddonList {
			if a.name == args[1] {
				if args[0] == "disable" {
					fmt.Fprintf(out, "🌑  \"The '%s' addon is disabled\"\n", a.name)
					return 0
				}
				fmt.Fprintf(errOut, "❌  the %s addon is not available in kubetab: %s\n", a.name, a.note)
				return 1
			}
		}
		fmt.Fprintf(errOut, "❌  Exiting due to MK_ADDON_ENABLE: %s is not a valid addon\n", args[1])
		return 1
	}
	fmt.Fprintf(errOut, "❌  minikube addons %s is not available in kubetab\n", args[0])
	return 1
}

// kind answers `kind get clusters|nodes|kubeconfig`-style questions about kubetab's cluster.
func (s *Session) kind(c *sh.Call) int {
	c.Charge(hostCommandSteps)
	out, errOut := c.Stdout(), c.Stderr()
	args := c.Args()[1:]
	switch {
	case len(args) >= 2 && args[0] == "get" && args[1] == "clusters":
		fmt.Fprintln(out, kindCluster)
		return 0
	case len(args) >= 2 && args[0] == "get" && args[1] == "nodes":
		s.cluster.Store.Each(api.ResourceForKind("Node"), "", func(o api.Object) bool {
			fmt.Fprintln(out, o.GetName())
			return true
		})
		return 0
	case len(args) >= 2 && args[0] == "create" && args[1] == "cluster":
		fmt.Fprintf(errOut, "ERROR: failed to create cluster: node(s) already exist for a cluster with the name %q\n", kindCluster)
		fmt.Fprintln(errOut, "kind (a kubetab shim): kubetab's cluster already runs; `kubetab reset` starts a fresh one")
		return 1
	}
	fmt.Fprintf(errOut, "kind %s is not available in kubetab (kind here is a shim that answers get clusters and get nodes)\n", strings.Join(args, " "))
	return 1
}

// metricsServerAddon is the one addon kubetab has: its metrics-server (engine/metrics).
const metricsServerAddon = "metrics-server"

// metricsServer enables or disables the metrics-server addon as minikube does, with its
// messages (`minikube addons enable|disable metrics-server`).
func (s *Session) metricsServer(enable bool, out, errOut io.Writer) int {
	// Settled at once, as kubectl settles after each command: a replay runs the same.
	defer s.cluster.Settle()
	if !enable {
		if err := s.cluster.DisableMetricsServer(); err != nil {
			fmt.Fprintf(errOut, "❌  Exiting due to MK_ADDON_DISABLE: %v\n", err)
			return 1
		}
		fmt.Fprintln(out, "🌑  \"The 'metrics-server' addon is disabled\"")
		return 0
	}
	if err := s.cluster.EnableMetricsServer(); err != nil {
		fmt.Fprintf(errOut, "❌  Exiting due to MK_ADDON_ENABLE: %v\n", err)
		return 1
	}
	fmt.Fprintln(out, "💡  metrics-server is an addon maintained by Kubernetes. For any concerns contact minikube on GitHub.")
	fmt.Fprintln(out, "You can view the list of minikube maintainers at: https://github.com/kubernetes/minikube/blob/master/OWNERS")
	fmt.Fprintf(out, "    ▪ Using image %s\n", metrics.Image)
	fmt.Fprintln(out, "🌟  The 'metrics-server' addon is enabled")
	return 0
}
