// Package session is the tab's session around engine/terminal's: the terminal's transcript
// and prompt (a typed line, a continued here-document, a command that streams until
// Ctrl-C), the workspace files kubectl reads (Workspace), the virtual clock that follows
// the wall clock while playing (the time loop), saving to storage and bundles (Storage,
// Export, Import; Saved waits for storage to have every change), share bundles
// (ShareBundle, ReplayShare: a replay that shows its progress, can be cancelled and is
// bounded in virtual time and steps, share.go), lessons' progress, and the
// journal's log that keeps each command before its result is shown (journal.go), the
// contexts (context.go): the playground, each lesson and each shared link opened have a
// cluster, workspace, transcript, command history and editor draft of their own (Open).
// Every caller (the page, the JS API, the embed widget, lessons) goes through one Shell,
// so they share one cluster and one transcript at a time. The terminal has tabs (tabs.go):
// each a terminal of the session with its own shell, transcript and history over the same
// cluster, all saved; what a background job (`kubectl get -w &`) prints while no line
// runs shows in its tab.
//
// The browser's halves sit behind `//go:build js && wasm` with a native twin where native
// code needs one: the animation-frame clock and the turns a long command gives the page
// (timeloop_wasm.go), IndexedDB and the one-writer Web Lock (storage_wasm.go), and
// window.kubetab (jsapi_wasm.go). Tests run natively, with memory storage.
//
// Locks. One goroutine, the session goroutine, runs every command and clock tick in order
// (jobs); readers take the Shell's mu for a moment. There are six locks and one order:
//
//	Shell.saveMu      one save at a time (the saver's, a context switch's, a command's
//	                  append to the journal's log: journal.go) and the generations and
//	                  log records saved; held while storage writes, never while waiting
//	                  for mu's holder to need it
//	Shell.progMu      the lessons' progress; held while storage reads or writes it
//	Shell.mu          the session's state and its cluster; held by the session goroutine
//	                  while it works (let go for the page's turns and while `kubectl
//	                  edit` waits for the editor), by readers for a moment
//	Workspace.mu      the files; taken under Shell.mu when a command reads a file, and
//	                  never held while taking Shell.mu (a change is told after it is let go)
//	jobs.mu           the work queue; a leaf
//	changes.mu        the listeners; a leaf
//
// so saveMu and progMu come before Shell.mu, Shell.mu before Workspace.mu, and the two
// leaves are held with no other lock. Listeners are told of changes with no lock held:
// they may read the shell.
//
// It must not import go-app nor anything of app/ but app/browser: the page's
// components (app/ui) use it, never the reverse. Cluster (cluster.go) is the one
// name of the engine's cluster type in app/.
package session
