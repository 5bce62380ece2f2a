// Package smp is Kubernetes' strategic merge patch, driven by the Go API types' struct tags:
// the patch kubectl apply computes from the last-applied configuration, the new manifest and
// the live object (CreateThreeWayMergePatch), and the merge the API server does with it and
// with `kubectl patch --type strategic` (StrategicMergePatch).
//
// It follows k8s.io/apimachinery/pkg/util/strategicpatch (v0.37): maps merge recursively and
// null deletes a key; lists tagged `patchStrategy:"merge"` with a `patchMergeKey` merge by key,
// lists of scalars tagged merge are sets, other lists are replaced; `$patch`
// (replace|delete|merge), `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>` and
// `$retainKeys` directives are honoured and produced where kubectl produces them. The tests
// compare it with apimachinery's implementation. Where it parts from upstream it is kinder
// and says so: `$patch: merge` is accepted as the default it names, and a field the Go type
// does not know is merged as plain JSON (the caller's strict decoding then reports it) rather
// than failing the patch.
//
// Why it exists: strategicpatch's schema lookup pulls kube-openapi, gnostic and protobuf into
// the browser build (about 1 MB brotli). This package imports only the standard library; the
// struct tags of the types passed in are all the schema it needs.
//
// Like all of engine/ it does no I/O, reads no clock and starts no goroutines; the result of
// every call is a function of its arguments (map keys are visited in sorted order).
package smp
