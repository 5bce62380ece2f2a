package kubectl

import (
	"bytes"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/kubectl/printers"
	"github.com/kubetab/kubetab/engine/store"
)

type describeOptions struct {
	plainArgs
	resourceFlags
	ShowEvents bool
}

var describeCommand = &command{
	name:  "describe",
	short: "Show details of a specific resource or group of resources",
	usage: "describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]",
	options: func(fs *flagSet) commandOptions {
		o := &describeOptions{}
		o.filenameFlags.add(fs)
		fs.Bool(&o.ShowEvents, "show-events", "", true)
		o.addLabelSelector(fs)
		o.addFieldSelector(fs)
		o.addAllNamespaces(fs)
		return o
	},
}

func (o *describeOptions) readOnly() bool { return true }

func (o *describeOptions) validate(*env) error {
	if len(o.args) == 0 && !o.given() {
		return &rawError{"You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nSee 'kubectl describe -h' for help and examples\n"}
	}
	return nil
}

func (o *describeOptions) run(e *env) error {
	r, err := e.resources(resourceRequest{resourceFlags: o.resourceFlags, args: o.args, listBare: true})
	if err != nil {
		return err
	}
	var objs []api.Object
	var errs []error
	for _, info := range r.infos {
		if info.err == nil {
			objs = append(objs, info.obj)
			continue
		}
		// kubectl describe falls back to every object whose name starts with the argument
		// (`kubectl describe pods kubia`).
		if apierrors.IsNotFound(info.err) && len(o.args) == 2 && info.res != nil {
			if matched := e.namePrefixed(info.res, info.name); len(matched) > 0 {
				objs = append(objs, matched...)
				continue
			}
		}
		errs = append(errs, info.err)
	}
	if len(objs) == 0 && len(errs) == 0 {
		e.errf("%s\n", printers.NoResourcesMessage(e.noResourcesNamespace(r), o.AllNamespaces))
		return nil
	}
	for i, obj := range objs {
		var buf bytes.Buffer
		if err := printers.Describe(&buf, obj, e.describeContext(obj, o.ShowEvents)); err != nil {
			errs = append(errs, err)
			continue
		}
		if i > 0 {
			e.out("\n\n")
		}
		e.io.Out.Write(buf.Bytes())
	}
	return asError(errs)
}

// namePrefixed lists the objects of a resource in the namespace whose name starts with prefix.
func (e *env) namePrefixed(res *api.Resource, prefix string) []api.Object {
	list, err := e.list(res, false, "", "")
	if err != nil {
		return nil
	}
	var matched []api.Object
	for _, o := range list {
		if strings.HasPrefix(o.GetName(), prefix) {
			matched = append(matched, o)
		}
	}
	return matched
}

// describeContext gathers what describe shows besides the object: its events, and the pods,
// jobs or replica sets that belong to it.
func (e *env) describeContext(obj api.Object, showEvents bool) printers.DescribeContext {
	d := printers.DescribeContext{Now: e.c.Now()}
	if showEvents {
		d.Events = e.eventsFor(obj)
	}
	pods := api.ResourceByName("pods")
	podsMatching := func(ns string, sel labels.Selector) {
		if sel == nil || sel.Empty() {
			return
		}
		list, _ := e.c.Store.List(pods, ns, store.ListOptions{Labels: sel})
		for _, p := range list {
			d.Pods = append(d.Pods, p.(*corev1.Pod))
		}
	}
	switch o := obj.(type) {
	case *corev1.ReplicationController:
		podsMatching(o.Namespace, labels.SelectorFromSet(o.Spec.Selector))
	case *corev1.Service:
		list, _ := e.c.Store.List(api.ResourceByName("endpointslices"), o.Namespace, store.ListOptions{
			Labels: labels.SelectorFromSet(labels.Set{discoveryv1.LabelServiceName: o.Name})})
		for _, s := range list {
			d.EndpointSlices = append(d.EndpointSlices, s.(*discoveryv1.EndpointSlice))
		}
	case *appsv1.ReplicaSet:
		if s, err := metav1.LabelSelectorAsSelector(o.Spec.Selector); err == nil {
			podsMatching(o.Namespace, s)
		}
	case *appsv1.DaemonSet:
		if s, err := metav1.LabelSelectorAsSelector(o.Spec.Selector); err == nil {
			podsMatching(o.Namespace, s)
		}
	case *corev1.Node:
		e.c.Store.Each(pods, "", func(p api.Object) bool {
			if pod := p.(*corev1.Pod); pod.Spec.NodeName == o.Name {
				d.Pods = append(d.Pods, pod)
			}
			return true
		})
	case *appsv1.Deployment:
		for _, dep := range e.c.Store.Dependents(o.UID) {
			if rs, ok := dep.(*appsv1.ReplicaSet); ok {
				d.ReplicaSets = append(d.ReplicaSets, rs)
			}
		}
	case *batchv1.CronJob:
		for _, dep := range e.c.Store.Dependents(o.UID) {
			if j, ok := dep.(*batchv1.Job); ok {
				d.Jobs = append(d.Jobs, j)
			}
		}
	}
	return d
}

// eventsFor returns the events about obj: matched by uid, and for cluster-scoped objects
// (whose events the kubelet and node controller record with the name as uid) also by kind and
// name, in any namespace.
func (e *env) eventsFor(obj api.Object) []*corev1.Event {
	events := api.ResourceByName("events")
	r := api.ResourceFor(obj)
	var out []*corev1.Event
	ns := obj.GetNamespace()
	clusterScoped := r != nil && !r.Namespaced
	if clusterScoped {
		ns = ""
	}
	e.c.Store.Each(events, ns, func(o api.Object) bool {
		ev := o.(*corev1.Event)
		io := ev.InvolvedObject
		switch {
		case io.UID != "" && io.UID == obj.GetUID():
			out = append(out, ev)
		case clusterScoped && r != nil && io.Kind == r.Kind && io.Name == obj.GetName():
			out = append(out, ev)
		}
		return true
	})
	return out
}
