//go:build !wasm

package lessons

import (
	"encoding/json"
	"testing"
)

// The shipped lessons form two tracks: the book's chapter 4 and Kubernetes basics, one
// lesson per module of the retired kubernetes.io tutorial.
func TestShippedTracks(t *testing.T) {
	var list []Info
	if err := json.Unmarshal(Index("../../public/tutorials"), &list); err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	var order []string
	for _, tr := range Tracks(list) {
		order = append(order, tr.Title)
		count[tr.Title] = len(tr.Lessons)
	}
	if len(order) != 2 || order[0] != "Kubernetes in Action, chapter 4" || order[1] != "Kubernetes basics" {
		t.Fatalf("tracks %q", order)
	}
	if count["Kubernetes basics"] != 6 {
		t.Errorf("Kubernetes basics has %d lessons, want 6", count["Kubernetes basics"])
	}
}
