// Package garbagecollector is the garbage collector and the namespace controller of
// kubetab's control plane.
//
// The garbage collector implements cascading deletion through ownerReferences, with
// upstream's semantics (pkg/controller/garbagecollector):
//   - Background (the default): once an owner is gone, its dependents are deleted; a dependent
//     that still has other, existing owners only loses the dangling reference.
//   - Foreground: an owner with deletionTimestamp and the `foregroundDeletion` finalizer has its
//     dependents deleted (those that have dependents of their own in foreground too); its
//     finalizer goes once no dependent with blockOwnerDeletion is left.
//   - Orphan: an owner with the `orphan` finalizer has the reference to it removed from every
//     dependent, then loses the finalizer.
//
// It works only from watch events (Old and new object) and store.Dependents(uid): no periodic
// scans. Work items are keys naming an action and an object with its uid.
//
// The namespace controller (pkg/controller/namespace) empties a namespace that is being
// deleted: phase Terminating, every namespaced object in it deleted, then the `kubernetes`
// entry of spec.finalizers removed so that the store can drop the namespace.
//
// It imports sim, store and api; never other controllers.
package garbagecollector
