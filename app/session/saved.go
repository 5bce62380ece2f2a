package session

import "time"

// savedPoll is how often Saved looks whether the saver caught up.
const savedPoll = 10 * time.Millisecond

// Saved returns once storage has every change made before the call: the journal
// compacted into cluster.json, and tab.json with the files, terminals and settings. It is
// what a page that must not lose a change waits for (the e2e tests before a reload), an
// observable end rather than a guess at how long a save takes. With nothing to save to
// (memory storage, a read-only one) or once a save failed (the "save" notice says so), it
// returns at once. It blocks: call it off the UI goroutine.
func (sh *Shell) Saved() {
	<-sh.ready
	sh.mu.Lock()
	cluster, tab := sh.clusterGen, sh.tabGen
	sh.mu.Unlock()
	for {
		sh.saveMu.Lock()
		sh.mu.Lock()
		done := sh.store == nil || sh.store.readOnly || sh.session == nil || sh.notices["save"] != "" ||
			sh.savedCluster >= cluster && sh.savedTab >= tab
		sh.mu.Unlock()
		sh.saveMu.Unlock()
		if done {
			return
		}
		sh.requestSave()
		time.Sleep(savedPoll)
	}
}
