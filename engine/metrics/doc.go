// Package metrics is kubetab's metrics-server: the resource metrics API (metrics.k8s.io) that
// `kubectl top` and the HPA controller read, served from a deterministic model of resource use
// instead of the kubelets' cAdvisor figures.
//
// It serves while the metrics-server addon runs: a Deployment `metrics-server` in kube-system
// (what `minikube addons enable metrics-server` creates) with an available replica. Without
// the Deployment the API is not there (ErrNotServed: kubectl top says "Metrics API not
// available", the HPA "the server could not find the requested resource"); with it but none
// available, it is there but unable to answer (ErrUnavailable).
//
// The model (docs/decisions.md, "Resource metrics"): a container of a Running pod uses
// IdleCPU (1m) and its image's idle memory (idleMemory: a few images' figures, DefaultMemory
// otherwise); the pod's first container also carries the load of the HTTP requests the pod
// served in the last minute, not counting the kubelet's probes: CPUPerRequest (100 ms of CPU
// time) each, averaged over the minute. A pod has metrics once it has run for one
// Resolution (15 s, a scrape after the first); its sample is taken at the last multiple of
// Resolution. A node uses its pods' total plus NodeOverhead (the kubelet, the runtime and
// the system).
//
// It imports api, store and labels; it reads the pods' load through RequestCounter (the
// kubelets). It must not import the kubelet, controllers or kubectl.
package metrics
