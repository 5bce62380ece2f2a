package cluster

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/kubelet"
	"github.com/kubetab/kubetab/engine/sim"
	"github.com/kubetab/kubetab/engine/store"
)

// SnapshotVersion numbers the layout of Snapshot's JSON. Restore refuses another one.
const SnapshotVersion = 1

// snapshot is a cluster as a restart of its control plane and kubelets finds it: what etcd
// holds (the objects with their resourceVersions), the virtual time, the random streams,
// and the nodes' container runtime (kubelet.RuntimeState). JSON with sorted keys and objects
// in a fixed order, so that the same cluster always gives the same bytes.
type snapshot struct {
	Version         int                          `json:"version"`
	Seed            uint64                       `json:"seed"`
	Start           time.Time                    `json:"start"`
	Now             time.Time                    `json:"now"`
	ResourceVersion uint64                       `json:"resourceVersion"`
	EventSeq        uint64                       `json:"eventSeq,omitempty"`
	Streams         map[string][]byte            `json:"streams"`
	Objects         map[string][]json.RawMessage `json:"objects"`
	// SubSeconds holds, by resource and the object's index in Objects, the nanoseconds of
	// its times that JSON rounds away (subsecond.go).
	SubSeconds map[string]map[int][]int32 `json:"subSeconds,omitempty"`
	Runtime    kubelet.RuntimeState       `json:"runtime"`
}

// Snapshot encodes c for Restore. Take it between commands: it first runs the containers'
// programs up to now (kubelet.Manager.CatchUp) and settles what that wrote.
func Snapshot(c *Cluster) ([]byte, error) {
	c.Kubelets.CatchUp()
	if err := c.Settle(); err != nil {
		return nil, err
	}
	cp, err := c.Checkpoint()
	if err != nil {
		return nil, err
	}
	s := snapshot{Version: SnapshotVersion, Seed: cp.Seed, Start: cp.Start, Now: cp.Now, ResourceVersion: cp.ResourceVersion,
		EventSeq: cp.EventSeq, Streams: cp.Streams, Objects: map[string][]json.RawMessage{}, Runtime: c.Kubelets.Runtime()}
	for _, o := range cp.Objects {
		b, err := json.Marshal(o.Object)
		if err != nil {
			return nil, fmt.Errorf("%s %s/%s: %w", o.Resource.Name, o.Object.GetNamespace(), o.Object.GetName(), err)
		}
		if ns := subSeconds(o.Object); ns != nil {
			if s.SubSeconds == nil {
				s.SubSeconds = map[string]map[int][]int32{}
			}
			if s.SubSeconds[o.Resource.Name] == nil {
				s.SubSeconds[o.Resource.Name] = map[int][]int32{}
			}
			s.SubSeconds[o.Resource.Name][len(s.Objects[o.Resource.Name])] = ns
		}
		s.Objects[o.Resource.Name] = append(s.Objects[o.Resource.Name], b)
	}
	return json.Marshal(s)
}

// RestoreOptions adjust Restore.
type RestoreOptions struct {
	// RestartContainers restarts every container that is not done for good, as an upgrade
	// of the nodes does: the snapshot was taken by another engine, whose programs may not
	// be where this engine's would be.
	RestartContainers bool
}

// Restore rebuilds a cluster from a Snapshot as Kubernetes comes back from a restart of its
// control plane and kubelets over a surviving etcd and container runtime: the objects are
// as they were, the controllers, the scheduler, kube-proxy and DNS rebuild their caches
// and queues from them (they are level-triggered: each sees an Added event for every
// object, as an informer's first list), and the kubelets take back the containers
// (kubelet.Manager.Restart). The restored cluster has settled at the snapshot's instant.
func Restore(data []byte, opts RestoreOptions) (*Cluster, error) {
	var s snapshot
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("reading the cluster snapshot: %w", err)
	}
	if s.Version != SnapshotVersion {
		return nil, fmt.Errorf("cluster snapshot version %d: this engine reads version %d", s.Version, SnapshotVersion)
	}
	cp := sim.Checkpoint{Seed: s.Seed, Start: s.Start, Now: s.Now, ResourceVersion: s.ResourceVersion, Streams: s.Streams, EventSeq: s.EventSeq}
	known := 0
	for _, r := range api.Resources() {
		for i, raw := range s.Objects[r.Name] {
			obj := r.New()
			if err := json.Unmarshal(raw, obj); err != nil {
				return nil, fmt.Errorf("reading the cluster snapshot: %s: %w", r.Name, err)
			}
			setSubSeconds(obj, s.SubSeconds[r.Name][i])
			cp.Objects = append(cp.Objects, store.Stored{Resource: r, Object: obj})
		}
		if _, ok := s.Objects[r.Name]; ok {
			known++
		}
	}
	if known != len(s.Objects) {
		return nil, fmt.Errorf("reading the cluster snapshot: it holds resources this engine does not know")
	}
	sc, err := sim.Restore(cp)
	if err != nil {
		return nil, fmt.Errorf("reading the cluster snapshot: %w", err)
	}
	c := wire(sc)
	setRateLimits(c, Options{})
	c.Kubelets.Restart(s.Runtime, opts.RestartContainers)
	if err := c.Settle(); err != nil {
		return nil, err
	}
	return c, nil
}
