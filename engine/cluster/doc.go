// Package cluster assembles kubetab's default cluster: a sim.Cluster with the namespaces,
// nodes, admission, controllers, scheduler and kubelets a fresh kind-like cluster has.
//
// It is the one place that knows every component; components know only sim, store and api.
package cluster
