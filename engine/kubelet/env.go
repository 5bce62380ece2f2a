package kubelet

import (
	"fmt"
	"maps"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// configRetry is how soon the kubelet tries again to create a container whose
// configuration failed (the pod worker's back-off after a sync error).
const configRetry = 10 * time.Second

// configure resolves container i's environment and argv before it is created, as
// generateContainerConfig does. A missing ConfigMap or Secret, or a missing key (unless the
// reference is optional), leaves the container waiting in CreateContainerConfigError with a
// Warning `Failed` event; the kubelet tries again every configRetry, pulling (or finding)
// the image again as the real one does.
func (r *podRuntime) configure(i int) bool {
	c := r.containers[i]
	env, err := r.containerEnvironment(c.spec)
	if err == nil {
		c.env = env
		return true
	}
	c.setWaiting("CreateContainerConfigError", err.Error())
	r.k.rec.ContainerEventf(r, r.fieldPath(c), corev1.EventTypeWarning, "Failed", "Error: %s", err.Error())
	r.writeStatus()
	r.afterContainer(c, configRetry, "config", func() {
		if c.state == stateWaiting && c.waitingReason == "CreateContainerConfigError" && !r.killing {
			r.pull(i, false)
		}
	})
	return false
}

// afterContainer runs fn after d on container c's own timer (its program's wake-up timer,
// idle while the container is not running); like the pod's steps it waits while the
// kubelet is down.
func (r *podRuntime) afterContainer(c *containerRuntime, d time.Duration, what string, fn func()) {
	clk := r.k.m.c.Clock
	if c.wake.Pending() {
		clk.Stop(c.wake)
	}
	c.wake = clk.At(r.now().Add(d), r.timerLabel(what, c.spec.Name, ""), func() {
		c.wake = nil // as r.step's (schedule)
		if r.gone {
			return
		}
		if r.k.stopped {
			r.stall(fn)
			return
		}
		fn()
	})
}

// latestPod is the pod as the API server has it now (labels and annotations may have
// changed since admission), or the admitted copy.
func (r *podRuntime) latestPod() *corev1.Pod {
	if p, err := r.currentPod(); err == nil {
		return p
	}
	return r.pod
}

// containerEnvironment is the environment a container starts with, as makeEnvironmentVariables
// builds it: envFrom sources in order, then env in order (later names win), each value
// with $(VAR) references to the variables defined before it expanded. envFrom takes every
// key of a ConfigMap or Secret: since relaxed environment variable names (on by default
// from v1.32) every data key is a valid name, and the kubelet no longer skips any.
func (r *podRuntime) containerEnvironment(spec *corev1.Container) (map[string]string, error) {
	pod := r.latestPod()
	optional := func(p *bool) bool { return p != nil && *p }
	env := r.serviceEnvironment(pod)
	if len(spec.EnvFrom) == 0 && len(spec.Env) == 0 {
		return env, nil // shared, read only
	}
	env = maps.Clone(env)
	for _, from := range spec.EnvFrom {
		switch {
		case from.ConfigMapRef != nil:
			cm, err := r.configMap(from.ConfigMapRef.Name)
			if err != nil {
				if optional(from.ConfigMapRef.Optional) {
					continue
				}
				return nil, err
			}
			for k, v := range cm.Data {
				env[from.Prefix+k] = v
			}
		case from.SecretRef != nil:
			s, err := r.secret(from.SecretRef.Name)
			if err != nil {
				if optional(from.SecretRef.Optional) {
					continue
				}
				return nil, err
			}
			for k, v := range s.Data {
				env[from.Prefix+k] = string(v)
			}
		}
	}
	for _, e := range spec.Env {
		val := e.Value
		if val != "" {
			val = expandVars(val, env)
		}
		if src := e.ValueFrom; src != nil {
			var err error
			switch {
			case src.FieldRef != nil:
				val, err = r.fieldRefValue(pod, src.FieldRef.FieldPath)
			case src.ResourceFieldRef != nil:
				val, err = r.resourceFieldValue(spec, src.ResourceFieldRef)
			case src.ConfigMapKeyRef != nil:
				ref := src.ConfigMapKeyRef
				var found bool
				val, found, err = r.keyValue("ConfigMap", ref.Name, ref.Key, optional(ref.Optional))
				if err == nil && !found {
					continue
				}
			case src.SecretKeyRef != nil:
				ref := src.SecretKeyRef
				var found bool
				val, found, err = r.keyValue("Secret", ref.Name, ref.Key, optional(ref.Optional))
				if err == nil && !found {
					continue
				}
			}
			if err != nil {
				return nil, err
			}
		}
		env[e.Name] = val
	}
	return env, nil
}

// keyValue is the value of a ConfigMap's (kind "ConfigMap") or a Secret's key for env;
// found is false when an optional reference finds nothing.
func (r *podRuntime) keyValue(kind, name, key string, optional bool) (string, bool, error) {
	var v string
	ok := false
	var err error
	if kind == "ConfigMap" {
		var cm *corev1.ConfigMap
		if cm, err = r.configMap(name); err == nil {
			v, ok = cm.Data[key]
		}
	} else {
		var s *corev1.Secret
		if s, err = r.secret(name); err == nil {
			var b []byte
			b, ok = s.Data[key]
			v = string(b)
		}
	}
	if err == nil && !ok {
		err = fmt.Errorf("couldn't find key %s in %s %s/%s", key, kind, r.pod.Namespace, name)
	}
	if err != nil {
		return "", false, orOptional(err, optional)
	}
	return v, true, nil
}

// orOptional is err, or nil for an optional reference.
func orOptional(err error, optional bool) error {
	if optional {
		return nil
	}
	return err
}

// fieldRefValue is the downward API's value of a pod field.
func (r *podRuntime) fieldRefValue(pod *corev1.Pod, fieldPath string) (string, error) {
	if k, ok := subscript(fieldPath, "metadata.labels"); ok {
		return pod.Labels[k], nil
	}
	if k, ok := subscript(fieldPath, "metadata.annotations"); ok {
		return pod.Annotations[k], nil
	}
	switch fieldPath {
	case "metadata.name":
		return pod.Name, nil
	case "metadata.namespace":
		return pod.Namespace, nil
	case "metadata.uid":
		return string(pod.UID), nil
	case "metadata.labels":
		return formatMap(pod.Labels), nil
	case "metadata.annotations":
		return formatMap(pod.Annotations), nil
	case "spec.nodeName":
		return pod.Spec.NodeName, nil
	case "spec.serviceAccountName":
		return pod.Spec.ServiceAccountName, nil
	case "status.podIP", "status.podIPs":
		return r.ip, nil
	case "status.hostIP", "status.hostIPs":
		return r.k.hostIP(), nil
	}
	return "", fmt.Errorf("unsupported fieldPath: %s", fieldPath)
}

// subscript reads `prefix['key']`.
func subscript(fieldPath, prefix string) (string, bool) {
	rest, ok := strings.CutPrefix(fieldPath, prefix+"['")
	if !ok || !strings.HasSuffix(rest, "']") {
		return "", false
	}
	return strings.TrimSuffix(rest, "']"), true
}

// formatMap renders labels or annotations as a downward API file does: key="value" lines.
func formatMap(m map[string]string) string {
	var b strings.Builder
	for i, k := range sortedKeys(m) {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%s=%q", k, m[k])
	}
	return b.String()
}

// resourceFieldValue is a container's request or limit in units of the divisor, rounded
// up; an unset limit is the node's allocatable amount.
func (r *podRuntime) resourceFieldValue(spec *corev1.Container, ref *corev1.ResourceFieldSelector) (string, error) {
	if ref.ContainerName != "" {
		found := false
		for _, c := range r.containers {
			if c.spec.Name == ref.ContainerName {
				spec, found = c.spec, true
			}
		}
		if !found {
			return "", fmt.Errorf("container %s not found", ref.ContainerName)
		}
	}
	kind, name, ok := strings.Cut(ref.Resource, ".")
	if !ok || (kind != "limits" && kind != "requests") {
		return "", fmt.Errorf("unsupported container resource : %v", ref.Resource)
	}
	rn := corev1.ResourceName(name)
	list := spec.Resources.Limits
	if kind == "requests" {
		list = spec.Resources.Requests
	}
	q, ok := list[rn]
	if !ok && kind == "limits" && r.k.node != nil {
		q, ok = r.k.node.Status.Allocatable[rn]
	}
	if !ok && kind == "requests" {
		// An unset request: the limit when there is one (API defaulting), else zero.
		q, ok = spec.Resources.Limits[rn]
	}
	divisor := ref.Divisor
	if divisor.IsZero() {
		divisor = resource.MustParse("1")
	}
	switch rn {
	case corev1.ResourceCPU:
		if !ok {
			q = resource.Quantity{}
		}
		m := float64(q.MilliValue()) / float64(divisor.MilliValue())
		return strconv.FormatInt(int64(math.Ceil(m)), 10), nil
	case corev1.ResourceMemory, corev1.ResourceEphemeralStorage:
		if !ok {
			q = resource.Quantity{}
		}
		return strconv.FormatInt(int64(math.Ceil(float64(q.Value())/float64(divisor.Value()))), 10), nil
	}
	if !ok {
		return "0", nil
	}
	return strconv.FormatInt(int64(math.Ceil(float64(q.Value())/float64(divisor.Value()))), 10), nil
}

// expandVars replaces $(NAME) with the value of NAME as Kubernetes does for env values,
// command and args: `$$` is a literal `$`, a reference to an undefined variable stays as
// written, any other `$` is kept.
func expandVars(s string, env map[string]string) string {
	if !strings.Contains(s, "$") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i++
		case '(':
			end := strings.IndexByte(s[i+2:], ')')
			if end < 0 {
				b.WriteString(s[i:])
				return b.String()
			}
			name := s[i+2 : i+2+end]
			if v, ok := env[name]; ok {
				b.WriteString(v)
			} else {
				b.WriteString("$(" + name + ")")
			}
			i += 2 + end
		default:
			b.WriteByte('$')
		}
	}
	return b.String()
}

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
