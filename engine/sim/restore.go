package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/clock"
	"github.com/kubetab/kubetab/engine/events"
	"github.com/kubetab/kubetab/engine/store"
)

// Checkpoint is what survives a restart of a cluster's control plane: the store's objects
// and resourceVersion (etcd), the virtual time, the random streams' states and the count of
// events named. Work queues, timers and the components' caches are not in it: restarted
// components rebuild them from the objects, as Kubernetes' level-triggered controllers do.
type Checkpoint struct {
	Seed            uint64
	Start, Now      time.Time
	ResourceVersion uint64
	Objects         []store.Stored
	// Streams holds each random stream's generator state (rand.PCG's binary form) by label.
	Streams  map[string][]byte
	EventSeq uint64
}

// Checkpoint returns the cluster's checkpoint. Taken between commands, when the cluster has
// settled; the objects are shared with the store (do not mutate them).
func (c *Cluster) Checkpoint() (Checkpoint, error) {
	cp := Checkpoint{Seed: c.Seed, Start: c.Start, Now: c.Now(), Streams: map[string][]byte{}, EventSeq: c.Events.Seq()}
	cp.ResourceVersion, cp.Objects = c.Store.Dump()
	for label, src := range c.sources {
		b, err := src.MarshalBinary()
		if err != nil {
			return Checkpoint{}, fmt.Errorf("random stream %s: %w", label, err)
		}
		cp.Streams[label] = b
	}
	return cp, nil
}

// Restore returns a cluster with cp's objects, time and random streams and no components:
// the caller wires them (engine/cluster), and the first Settle hands them an Added event
// for every object, as informers list what exists when they start.
func Restore(cp Checkpoint) (*Cluster, error) {
	c := New(cp.Seed, cp.Start)
	c.Clock = clock.New(cp.Now)
	s, w, err := store.Restore(cp.ResourceVersion, cp.Objects)
	if err != nil {
		return nil, err
	}
	c.Store = s
	c.API = apiserver.New(s, w, c.Clock.Now, c.Stream)
	c.API.Recover()
	c.Events = events.NewSink(c.API.Client(EventsClient), c.Clock.Now)
	c.Events.Recover(cp.EventSeq)
	labels := make([]string, 0, len(cp.Streams))
	for label := range cp.Streams {
		labels = append(labels, label)
	}
	slices.Sort(labels)
	for _, label := range labels {
		src := &rand.PCG{}
		if err := src.UnmarshalBinary(cp.Streams[label]); err != nil {
			return nil, fmt.Errorf("random stream %s: %w", label, err)
		}
		c.streams[label], c.sources[label] = rand.New(src), src
	}
	return c, nil
}
