// Package cluster assembles kubetab's default cluster: a sim.Cluster with the namespaces,
// nodes, admission, controllers, scheduler, kubelets, kube-proxy and cluster DNS a fresh
// kind-like cluster has, and the Services it starts with (`kubernetes`, `kube-dns`); and the
// metrics-server addon (metrics.go: its Deployment, and the HPA controller's metrics client
// over engine/metrics).
//
// Snapshot and Restore (snapshot.go) save a cluster as its objects, time, random streams
// and container runtime, and bring it back as a restart of every component over them.
//
// It is the one place that knows every component; components know only sim, store and api.
package cluster
