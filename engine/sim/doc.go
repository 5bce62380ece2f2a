// Package sim runs a cluster's control loops on virtual time.
//
// A Cluster owns the store, the clock, the seeded random source and the event sink, and
// decides the order of all work: at each instant it fires due timers, delivers watch events
// to handlers, and runs controller syncs, one step at a time, until nothing is left; only
// then may time move. Handlers only enqueue keys; a sync re-reads what it needs and may ask
// to be run again after a delay, which becomes a timer (the shape of upstream's workqueue
// and of the CronJob controller's requeue-after). A watcher from outside the control loops
// (kubectl get -w) registers until cancelled (WatchUntilCancelled) and only notes what
// changed, for its owner to read later.
//
// An instant's work is bounded by a settle budget proportional to it (DefaultMaxSteps plus
// DefaultStepsPerObject per object first written): an instant that creates 100,000 pods
// settles, and a control loop that fights itself is stopped after about DefaultMaxSteps
// steps, with an error that names what it synced and wrote.
//
// Checkpoint and Restore (restore.go) are what survives a restart of the control plane:
// objects, time, random streams; not timers, queues or the components' caches.
//
// Everything here is single-threaded and deterministic: the same seed, start time and
// inputs give the same cluster. sim imports store, clock and events; controllers import sim.
package sim
