package printers

import (
	"fmt"
	"io"
	"net"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kubetab/kubetab/engine/api"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/duration"
)

// TableOptions shape `kubectl get` human-readable output.
type TableOptions struct {
	// Now is the instant ages are measured against (the cluster's virtual clock).
	Now time.Time
	// Wide adds the `-o wide` columns.
	Wide bool
	// ShowLabels adds the LABELS column (--show-labels).
	ShowLabels bool
	// LabelColumns adds one column per label key (-L key); the header is the upper-cased last
	// path segment of the key.
	LabelColumns []string
	// WithNamespace adds a NAMESPACE first column (-A). It is ignored for cluster-scoped kinds,
	// as kubectl does.
	WithNamespace bool
	// NoHeaders drops the header line (--no-headers).
	NoHeaders bool
	// WithKind prints names as kind/name (`pod/kubia-x7k2p`, `replicaset.apps/kubia`), as
	// `kubectl get all` and multi-type gets do.
	WithKind bool
}

// kubectl's tabwriter settings (k8s.io/cli-runtime/pkg/printers/tabwriter.go).
const (
	tabwriterMinWidth = 6
	tabwriterWidth    = 4
	tabwriterPadding  = 3
	tabwriterPadChar  = ' '
)

func newTableWriter(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, tabwriterMinWidth, tabwriterWidth, tabwriterPadding, tabwriterPadChar, 0)
}

// Tabbed aligns rows as kubectl's own small tables are (rollout history's tabbedString:
// minimum width 0, tab width 8, padding 2).
func Tabbed(rows [][]string) string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 8, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	tw.Flush()
	return b.String()
}

// PrintTable writes objs as kubectl get prints them. Consecutive objects of the same kind
// share one table; when the kind changes a new table starts after an empty line (as in
// `kubectl get all`), with column widths computed afresh.
func PrintTable(w io.Writer, objs []api.Object, opts TableOptions) error {
	start := 0
	printed := 0
	for start < len(objs) {
		end := start + 1
		for end < len(objs) && sameKind(objs[start], objs[end]) {
			end++
		}
		if printed > 0 && !opts.NoHeaders {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
		}
		if err := printGroup(w, objs[start:end], opts); err != nil {
			return err
		}
		printed++
		start = end
	}
	return nil
}

func sameKind(a, b api.Object) bool {
	return fmt.Sprintf("%T", a) == fmt.Sprintf("%T", b)
}

func printGroup(w io.Writer, objs []api.Object, opts TableOptions) error {
	res := api.ResourceFor(objs[0])
	if res == nil {
		return fmt.Errorf("printers: no table printer for %T", objs[0])
	}
	headers, err := tableHeaders(objs[0], opts.Wide)
	if err != nil {
		return err
	}
	withNamespace := opts.WithNamespace && res.Namespaced
	tw := newTableWriter(w)
	if !opts.NoHeaders {
		var cols []string
		if withNamespace {
			cols = append(cols, "NAMESPACE")
		}
		cols = append(cols, headers...)
		for _, l := range opts.LabelColumns {
			parts := strings.Split(l, "/")
			cols = append(cols, strings.ToUpper(parts[len(parts)-1]))
		}
		if opts.ShowLabels {
			cols = append(cols, "LABELS")
		}
		fmt.Fprintln(tw, strings.Join(cols, "\t"))
	}
	for _, obj := range objs {
		cells, err := tableCells(obj, opts)
		if err != nil {
			return err
		}
		if opts.WithKind && len(cells) > 0 && nameColumnFirst(obj) {
			cells[0] = res.FullName() + "/" + cells[0]
		}
		var row []string
		if withNamespace {
			row = append(row, obj.GetNamespace())
		}
		row = append(row, cells...)
		for _, key := range opts.LabelColumns {
			row = append(row, obj.GetLabels()[key])
		}
		if opts.ShowLabels {
			row = append(row, labels.FormatLabels(obj.GetLabels()))
		}
		for i, cell := range row {
			if i > 0 {
				io.WriteString(tw, "\t")
			}
			io.WriteString(tw, cellText(cell))
		}
		io.WriteString(tw, "\n")
	}
	return tw.Flush()
}

// cellText cuts a cell at its first line break, as kubectl's table printer does.
func cellText(s string) string {
	if i := strings.IndexAny(s, "\f\n\r"); i >= 0 {
		return s[:i] + "..."
	}
	return s
}

// nameColumnFirst reports whether the first column is the object's name (events start with
// LAST SEEN instead).
func nameColumnFirst(obj api.Object) bool {
	_, isEvent := obj.(*corev1.Event)
	return !isEvent
}

func tableHeaders(obj api.Object, wide bool) ([]string, error) {
	var cols, wideCols []string
	switch obj.(type) {
	case *corev1.Pod:
		cols = []string{"NAME", "READY", "STATUS", "RESTARTS", "AGE"}
		wideCols = []string{"IP", "NODE", "NOMINATED NODE", "READINESS GATES"}
	case *corev1.Node:
		cols = []string{"NAME", "STATUS", "ROLES", "AGE", "VERSION"}
		wideCols = []string{"INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"}
	case *corev1.ReplicationController, *appsv1.ReplicaSet:
		cols = []string{"NAME", "DESIRED", "CURRENT", "READY", "AGE"}
		wideCols = []string{"CONTAINERS", "IMAGES", "SELECTOR"}
	case *appsv1.DaemonSet:
		cols = []string{"NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"}
		wideCols = []string{"CONTAINERS", "IMAGES", "SELECTOR"}
	case *appsv1.Deployment:
		cols = []string{"NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"}
		wideCols = []string{"CONTAINERS", "IMAGES", "SELECTOR"}
	case *batchv1.Job:
		cols = []string{"NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"}
		wideCols = []string{"CONTAINERS", "IMAGES", "SELECTOR"}
	case *autoscalingv2.HorizontalPodAutoscaler:
		return hpaColumns, nil
	case *batchv1.CronJob:
		cols = []string{"NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"}
		wideCols = []string{"CONTAINERS", "IMAGES", "SELECTOR"}
	case *corev1.Event:
		if wide {
			return []string{"LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT", "NAME"}, nil
		}
		return []string{"LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"}, nil
	case *corev1.Namespace:
		cols = []string{"NAME", "STATUS", "AGE"}
	case *corev1.ConfigMap:
		cols = []string{"NAME", "DATA", "AGE"}
	case *corev1.Secret:
		cols = []string{"NAME", "TYPE", "DATA", "AGE"}
	case *corev1.Service:
		cols = []string{"NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"}
		wideCols = []string{"SELECTOR"}
	//lint:ignore SA1019 v1 Endpoints are deprecated and still served
	case *corev1.Endpoints:
		cols = []string{"NAME", "ENDPOINTS", "AGE"}
	case *discoveryv1.EndpointSlice:
		cols = []string{"NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"}
	default:
		return nil, fmt.Errorf("printers: no table printer for %T", obj)
	}
	if wide {
		cols = append(cols, wideCols...)
	}
	return cols, nil
}

func tableCells(obj api.Object, opts TableOptions) ([]string, error) {
	now := opts.Now
	age := Age(obj.GetCreationTimestamp(), now)
	switch o := obj.(type) {
	case *corev1.Pod:
		ready, status, restarts := PodStatus(o, now)
		cells := []string{o.Name, ready, status, restarts, age}
		if opts.Wide {
			ip := "<none>"
			if len(o.Status.PodIPs) > 0 && o.Status.PodIPs[0].IP != "" {
				ip = o.Status.PodIPs[0].IP
			}
			cells = append(cells, ip, orNone(o.Spec.NodeName), orNone(o.Status.NominatedNodeName), readinessGates(o))
		}
		return cells, nil
	case *corev1.Node:
		cells := []string{o.Name, NodeStatus(o), strings.Join(nodeRolesOrNone(o), ","), age, o.Status.NodeInfo.KubeletVersion}
		if opts.Wide {
			kernel := orUnknown(o.Status.NodeInfo.KernelVersion)
			if arch := o.Status.NodeInfo.Architecture; arch != "" {
				kernel += " (" + arch + ")" // v1.37 shows the architecture
			}
			cells = append(cells, nodeAddress(o, corev1.NodeInternalIP), nodeAddress(o, corev1.NodeExternalIP),
				orUnknown(o.Status.NodeInfo.OSImage), kernel, orUnknown(o.Status.NodeInfo.ContainerRuntimeVersion))
		}
		return cells, nil
	case *corev1.ReplicationController:
		cells := []string{o.Name, itoa32(derefInt32(o.Spec.Replicas, 1)), itoa32(o.Status.Replicas), itoa32(o.Status.ReadyReplicas), age}
		if opts.Wide {
			names, images := containerCells(templateContainers(o.Spec.Template))
			cells = append(cells, names, images, labels.FormatLabels(o.Spec.Selector))
		}
		return cells, nil
	case *appsv1.ReplicaSet:
		cells := []string{o.Name, itoa32(derefInt32(o.Spec.Replicas, 1)), itoa32(o.Status.Replicas), itoa32(o.Status.ReadyReplicas), age}
		if opts.Wide {
			names, images := containerCells(o.Spec.Template.Spec.Containers)
			cells = append(cells, names, images, metav1.FormatLabelSelector(o.Spec.Selector))
		}
		return cells, nil
	case *appsv1.DaemonSet:
		s := o.Status
		cells := []string{o.Name, itoa32(s.DesiredNumberScheduled), itoa32(s.CurrentNumberScheduled), itoa32(s.NumberReady),
			itoa32(s.UpdatedNumberScheduled), itoa32(s.NumberAvailable), labels.FormatLabels(o.Spec.Template.Spec.NodeSelector), age}
		if opts.Wide {
			names, images := containerCells(o.Spec.Template.Spec.Containers)
			cells = append(cells, names, images, metav1.FormatLabelSelector(o.Spec.Selector))
		}
		return cells, nil
	case *appsv1.Deployment:
		cells := []string{o.Name, fmt.Sprintf("%d/%d", o.Status.ReadyReplicas, derefInt32(o.Spec.Replicas, 1)),
			itoa32(o.Status.UpdatedReplicas), itoa32(o.Status.AvailableReplicas), age}
		if opts.Wide {
			names, images := containerCells(o.Spec.Template.Spec.Containers)
			sel := "<invalid>"
			if s, err := metav1.LabelSelectorAsSelector(o.Spec.Selector); err == nil {
				sel = s.String()
			}
			cells = append(cells, names, images, sel)
		}
		return cells, nil
	case *batchv1.Job:
		cells := []string{o.Name, JobStatus(o), jobCompletions(o), jobDuration(o, now), age}
		if opts.Wide {
			names, images := containerCells(o.Spec.Template.Spec.Containers)
			cells = append(cells, names, images, metav1.FormatLabelSelector(o.Spec.Selector))
		}
		return cells, nil
	case *batchv1.CronJob:
		last := "<none>"
		if o.Status.LastScheduleTime != nil {
			last = Age(*o.Status.LastScheduleTime, now)
		}
		tz := "<none>"
		if o.Spec.TimeZone != nil {
			tz = *o.Spec.TimeZone
		}
		cells := []string{o.Name, o.Spec.Schedule, tz, boolPtrString(o.Spec.Suspend), strconv.Itoa(len(o.Status.Active)), last, age}
		if opts.Wide {
			names, images := containerCells(o.Spec.JobTemplate.Spec.Template.Spec.Containers)
			cells = append(cells, names, images, metav1.FormatLabelSelector(o.Spec.JobTemplate.Spec.Selector))
		}
		return cells, nil
	case *autoscalingv2.HorizontalPodAutoscaler:
		return hpaCells(o, age), nil
	case *corev1.Event:
		return eventCells(o, opts), nil
	case *corev1.Namespace:
		return []string{o.Name, string(o.Status.Phase), age}, nil
	case *corev1.ConfigMap:
		return []string{o.Name, strconv.Itoa(len(o.Data) + len(o.BinaryData)), age}, nil
	case *corev1.Secret:
		return []string{o.Name, string(o.Type), strconv.Itoa(len(o.Data)), age}, nil
	case *corev1.Service:
		clusterIP := "<none>"
		if len(o.Spec.ClusterIPs) > 0 {
			clusterIP = o.Spec.ClusterIPs[0]
		} else if o.Spec.ClusterIP != "" {
			clusterIP = o.Spec.ClusterIP
		}
		ports := servicePorts(o.Spec.Ports)
		if ports == "" {
			ports = "<none>"
		}
		cells := []string{o.Name, string(o.Spec.Type), clusterIP, serviceExternalIP(o, opts.Wide), ports, age}
		if opts.Wide {
			cells = append(cells, labels.FormatLabels(o.Spec.Selector))
		}
		return cells, nil
	//lint:ignore SA1019 v1 Endpoints are deprecated and still served
	case *corev1.Endpoints:
		return []string{o.Name, formatEndpoints(o), age}, nil
	case *discoveryv1.EndpointSlice:
		return []string{o.Name, string(o.AddressType), formatDiscoveryPorts(o.Ports), formatDiscoveryEndpoints(o.Endpoints), age}, nil
	}
	return nil, fmt.Errorf("printers: no table printer for %T", obj)
}

// NoResourcesMessage is what `kubectl get` writes to stderr when nothing matched. Pass
// namespace "" for cluster-scoped resources.
func NoResourcesMessage(namespace string, allNamespaces bool) string {
	if allNamespaces || namespace == "" {
		return "No resources found"
	}
	return fmt.Sprintf("No resources found in %s namespace.", namespace)
}

// Age renders the time elapsed since t like kubectl's AGE column: `<unknown>` for a zero time.
func Age(t metav1.Time, now time.Time) string {
	if t.IsZero() {
		return "<unknown>"
	}
	return duration.HumanDuration(now.Sub(t.Time))
}

func microAge(t metav1.MicroTime, now time.Time) string {
	if t.IsZero() {
		return "<unknown>"
	}
	return duration.HumanDuration(now.Sub(t.Time))
}

// PodStatus computes the READY, STATUS and RESTARTS cells of `kubectl get pods`
// (printPod in kubernetes pkg/printers/internalversion, with restartable init containers).
func PodStatus(pod *corev1.Pod, now time.Time) (ready, status, restarts string) {
	r := podRow(pod)
	ready = fmt.Sprintf("%d/%d", r.ready, r.total)
	restarts = strconv.Itoa(r.restarts)
	if !r.lastRestart.IsZero() {
		restarts = fmt.Sprintf("%d (%s ago)", r.restarts, Age(r.lastRestart, now))
	}
	return ready, r.reason, restarts
}

// PodStatusReason is the STATUS column of `kubectl get pods` alone.
func PodStatusReason(pod *corev1.Pod) string {
	return podRow(pod).reason
}

type podRowInfo struct {
	ready, total, restarts int
	reason                 string
	lastRestart            metav1.Time
}

func isSidecar(c *corev1.Container) bool {
	return c != nil && c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways
}

func podRow(pod *corev1.Pod) podRowInfo {
	var r podRowInfo
	r.total = len(pod.Spec.Containers)
	sidecarRestarts := 0
	var lastSidecarRestart metav1.Time

	r.reason = string(pod.Status.Phase)
	if pod.Status.Reason != "" {
		r.reason = pod.Status.Reason
	}
	for _, c := range pod.Status.Conditions {
		if c.Type == corev1.PodScheduled && c.Reason == corev1.PodReasonSchedulingGated {
			r.reason = corev1.PodReasonSchedulingGated
		}
	}

	initContainers := map[string]*corev1.Container{}
	for i := range pod.Spec.InitContainers {
		c := &pod.Spec.InitContainers[i]
		initContainers[c.Name] = c
		if isSidecar(c) {
			r.total++
		}
	}

	later := func(cur *metav1.Time, t metav1.Time) {
		if cur.Before(&t) {
			*cur = t
		}
	}

	initializing := false
	for i := range pod.Status.InitContainerStatuses {
		cs := pod.Status.InitContainerStatuses[i]
		r.restarts += int(cs.RestartCount)
		if cs.LastTerminationState.Terminated != nil {
			later(&r.lastRestart, cs.LastTerminationState.Terminated.FinishedAt)
		}
		sidecar := isSidecar(initContainers[cs.Name])
		if sidecar {
			sidecarRestarts += int(cs.RestartCount)
			if cs.LastTerminationState.Terminated != nil {
				later(&lastSidecarRestart, cs.LastTerminationState.Terminated.FinishedAt)
			}
		}
		switch {
		case cs.State.Terminated != nil && cs.State.Terminated.ExitCode == 0:
			continue
		case sidecar && cs.Started != nil && *cs.Started:
			if cs.Ready {
				r.ready++
			}
			continue
		case cs.State.Terminated != nil:
			t := cs.State.Terminated
			if t.Reason == "" {
				if t.Signal != 0 {
					r.reason = fmt.Sprintf("Init:Signal:%d", t.Signal)
				} else {
					r.reason = fmt.Sprintf("Init:ExitCode:%d", t.ExitCode)
				}
			} else {
				r.reason = "Init:" + t.Reason
			}
			initializing = true
		case cs.State.Waiting != nil && cs.State.Waiting.Reason != "" && cs.State.Waiting.Reason != "PodInitializing":
			r.reason = "Init:" + cs.State.Waiting.Reason
			initializing = true
		default:
			r.reason = fmt.Sprintf("Init:%d/%d", i, len(pod.Spec.InitContainers))
			initializing = true
		}
		break
	}

	if !initializing || podConditionTrue(pod, corev1.PodInitialized) {
		r.restarts = sidecarRestarts
		r.lastRestart = lastSidecarRestart
		hasRunning := false
		// errorReason is the reason of a container that failed: since v1.35 a pod whose
		// last-listed container Completed shows another one's failure instead.
		errorReason := ""
		for i := len(pod.Status.ContainerStatuses) - 1; i >= 0; i-- {
			cs := pod.Status.ContainerStatuses[i]
			r.restarts += int(cs.RestartCount)
			if cs.LastTerminationState.Terminated != nil {
				later(&r.lastRestart, cs.LastTerminationState.Terminated.FinishedAt)
			}
			switch {
			case cs.State.Waiting != nil && cs.State.Waiting.Reason != "":
				r.reason = cs.State.Waiting.Reason
			case cs.State.Terminated != nil:
				t := cs.State.Terminated
				switch {
				case t.Reason != "":
					r.reason = t.Reason
				case t.Signal != 0:
					r.reason = fmt.Sprintf("Signal:%d", t.Signal)
				default:
					r.reason = fmt.Sprintf("ExitCode:%d", t.ExitCode)
				}
				if t.ExitCode != 0 {
					errorReason = r.reason
				}
			case cs.Ready && cs.State.Running != nil:
				hasRunning = true
				r.ready++
			}
		}
		if r.reason == "Completed" {
			switch {
			case hasRunning && podConditionTrue(pod, corev1.PodReady):
				r.reason = "Running"
			case errorReason != "":
				r.reason = errorReason
			case hasRunning:
				r.reason = "NotReady"
			}
		}
	}

	if pod.DeletionTimestamp != nil && pod.Status.Reason == "NodeLost" {
		r.reason = "Unknown"
	} else if pod.DeletionTimestamp != nil && pod.Status.Phase != corev1.PodSucceeded && pod.Status.Phase != corev1.PodFailed {
		r.reason = "Terminating"
	}
	return r
}

func podConditionTrue(pod *corev1.Pod, t corev1.PodConditionType) bool {
	for _, c := range pod.Status.Conditions {
		if c.Type == t && c.Status == corev1.ConditionTrue {
			return true
		}
	}
	return false
}

func readinessGates(pod *corev1.Pod) string {
	if len(pod.Spec.ReadinessGates) == 0 {
		return "<none>"
	}
	trueCount := 0
	for _, g := range pod.Spec.ReadinessGates {
		for _, c := range pod.Status.Conditions {
			if c.Type == g.ConditionType {
				if c.Status == corev1.ConditionTrue {
					trueCount++
				}
				break
			}
		}
	}
	return fmt.Sprintf("%d/%d", trueCount, len(pod.Spec.ReadinessGates))
}

// NodeStatus is the STATUS column of `kubectl get nodes`: Ready / NotReady / Unknown, with
// `,SchedulingDisabled` for a cordoned node.
func NodeStatus(node *corev1.Node) string {
	var status []string
	for _, c := range node.Status.Conditions {
		if c.Type == corev1.NodeReady {
			if c.Status == corev1.ConditionTrue {
				status = []string{"Ready"}
			} else {
				status = []string{"NotReady"}
			}
		}
	}
	if len(status) == 0 {
		status = append(status, "Unknown")
	}
	if node.Spec.Unschedulable {
		status = append(status, "SchedulingDisabled")
	}
	return strings.Join(status, ",")
}

// NodeRoles returns the node's roles from node-role.kubernetes.io/<role> and
// kubernetes.io/role labels, sorted.
func NodeRoles(node *corev1.Node) []string {
	set := map[string]bool{}
	for k, v := range node.Labels {
		switch {
		case strings.HasPrefix(k, "node-role.kubernetes.io/"):
			if role := strings.TrimPrefix(k, "node-role.kubernetes.io/"); role != "" {
				set[role] = true
			}
		case k == "kubernetes.io/role" && v != "":
			set[v] = true
		}
	}
	roles := make([]string, 0, len(set))
	for r := range set {
		roles = append(roles, r)
	}
	sort.Strings(roles)
	return roles
}

func nodeRolesOrNone(node *corev1.Node) []string {
	if r := NodeRoles(node); len(r) > 0 {
		return r
	}
	return []string{"<none>"}
}

func nodeAddress(node *corev1.Node, t corev1.NodeAddressType) string {
	for _, a := range node.Status.Addresses {
		if a.Type == t {
			return a.Address
		}
	}
	return "<none>"
}

// JobStatus is the STATUS column of `kubectl get jobs`.
func JobStatus(job *batchv1.Job) string {
	has := func(t batchv1.JobConditionType) bool {
		for _, c := range job.Status.Conditions {
			if c.Type == t && c.Status == corev1.ConditionTrue {
				return true
			}
		}
		return false
	}
	switch {
	case has(batchv1.JobComplete):
		return "Complete"
	case has(batchv1.JobFailed):
		return "Failed"
	case job.DeletionTimestamp != nil:
		return "Terminating"
	case has(batchv1.JobSuspended):
		return "Suspended"
	case has(batchv1.JobFailureTarget):
		return "FailureTarget"
	case has(batchv1.JobSuccessCriteriaMet):
		return "SuccessCriteriaMet"
	}
	return "Running"
}

func jobCompletions(job *batchv1.Job) string {
	if job.Spec.Completions != nil {
		return fmt.Sprintf("%d/%d", job.Status.Succeeded, *job.Spec.Completions)
	}
	if p := derefInt32(job.Spec.Parallelism, 0); p > 1 {
		return fmt.Sprintf("%d/1 of %d", job.Status.Succeeded, p)
	}
	return fmt.Sprintf("%d/1", job.Status.Succeeded)
}

func jobDuration(job *batchv1.Job, now time.Time) string {
	switch {
	case job.Status.StartTime == nil:
		return ""
	case job.Status.CompletionTime == nil:
		return duration.HumanDuration(now.Sub(job.Status.StartTime.Time))
	}
	return duration.HumanDuration(job.Status.CompletionTime.Sub(job.Status.StartTime.Time))
}

func eventCells(e *corev1.Event, opts TableOptions) []string {
	now := opts.Now
	first := Age(e.FirstTimestamp, now)
	if e.FirstTimestamp.IsZero() {
		first = microAge(e.EventTime, now)
	}
	last := Age(e.LastTimestamp, now)
	if e.LastTimestamp.IsZero() {
		last = first
	}
	count := e.Count
	if e.Series != nil {
		last = microAge(e.Series.LastObservedTime, now)
		count = e.Series.Count
	} else if count == 0 {
		count = 1
	}
	target := strings.ToLower(e.InvolvedObject.Kind)
	if e.InvolvedObject.Name != "" {
		target += "/" + e.InvolvedObject.Name
	}
	msg := strings.TrimSpace(e.Message)
	if !opts.Wide {
		return []string{last, e.Type, e.Reason, target, msg}
	}
	return []string{last, e.Type, e.Reason, target, e.InvolvedObject.FieldPath, eventSource(e), msg, first, strconv.Itoa(int(count)), e.Name}
}

func eventSource(e *corev1.Event) string {
	component := e.Source.Component
	if component == "" {
		component = e.ReportingController
	}
	host := e.Source.Host
	if host == "" {
		host = e.ReportingInstance
	}
	if host == "" {
		return component
	}
	return component + ", " + host
}

// formatEndpoints is the ENDPOINTS column of Endpoints: the ready addresses with each port
// (bare addresses for a subset without ports), at most three, "<none>" without subsets.
//
//lint:ignore SA1019 v1 Endpoints are deprecated and still served
func formatEndpoints(ep *corev1.Endpoints) string {
	if len(ep.Subsets) == 0 {
		return "<none>"
	}
	const max = 3
	var list []string
	count := 0
	for _, ss := range ep.Subsets {
		if len(ss.Ports) == 0 {
			for _, a := range ss.Addresses {
				if len(list) < max {
					list = append(list, a.IP)
				}
				count++
			}
			continue
		}
		for _, p := range ss.Ports {
			for _, a := range ss.Addresses {
				if len(list) < max {
					list = append(list, net.JoinHostPort(a.IP, strconv.Itoa(int(p.Port))))
				}
				count++
			}
		}
	}
	return joinWithMore(list, count, max)
}

// formatDiscoveryPorts is the PORTS column of EndpointSlices: numbers (or names, or *), at
// most three, "<unset>" for none.
func formatDiscoveryPorts(ports []discoveryv1.EndpointPort) string {
	const max = 3
	var list []string
	for _, p := range ports {
		if len(list) < max {
			n := "*"
			if p.Port != nil {
				n = strconv.Itoa(int(*p.Port))
			} else if p.Name != nil {
				n = *p.Name
			}
			list = append(list, n)
		}
	}
	return orUnsetList(joinWithMore(list, len(ports), max))
}

// formatDiscoveryEndpoints is the ENDPOINTS column of EndpointSlices: every address, ready
// or not, at most three, "<unset>" for none.
func formatDiscoveryEndpoints(eps []discoveryv1.Endpoint) string {
	const max = 3
	var list []string
	count := 0
	for _, ep := range eps {
		for _, a := range ep.Addresses {
			if len(list) < max {
				list = append(list, a)
			}
			count++
		}
	}
	return orUnsetList(joinWithMore(list, count, max))
}

func orUnsetList(s string) string {
	if s == "" {
		return "<unset>"
	}
	return s
}

func servicePorts(ports []corev1.ServicePort) string {
	pieces := make([]string, len(ports))
	for i, p := range ports {
		pieces[i] = fmt.Sprintf("%d/%s", p.Port, p.Protocol)
		if p.NodePort > 0 {
			pieces[i] = fmt.Sprintf("%d:%d/%s", p.Port, p.NodePort, p.Protocol)
		}
	}
	return strings.Join(pieces, ",")
}

func serviceExternalIP(svc *corev1.Service, wide bool) string {
	switch svc.Spec.Type {
	case corev1.ServiceTypeClusterIP, corev1.ServiceTypeNodePort, "":
		if len(svc.Spec.ExternalIPs) > 0 {
			return strings.Join(svc.Spec.ExternalIPs, ",")
		}
		return "<none>"
	case corev1.ServiceTypeLoadBalancer:
		lb := loadBalancerIPs(svc.Status.LoadBalancer, wide)
		if len(svc.Spec.ExternalIPs) > 0 {
			var all []string
			if lb != "" {
				all = append(all, strings.Split(lb, ",")...)
			}
			return strings.Join(append(all, svc.Spec.ExternalIPs...), ",")
		}
		if lb != "" {
			return lb
		}
		return "<pending>"
	case corev1.ServiceTypeExternalName:
		return svc.Spec.ExternalName
	}
	return "<unknown>"
}

func loadBalancerIPs(s corev1.LoadBalancerStatus, wide bool) string {
	set := map[string]bool{}
	for _, in := range s.Ingress {
		if in.IP != "" {
			set[in.IP] = true
		} else if in.Hostname != "" {
			set[in.Hostname] = true
		}
	}
	list := make([]string, 0, len(set))
	for k := range set {
		list = append(list, k)
	}
	sort.Strings(list)
	r := strings.Join(list, ",")
	if !wide && len(r) > 16 {
		r = r[:13] + "..."
	}
	return r
}

func containerCells(containers []corev1.Container) (names, images string) {
	n := make([]string, len(containers))
	im := make([]string, len(containers))
	for i, c := range containers {
		n[i], im[i] = c.Name, c.Image
	}
	return strings.Join(n, ","), strings.Join(im, ",")
}

func templateContainers(t *corev1.PodTemplateSpec) []corev1.Container {
	if t == nil {
		return nil
	}
	return t.Spec.Containers
}

func boolPtrString(b *bool) string {
	if b == nil {
		return "<unset>"
	}
	return boolString(*b)
}

func boolString(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

func derefInt32(p *int32, def int32) int32 {
	if p == nil {
		return def
	}
	return *p
}

func itoa32(i int32) string { return strconv.Itoa(int(i)) }

func orNone(s string) string {
	if s == "" {
		return "<none>"
	}
	return s
}

func orUnknown(s string) string {
	if s == "" {
		return "<unknown>"
	}
	return s
}
