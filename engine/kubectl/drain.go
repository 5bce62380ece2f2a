package kubectl

import (
	"fmt"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	utilerrors "k8s.io/apimachinery/pkg/util/errors"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
)

// `kubectl drain`, after k8s.io/kubectl/pkg/cmd/drain and pkg/drain: cordon, sort the node's
// pods through the drain filters, refuse with the filters' errors, evict (a graceful delete
// here: kubetab has no PodDisruptionBudgets) and wait for the pods to be gone, moving
// virtual time.

// drainCmdOptions are drain's command line; drainOptions what its helper works with.
type drainCmdOptions struct {
	plainArgs
	Force, IgnoreDaemonSets, IgnoreErrors, DeleteEmptyDirData, DeleteLocalData, DisableEviction bool
	GracePeriod, SkipWaitForDeleteTimeout, ChunkSize                                            int64
	Timeout                                                                                     time.Duration
	Selector, PodSelector                                                                       string

	selector, deleteLocalData *flag
}

var drainCommand = &command{
	name:  "drain",
	short: "Drain node in preparation for maintenance",
	usage: "drain NODE",
	options: func(fs *flagSet) commandOptions {
		o := &drainCmdOptions{}
		fs.Bool(&o.Force, "force", "", false)
		fs.Bool(&o.IgnoreDaemonSets, "ignore-daemonsets", "", false)
		fs.Bool(&o.IgnoreErrors, "ignore-errors", "", false)
		fs.Bool(&o.DeleteEmptyDirData, "delete-emptydir-data", "", false)
		o.deleteLocalData = fs.Bool(&o.DeleteLocalData, "delete-local-data", "", false)
		fs.Int64(&o.GracePeriod, "grace-period", "", -1)
		fs.Duration(&o.Timeout, "timeout", "", 0)
		o.selector = fs.String(&o.Selector, "selector", "l", "")
		fs.String(&o.PodSelector, "pod-selector", "", "")
		fs.Bool(&o.DisableEviction, "disable-eviction", "", false)
		fs.Int64(&o.SkipWaitForDeleteTimeout, "skip-wait-for-delete-timeout", "", 0)
		fs.Int64(&o.ChunkSize, "chunk-size", "", 500)
		return o
	},
}

func (o *drainCmdOptions) readOnly() bool { return false }

// DrainWaitLimit bounds the virtual time drain waits for pods when --timeout is 0, which to
// real kubectl means forever.
const DrainWaitLimit = DeleteWaitLimit

// The filters' messages, as k8s.io/kubectl/pkg/drain words them.
const (
	drainDaemonSetFatal      = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"
	drainDaemonSetWarning    = "ignoring DaemonSet-managed Pods"
	drainLocalStorageFatal   = "Pods with local storage (use --delete-emptydir-data to override)"
	drainLocalStorageWarning = "deleting Pods with local storage"
	drainUnmanagedFatal      = "cannot delete Pods that declare no controller (use --force to override)"
	drainUnmanagedWarning    = "deleting Pods that declare no controller"
)

// drainStatus is a filter's verdict on one pod (PodDeleteStatus).
type drainStatus struct {
	delete  bool
	reason  string // "Okay", "Skip", "Warning", "Error"
	message string
}

// drainOptions are the flags drain.Helper holds.
type drainOptions struct {
	force, ignoreDaemonSets, deleteEmptyDir, disableEviction bool
	gracePeriod                                              int64
	timeout                                                  time.Duration
	skipWaitSeconds                                          int64
	podSelector                                              labels.Selector
}

func (d *drainCmdOptions) run(e *env) error {
	args := d.args
	sel := d.Selector
	if len(args) == 0 && !d.selector.changed {
		return e.usageError("USAGE: %s [flags]", e.cmd.usage)
	}
	if len(args) > 0 && sel != "" {
		return e.usageError("cannot specify both a node name and a --selector option")
	}
	if d.deleteLocalData.changed {
		e.errf("Flag --delete-local-data has been deprecated, This option is deprecated and will be deleted. Use --delete-emptydir-data.\n")
	}
	o := drainOptions{
		force:            d.Force,
		ignoreDaemonSets: d.IgnoreDaemonSets,
		deleteEmptyDir:   d.DeleteEmptyDirData || d.DeleteLocalData,
		disableEviction:  d.DisableEviction,
		gracePeriod:      d.GracePeriod,
		timeout:          d.Timeout,
		skipWaitSeconds:  d.SkipWaitForDeleteTimeout,
		podSelector:      labels.Everything(),
	}
	if ps := d.PodSelector; ps != "" {
		s, err := labels.Parse(ps)
		if err != nil {
			return fmt.Errorf("--pod-selector=<pod_selector> must be a valid label selector")
		}
		o.podSelector = s
	}

	// Complete: the nodes, by name or selector; a missing one stops everything.
	nodesRes := api.ResourceByName("nodes")
	var nodes []*corev1.Node
	if sel != "" {
		list, err := e.list(nodesRes, true, sel, "")
		if err != nil {
			return err
		}
		for _, obj := range list {
			nodes = append(nodes, obj.(*corev1.Node))
		}
	}
	for _, name := range args {
		obj, err := e.c.Store.Get(nodesRes, "", name)
		if err != nil {
			return err
		}
		nodes = append(nodes, obj.(*corev1.Node))
	}

	// RunCordonOrUncordon(true)
	for _, n := range nodes {
		if n.Spec.Unschedulable {
			e.out("node/%s already cordoned\n", n.Name)
			continue
		}
		next := n.DeepCopy()
		next.Spec.Unschedulable = true
		if _, err := e.updateObject(next, n); err != nil {
			e.errf("error: unable to cordon node %q: %v\n", n.Name, err)
			continue
		}
		e.out("node/%s cordoned\n", n.Name)
	}
	if err := e.c.Settle(); err != nil {
		return err
	}

	var fatal []error
	var remaining []string
	for _, n := range nodes {
		if err := e.drainNode(n.Name, o); err != nil {
			e.errf("error: unable to drain node %q due to error: %s, continuing command...\n", n.Name, err)
			fatal = append(fatal, err)
			remaining = append(remaining, n.Name)
			continue
		}
		e.out("node/%s drained\n", n.Name)
	}
	if len(remaining) == 0 {
		return nil
	}
	e.errf("There are pending nodes to be drained:\n")
	for _, n := range remaining {
		e.errf(" %s\n", n)
	}
	// CheckErr prints an aggregate one error per line, without the "error: " prefix.
	var b strings.Builder
	for _, err := range fatal {
		b.WriteString(err.Error() + "\n")
	}
	return &rawError{b.String()}
}

// drainNode is deleteOrEvictPodsSimple.
func (e *env) drainNode(node string, o drainOptions) error {
	items, errs := e.podsForDeletion(node, o)
	if len(errs) > 0 {
		return utilerrors.NewAggregate(errs)
	}
	if w := drainWarnings(items); w != "" {
		e.errf("Warning: %s\n", w)
	}
	var pods []*corev1.Pod
	for _, it := range items {
		if it.status.delete {
			pods = append(pods, it.pod)
		}
	}
	if len(pods) == 0 {
		return nil
	}
	if err := e.evictOrDelete(pods, o); err != nil {
		pending, newErrs := e.podsForDeletion(node, o)
		var left []*corev1.Pod
		for _, it := range pending {
			if it.status.delete {
				left = append(left, it.pod)
			}
		}
		if len(left) > 0 {
			e.errf("There are pending pods in node %q when an error occurred: %v\n", node, err)
			for _, p := range left {
				e.errf("pod/%s\n", p.Name)
			}
		}
		if len(newErrs) > 0 {
			e.errf("Following errors occurred while getting the list of pods to delete:\n%s", utilerrors.NewAggregate(newErrs))
		}
		return err
	}
	return nil
}

type drainItem struct {
	pod    *corev1.Pod
	status drainStatus
	// filter is the index of the filter that had the last word, which orders the messages.
	filter int
}

// podsForDeletion is GetPodsForDeletion: every pod bound to the node (all namespaces, in
// namespace and name order), each run through the filters until one says not to delete it.
func (e *env) podsForDeletion(node string, o drainOptions) ([]drainItem, []error) {
	var items []drainItem
	e.c.Store.Each(api.ResourceByName("pods"), "", func(obj api.Object) bool {
		pod := obj.(*corev1.Pod)
		if pod.Spec.NodeName != node || !o.podSelector.Matches(labels.Set(pod.Labels)) {
			return true
		}
		var st drainStatus
		last := 0
		for i, f := range []func(*corev1.Pod, drainOptions) drainStatus{
			e.skipDeletedFilter, e.daemonSetFilter, mirrorPodFilter, localStorageFilter, unreplicatedFilter,
		} {
			st, last = f(pod, o), i
			if !st.delete {
				break
			}
		}
		items = append(items, drainItem{pod, st, last})
		return true
	})
	msgs, byMsg := groupByMessage(items, "Error")
	var errs []error
	for _, m := range msgs {
		list := strings.Join(byMsg[m], ", ")
		if strings.HasPrefix(strings.ToLower(m), "cannot delete") {
			errs = append(errs, fmt.Errorf("%s: %s", m, list))
		} else {
			errs = append(errs, fmt.Errorf("cannot delete %s: %s", m, list))
		}
	}
	return items, errs
}

// groupByMessage collects the pods of the items with a reason by message. kubectl walks a
// map, so its order varies from run to run; here messages come in filter order (DaemonSet,
// local storage, unmanaged), then in order of first appearance.
func groupByMessage(items []drainItem, reason string) ([]string, map[string][]string) {
	var msgs []string
	rank := map[string]int{}
	byMsg := map[string][]string{}
	for _, it := range items {
		if it.status.reason != reason {
			continue
		}
		m := it.status.message
		if m == "" {
			m = "unexpected error"
		}
		if _, ok := byMsg[m]; !ok {
			msgs = append(msgs, m)
			rank[m] = it.filter
		}
		byMsg[m] = append(byMsg[m], it.pod.Namespace+"/"+it.pod.Name)
	}
	sort.SliceStable(msgs, func(i, j int) bool { return rank[msgs[i]] < rank[msgs[j]] })
	return msgs, byMsg
}

// drainWarnings is PodDeleteList.Warnings.
func drainWarnings(items []drainItem) string {
	msgs, byMsg := groupByMessage(items, "Warning")
	var out []string
	for _, m := range msgs {
		out = append(out, fmt.Sprintf("%s: %s", m, strings.Join(byMsg[m], ", ")))
	}
	return strings.Join(out, "; ")
}

var (
	drainOkay = drainStatus{delete: true, reason: "Okay"}
	drainSkip = drainStatus{reason: "Skip"}
)

func drainWarning(del bool, msg string) drainStatus {
	return drainStatus{delete: del, reason: "Warning", message: msg}
}

func drainError(msg string) drainStatus { return drainStatus{reason: "Error", message: msg} }

func podFinished(pod *corev1.Pod) bool {
	return pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed
}

// skipDeletedPod: with --skip-wait-for-delete-timeout, pods deleted longer ago than that are
// left alone.
func (e *env) skipDeletedPod(pod *corev1.Pod, o drainOptions) bool {
	return o.skipWaitSeconds > 0 && pod.DeletionTimestamp != nil &&
		int64(e.c.Now().Sub(pod.DeletionTimestamp.Time).Seconds()) > o.skipWaitSeconds
}

func (e *env) skipDeletedFilter(pod *corev1.Pod, o drainOptions) drainStatus {
	if e.skipDeletedPod(pod, o) {
		return drainSkip
	}
	return drainOkay
}

// daemonSetFilter never deletes a running DaemonSet pod: the controller would put it right
// back. Orphans of a vanished DaemonSet go with --force.
func (e *env) daemonSetFilter(pod *corev1.Pod, o drainOptions) drainStatus {
	ref := metav1.GetControllerOfNoCopy(pod)
	if ref == nil || ref.Kind != "DaemonSet" {
		return drainOkay
	}
	if podFinished(pod) {
		return drainOkay
	}
	if _, err := e.c.Store.Get(api.ResourceByName("daemonsets"), pod.Namespace, ref.Name); err != nil {
		if apierrors.IsNotFound(err) && o.force {
			return drainWarning(true, err.Error())
		}
		return drainError(err.Error())
	}
	if !o.ignoreDaemonSets {
		return drainError(drainDaemonSetFatal)
	}
	return drainWarning(false, drainDaemonSetWarning)
}

func mirrorPodFilter(pod *corev1.Pod, _ drainOptions) drainStatus {
	if _, ok := pod.Annotations[corev1.MirrorPodAnnotationKey]; ok {
		return drainSkip
	}
	return drainOkay
}

func localStorageFilter(pod *corev1.Pod, o drainOptions) drainStatus {
	local := false
	for _, v := range pod.Spec.Volumes {
		if v.EmptyDir != nil {
			local = true
			break
		}
	}
	if !local || podFinished(pod) {
		return drainOkay
	}
	if !o.deleteEmptyDir {
		return drainError(drainLocalStorageFatal)
	}
	return drainWarning(true, drainLocalStorageWarning)
}

func unreplicatedFilter(pod *corev1.Pod, o drainOptions) drainStatus {
	if podFinished(pod) || metav1.GetControllerOfNoCopy(pod) != nil {
		return drainOkay
	}
	if o.force {
		return drainWarning(true, drainUnmanagedWarning)
	}
	return drainError(drainUnmanagedFatal)
}

// evictOrDelete evicts (or, with --disable-eviction, deletes) the pods and waits for them to
// be gone, printing each as it goes; time moves on the virtual clock.
func (e *env) evictOrDelete(pods []*corev1.Pod, o drainOptions) error {
	opts := apiserver.DeleteOptions{}
	if o.gracePeriod >= 0 {
		g := o.gracePeriod
		opts.GracePeriodSeconds = &g
	}
	evict := !o.disableEviction
	verb := "deleted"
	if evict {
		verb = "evicted"
	}
	podsRes := api.ResourceByName("pods")
	type pending struct {
		pod *corev1.Pod
		uid types.UID
	}
	var wait []pending
	var errs []error
	for _, p := range pods {
		if evict {
			e.out("evicting pod %s/%s\n", p.Namespace, p.Name)
			e.markEvicted(p)
		}
		if _, err := e.api.Delete(podsRes, p.Namespace, p.Name, opts); err != nil {
			if apierrors.IsNotFound(err) {
				if evict {
					continue
				}
			} else if evict {
				errs = append(errs, fmt.Errorf("error when evicting pods/%q -n %q: %v", p.Name, p.Namespace, err))
				continue
			} else {
				return err
			}
		}
		wait = append(wait, pending{p, p.UID})
	}
	if err := e.c.Settle(); err != nil {
		return err
	}
	limit := o.timeout
	if limit <= 0 || limit > DrainWaitLimit {
		limit = DrainWaitLimit
	}
	deadline := e.c.Now().Add(limit)
	// reap prints the pods that are gone (or replaced by a namesake) and keeps the rest.
	reap := func() {
		var left []pending
		for _, w := range wait {
			obj, err := e.c.Store.Get(podsRes, w.pod.Namespace, w.pod.Name)
			switch {
			case err != nil || obj.GetUID() != w.uid:
				e.out("pod/%s %s\n", w.pod.Name, verb)
			case e.skipDeletedPod(obj.(*corev1.Pod), o):
				e.out("pod %q has DeletionTimestamp older than %v seconds, skipping\n", w.pod.Name, o.skipWaitSeconds)
			default:
				left = append(left, w)
			}
		}
		wait = left
	}
	for {
		reap()
		if len(wait) == 0 || !e.c.Now().Before(deadline) {
			break
		}
		if _, err := e.c.RunUntil(deadline, func() bool {
			for _, w := range wait {
				obj, err := e.c.Store.Get(podsRes, w.pod.Namespace, w.pod.Name)
				if err != nil || obj.GetUID() != w.uid || e.skipDeletedPod(obj.(*corev1.Pod), o) {
					return true
				}
			}
			return false
		}); err != nil {
			return err
		}
	}
	if len(wait) > 0 {
		if !evict {
			return fmt.Errorf("global timeout reached: %v", limit)
		}
		for _, w := range wait {
			errs = append(errs, fmt.Errorf("error when waiting for pod %q in namespace %q to terminate: global timeout reached: %v", w.pod.Name, w.pod.Namespace, limit))
		}
	}
	return utilerrors.NewAggregate(errs)
}

// markEvicted is what the eviction subresource does before it deletes a pod: it adds the
// DisruptionTarget condition (pkg/registry/core/pod/storage/eviction.go,
// addConditionAndDeletePod), which a Job's pod failure policy can match (the docs' Ignore
// rule). A pod that is already gone is left to the delete that follows to report.
func (e *env) markEvicted(p *corev1.Pod) {
	obj, err := e.c.Store.Get(api.ResourceByName("pods"), p.Namespace, p.Name)
	if err != nil || obj.GetUID() != p.UID {
		return
	}
	pod := obj.(*corev1.Pod).DeepCopy()
	cond := corev1.PodCondition{Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue,
		Reason: "EvictionByEvictionAPI", Message: "Eviction API: evicting", LastTransitionTime: metav1.NewTime(e.c.Now())}
	replaced := false
	for i, c := range pod.Status.Conditions {
		if c.Type == cond.Type {
			if c.Status == cond.Status {
				cond.LastTransitionTime = c.LastTransitionTime
			}
			pod.Status.Conditions[i], replaced = cond, true
		}
	}
	if !replaced {
		pod.Status.Conditions = append(pod.Status.Conditions, cond)
	}
	_, _ = e.api.UpdateStatus(pod, apiserver.UpdateOptions{HandOver: true})
}
