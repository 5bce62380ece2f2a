// Package widget is the embed widget's side of the page (/embed): a compact terminal and
// cluster view for an iframe in documentation, configured by URL parameters (ParseConfig)
// and driven by the host page through postMessage (Start, protocol_wasm.go; the protocol is
// in docs/embed.md).
//
//	theme=light|dark     colours (dark by default)
//	readonly=1           no prompt: only the host page runs commands
//	editor=1             show the workspace and the editor too
//	strict=1             answer exactly as a real cluster does (kubetab's strict mode)
//	run=LINE             a line to run at start (repeatable, in order)
//	file=NAME, text=T    a workspace file and its text (repeatable, paired in order)
//	bundle=ENCODED       a share bundle (in the query or the fragment): its seed, start,
//	                     files and history
//	origins=O1,O2        host page origins allowed to send messages (the widget's own
//	                     origin always is)
//
// The widget's cluster lives in memory: it is never saved and never touches the storage
// of the playground on the same site. The page itself (app/ui's embedPage) reads
// the same Config to lay itself out.
//
// It drives a session.Shell and must not import go-app: nothing here is a component.
package widget
