// Package persist keeps a cluster across page reloads and CLI invocations.
//
// A cluster is stored as its recipe, not as its objects: the seed, the virtual start time
// and the journal of commands that changed it, each with the inputs it consumed (arguments,
// stdin, the files it read, the text the editor returned). The engine is deterministic, so
// replaying the journal on a fresh cluster with the same seed and start rebuilds the same
// state; engine/terminal does the replaying.
//
// A state directory holds one file, cluster.json, plus the previous version of it,
// cluster.json.prev. Save writes cluster.json.tmp, syncs it, moves the current file to
// .prev and renames the new one into place; Load reads cluster.json and falls back to
// .prev when the newest is missing or unreadable. A process killed at any point of a Save,
// or a file cut short at any byte, therefore never leaves a directory that fails to load:
// Load returns either the old state or the new one.
//
// Everything goes through hackpadfs interfaces: IndexedDB in the browser, the OS file
// system for the CLI, memory in tests. The persisttest package is the conformance suite
// each backend must pass. persist imports nothing from the rest of the engine.
package persist
