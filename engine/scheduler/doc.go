// Package scheduler is kubetab's default-scheduler: it binds Pending pods that name no node
// (and whose schedulerName is default-scheduler) to a node, or explains why none fits.
//
// Filters run per node in the order of the upstream default profile and stop at the first
// that fails (NodeUnschedulable, TaintToleration, NodeAffinity, NodeResourcesFit); their
// reasons are counted into the FailedScheduling message exactly as the real scheduler
// builds its FitError ("0/4 nodes are available: ... preemption: ..."). A node whose Ready
// condition is not True counts as tainted not-ready, which is what the node lifecycle
// controller would make it. Scoring spreads the pods of one controller across nodes, then
// prefers the node with the fewest pods, ties broken by the cluster's seeded random source.
//
// Per-node pod counts, requests and per-owner counts are kept from pod watch events, so one
// scheduling decision costs one pass over the nodes and never lists pods. Pods that do not
// fit wait until a node is added or changes, or an assigned pod goes away; there is no
// periodic retry loop.
//
// Imports sim, store, events and api; knows nothing of the kubelet or the controllers.
package scheduler
