package kubectl

import (
	"errors"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
)

// MaxFileSize caps a manifest read with -f, and any file or standard input a command reads.
const MaxFileSize = 1 << 20

// ErrFileTooLarge is wrapped by the error of an IO.ReadFile that stopped reading at
// MaxFileSize (the CLI's, so that `-f /dev/zero` fails at once): such an error is
// printed as it is. Its text is completed by the file's name:
// fmt.Errorf("the file %q is %w", name, ErrFileTooLarge).
var ErrFileTooLarge = errors.New("larger than kubetab's limit of 1 MiB")

// ErrStdinTooLarge is the error for standard input over MaxFileSize.
var ErrStdinTooLarge = errors.New("the input from STDIN is larger than kubetab's limit of 1 MiB")

// deprecatedResources are the warnings a v1.37 API server sends with every request for a
// resource it deprecated.
var deprecatedResources = map[string]string{
	"endpoints": "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice",
}

// requested prints the API server's warning about a request for res, once per command.
func (e *env) requested(res *api.Resource) {
	w, ok := deprecatedResources[res.Name]
	if !ok || e.warned[w] {
		return
	}
	if e.warned == nil {
		e.warned = map[string]bool{}
	}
	e.warned[w] = true
	e.errf("Warning: %s\n", w)
}

// createObject sends obj to the API server (engine/apiserver), in the namespace of -n when
// it names none, as kubectl's resource builder does.
func (e *env) createObject(obj api.Object) (api.Object, error) {
	r := api.ResourceFor(obj)
	if r != nil {
		e.requested(r)
	}
	if r != nil && r.Namespaced && obj.GetNamespace() == "" {
		obj = obj.DeepCopyObject().(api.Object)
		obj.SetNamespace(e.ns)
	}
	return e.api.Create(obj, apiserver.CreateOptions{})
}

// updateObject sends obj to the API server as the new version of old (whose namespace it
// takes, and whose resourceVersion when it names none).
func (e *env) updateObject(obj, old api.Object) (api.Object, error) {
	if r := api.ResourceFor(obj); r != nil {
		e.requested(r)
	}
	obj = obj.DeepCopyObject().(api.Object)
	obj.SetNamespace(old.GetNamespace())
	if obj.GetResourceVersion() == "" {
		obj.SetResourceVersion(old.GetResourceVersion())
	}
	return e.api.Update(obj, apiserver.UpdateOptions{HandOver: true})
}
