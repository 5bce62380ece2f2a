package kubectl

import (
	"fmt"
	"sort"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/kubelet"
	"github.com/kubetab/kubetab/engine/store"
)

var logsCommand = &command{
	name:  "logs",
	short: "Print the logs for a container in a pod",
	usage: "logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]",
	flags: []flagSpec{
		{name: "container", short: "c", kind: stringFlag},
		{name: "tail", kind: intFlag, def: "-1"},
		{name: "previous", short: "p", kind: boolFlag},
		{name: "timestamps", kind: boolFlag},
		{name: "all-containers", kind: boolFlag},
		{name: "follow", short: "f", kind: boolFlag},
		{name: "prefix", kind: boolFlag},
		{name: "selector", short: "l", kind: stringFlag},
	},
	run: runLogs,
}

func runLogs(e *env, args []string) error {
	var pods []*corev1.Pod
	container := e.fv.str("container")
	switch {
	case e.fv.str("selector") != "":
		if len(args) > 0 {
			return fmt.Errorf("only a selector (-l) or a POD name is allowed")
		}
		list, err := e.list(api.ResourceByName("pods"), false, e.fv.str("selector"), "")
		if err != nil {
			return err
		}
		if len(list) == 0 {
			e.errf("No resources found in %s namespace.\n", e.ns)
			return nil
		}
		for _, o := range list {
			pods = append(pods, o.(*corev1.Pod))
		}
	case len(args) == 0:
		return e.usageError("expected POD, TYPE/NAME, or --selector argument")
	case len(args) > 2:
		return e.usageError("expected POD, TYPE/NAME, or --selector argument")
	default:
		if len(args) == 2 {
			if container != "" {
				return e.usageError("only one of -c or an inline [CONTAINER] arg is allowed")
			}
			container = args[1]
		}
		pod, err := e.logsPod(args[0])
		if err != nil {
			return err
		}
		pods = []*corev1.Pod{pod}
	}
	var errs []error
	for _, pod := range pods {
		if err := e.podLogs(pod, container, len(pods) > 1 || e.fv.boolean("prefix")); err != nil {
			errs = append(errs, err)
		}
	}
	return asError(errs)
}

// logsPod finds the pod for `logs POD` or `logs TYPE/NAME` (a controller: one of its pods).
func (e *env) logsPod(arg string) (*corev1.Pod, error) {
	typ, name, ok := strings.Cut(arg, "/")
	if !ok {
		typ, name = "pods", arg
	}
	res, err := lookupResource(typ)
	if err != nil {
		return nil, err
	}
	obj, err := e.get(res, name)
	if err != nil {
		return nil, err
	}
	if pod, ok := obj.(*corev1.Pod); ok {
		return pod, nil
	}
	var sel labels.Selector
	switch o := obj.(type) {
	case *corev1.ReplicationController:
		sel = labels.SelectorFromSet(o.Spec.Selector)
	case *appsv1.ReplicaSet:
		sel, err = metav1.LabelSelectorAsSelector(o.Spec.Selector)
	case *appsv1.DaemonSet:
		sel, err = metav1.LabelSelectorAsSelector(o.Spec.Selector)
	case *appsv1.Deployment:
		sel, err = metav1.LabelSelectorAsSelector(o.Spec.Selector)
	case *batchv1.Job:
		sel, err = metav1.LabelSelectorAsSelector(o.Spec.Selector)
	default:
		return nil, fmt.Errorf("cannot get the logs from %s", res.GroupResource().String())
	}
	if err != nil {
		return nil, err
	}
	list, err := e.c.Store.List(api.ResourceByName("pods"), obj.GetNamespace(), store.ListOptions{Labels: sel})
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("timed out waiting for the condition")
	}
	pods := make([]*corev1.Pod, 0, len(list))
	for _, o := range list {
		pods = append(pods, o.(*corev1.Pod))
	}
	sort.SliceStable(pods, func(i, j int) bool { return logsBefore(pods[i], pods[j]) })
	if len(pods) > 1 {
		e.errf("Found %d pods, using pod/%s\n", len(pods), pods[0].Name)
	}
	return pods[0], nil
}

// logsBefore ranks pods the way kubectl picks one for `logs TYPE/NAME`: scheduled, running
// and ready pods first, then the oldest.
func logsBefore(a, b *corev1.Pod) bool {
	rank := func(p *corev1.Pod) int {
		r := 0
		if p.Spec.NodeName == "" {
			r += 4
		}
		if p.Status.Phase != corev1.PodRunning {
			r += 2
		}
		if !podReady(p) {
			r++
		}
		return r
	}
	if ra, rb := rank(a), rank(b); ra != rb {
		return ra < rb
	}
	if !a.CreationTimestamp.Equal(&b.CreationTimestamp) {
		return a.CreationTimestamp.Before(&b.CreationTimestamp)
	}
	return a.Name < b.Name
}

func podReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

func allContainerNames(pod *corev1.Pod) string {
	var names []string
	for _, c := range pod.Spec.Containers {
		names = append(names, c.Name)
	}
	for _, c := range pod.Spec.EphemeralContainers {
		names = append(names, c.Name+" (ephem)")
	}
	for _, c := range pod.Spec.InitContainers {
		names = append(names, c.Name+" (init)")
	}
	return strings.Join(names, ", ")
}

func (e *env) podLogs(pod *corev1.Pod, container string, prefix bool) error {
	var containers []string
	switch {
	case e.fv.boolean("all-containers"):
		for _, c := range pod.Spec.InitContainers {
			containers = append(containers, c.Name)
		}
		for _, c := range pod.Spec.Containers {
			containers = append(containers, c.Name)
		}
	case container != "":
		found := false
		for _, c := range append(append([]corev1.Container(nil), pod.Spec.Containers...), pod.Spec.InitContainers...) {
			if c.Name == container {
				found = true
			}
		}
		if !found {
			return fmt.Errorf("container %s is not valid for pod %s", container, pod.Name)
		}
		containers = []string{container}
	default:
		if d := pod.Annotations["kubectl.kubernetes.io/default-container"]; d != "" {
			containers = []string{d}
			break
		}
		if len(pod.Spec.Containers) == 0 {
			return fmt.Errorf("pod %s has no containers", pod.Name)
		}
		first := pod.Spec.Containers[0].Name
		if len(pod.Spec.Containers) > 1 || len(pod.Spec.InitContainers) > 0 || len(pod.Spec.EphemeralContainers) > 0 {
			e.errf("Defaulted container %q out of: %s\n", first, allContainerNames(pod))
		}
		containers = []string{first}
	}
	tail := e.fv.integer("tail")
	for _, c := range containers {
		lines, err := kubelet.ContainerLogs(e.c, pod.Namespace, pod.Name, c, e.fv.boolean("previous"))
		if err != nil {
			return err
		}
		if tail >= 0 && int64(len(lines)) > tail {
			lines = lines[int64(len(lines))-tail:]
		}
		var b strings.Builder
		for _, l := range lines {
			if prefix {
				fmt.Fprintf(&b, "[pod/%s/%s] ", pod.Name, c)
			}
			if e.fv.boolean("timestamps") {
				b.WriteString(l.Time.UTC().Format(time.RFC3339Nano) + " ")
			}
			b.WriteString(l.Text)
			if !strings.HasSuffix(l.Text, "\n") {
				b.WriteString("\n")
			}
		}
		e.out("%s", b.String())
	}
	return nil
}
