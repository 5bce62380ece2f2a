package terminal

import (
	"fmt"

	"github.com/kubetab/kubetab/engine/cluster"
	"github.com/kubetab/kubetab/engine/persist"
	"github.com/kubetab/kubetab/engine/sim"
)

// Snapshots (checkpoints). A saved session is a snapshot of its cluster (engine/cluster's
// Snapshot: the objects, the virtual time, the random streams, the container runtime)
// plus the journal since it; a load restores the snapshot and replays only that tail. The
// session that takes a snapshot continues from the snapshot restored, not from the cluster
// it had: a restore is a restart of the control plane and the kubelets, which rebuild
// their queues and timers from the objects, and is not the same as never stopping. So the
// tab that took it, a reload and the next CLI process all run restore(snapshot) and the
// tail, and see the same cluster.
//
// When to take one depends on the journal alone, never on wall time: once the tail holds
// CheckpointEntries entries, or its commands took CheckpointSteps steps of the
// simulation (sim.Cluster.Steps, counted while a journaled command runs, which its replay
// takes again), so that no load replays much more than that. A snapshot costs in
// proportion to the objects stored, a replay to the steps: in a cluster of more than
// CheckpointObjects objects both thresholds grow with it, so that a snapshot is never
// dearer than the replay it saves (10,000 pods applied and Ready took 149,000 steps and
// 1.7 s; their snapshot and restore 3.4 s natively and 17–31 s in a tab).
const (
	CheckpointEntries = 200
	CheckpointSteps   = 40_000
	CheckpointObjects = 4_000
)

// CheckpointDue tells whether the journal's tail has grown enough for a snapshot (see
// above) and the session can take one now: no background job, no line waiting for its
// stream, no terminal inside a container (all of which live in the journal alone).
func (s *Session) CheckpointDue() bool {
	scale := max(1, s.cluster.Store.Len()/CheckpointObjects)
	return s.CanCheckpoint() && (len(s.journal) >= scale*CheckpointEntries || s.work >= uint64(scale)*CheckpointSteps)
}

// CanCheckpoint tells whether a snapshot would hold the whole session: something since
// the last one, and nothing that lives in the journal alone.
func (s *Session) CanCheckpoint() bool {
	if len(s.journal) == 0 || len(s.jobs.list) > 0 {
		return false
	}
	for _, t := range s.ttys {
		if t.inside != nil || t.stream != nil || t.waiting != nil || t.fg != nil {
			return false
		}
	}
	return true
}

// Checkpoint takes a snapshot of the cluster and continues from it (restored): the journal
// starts over after it, and State holds it. Callers take one between commands, when
// CheckpointDue says so (tests force one after every command).
func (s *Session) Checkpoint() error { return s.checkpoint(true) }

// CheckpointLast is Checkpoint for a session that runs no more commands (the CLI's last act
// before it saves and exits): State holds the snapshot, but the session does not go on from
// the restored cluster, which only a session that goes on needs. Restoring costs as much as
// the snapshot: with 100,000 pods, 40 s and 3 GB more.
func (s *Session) CheckpointLast() error { return s.checkpoint(false) }

func (s *Session) checkpoint(goOn bool) error {
	if err := s.cluster.Settle(); err != nil {
		return err
	}
	data, err := cluster.Snapshot(s.cluster)
	if err != nil {
		return fmt.Errorf("taking a snapshot of the cluster: %w", err)
	}
	if goOn {
		c, err := cluster.Restore(data, cluster.RestoreOptions{})
		if err != nil {
			return fmt.Errorf("restoring the cluster's snapshot: %w", err)
		}
		s.cluster = c
	}
	s.base = &persist.Snapshot{Engine: EngineVersion, Streams: sim.StreamLayout, Time: s.cluster.Now().UTC(),
		Journal: s.State().History(), Cluster: data}
	s.journal, s.mergeAdvance = nil, false
	s.logKept, s.logReset = 0, true
	s.work = 0
	return nil
}

// Replayed is how many journal entries the last Restore replayed (those after the
// snapshot, if the state had one), and ReplayedSteps the simulation steps they took.
func (s *Session) Replayed() (entries int, steps uint64) { return s.replayed, s.replayedSteps }

// restoreSnapshot gives a session being restored the cluster of st's snapshot. A snapshot
// from another engine (or random stream layout) restores as a cluster whose control plane
// was upgraded and whose nodes restarted: every container not done for good starts again.
func (s *Session) restoreSnapshot(st persist.State) error {
	snap := st.Snapshot
	upgrade := snap.Engine != EngineVersion || max(snap.Streams, 1) != sim.StreamLayout
	c, err := cluster.Restore(snap.Cluster, cluster.RestoreOptions{RestartContainers: upgrade})
	if err != nil {
		return err
	}
	s.cluster, s.seed, s.start = c, st.Seed, st.Start.UTC()
	s.base = snap
	if upgrade {
		s.notices = append(s.notices, fmt.Sprintf("the saved cluster was written by engine %s (random stream layout %d); this is %s (layout %d): it was restored as a cluster whose control plane was upgraded and whose nodes restarted, so its running containers restarted",
			snap.Engine, max(snap.Streams, 1), EngineVersion, sim.StreamLayout))
	}
	return nil
}
