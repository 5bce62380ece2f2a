package kubectl

import (
	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
)

// MaxFileSize caps a manifest read with -f.
const MaxFileSize = 1 << 20

// createObject sends obj to the API server (engine/apiserver), in the namespace of -n when
// it names none, as kubectl's resource builder does.
func (e *env) createObject(obj api.Object) (api.Object, error) {
	if r := api.ResourceFor(obj); r != nil && r.Namespaced && obj.GetNamespace() == "" {
		obj = obj.DeepCopyObject().(api.Object)
		obj.SetNamespace(e.ns)
	}
	return e.api.Create(obj, apiserver.CreateOptions{})
}

// updateObject sends obj to the API server as the new version of old (whose namespace it
// takes, and whose resourceVersion when it names none).
func (e *env) updateObject(obj, old api.Object) (api.Object, error) {
	obj = obj.DeepCopyObject().(api.Object)
	obj.SetNamespace(old.GetNamespace())
	if obj.GetResourceVersion() == "" {
		obj.SetResourceVersion(old.GetResourceVersion())
	}
	return e.api.Update(obj, apiserver.UpdateOptions{HandOver: true})
}
