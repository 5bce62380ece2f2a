package session

import "github.com/kubetab/kubetab/engine/sim"

// Cluster is the engine's cluster as the shell hands it to readers (View): the one place
// app/ names the engine's cluster type, so that a change to it (engine/cluster's typed
// wiring) is made here and in what reads it (app/snapshot).
type Cluster = sim.Cluster
