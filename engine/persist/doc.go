// Package persist keeps a cluster across page reloads and CLI invocations.
//
// A cluster is stored as its recipe: the seed, the virtual start time and the journal of
// commands that changed it, each with the inputs it consumed (arguments, stdin, the files it
// read, the text the editor returned). The engine is deterministic, so replaying the journal
// on a fresh cluster with the same seed and start rebuilds the same state; engine/terminal
// does the replaying. Once the journal is long, a State also holds a Snapshot of the cluster
// (format 2): the engine's own bytes, which persist stores gzip-compressed, and the journal
// it stands for; Journal is then only what came after it, which is all a load replays. A
// state without a snapshot is written as format 1, as before snapshots.
//
// A state directory holds one file, cluster.json, plus the previous version of it,
// cluster.json.prev. Save copies the current file to .prev, then writes the new state to a
// temporary file, syncs it, renames it over cluster.json and syncs the directory, so that
// cluster.json is whole at every instant: a process killed at any point of a Save never
// leaves a directory that fails to load, and Load returns either the old state or the new
// one.
//
// Failures are loud: Load reads cluster.json alone, and a cluster.json that exists but
// cannot be read or parsed (or is missing while .prev exists) is an *UnreadableError, never
// a silent fall back to the older .prev. Save refuses to replace what Load cannot read
// unless told to (kubetab reset). Restoring .prev is the user's decision (LoadPrevious).
// One writer at a time is the caller's business: the CLI holds an OS lock on the directory
// for a whole load-run-save, and gives its temporary files a name of its own.
//
// Everything goes through hackpadfs interfaces: IndexedDB in the browser, the OS file
// system for the CLI, memory in tests. The persisttest package is the conformance suite
// each backend must pass. persist imports nothing from the rest of the engine.
package persist
