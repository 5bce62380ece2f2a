// Package kubectl runs kubectl command lines against a simulated cluster, with real
// kubectl's flags, output and error texts (k8s.io/kubectl v1.37, api.Version, as the reference).
//
// Run is the entry point: it parses global and per-command flags the way pflag does,
// dispatches to one command (get, apply, create, replace, run, delete, describe, label,
// annotate, scale, expose, patch, edit, logs, exec, wait, explain, cordon, uncordon, drain,
// rollout, set, autoscale, top, kustomize, version, api-resources, cluster-info, config), prints errors as
// kubectl's CheckErr does, and settles the cluster so that controllers have reacted before
// it returns. A command may have subcommands, chosen by its first positional word as cobra
// does (`rollout status`, `set image`, `create deployment`, `create secret generic`);
// without one, a parent that has options of its own runs (`create -f`), one that only
// groups them prints its help.
//
// kustomize.go is kubectl's built-in kustomize, hand-written for the subset the docs use
// (resources, ConfigMap and Secret generators with kustomize v5's name hash, namespace,
// prefix and suffix, labels, annotations, images, replicas, references renamed): `kubectl
// kustomize DIR` prints what it builds, and -k gives it to every command that takes -f. It
// reads the kustomization's files through IO, as -f does.
//
// `create configmap` and `create secret generic|tls|docker-registry` (create_config.go)
// read the user's files through IO (a directory gives its regular files) and wrap the API
// server's errors as kubectl does (`error: failed to create configmap: ...`).
//
// Each command has, as in k8s.io/kubectl, an options struct into which its command line is
// read: every flag is declared once, with a pointer to its field (flags.go; the parser is
// kubetab's own, pflag's behaviour and errors), and the options are completed, validated and
// run. Its readOnly method says whether the command, as parsed, leaves the cluster as it is;
// ReadOnly answers that for a command line (the terminal journals only lines that change
// the cluster). The commands that act on objects named on the command line (get, describe,
// delete, patch, edit, label, annotate, scale, wait, rollout, set, autoscale) find them through one resource builder
// (builder.go, after cli-runtime's resource.Builder): files (-f, -R, directories, stdin),
// TYPE NAME..., TYPE/NAME..., TYPE1,TYPE2 and `all`, with -l, --field-selector, --all and
// -A, with kubectl's errors; each command then only says what it does with each object.
//
// kubectl here also plays the API server's request path for user writes (defaulting,
// validation, kubetab's size limits) before it writes to the store; controllers write to
// the store directly. Virtual time moves only where kubectl itself would block: wait,
// delete (which waits for the objects to be gone), rollout status (until the rollout is
// done, fails or its --timeout passes; without --timeout for the watch window), get
// --watch and logs -f (for a bounded window, DefaultWatchWindow or --request-timeout,
// announced on stderr; logs -f ends early when the followed containers stop). exec runs at
// once through the container's shell (kubelet.Manager.Exec) and exits with the command's
// status, as kubectl does.
//
// Rollouts (rollout.go, rollout_status.go, set.go) are kubectl's client-side half of a
// Deployment: rollout status prints its status viewer's line at each change of the object,
// rollout undo puts the template of a revision's ReplicaSet back into the Deployment itself
// (as kubectl does, with the Deployment controller's own Revision, EqualIgnoreHash and
// RollbackToTemplate), pause, resume, restart and set image, env and resources change the
// object and leave the rollout to the controller.
//
// Start is Run for a terminal where a person can press Ctrl-C: a watch, follow or rollout
// status does not move time but comes back as a Stream, which prints what changed each time
// its owner polls it (after each command, at each instant an advance passes through) until
// it ends by itself or is stopped. The bounded form is the same step run inside a fast-forward.
// A watch does not list its objects again at each look: from its start until it ends it
// notes the changes the cluster delivers (sim.Cluster.WatchUntilCancelled), so a look costs
// what changed since the last one.
//
// All I/O goes through IO: no os, no time.Now, no goroutines. The package imports engine/api,
// apiserver, store, sim, kubelet (for logs and exec), metrics (for top), controller/deployment (for its
// revision decisions) and kubectl/printers; nothing in engine imports it.
package kubectl
