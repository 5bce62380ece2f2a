// Package apiservertest helps tests that play a component the cluster under test lacks (a
// scheduler, a kubelet) write what that component would write.
package apiservertest

import (
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
)

// Write stores obj whole over the stored version, as the writers of a real cluster would
// among them: a pod that names a node for the first time is bound (the scheduler), metadata
// and spec go through the main resource (a user), the status through the status
// subresource (the kubelet or a controller). Each write is unconditional. It returns the
// stored object.
func Write(tb testing.TB, client *apiserver.Client, obj api.Object) api.Object {
	tb.Helper()
	obj = obj.DeepCopyObject().(api.Object)
	obj.SetResourceVersion("")
	if p, ok := obj.(*corev1.Pod); ok && p.Spec.NodeName != "" {
		if cur, ok := client.Store().Lookup(api.ResourceFor(p), p.Namespace, p.Name).(*corev1.Pod); ok && cur.Spec.NodeName == "" {
			if _, err := client.Bind(p.Namespace, p.Name, "", p.Spec.NodeName); err != nil {
				tb.Fatal(err)
			}
		}
	}
	out, err := client.Update(obj, apiserver.UpdateOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	if apiserver.StatusOf(obj) != nil {
		if out, err = client.UpdateStatus(obj, apiserver.UpdateOptions{}); err != nil {
			tb.Fatal(err)
		}
	}
	return out
}
