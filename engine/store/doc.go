// Package store is kubetab's API object store: what etcd and the API server's watch cache
// are to a real cluster.
//
// It keeps every object of one cluster in tables per resource and namespace, numbers
// versions with resourceVersions, answers reads (Get, Lookup, List, Each, Count, label and
// field selection, deterministic name order), keeps an index of owner references
// (Dependents) and queues the watch events that the simulation drains.
//
// Reads are the Store's; writes are its Writer's, which New hands out once and the API
// server (engine/apiserver) alone holds: defaulting, validation, identity, graceful
// deletion, finalizers and admission all happen there, before a version reaches the store.
// A test (engine/rules) checks that nothing else writes.
//
// Dump and Restore (restore.go) hand the objects over to a snapshot and back: a restored
// store queues an Added event for each object, as informers list what exists.
//
// Events, most of a big cluster's objects, are kept packed once there are many
// (packed.go): a read unpacks a new Event equal to the one stored, so an event read twice
// is two objects, equal but not the same. Events do not count against MaxObjects; they
// have a budget of their own (engine/events).
//
// Objects handed out are shared with the store and must never be mutated: DeepCopy,
// change, then write through the API server. Errors are apimachinery's StatusErrors
// (NotFound, AlreadyExists, Forbidden), so kubectl prints them as it prints a real API
// server's. The store imports engine/api only for the resource table.
package store
