package api

import (
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Object is what the store holds: every API type has both object metadata and a kind.
type Object interface {
	metav1.Object
	runtime.Object
}

// Resource describes one API resource the cluster serves, as `kubectl api-resources` lists it.
type Resource struct {
	// Name is the plural, lower-case resource name used in URLs and errors ("replicasets").
	Name string
	// Singular is the lower-case singular name ("replicaset").
	Singular   string
	ShortNames []string
	Group      string
	Version    string
	Kind       string
	Namespaced bool
	// New returns an empty object of this resource's Go type.
	New   func() Object
	Verbs []string
}

// GroupResource is the group-qualified resource used in API errors ("replicasets.apps").
func (r *Resource) GroupResource() schema.GroupResource {
	return schema.GroupResource{Group: r.Group, Resource: r.Name}
}

// GroupVersionKind of the current (served) version.
func (r *Resource) GroupVersionKind() schema.GroupVersionKind {
	return schema.GroupVersionKind{Group: r.Group, Version: r.Version, Kind: r.Kind}
}

// APIVersion as written in manifests ("apps/v1", "v1").
func (r *Resource) APIVersion() string {
	return r.GroupVersionKind().GroupVersion().String()
}

// FullName is the name kubectl uses in messages such as `replicaset.apps/kubia created`.
func (r *Resource) FullName() string {
	if r.Group == "" {
		return r.Singular
	}
	return r.Singular + "." + r.Group
}

var allVerbs = []string{"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"}

// resources is the table of everything kubetab serves, in `kubectl api-resources` order.
var resources = []*Resource{
	{Name: "events", Singular: "event", ShortNames: []string{"ev"}, Version: "v1", Kind: "Event", Namespaced: true, New: func() Object { return &corev1.Event{} }},
	{Name: "namespaces", Singular: "namespace", ShortNames: []string{"ns"}, Version: "v1", Kind: "Namespace", New: func() Object { return &corev1.Namespace{} }, Verbs: []string{"create", "delete", "get", "list", "patch", "update", "watch"}},
	{Name: "nodes", Singular: "node", ShortNames: []string{"no"}, Version: "v1", Kind: "Node", New: func() Object { return &corev1.Node{} }},
	{Name: "pods", Singular: "pod", ShortNames: []string{"po"}, Version: "v1", Kind: "Pod", Namespaced: true, New: func() Object { return &corev1.Pod{} }},
	{Name: "replicationcontrollers", Singular: "replicationcontroller", ShortNames: []string{"rc"}, Version: "v1", Kind: "ReplicationController", Namespaced: true, New: func() Object { return &corev1.ReplicationController{} }},
	{Name: "configmaps", Singular: "configmap", ShortNames: []string{"cm"}, Version: "v1", Kind: "ConfigMap", Namespaced: true, New: func() Object { return &corev1.ConfigMap{} }},
	{Name: "secrets", Singular: "secret", Version: "v1", Kind: "Secret", Namespaced: true, New: func() Object { return &corev1.Secret{} }},
	//lint:ignore SA1019 v1 Endpoints are deprecated and still served
	{Name: "endpoints", Singular: "endpoints", ShortNames: []string{"ep"}, Version: "v1", Kind: "Endpoints", Namespaced: true, New: func() Object { return &corev1.Endpoints{} }},
	{Name: "services", Singular: "service", ShortNames: []string{"svc"}, Version: "v1", Kind: "Service", Namespaced: true, New: func() Object { return &corev1.Service{} }},
	{Name: "daemonsets", Singular: "daemonset", ShortNames: []string{"ds"}, Group: "apps", Version: "v1", Kind: "DaemonSet", Namespaced: true, New: func() Object { return &appsv1.DaemonSet{} }},
	{Name: "deployments", Singular: "deployment", ShortNames: []string{"deploy"}, Group: "apps", Version: "v1", Kind: "Deployment", Namespaced: true, New: func() Object { return &appsv1.Deployment{} }},
	{Name: "replicasets", Singular: "replicaset", ShortNames: []string{"rs"}, Group: "apps", Version: "v1", Kind: "ReplicaSet", Namespaced: true, New: func() Object { return &appsv1.ReplicaSet{} }},
	{Name: "horizontalpodautoscalers", Singular: "horizontalpodautoscaler", ShortNames: []string{"hpa"}, Group: "autoscaling", Version: "v2", Kind: "HorizontalPodAutoscaler", Namespaced: true, New: func() Object { return &autoscalingv2.HorizontalPodAutoscaler{} }},
	{Name: "cronjobs", Singular: "cronjob", ShortNames: []string{"cj"}, Group: "batch", Version: "v1", Kind: "CronJob", Namespaced: true, New: func() Object { return &batchv1.CronJob{} }},
	{Name: "jobs", Singular: "job", Group: "batch", Version: "v1", Kind: "Job", Namespaced: true, New: func() Object { return &batchv1.Job{} }},
	{Name: "endpointslices", Singular: "endpointslice", Group: "discovery.k8s.io", Version: "v1", Kind: "EndpointSlice", Namespaced: true, New: func() Object { return &discoveryv1.EndpointSlice{} }},
}

func init() {
	for _, r := range resources {
		if r.Verbs == nil {
			r.Verbs = allVerbs
		}
	}
}

// Resources lists every served resource in `kubectl api-resources` order.
func Resources() []*Resource { return resources }

// LookupResource resolves what a user may type for a resource: plural, singular, short name,
// kind, optionally group-qualified ("rs", "replicaset", "replicasets.apps", "ReplicaSet") or
// version- and group-qualified ("deployment.v1.apps", as the docs write it; "pods.v1." for
// the core group), as schema.ParseResourceArg reads it. It returns nil when nothing matches.
func LookupResource(typed string) *Resource {
	typed = strings.ToLower(typed)
	if parts := strings.SplitN(typed, ".", 3); len(parts) == 3 {
		if r := lookupResource(parts[0], func(r *Resource) bool { return r.Version == parts[1] && r.Group == parts[2] }); r != nil {
			return r
		}
	}
	name, group, qualified := strings.Cut(typed, ".")
	return lookupResource(name, func(r *Resource) bool { return !qualified || r.Group == group })
}

// lookupResource finds the resource called name among those in.
func lookupResource(name string, in func(*Resource) bool) *Resource {
	for _, r := range resources {
		if !in(r) {
			continue
		}
		if name == r.Name || name == r.Singular || name == strings.ToLower(r.Kind) {
			return r
		}
		for _, s := range r.ShortNames {
			if name == s {
				return r
			}
		}
	}
	return nil
}

// ResourceForKind finds the resource of a served kind ("Pod"), or nil.
func ResourceForKind(kind string) *Resource {
	for _, r := range resources {
		if r.Kind == kind {
			return r
		}
	}
	return nil
}

// ResourceFor returns the resource of a typed object, by its Go type. Objects of unknown
// types (never stored) give nil.
func ResourceFor(obj runtime.Object) *Resource {
	switch obj.(type) {
	case *corev1.Event:
		return resourceByName["events"]
	case *corev1.Namespace:
		return resourceByName["namespaces"]
	case *corev1.Node:
		return resourceByName["nodes"]
	case *corev1.Pod:
		return resourceByName["pods"]
	case *corev1.ReplicationController:
		return resourceByName["replicationcontrollers"]
	case *corev1.ConfigMap:
		return resourceByName["configmaps"]
	case *corev1.Secret:
		return resourceByName["secrets"]
	case *corev1.Service:
		return resourceByName["services"]
	//lint:ignore SA1019 v1 Endpoints are deprecated and still served
	case *corev1.Endpoints:
		return resourceByName["endpoints"]
	case *discoveryv1.EndpointSlice:
		return resourceByName["endpointslices"]
	case *appsv1.DaemonSet:
		return resourceByName["daemonsets"]
	case *appsv1.Deployment:
		return resourceByName["deployments"]
	case *appsv1.ReplicaSet:
		return resourceByName["replicasets"]
	case *autoscalingv2.HorizontalPodAutoscaler:
		return resourceByName["horizontalpodautoscalers"]
	case *batchv1.CronJob:
		return resourceByName["cronjobs"]
	case *batchv1.Job:
		return resourceByName["jobs"]
	}
	return nil
}

// ResourceByName returns the resource with exactly this plural name, or nil.
func ResourceByName(plural string) *Resource { return resourceByName[plural] }

var resourceByName = func() map[string]*Resource {
	m := map[string]*Resource{}
	for _, r := range resources {
		m[r.Name] = r
	}
	return m
}()

// ResourceNames lists the plural names, sorted, for completion and error hints.
func ResourceNames() []string {
	var names []string
	for _, r := range resources {
		names = append(names, r.Name)
	}
	sort.Strings(names)
	return names
}

// SetTypeMeta fills apiVersion and kind from the object's Go type; the store keeps them set
// so that output (-o yaml) and owner references always carry them.
func SetTypeMeta(obj Object) {
	if r := ResourceFor(obj); r != nil {
		obj.GetObjectKind().SetGroupVersionKind(r.GroupVersionKind())
	}
}
