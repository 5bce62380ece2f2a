// Package complete is the terminal's Tab completion: pure functions over the line, the
// cursor and a source of names (Line), so that tests run natively. engine/terminal finds
// the word under the cursor; this package decides what may go there: commands, kubectl's
// verbs and flags, resource types, and the names of pods, nodes, namespaces, controllers
// and workspace files.
//
// It reads engine/api's resource table and engine/terminal's word rules, and must not
// import go-app, the session or the engine's cluster: the caller hands it the names.
package complete
