package session

import (
	"testing"

	"github.com/kubetab/kubetab/engine/terminal"
)

// Saved returns once storage has what was changed before it: a shell started on the same
// storage right after finds the change.
func TestSavedWaitsForTheSave(t *testing.T) {
	store := memStorage(t)
	sh := New()
	sh.Start(store, terminal.Options{}, nil)
	sh.Exec("kubectl create namespace kept")
	sh.Files().Write("kept.txt", "x")
	sh.Saved()
	tab, found, err := store.loadTab()
	if err != nil || !found || string(tab.Files["kept.txt"]) != "x" {
		t.Fatalf("tab.json after Saved: %v %v %v", found, err, tab.Files)
	}
	again := New()
	again.Start(store, terminal.Options{}, nil)
	if out, code := again.Exec("kubectl get ns kept -o name"); code != 0 {
		t.Fatalf("after a reload: %d %q", code, out)
	}
	// Nothing to save to: at once.
	startedShell(t).Saved()
}
