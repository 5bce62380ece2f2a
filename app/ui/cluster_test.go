package ui

import (
	"testing"

	"github.com/kubetab/kubetab/app/snapshot"
)

func TestGroupCounts(t *testing.T) {
	if s := groupCounts(snapshot.Owner{Kind: "ReplicationController", Desired: 3, Current: 3, Ready: 2}); s != "desired 3 · current 3 · ready 2" {
		t.Errorf("groupCounts %q", s)
	}
	if s := groupCounts(snapshot.Owner{Kind: "Job", Desired: 5, Current: 2, Ready: 1}); s != "completions 1/5 · active 2" {
		t.Errorf("job counts %q", s)
	}
	if s := groupCounts(snapshot.Owner{Kind: "ReplicaSet", Desired: -1, Pods: 2}); s != "2 pods (owner not found)" {
		t.Errorf("orphan counts %q", s)
	}
}
