package session

import "github.com/kubetab/kubetab/engine/cluster"

// Cluster is the engine's cluster as the shell hands it to readers (View): the one place
// app/ names the engine's cluster type.
type Cluster = cluster.Cluster
