package api

import "strings"

// Version is the Kubernetes release kubetab answers as, in one place: kubectl's client
// version and the API server's (kubectl version), the kubelets' (node VERSION, the probes'
// User-Agent), and the release whose texts, columns and defaults kubetab copies. It is the
// release of the k8s.io modules kubetab is built on (k8s.io/api v0.37.2 is Kubernetes
// v1.37.2; TestVersionMatchesModules checks go.mod), so the types, their documentation
// (explain) and their defaults are that release's too.
const Version = "v1.37.2"

// KustomizeVersion is the kustomize that kubectl Version embeds (`kubectl version`).
const KustomizeVersion = "v5.8.1"

// MinorVersion is Version's "<major>.<minor>" ("1.37"), as the kubelet's probes send it
// (`User-Agent: kube-probe/1.37`).
func MinorVersion() string {
	major, rest, _ := strings.Cut(strings.TrimPrefix(Version, "v"), ".")
	minor, _, _ := strings.Cut(rest, ".")
	return major + "." + minor
}
