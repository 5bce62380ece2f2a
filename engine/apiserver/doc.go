// Package apiserver is kubetab's API server: the one request path every write takes, from
// kubectl, the controllers, the scheduler, the kubelets, the node operations and the event
// recorder alike.
//
// A write is made through a Client, named for who writes ("kubectl",
// "replicaset-controller", "kubelet/worker-1"): Create, Update (the main resource),
// UpdateStatus (the status subresource), Delete, and the subresources Bind (pods/binding)
// and Finalize (namespaces/finalize). Each goes through what a real API server does:
//
//   - defaulting (api.Default);
//   - mutating admission: NamespaceLifecycle (content only in a namespace that exists and
//     is not terminating), DefaultTolerationSeconds, ServiceAccount and Priority for pods;
//   - the kind's strategy (strategy.go): PrepareForCreate (a new object's status is the
//     server's: a pod starts Pending with its QoS class), PrepareForUpdate (a main-resource
//     write keeps the stored status; a status write keeps the stored spec and metadata),
//     the generation that moves when the spec changes (ConfigMaps and Secrets have none),
//     the DaemonSet template generation,
//     the Job selector that needs the new uid;
//   - identity: generated names and uids, drawn from the client's own random streams
//     ("names/<client>", "uids/<client>"), so that one component's extra draw renames
//     nothing another makes; creationTimestamp; optimistic concurrency on resourceVersion;
//   - validation with the API server's messages (api.ValidateCreate, api.ValidateUpdate);
//   - for Services, the registry's allocation (services.go): a cluster IP from ServiceCIDR
//     and node ports from NodePortMin-NodePortMax, drawn at random from streams of their
//     own or checked when asked for, with the API server's messages; updates keep what
//     they leave out, and what a type no longer needs is dropped and freed;
//   - kubetab's own admission: the pod budget (MaxPods, DefaultMaxPods per platform),
//     which refuses an object asking for more pods than it holds and a pod past it;
//   - graceful deletion, finalizers and propagation policies;
//   - then the store, through the store.Writer that only this package holds.
//
// Errors are apimachinery's StatusErrors, so kubectl prints them as it prints a real API
// server's. Every method may return NotFound, Conflict (resourceVersion or uid
// preconditions), Invalid (validation, limits), Forbidden (a terminating namespace, the
// pod budget, the store's object cap) and, for Create, AlreadyExists.
//
// A HandOver option lets a controller give the server an object it built for one write, so
// that the busiest writes (the kubelet's status, the Job controller's pods) are not copied
// twice. Objects the store hands out are shared and never mutated.
//
// apiserver imports api, store and clock (its TokenBucket, for clients' rate limits);
// nothing in it reads the wall clock or starts goroutines.
package apiserver
