// Package snapshot is what the page reads of the cluster, copied out under the session's
// lock (session.Shell.View) so that rendering never touches the engine: a Snapshot of the
// nodes, pods, controllers and events for the cluster view, the timeline and completion,
// taken anew only when the store's resourceVersion moved and from the previous one (a
// node's list of pods none of which changed is handed on as it was; the timeline's newest
// events come from a watch of events, kubectl get -w's kind), and the side panel's text
// (describe, YAML and events through kubectl's own read-only commands, cached by
// resourceVersion).
//
// It reads the engine (the store, kubectl's printers, the kubelet's stopped nodes) and must
// not import go-app: app/ui renders what it returns. Take and PanelText are, with
// app/session, the places app/ reads the engine's cluster.
package snapshot
