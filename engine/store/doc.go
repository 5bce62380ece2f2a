// Package store is kubetab's API object store: what etcd and the API server's generic
// registry are to a real cluster.
//
// It owns object identity and lifecycle metadata (uid, resourceVersion, generation,
// creationTimestamp, generateName, deletionTimestamp, finalizers, graceful deletion),
// namespaces' existence, label and field selection, optimistic concurrency, an index of
// owner references, and the stream of watch events. Errors are apimachinery's StatusErrors
// (NotFound, AlreadyExists, Conflict, Invalid, Forbidden), so kubectl prints them exactly as it
// prints a real API server's.
//
// Objects handed out by Get and List are shared with the store and must never be mutated:
// DeepCopy, change, then Update. Create and Update copy what they are given.
//
// Defaulting and validation belong to engine/api; the store calls an admission hook that the
// cluster wiring supplies. The store imports engine/api only for the resource table.
package store
