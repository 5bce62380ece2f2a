package printers

import (
	"fmt"
	"io"
	"maps"
	"net"
	"net/url"
	"slices"
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
	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/duration"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// DescribeContext carries what `kubectl describe` looks up besides the object itself.
type DescribeContext struct {
	// Now is the instant event and pod ages are measured against.
	Now time.Time
	// Events about the object, already filtered to it, in any order (Describe sorts them).
	Events []*corev1.Event
	// Pods selected by a controller (RC, RS, DS; only those it controls are counted), the pods
	// on a node (terminated ones are skipped), or the pods behind a service (its endpoints).
	Pods []*corev1.Pod
	// Jobs owned by a CronJob. kubectl describe shows only status.active, so this is unused
	// today; it is kept so callers need not change when more is shown.
	Jobs []*batchv1.Job
	// ReplicaSets owned by a Deployment (for OldReplicaSets / NewReplicaSet).
	ReplicaSets []*appsv1.ReplicaSet
	// EndpointSlices of a Service (labelled with its name), for its Endpoints lines.
	EndpointSlices []*discoveryv1.EndpointSlice
}

// Describe writes `kubectl describe` output for one object.
func Describe(w io.Writer, obj api.Object, d DescribeContext) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	pw := &prefixWriter{tw: tw}
	switch o := obj.(type) {
	case *corev1.Pod:
		describePod(pw, o, d)
	case *corev1.ReplicationController:
		describeReplicationController(pw, o, d)
	case *appsv1.ReplicaSet:
		describeReplicaSet(pw, o, d)
	case *appsv1.DaemonSet:
		describeDaemonSet(pw, o, d)
	case *appsv1.Deployment:
		describeDeployment(pw, o, d)
	case *batchv1.Job:
		describeJob(pw, o, d)
	case *batchv1.CronJob:
		describeCronJob(pw, o, d)
	case *autoscalingv2.HorizontalPodAutoscaler:
		describeHPA(pw, o, d)
	case *corev1.Node:
		describeNode(pw, o, d)
	case *corev1.Namespace:
		describeNamespace(pw, o)
	case *corev1.ConfigMap:
		describeConfigMap(pw, o, d)
	case *corev1.Secret:
		describeSecret(pw, o)
	case *corev1.Service:
		describeService(pw, o, d)
	//lint:ignore SA1019 v1 Endpoints are deprecated and still served
	case *corev1.Endpoints:
		describeEndpoints(pw, o, d)
	case *discoveryv1.EndpointSlice:
		describeEndpointSlice(pw, o, d)
	default:
		return fmt.Errorf("printers: no description has been implemented for %T", obj)
	}
	return tw.Flush()
}

// prefixWriter indents by two spaces per level, like kubectl's describe PrefixWriter. It
// writes to a tabwriter for describe; rollout history writes raw, tabs and all, as kubectl's
// printTemplate does.
type prefixWriter struct {
	tw io.Writer
}

func (p *prefixWriter) write(level int, format string, a ...any) {
	prefix := strings.Repeat("  ", level)
	if len(a) == 0 {
		io.WriteString(p.tw, prefix+format)
		return
	}
	fmt.Fprintf(p.tw, prefix+format, a...)
}

func (p *prefixWriter) writeLine(s string) { io.WriteString(p.tw, s+"\n") }

func (p *prefixWriter) flush() {
	if tw, ok := p.tw.(*tabwriter.Writer); ok {
		tw.Flush()
	}
}

func rfc1123(t metav1.Time) string { return t.Time.UTC().Format(time.RFC1123Z) }

// ---- shared pieces ----

func printLabelsMultiline(w *prefixWriter, title string, m map[string]string) {
	printLabelsMultilineWithIndent(w, "", title, "\t", m)
}

func printLabelsMultilineWithIndent(w *prefixWriter, initialIndent, title, innerIndent string, m map[string]string) {
	w.write(0, "%s%s:%s", initialIndent, title, innerIndent)
	if len(m) == 0 {
		w.writeLine("<none>")
		return
	}
	keys := sortedKeys(m)
	for i, k := range keys {
		if i != 0 {
			w.write(0, "%s", initialIndent)
			w.write(0, "%s", innerIndent)
		}
		w.write(0, "%s=%s\n", k, m[k])
	}
}

const maxAnnotationLen = 140

func printAnnotationsMultiline(w *prefixWriter, title string, annotations map[string]string) {
	w.write(0, "%s:\t", title)
	var keys []string
	for k := range annotations {
		if k == corev1.LastAppliedConfigAnnotation {
			continue
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		w.writeLine("<none>")
		return
	}
	sort.Strings(keys)
	indent := "\t"
	for i, k := range keys {
		if i != 0 {
			w.write(0, indent)
		}
		value := strings.TrimSuffix(annotations[k], "\n")
		if len(value)+len(k)+2 > maxAnnotationLen || strings.Contains(value, "\n") {
			w.write(0, "%s:\n", k)
			for _, s := range strings.Split(value, "\n") {
				if len(s) > maxAnnotationLen-2 {
					s = s[:maxAnnotationLen-2] + "..."
				}
				w.write(0, "%s  %s\n", indent, s)
			}
		} else {
			w.write(0, "%s: %s\n", k, value)
		}
	}
}

func printTolerationsMultiline(w *prefixWriter, initialIndent, title string, tolerations []corev1.Toleration) {
	innerIndent := "\t"
	w.write(0, "%s%s:%s", initialIndent, title, innerIndent)
	if len(tolerations) == 0 {
		w.writeLine("<none>")
		return
	}
	ts := append([]corev1.Toleration(nil), tolerations...)
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].Key < ts[j].Key })
	for i, t := range ts {
		if i != 0 {
			w.write(0, "%s", initialIndent)
			w.write(0, "%s", innerIndent)
		}
		w.write(0, "%s", t.Key)
		if t.Value != "" {
			w.write(0, "=%s", t.Value)
		}
		if t.Effect != "" {
			w.write(0, ":%s", t.Effect)
		}
		if t.Operator == corev1.TolerationOpExists && t.Value == "" {
			if t.Key != "" || t.Effect != "" {
				w.write(0, " op=Exists")
			} else {
				w.write(0, "op=Exists")
			}
		}
		if t.TolerationSeconds != nil {
			w.write(0, " for %ds", *t.TolerationSeconds)
		}
		w.write(0, "\n")
	}
}

func printController(obj metav1.Object) string {
	if ref := metav1.GetControllerOf(obj); ref != nil {
		return ref.Kind + "/" + ref.Name
	}
	return ""
}

// describeEvents prints the Events table; kubectl flushes the tabwriter first so the table
// is aligned on its own.
func describeEvents(w *prefixWriter, events []*corev1.Event, now time.Time) {
	if len(events) == 0 {
		w.write(0, "Events:\t<none>\n")
		return
	}
	w.flush()
	sorted := append([]*corev1.Event(nil), events...)
	sort.SliceStable(sorted, func(i, j int) bool { return eventTime(sorted[i]).Before(eventTime(sorted[j])) })
	w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
	w.write(1, "----\t------\t----\t----\t-------\n")
	for _, e := range sorted {
		first := microAge(e.EventTime, now)
		if e.EventTime.IsZero() {
			first = Age(e.FirstTimestamp, now)
		}
		var interval string
		switch {
		case e.Series != nil:
			interval = fmt.Sprintf("%s (x%d over %s)", microAge(e.Series.LastObservedTime, now), e.Series.Count, first)
		case e.Count > 1:
			interval = fmt.Sprintf("%s (x%d over %s)", Age(e.LastTimestamp, now), e.Count, first)
		default:
			interval = first
		}
		source := e.Source.Component
		if source == "" {
			source = e.ReportingController
		}
		// Since v1.35 (kubernetes PR #133627) the message is prefixed with the involved
		// object's fieldPath (`spec.containers{kubia}: Started container kubia`).
		message := strings.TrimSpace(e.Message)
		if e.InvolvedObject.FieldPath != "" {
			message = e.InvolvedObject.FieldPath + ": " + message
		}
		w.write(1, "%v\t%v\t%s\t%v\t%v\n", e.Type, e.Reason, interval, source, message)
	}
}

// eventTime is the sort key kubectl uses (k8s.io/kubectl/pkg/util/event).
func eventTime(e *corev1.Event) time.Time {
	if e.Series != nil {
		return e.Series.LastObservedTime.Time
	}
	if !e.LastTimestamp.IsZero() {
		return e.LastTimestamp.Time
	}
	return e.EventTime.Time
}

// ---- pods and containers ----

func describePod(w *prefixWriter, pod *corev1.Pod, d DescribeContext) {
	w.write(0, "Name:\t%s\n", pod.Name)
	w.write(0, "Namespace:\t%s\n", pod.Namespace)
	if pod.Spec.Priority != nil {
		w.write(0, "Priority:\t%d\n", *pod.Spec.Priority)
	}
	if pod.Spec.PriorityClassName != "" {
		w.write(0, "Priority Class Name:\t%s\n", pod.Spec.PriorityClassName)
	}
	if pod.Spec.RuntimeClassName != nil && *pod.Spec.RuntimeClassName != "" {
		w.write(0, "Runtime Class Name:\t%s\n", *pod.Spec.RuntimeClassName)
	}
	if pod.Spec.ServiceAccountName != "" {
		w.write(0, "Service Account:\t%s\n", pod.Spec.ServiceAccountName)
	}
	if pod.Spec.NodeName == "" {
		w.write(0, "Node:\t<none>\n")
	} else {
		w.write(0, "Node:\t%s\n", pod.Spec.NodeName+"/"+pod.Status.HostIP)
	}
	if pod.Status.StartTime != nil {
		w.write(0, "Start Time:\t%s\n", rfc1123(*pod.Status.StartTime))
	}
	printLabelsMultiline(w, "Labels", pod.Labels)
	printAnnotationsMultiline(w, "Annotations", pod.Annotations)
	if pod.DeletionTimestamp != nil && pod.Status.Phase != corev1.PodFailed && pod.Status.Phase != corev1.PodSucceeded {
		w.write(0, "Status:\tTerminating (lasts %s)\n", Age(*pod.DeletionTimestamp, d.Now))
		grace := int64(0)
		if pod.DeletionGracePeriodSeconds != nil {
			grace = *pod.DeletionGracePeriodSeconds
		}
		w.write(0, "Termination Grace Period:\t%ds\n", grace)
	} else {
		w.write(0, "Status:\t%s\n", string(pod.Status.Phase))
	}
	if pod.Status.Reason != "" {
		w.write(0, "Reason:\t%s\n", pod.Status.Reason)
	}
	if pod.Status.Message != "" {
		w.write(0, "Message:\t%s\n", pod.Status.Message)
	}
	if sc := pod.Spec.SecurityContext; sc != nil && sc.SeccompProfile != nil {
		w.write(0, "SeccompProfile:\t%s\n", sc.SeccompProfile.Type)
		if sc.SeccompProfile.Type == corev1.SeccompProfileTypeLocalhost && sc.SeccompProfile.LocalhostProfile != nil {
			w.write(0, "LocalhostProfile:\t%s\n", *sc.SeccompProfile.LocalhostProfile)
		}
	}
	w.write(0, "IP:\t%s\n", pod.Status.PodIP)
	if len(pod.Status.PodIPs) == 0 {
		w.write(0, "IPs:\t<none>\n")
	} else {
		w.write(0, "IPs:\n")
		for _, ip := range pod.Status.PodIPs {
			w.write(1, "IP:\t%s\n", ip.IP)
		}
	}
	if c := printController(pod); c != "" {
		w.write(0, "Controlled By:\t%s\n", c)
	}
	if pod.Status.NominatedNodeName != "" {
		w.write(0, "NominatedNodeName:\t%s\n", pod.Status.NominatedNodeName)
	}
	if len(pod.Spec.InitContainers) > 0 {
		describeContainers(w, "Init Containers", pod.Spec.InitContainers, pod.Status.InitContainerStatuses, pod, "")
	}
	describeContainers(w, "Containers", pod.Spec.Containers, pod.Status.ContainerStatuses, pod, "")
	if len(pod.Spec.ReadinessGates) > 0 {
		w.write(0, "Readiness Gates:\n  Type\tStatus\n")
		for _, g := range pod.Spec.ReadinessGates {
			status := "<none>"
			for _, c := range pod.Status.Conditions {
				if c.Type == g.ConditionType {
					status = string(c.Status)
					break
				}
			}
			w.write(1, "%v \t%v \n", g.ConditionType, status)
		}
	}
	if len(pod.Status.Conditions) > 0 {
		w.write(0, "Conditions:\n  Type\tStatus\n")
		for _, c := range pod.Status.Conditions {
			w.write(1, "%v \t%v \n", c.Type, c.Status)
		}
	}
	describeVolumes(w, pod.Spec.Volumes, "")
	w.write(0, "QoS Class:\t%s\n", podQOS(pod))
	printLabelsMultiline(w, "Node-Selectors", pod.Spec.NodeSelector)
	printTolerationsMultiline(w, "", "Tolerations", pod.Spec.Tolerations)
	describeEvents(w, d.Events, d.Now)
}

// describeContainers prints a Containers section; pod is nil for pod templates.
func describeContainers(w *prefixWriter, label string, containers []corev1.Container, statuses []corev1.ContainerStatus, pod *corev1.Pod, space string) {
	byName := map[string]corev1.ContainerStatus{}
	for _, s := range statuses {
		byName[s.Name] = s
	}
	none := ""
	if len(containers) == 0 {
		none = " <none>"
	}
	w.write(0, "%s%s:%s\n", space, label, none)
	nameIndent := ""
	if space != "" {
		nameIndent = " "
	}
	for _, c := range containers {
		status, ok := byName[c.Name]
		w.write(1, "%s%v:\n", nameIndent, c.Name)
		if ok {
			w.write(2, "Container ID:\t%s\n", status.ContainerID)
		}
		w.write(2, "Image:\t%s\n", c.Image)
		if ok {
			w.write(2, "Image ID:\t%s\n", status.ImageID)
		}
		ports := containerPorts(c.Ports, false)
		if strings.Contains(ports, ",") {
			w.write(2, "Ports:\t%s\n", ports)
		} else {
			w.write(2, "Port:\t%s\n", orNone(ports))
		}
		hostPorts := containerPorts(c.Ports, true)
		if strings.Contains(hostPorts, ",") {
			w.write(2, "Host Ports:\t%s\n", hostPorts)
		} else {
			w.write(2, "Host Port:\t%s\n", orNone(hostPorts))
		}
		if sc := c.SecurityContext; sc != nil && sc.SeccompProfile != nil {
			w.write(2, "SeccompProfile:\t%s\n", sc.SeccompProfile.Type)
			if sc.SeccompProfile.Type == corev1.SeccompProfileTypeLocalhost && sc.SeccompProfile.LocalhostProfile != nil {
				w.write(3, "LocalhostProfile:\t%s\n", *sc.SeccompProfile.LocalhostProfile)
			}
		}
		if len(c.Command) > 0 {
			w.write(2, "Command:\n")
			for _, cmd := range c.Command {
				for _, s := range strings.Split(cmd, "\n") {
					w.write(3, "%s\n", s)
				}
			}
		}
		if len(c.Args) > 0 {
			w.write(2, "Args:\n")
			for _, arg := range c.Args {
				for _, s := range strings.Split(arg, "\n") {
					w.write(3, "%s\n", s)
				}
			}
		}
		if ok {
			describeContainerStatus(w, "State", status.State)
			if status.LastTerminationState.Terminated != nil {
				describeContainerStatus(w, "Last State", status.LastTerminationState)
			}
			w.write(2, "Ready:\t%v\n", boolString(status.Ready))
			w.write(2, "Restart Count:\t%d\n", status.RestartCount)
		}
		describeResources(w, &c.Resources, 2)
		if c.LivenessProbe != nil {
			w.write(2, "Liveness:\t%s\n", DescribeProbe(c.LivenessProbe))
		}
		if c.ReadinessProbe != nil {
			w.write(2, "Readiness:\t%s\n", DescribeProbe(c.ReadinessProbe))
		}
		if c.StartupProbe != nil {
			w.write(2, "Startup:\t%s\n", DescribeProbe(c.StartupProbe))
		}
		if len(c.EnvFrom) > 0 {
			w.write(2, "Environment Variables from:\n")
			for _, e := range c.EnvFrom {
				from, name, optional := "", "", false
				if e.ConfigMapRef != nil {
					from, name = "ConfigMap", e.ConfigMapRef.Name
					optional = e.ConfigMapRef.Optional != nil && *e.ConfigMapRef.Optional
				} else if e.SecretRef != nil {
					from, name = "Secret", e.SecretRef.Name
					optional = e.SecretRef.Optional != nil && *e.SecretRef.Optional
				}
				if e.Prefix == "" {
					w.write(3, "%s\t%s\tOptional: %t\n", name, from, optional)
				} else {
					w.write(3, "%s\t%s with prefix '%s'\tOptional: %t\n", name, from, e.Prefix, optional)
				}
			}
		}
		describeEnv(w, c, pod)
		describeMounts(w, c)
	}
}

func containerPorts(ports []corev1.ContainerPort, host bool) string {
	out := make([]string, 0, len(ports))
	for _, p := range ports {
		n := p.ContainerPort
		if host {
			n = p.HostPort
		}
		s := fmt.Sprintf("%d/%s", n, p.Protocol)
		if p.Name != "" {
			s = fmt.Sprintf("%s (%s)", s, p.Name)
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}

func describeContainerStatus(w *prefixWriter, name string, state corev1.ContainerState) {
	switch {
	case state.Running != nil:
		w.write(2, "%s:\tRunning\n", name)
		w.write(3, "Started:\t%v\n", rfc1123(state.Running.StartedAt))
	case state.Waiting != nil:
		w.write(2, "%s:\tWaiting\n", name)
		if state.Waiting.Reason != "" {
			w.write(3, "Reason:\t%s\n", state.Waiting.Reason)
		}
	case state.Terminated != nil:
		t := state.Terminated
		w.write(2, "%s:\tTerminated\n", name)
		if t.Reason != "" {
			w.write(3, "Reason:\t%s\n", t.Reason)
		}
		if t.Message != "" {
			w.write(3, "Message:\t%s\n", t.Message)
		}
		w.write(3, "Exit Code:\t%d\n", t.ExitCode)
		if t.Signal > 0 {
			w.write(3, "Signal:\t%d\n", t.Signal)
		}
		w.write(3, "Started:\t%s\n", rfc1123(t.StartedAt))
		w.write(3, "Finished:\t%s\n", rfc1123(t.FinishedAt))
	default:
		w.write(2, "%s:\tWaiting\n", name)
	}
}

func describeResources(w *prefixWriter, r *corev1.ResourceRequirements, level int) {
	if r == nil {
		return
	}
	if len(r.Limits) > 0 {
		w.write(level, "Limits:\n")
	}
	for _, name := range sortedResourceNames(r.Limits) {
		q := r.Limits[name]
		w.write(level+1, "%s:\t%s\n", name, q.String())
	}
	if len(r.Requests) > 0 {
		w.write(level, "Requests:\n")
	}
	for _, name := range sortedResourceNames(r.Requests) {
		q := r.Requests[name]
		w.write(level+1, "%s:\t%s\n", name, q.String())
	}
}

// DescribeProbe renders a probe as kubectl describe does, e.g.
// `http-get http://:8080/ delay=0s timeout=1s period=10s successThreshold=1 failureThreshold=3`.
func DescribeProbe(p *corev1.Probe) string {
	attrs := fmt.Sprintf("delay=%ds timeout=%ds period=%ds successThreshold=%d failureThreshold=%d",
		p.InitialDelaySeconds, p.TimeoutSeconds, p.PeriodSeconds, p.SuccessThreshold, p.FailureThreshold)
	switch {
	case p.Exec != nil:
		return fmt.Sprintf("exec %v %s", p.Exec.Command, attrs)
	case p.HTTPGet != nil:
		u := &url.URL{Scheme: strings.ToLower(string(p.HTTPGet.Scheme)), Path: p.HTTPGet.Path}
		if port := p.HTTPGet.Port.String(); port != "" {
			u.Host = net.JoinHostPort(p.HTTPGet.Host, port)
		} else {
			u.Host = p.HTTPGet.Host
		}
		return fmt.Sprintf("http-get %s %s", u.String(), attrs)
	case p.TCPSocket != nil:
		return fmt.Sprintf("tcp-socket %s:%s %s", p.TCPSocket.Host, p.TCPSocket.Port.String(), attrs)
	case p.GRPC != nil:
		service := ""
		if p.GRPC.Service != nil {
			service = *p.GRPC.Service
		}
		return fmt.Sprintf("grpc <pod>:%d %s %s", p.GRPC.Port, service, attrs)
	}
	return fmt.Sprintf("unknown %s", attrs)
}

func describeEnv(w *prefixWriter, c corev1.Container, pod *corev1.Pod) {
	if len(c.Env) == 0 {
		w.write(2, "Environment:\t<none>\n")
		return
	}
	w.write(2, "Environment:\n")
	for _, e := range c.Env {
		if e.ValueFrom == nil {
			for i, s := range strings.Split(e.Value, "\n") {
				if i == 0 {
					w.write(3, "%s:\t%s\n", e.Name, s)
				} else {
					w.write(3, "\t%s\n", s)
				}
			}
			continue
		}
		switch {
		case e.ValueFrom.FieldRef != nil:
			value := ""
			if pod != nil {
				value = podFieldValue(pod, e.ValueFrom.FieldRef.FieldPath)
			}
			w.write(3, "%s:\t%s (%s:%s)\n", e.Name, value, e.ValueFrom.FieldRef.APIVersion, e.ValueFrom.FieldRef.FieldPath)
		case e.ValueFrom.ResourceFieldRef != nil:
			ref := e.ValueFrom.ResourceFieldRef
			value := containerResourceValue(ref, &c)
			if value == "0" && (ref.Resource == "limits.cpu" || ref.Resource == "limits.memory") {
				value = "node allocatable"
			}
			w.write(3, "%s:\t%s (%s)\n", e.Name, value, ref.Resource)
		case e.ValueFrom.SecretKeyRef != nil:
			ref := e.ValueFrom.SecretKeyRef
			optional := ref.Optional != nil && *ref.Optional
			w.write(3, "%s:\t<set to the key '%s' in secret '%s'>\tOptional: %t\n", e.Name, ref.Key, ref.Name, optional)
		case e.ValueFrom.ConfigMapKeyRef != nil:
			ref := e.ValueFrom.ConfigMapKeyRef
			optional := ref.Optional != nil && *ref.Optional
			w.write(3, "%s:\t<set to the key '%s' of config map '%s'>\tOptional: %t\n", e.Name, ref.Key, ref.Name, optional)
		}
	}
}

// podFieldValue resolves the downward-API field paths kubectl can show.
func podFieldValue(pod *corev1.Pod, path string) string {
	switch path {
	case "metadata.name":
		return pod.Name
	case "metadata.namespace":
		return pod.Namespace
	case "metadata.uid":
		return string(pod.UID)
	case "spec.nodeName":
		return pod.Spec.NodeName
	case "spec.serviceAccountName":
		return pod.Spec.ServiceAccountName
	case "status.hostIP":
		return pod.Status.HostIP
	case "status.podIP":
		return pod.Status.PodIP
	case "status.podIPs":
		ips := make([]string, len(pod.Status.PodIPs))
		for i, ip := range pod.Status.PodIPs {
			ips[i] = ip.IP
		}
		return strings.Join(ips, ",")
	case "metadata.labels":
		return formatMapLines(pod.Labels)
	case "metadata.annotations":
		return formatMapLines(pod.Annotations)
	}
	for _, prefix := range []string{"metadata.labels['", "metadata.annotations['"} {
		if strings.HasPrefix(path, prefix) && strings.HasSuffix(path, "']") {
			key := strings.TrimSuffix(strings.TrimPrefix(path, prefix), "']")
			if strings.HasPrefix(prefix, "metadata.labels") {
				return pod.Labels[key]
			}
			return pod.Annotations[key]
		}
	}
	return ""
}

func formatMapLines(m map[string]string) string {
	var lines []string
	for _, k := range sortedKeys(m) {
		lines = append(lines, fmt.Sprintf("%s=%q", k, m[k]))
	}
	return strings.Join(lines, "\n")
}

// containerResourceValue follows the downward API: the value divided by the divisor and
// rounded up; a missing limit gives "0".
func containerResourceValue(ref *corev1.ResourceFieldSelector, c *corev1.Container) string {
	var q resource.Quantity
	var found bool
	switch ref.Resource {
	case "limits.cpu":
		q, found = c.Resources.Limits[corev1.ResourceCPU]
	case "limits.memory":
		q, found = c.Resources.Limits[corev1.ResourceMemory]
	case "limits.ephemeral-storage":
		q, found = c.Resources.Limits[corev1.ResourceEphemeralStorage]
	case "requests.cpu":
		q, found = c.Resources.Requests[corev1.ResourceCPU]
	case "requests.memory":
		q, found = c.Resources.Requests[corev1.ResourceMemory]
	case "requests.ephemeral-storage":
		q, found = c.Resources.Requests[corev1.ResourceEphemeralStorage]
	default:
		return ""
	}
	if !found {
		return "0"
	}
	divisor := ref.Divisor
	if divisor.IsZero() {
		divisor = resource.MustParse("1")
	}
	if strings.HasSuffix(ref.Resource, "cpu") {
		v := (q.MilliValue() + divisor.MilliValue() - 1) / divisor.MilliValue()
		return strconv.FormatInt(v, 10)
	}
	v := (q.Value() + divisor.Value() - 1) / divisor.Value()
	return strconv.FormatInt(v, 10)
}

func describeMounts(w *prefixWriter, c corev1.Container) {
	if len(c.VolumeMounts) == 0 {
		w.write(2, "Mounts:\t<none>\n")
	} else {
		w.write(2, "Mounts:\n")
	}
	mounts := append([]corev1.VolumeMount(nil), c.VolumeMounts...)
	sort.SliceStable(mounts, func(i, j int) bool { return mounts[i].MountPath < mounts[j].MountPath })
	for _, m := range mounts {
		flags := []string{"rw"}
		if m.ReadOnly {
			flags = []string{"ro"}
		}
		if m.SubPath != "" {
			flags = append(flags, fmt.Sprintf("path=%q", m.SubPath))
		}
		w.write(3, "%s from %s (%s)\n", m.MountPath, m.Name, strings.Join(flags, ","))
	}
	if len(c.VolumeDevices) > 0 {
		none := ""
		if len(c.VolumeMounts) == 0 {
			none = "\t<none>"
		}
		w.write(2, "Devices:%s\n", none)
		devices := append([]corev1.VolumeDevice(nil), c.VolumeDevices...)
		sort.SliceStable(devices, func(i, j int) bool { return devices[i].DevicePath < devices[j].DevicePath })
		for _, dev := range devices {
			w.write(3, "%s from %s\n", dev.DevicePath, dev.Name)
		}
	}
}

func describeVolumes(w *prefixWriter, volumes []corev1.Volume, space string) {
	if len(volumes) == 0 {
		w.write(0, "%sVolumes:\t<none>\n", space)
		return
	}
	w.write(0, "%sVolumes:\n", space)
	nameIndent := ""
	if space != "" {
		nameIndent = " "
	}
	for _, v := range volumes {
		w.write(1, "%s%v:\n", nameIndent, v.Name)
		src := v.VolumeSource
		switch {
		case src.HostPath != nil:
			t := "<none>"
			if src.HostPath.Type != nil {
				t = string(*src.HostPath.Type)
			}
			w.write(2, "Type:\tHostPath (bare host directory volume)\n"+
				"    Path:\t%v\n"+
				"    HostPathType:\t%v\n", src.HostPath.Path, t)
		case src.EmptyDir != nil:
			limit := "<unset>"
			if src.EmptyDir.SizeLimit != nil && src.EmptyDir.SizeLimit.Sign() > 0 {
				limit = src.EmptyDir.SizeLimit.String()
			}
			w.write(2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"+
				"    Medium:\t%v\n"+
				"    SizeLimit:\t%v\n", src.EmptyDir.Medium, limit)
		case src.GitRepo != nil:
			w.write(2, "Type:\tGitRepo (a volume that is pulled from git when the pod is created)\n"+
				"    Repository:\t%v\n"+
				"    Revision:\t%v\n", src.GitRepo.Repository, src.GitRepo.Revision)
		case src.Secret != nil:
			optional := src.Secret.Optional != nil && *src.Secret.Optional
			w.write(2, "Type:\tSecret (a volume populated by a Secret)\n"+
				"    SecretName:\t%v\n"+
				"    Optional:\t%v\n", src.Secret.SecretName, optional)
		case src.ConfigMap != nil:
			optional := src.ConfigMap.Optional != nil && *src.ConfigMap.Optional
			w.write(2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n"+
				"    Name:\t%v\n"+
				"    Optional:\t%v\n", src.ConfigMap.Name, optional)
		case src.NFS != nil:
			w.write(2, "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n"+
				"    Server:\t%v\n"+
				"    Path:\t%v\n"+
				"    ReadOnly:\t%v\n", src.NFS.Server, src.NFS.Path, src.NFS.ReadOnly)
		case src.PersistentVolumeClaim != nil:
			w.write(2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n"+
				"    ClaimName:\t%v\n"+
				"    ReadOnly:\t%v\n", src.PersistentVolumeClaim.ClaimName, src.PersistentVolumeClaim.ReadOnly)
		case src.DownwardAPI != nil:
			w.write(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n")
			for _, item := range src.DownwardAPI.Items {
				if item.FieldRef != nil {
					w.write(3, "%v -> %v\n", item.FieldRef.FieldPath, item.Path)
				}
				if item.ResourceFieldRef != nil {
					w.write(3, "%v -> %v\n", item.ResourceFieldRef.Resource, item.Path)
				}
			}
		case src.Projected != nil:
			w.write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n")
			for _, s := range src.Projected.Sources {
				switch {
				case s.Secret != nil:
					optional := s.Secret.Optional != nil && *s.Secret.Optional
					w.write(2, "SecretName:\t%v\n"+
						"    Optional:\t%v\n", s.Secret.Name, optional)
				case s.DownwardAPI != nil:
					w.write(2, "DownwardAPI:\ttrue\n")
				case s.ConfigMap != nil:
					optional := s.ConfigMap.Optional != nil && *s.ConfigMap.Optional
					w.write(2, "ConfigMapName:\t%v\n"+
						"    Optional:\t%v\n", s.ConfigMap.Name, optional)
				case s.ServiceAccountToken != nil:
					exp := int64(0)
					if s.ServiceAccountToken.ExpirationSeconds != nil {
						exp = *s.ServiceAccountToken.ExpirationSeconds
					}
					w.write(2, "TokenExpirationSeconds:\t%d\n", exp)
				}
			}
		default:
			w.write(1, "<unknown>\n")
		}
	}
}

// podQOS mirrors the QoS class computation (status.qosClass wins when set).
func podQOS(pod *corev1.Pod) corev1.PodQOSClass {
	if pod.Status.QOSClass != "" {
		return pod.Status.QOSClass
	}
	requests := corev1.ResourceList{}
	limits := corev1.ResourceList{}
	guaranteed := true
	all := append(append([]corev1.Container(nil), pod.Spec.InitContainers...), pod.Spec.Containers...)
	for _, c := range all {
		found := map[corev1.ResourceName]bool{}
		for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			req, hasReq := c.Resources.Requests[name]
			lim, hasLim := c.Resources.Limits[name]
			if !hasReq && hasLim {
				req, hasReq = lim, true
			}
			if hasReq && !req.IsZero() {
				addQuantity(requests, name, req)
			}
			if hasLim && !lim.IsZero() {
				addQuantity(limits, name, lim)
				found[name] = true
			}
		}
		if !found[corev1.ResourceCPU] || !found[corev1.ResourceMemory] {
			guaranteed = false
		}
	}
	if len(requests) == 0 && len(limits) == 0 {
		return corev1.PodQOSBestEffort
	}
	if guaranteed {
		for name, req := range requests {
			if lim, ok := limits[name]; !ok || lim.Cmp(req) != 0 {
				guaranteed = false
				break
			}
		}
	}
	if guaranteed && len(requests) == len(limits) {
		return corev1.PodQOSGuaranteed
	}
	return corev1.PodQOSBurstable
}

func addQuantity(list corev1.ResourceList, name corev1.ResourceName, q resource.Quantity) {
	if cur, ok := list[name]; ok {
		cur.Add(q)
		list[name] = cur
		return
	}
	list[name] = q.DeepCopy()
}

// ---- workload controllers ----

// PodTemplateText is a pod template as `kubectl rollout history --revision=N` prints it:
// describe's Pod Template section written without a tabwriter, so its tabs stay.
func PodTemplateText(t *corev1.PodTemplateSpec) string {
	var b strings.Builder
	describePodTemplate(&prefixWriter{tw: &b}, t)
	return b.String()
}

func describePodTemplate(w *prefixWriter, t *corev1.PodTemplateSpec) {
	w.write(0, "Pod Template:\n")
	if t == nil {
		w.write(1, "<unset>")
		return
	}
	printLabelsMultiline(w, "  Labels", t.Labels)
	if len(t.Annotations) > 0 {
		printAnnotationsMultiline(w, "  Annotations", t.Annotations)
	}
	if t.Spec.ServiceAccountName != "" {
		w.write(1, "Service Account:\t%s\n", t.Spec.ServiceAccountName)
	}
	if len(t.Spec.InitContainers) > 0 {
		describeContainers(w, "Init Containers", t.Spec.InitContainers, nil, nil, "  ")
	}
	describeContainers(w, "Containers", t.Spec.Containers, nil, nil, "  ")
	describeVolumes(w, t.Spec.Volumes, "  ")
	if t.Spec.PriorityClassName != "" {
		w.write(1, "Priority Class Name:\t%s\n", t.Spec.PriorityClassName)
	}
	printLabelsMultiline(w, "  Node-Selectors", t.Spec.NodeSelector)
	printTolerationsMultiline(w, "  ", "Tolerations", t.Spec.Tolerations)
}

// controlledPodPhases counts the pods controlled by uid, as getPodStatusForController does.
func controlledPodPhases(pods []*corev1.Pod, owner metav1.Object) (running, waiting, succeeded, failed int) {
	for _, p := range pods {
		ref := metav1.GetControllerOf(p)
		if ref == nil || ref.UID != owner.GetUID() {
			continue
		}
		switch p.Status.Phase {
		case corev1.PodRunning:
			running++
		case corev1.PodPending:
			waiting++
		case corev1.PodSucceeded:
			succeeded++
		case corev1.PodFailed:
			failed++
		}
	}
	return
}

func describeReplicationController(w *prefixWriter, rc *corev1.ReplicationController, d DescribeContext) {
	running, waiting, succeeded, failed := controlledPodPhases(d.Pods, rc)
	w.write(0, "Name:\t%s\n", rc.Name)
	w.write(0, "Namespace:\t%s\n", rc.Namespace)
	w.write(0, "Selector:\t%s\n", labels.FormatLabels(rc.Spec.Selector))
	printLabelsMultiline(w, "Labels", rc.Labels)
	printAnnotationsMultiline(w, "Annotations", rc.Annotations)
	w.write(0, "Replicas:\t%d current / %d desired\n", rc.Status.Replicas, derefInt32(rc.Spec.Replicas, 1))
	w.write(0, "Pods Status:\t%d Running / %d Waiting / %d Succeeded / %d Failed\n", running, waiting, succeeded, failed)
	describePodTemplate(w, rc.Spec.Template)
	if len(rc.Status.Conditions) > 0 {
		w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
		w.write(1, "----\t------\t------\n")
		for _, c := range rc.Status.Conditions {
			w.write(1, "%v \t%v\t%v\n", c.Type, c.Status, c.Reason)
		}
	}
	describeEvents(w, d.Events, d.Now)
}

func describeReplicaSet(w *prefixWriter, rs *appsv1.ReplicaSet, d DescribeContext) {
	running, waiting, succeeded, failed := controlledPodPhases(d.Pods, rs)
	w.write(0, "Name:\t%s\n", rs.Name)
	w.write(0, "Namespace:\t%s\n", rs.Namespace)
	w.write(0, "Selector:\t%s\n", metav1.FormatLabelSelector(rs.Spec.Selector))
	printLabelsMultiline(w, "Labels", rs.Labels)
	printAnnotationsMultiline(w, "Annotations", rs.Annotations)
	if c := printController(rs); c != "" {
		w.write(0, "Controlled By:\t%s\n", c)
	}
	w.write(0, "Replicas:\t%d current / %d desired\n", rs.Status.Replicas, derefInt32(rs.Spec.Replicas, 1))
	w.write(0, "Pods Status:\t")
	w.write(0, "%d Running / %d Waiting / %d Succeeded / %d Failed\n", running, waiting, succeeded, failed)
	describePodTemplate(w, &rs.Spec.Template)
	if len(rs.Status.Conditions) > 0 {
		w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
		w.write(1, "----\t------\t------\n")
		for _, c := range rs.Status.Conditions {
			w.write(1, "%v \t%v\t%v\n", c.Type, c.Status, c.Reason)
		}
	}
	describeEvents(w, d.Events, d.Now)
}

func selectorString(s *metav1.LabelSelector) string {
	sel, err := metav1.LabelSelectorAsSelector(s)
	if err != nil {
		return "Failed to get selector: " + err.Error()
	}
	return sel.String()
}

func describeDaemonSet(w *prefixWriter, ds *appsv1.DaemonSet, d DescribeContext) {
	running, waiting, succeeded, failed := controlledPodPhases(d.Pods, ds)
	w.write(0, "Name:\t%s\n", ds.Name)
	w.write(0, "Namespace:\t%s\n", ds.Namespace)
	w.write(0, "Selector:\t%s\n", selectorString(ds.Spec.Selector))
	w.write(0, "Node-Selector:\t%s\n", labels.FormatLabels(ds.Spec.Template.Spec.NodeSelector))
	printLabelsMultiline(w, "Labels", ds.Labels)
	printAnnotationsMultiline(w, "Annotations", ds.Annotations)
	s := ds.Status
	w.write(0, "Desired Number of Nodes Scheduled: %d\n", s.DesiredNumberScheduled)
	w.write(0, "Current Number of Nodes Scheduled: %d\n", s.CurrentNumberScheduled)
	w.write(0, "Number of Nodes Scheduled with Up-to-date Pods: %d\n", s.UpdatedNumberScheduled)
	w.write(0, "Number of Nodes Scheduled with Available Pods: %d\n", s.NumberAvailable)
	w.write(0, "Number of Nodes Misscheduled: %d\n", s.NumberMisscheduled)
	w.write(0, "Pods Status:\t%d Running / %d Waiting / %d Succeeded / %d Failed\n", running, waiting, succeeded, failed)
	describePodTemplate(w, &ds.Spec.Template)
	describeEvents(w, d.Events, d.Now)
}

func describeDeployment(w *prefixWriter, dep *appsv1.Deployment, d DescribeContext) {
	w.write(0, "Name:\t%s\n", dep.Name)
	w.write(0, "Namespace:\t%s\n", dep.Namespace)
	w.write(0, "CreationTimestamp:\t%s\n", rfc1123(dep.CreationTimestamp))
	printLabelsMultiline(w, "Labels", dep.Labels)
	printAnnotationsMultiline(w, "Annotations", dep.Annotations)
	w.write(0, "Selector:\t%s\n", selectorString(dep.Spec.Selector))
	s := dep.Status
	w.write(0, "Replicas:\t%d desired | %d updated | %d total | %d available | %d unavailable\n",
		derefInt32(dep.Spec.Replicas, 1), s.UpdatedReplicas, s.Replicas, s.AvailableReplicas, s.UnavailableReplicas)
	w.write(0, "StrategyType:\t%s\n", dep.Spec.Strategy.Type)
	w.write(0, "MinReadySeconds:\t%d\n", dep.Spec.MinReadySeconds)
	if ru := dep.Spec.Strategy.RollingUpdate; ru != nil {
		w.write(0, "RollingUpdateStrategy:\t%s max unavailable, %s max surge\n", intOrStringPtr(ru.MaxUnavailable), intOrStringPtr(ru.MaxSurge))
	}
	describePodTemplate(w, &dep.Spec.Template)
	if len(s.Conditions) > 0 {
		w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
		w.write(1, "----\t------\t------\n")
		for _, c := range s.Conditions {
			w.write(1, "%v \t%v\t%v\n", c.Type, c.Status, c.Reason)
		}
	}
	oldRSs, newRS := deploymentReplicaSets(dep, d.ReplicaSets)
	var newRSs []*appsv1.ReplicaSet
	if newRS != nil {
		newRSs = append(newRSs, newRS)
	}
	if len(oldRSs) > 0 || len(newRSs) > 0 {
		w.write(0, "OldReplicaSets:\t%s\n", replicaSetList(oldRSs))
		w.write(0, "NewReplicaSet:\t%s\n", replicaSetList(newRSs))
	}
	describeEvents(w, d.Events, d.Now)
}

// deploymentReplicaSets is deploymentutil.GetAllReplicaSetsInChunks as describe uses it: the
// new ReplicaSet is the oldest whose template is the Deployment's; the old ones are all the
// others (kubectl v1.37 shows those scaled to 0 too), in the order the API lists them (by
// name).
func deploymentReplicaSets(dep *appsv1.Deployment, rss []*appsv1.ReplicaSet) (old []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) {
	byAge := slices.Clone(rss)
	slices.SortStableFunc(byAge, func(a, b *appsv1.ReplicaSet) int {
		if c := a.CreationTimestamp.Compare(b.CreationTimestamp.Time); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	for _, rs := range byAge {
		if sameTemplate(&rs.Spec.Template, &dep.Spec.Template) {
			newRS = rs
			break
		}
	}
	for _, rs := range rss {
		if rs != newRS {
			old = append(old, rs)
		}
	}
	slices.SortFunc(old, func(a, b *appsv1.ReplicaSet) int { return strings.Compare(a.Name, b.Name) })
	return old, newRS
}

func intOrStringPtr(v *intstr.IntOrString) string {
	if v == nil {
		return "<nil>"
	}
	return v.String()
}

// sameTemplate compares pod templates ignoring the pod-template-hash label, as the
// deployment controller's EqualIgnoreHash does.
func sameTemplate(a, b *corev1.PodTemplateSpec) bool {
	a1, b1 := a.DeepCopy(), b.DeepCopy()
	delete(a1.Labels, appsv1.DefaultDeploymentUniqueLabelKey)
	delete(b1.Labels, appsv1.DefaultDeploymentUniqueLabelKey)
	return equality.Semantic.DeepEqual(a1, b1)
}

func replicaSetList(rss []*appsv1.ReplicaSet) string {
	var parts []string
	for _, rs := range rss {
		parts = append(parts, fmt.Sprintf("%s (%d/%d replicas created)", rs.Name, rs.Status.Replicas, derefInt32(rs.Spec.Replicas, 1)))
	}
	if len(parts) == 0 {
		return "<none>"
	}
	return strings.Join(parts, ", ")
}

func describeJob(w *prefixWriter, job *batchv1.Job, d DescribeContext) {
	w.write(0, "Name:\t%s\n", job.Name)
	w.write(0, "Namespace:\t%s\n", job.Namespace)
	w.write(0, "Selector:\t%s\n", selectorString(job.Spec.Selector))
	printLabelsMultiline(w, "Labels", job.Labels)
	printAnnotationsMultiline(w, "Annotations", job.Annotations)
	if c := printController(job); c != "" {
		w.write(0, "Controlled By:\t%s\n", c)
	}
	if job.Spec.Parallelism != nil {
		w.write(0, "Parallelism:\t%d\n", *job.Spec.Parallelism)
	}
	if job.Spec.Completions != nil {
		w.write(0, "Completions:\t%d\n", *job.Spec.Completions)
	} else {
		w.write(0, "Completions:\t<unset>\n")
	}
	if job.Spec.CompletionMode != nil {
		w.write(0, "Completion Mode:\t%s\n", *job.Spec.CompletionMode)
	}
	if job.Spec.Suspend != nil {
		w.write(0, "Suspend:\t%v\n", *job.Spec.Suspend)
	}
	if job.Spec.BackoffLimit != nil {
		w.write(0, "Backoff Limit:\t%v\n", *job.Spec.BackoffLimit)
	}
	if job.Spec.TTLSecondsAfterFinished != nil {
		w.write(0, "TTL Seconds After Finished:\t%v\n", *job.Spec.TTLSecondsAfterFinished)
	}
	if job.Status.StartTime != nil {
		w.write(0, "Start Time:\t%s\n", rfc1123(*job.Status.StartTime))
	}
	if job.Status.CompletionTime != nil {
		w.write(0, "Completed At:\t%s\n", rfc1123(*job.Status.CompletionTime))
	}
	if job.Status.StartTime != nil && job.Status.CompletionTime != nil {
		w.write(0, "Duration:\t%s\n", duration.HumanDuration(job.Status.CompletionTime.Sub(job.Status.StartTime.Time)))
	}
	if job.Spec.ActiveDeadlineSeconds != nil {
		w.write(0, "Active Deadline Seconds:\t%ds\n", *job.Spec.ActiveDeadlineSeconds)
	}
	if job.Status.Ready == nil {
		w.write(0, "Pods Statuses:\t%d Active / %d Succeeded / %d Failed\n", job.Status.Active, job.Status.Succeeded, job.Status.Failed)
	} else {
		w.write(0, "Pods Statuses:\t%d Active (%d Ready) / %d Succeeded / %d Failed\n", job.Status.Active, *job.Status.Ready, job.Status.Succeeded, job.Status.Failed)
	}
	if job.Spec.CompletionMode != nil && *job.Spec.CompletionMode == batchv1.IndexedCompletion {
		w.write(0, "Completed Indexes:\t%s\n", capIndexes(job.Status.CompletedIndexes, 50))
	}
	describePodTemplate(w, &job.Spec.Template)
	describeEvents(w, d.Events, d.Now)
}

func capIndexes(indexes string, softLimit int) string {
	if indexes == "" {
		return "<none>"
	}
	ix := softLimit
	for ; ix < len(indexes); ix++ {
		if indexes[ix] == ',' {
			break
		}
	}
	if ix >= len(indexes) {
		return indexes
	}
	return indexes[:ix+1] + "..."
}

func describeCronJob(w *prefixWriter, cj *batchv1.CronJob, d DescribeContext) {
	w.write(0, "Name:\t%s\n", cj.Name)
	w.write(0, "Namespace:\t%s\n", cj.Namespace)
	printLabelsMultiline(w, "Labels", cj.Labels)
	printAnnotationsMultiline(w, "Annotations", cj.Annotations)
	w.write(0, "Schedule:\t%s\n", cj.Spec.Schedule)
	w.write(0, "Concurrency Policy:\t%s\n", cj.Spec.ConcurrencyPolicy)
	w.write(0, "Suspend:\t%s\n", boolPtrString(cj.Spec.Suspend))
	if cj.Spec.TimeZone != nil {
		w.write(0, "Time Zone:\t%s\n", *cj.Spec.TimeZone)
	} else {
		w.write(0, "Time Zone:\t<unset>\n")
	}
	if v := cj.Spec.SuccessfulJobsHistoryLimit; v != nil {
		w.write(0, "Successful Job History Limit:\t%d\n", *v)
	} else {
		w.write(0, "Successful Job History Limit:\t<unset>\n")
	}
	if v := cj.Spec.FailedJobsHistoryLimit; v != nil {
		w.write(0, "Failed Job History Limit:\t%d\n", *v)
	} else {
		w.write(0, "Failed Job History Limit:\t<unset>\n")
	}
	if v := cj.Spec.StartingDeadlineSeconds; v != nil {
		w.write(0, "Starting Deadline Seconds:\t%ds\n", *v)
	} else {
		w.write(0, "Starting Deadline Seconds:\t<unset>\n")
	}
	jt := cj.Spec.JobTemplate.Spec
	if jt.Selector != nil {
		w.write(0, "Selector:\t%s\n", selectorString(jt.Selector))
	} else {
		w.write(0, "Selector:\t<unset>\n")
	}
	if jt.Parallelism != nil {
		w.write(0, "Parallelism:\t%d\n", *jt.Parallelism)
	} else {
		w.write(0, "Parallelism:\t<unset>\n")
	}
	if jt.Completions != nil {
		w.write(0, "Completions:\t%d\n", *jt.Completions)
	} else {
		w.write(0, "Completions:\t<unset>\n")
	}
	if jt.ActiveDeadlineSeconds != nil {
		w.write(0, "Active Deadline Seconds:\t%ds\n", *jt.ActiveDeadlineSeconds)
	}
	describePodTemplate(w, &jt.Template)
	if cj.Status.LastScheduleTime != nil {
		w.write(0, "Last Schedule Time:\t%s\n", rfc1123(*cj.Status.LastScheduleTime))
	} else {
		w.write(0, "Last Schedule Time:\t<unset>\n")
	}
	w.write(0, "Active Jobs:\t")
	if len(cj.Status.Active) == 0 {
		w.writeLine("<none>")
	} else {
		for i, j := range cj.Status.Active {
			if i != 0 {
				w.write(0, ", ")
			}
			w.write(0, "%s", j.Name)
		}
		w.writeLine("")
	}
	describeEvents(w, d.Events, d.Now)
}

// ---- cluster objects ----

func describeNode(w *prefixWriter, node *corev1.Node, d DescribeContext) {
	w.write(0, "Name:\t%s\n", node.Name)
	if roles := NodeRoles(node); len(roles) > 0 {
		w.write(0, "Roles:\t%s\n", strings.Join(roles, ","))
	} else {
		w.write(0, "Roles:\t<none>\n")
	}
	printLabelsMultiline(w, "Labels", node.Labels)
	printAnnotationsMultiline(w, "Annotations", node.Annotations)
	w.write(0, "CreationTimestamp:\t%s\n", rfc1123(node.CreationTimestamp))
	w.write(0, "Taints:\t")
	if len(node.Spec.Taints) == 0 {
		w.writeLine("<none>")
	} else {
		taints := append([]corev1.Taint(nil), node.Spec.Taints...)
		sort.SliceStable(taints, func(i, j int) bool {
			return string(taints[i].Effect)+","+taints[i].Key < string(taints[j].Effect)+","+taints[j].Key
		})
		for i := range taints {
			if i != 0 {
				w.write(0, "\t")
			}
			w.write(0, "%s\n", taints[i].ToString())
		}
	}
	w.write(0, "Unschedulable:\t%v\n", node.Spec.Unschedulable)

	// kubetab keeps no Lease objects; the kubelet's lease would name the node and be renewed
	// with the Ready heartbeat.
	w.write(0, "Lease:\n")
	w.write(1, "HolderIdentity:\t%s\n", node.Name)
	w.write(1, "AcquireTime:\t<unset>\n")
	renew := "<unset>"
	for _, c := range node.Status.Conditions {
		if c.Type == corev1.NodeReady && !c.LastHeartbeatTime.IsZero() {
			renew = rfc1123(c.LastHeartbeatTime)
		}
	}
	w.write(1, "RenewTime:\t%s\n", renew)

	if len(node.Status.Conditions) > 0 {
		w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n")
		w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
		for _, c := range node.Status.Conditions {
			w.write(1, "%v \t%v \t%s \t%s \t%v \t%v\n", c.Type, c.Status, rfc1123(c.LastHeartbeatTime), rfc1123(c.LastTransitionTime), c.Reason, c.Message)
		}
	}
	w.write(0, "Addresses:\n")
	for _, a := range node.Status.Addresses {
		w.write(1, "%s:\t%s\n", a.Type, a.Address)
	}
	printList := func(list corev1.ResourceList) {
		for _, name := range sortedResourceNames(list) {
			q := list[name]
			w.write(0, "  %s:\t%s\n", name, q.String())
		}
	}
	if len(node.Status.Capacity) > 0 {
		w.write(0, "Capacity:\n")
		printList(node.Status.Capacity)
	}
	if len(node.Status.Allocatable) > 0 {
		w.write(0, "Allocatable:\n")
		printList(node.Status.Allocatable)
	}
	info := node.Status.NodeInfo
	w.write(0, "System Info:\n")
	w.write(0, "  Machine ID:\t%s\n", info.MachineID)
	w.write(0, "  System UUID:\t%s\n", info.SystemUUID)
	w.write(0, "  Boot ID:\t%s\n", info.BootID)
	w.write(0, "  Kernel Version:\t%s\n", info.KernelVersion)
	w.write(0, "  OS Image:\t%s\n", info.OSImage)
	w.write(0, "  Operating System:\t%s\n", info.OperatingSystem)
	w.write(0, "  Architecture:\t%s\n", info.Architecture)
	w.write(0, "  Container Runtime Version:\t%s\n", info.ContainerRuntimeVersion)
	w.write(0, "  Kubelet Version:\t%s\n", info.KubeletVersion)
	if node.Spec.PodCIDR != "" {
		w.write(0, "PodCIDR:\t%s\n", node.Spec.PodCIDR)
	}
	if len(node.Spec.PodCIDRs) > 0 {
		w.write(0, "PodCIDRs:\t%s\n", strings.Join(node.Spec.PodCIDRs, ","))
	}
	if node.Spec.ProviderID != "" {
		w.write(0, "ProviderID:\t%s\n", node.Spec.ProviderID)
	}
	describeNodeResource(w, node, d)
	describeEvents(w, d.Events, d.Now)
}

func describeNodeResource(w *prefixWriter, node *corev1.Node, d DescribeContext) {
	var pods []*corev1.Pod
	for _, p := range d.Pods {
		if p.Spec.NodeName == node.Name && p.Status.Phase != corev1.PodSucceeded && p.Status.Phase != corev1.PodFailed {
			pods = append(pods, p)
		}
	}
	sort.SliceStable(pods, func(i, j int) bool {
		if pods[i].Namespace != pods[j].Namespace {
			return pods[i].Namespace < pods[j].Namespace
		}
		return pods[i].Name < pods[j].Name
	})
	w.write(0, "Non-terminated Pods:\t(%d in total)\n", len(pods))
	w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n")
	w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
	allocatable := node.Status.Capacity
	if len(node.Status.Allocatable) > 0 {
		allocatable = node.Status.Allocatable
	}
	cpuAlloc := allocatable.Cpu().MilliValue()
	memAlloc := allocatable.Memory().Value()
	pct := func(v, of int64) int64 {
		if of == 0 {
			return 0
		}
		return int64(float64(v) / float64(of) * 100)
	}
	totalReq, totalLim := corev1.ResourceList{}, corev1.ResourceList{}
	for _, p := range pods {
		req, lim := podRequestsAndLimits(p)
		for n, q := range req {
			addQuantity(totalReq, n, q)
		}
		for n, q := range lim {
			addQuantity(totalLim, n, q)
		}
		cpuReq, cpuLim, memReq, memLim := req[corev1.ResourceCPU], lim[corev1.ResourceCPU], req[corev1.ResourceMemory], lim[corev1.ResourceMemory]
		w.write(1, "%s\t%s\t\t%s (%d%%)\t%s (%d%%)\t%s (%d%%)\t%s (%d%%)\t%s\n", p.Namespace, p.Name,
			cpuReq.String(), pct(cpuReq.MilliValue(), cpuAlloc), cpuLim.String(), pct(cpuLim.MilliValue(), cpuAlloc),
			memReq.String(), pct(memReq.Value(), memAlloc), memLim.String(), pct(memLim.Value(), memAlloc), Age(p.CreationTimestamp, d.Now))
	}
	w.write(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n")
	w.write(1, "Resource\tRequests\tLimits\n")
	w.write(1, "--------\t--------\t------\n")
	cpuReqs, cpuLims := totalReq[corev1.ResourceCPU], totalLim[corev1.ResourceCPU]
	memReqs, memLims := totalReq[corev1.ResourceMemory], totalLim[corev1.ResourceMemory]
	esReqs, esLims := totalReq[corev1.ResourceEphemeralStorage], totalLim[corev1.ResourceEphemeralStorage]
	esAlloc := allocatable.StorageEphemeral().Value()
	w.write(1, "%s\t%s (%d%%)\t%s (%d%%)\n", corev1.ResourceCPU, cpuReqs.String(), pct(cpuReqs.MilliValue(), cpuAlloc), cpuLims.String(), pct(cpuLims.MilliValue(), cpuAlloc))
	w.write(1, "%s\t%s (%d%%)\t%s (%d%%)\n", corev1.ResourceMemory, memReqs.String(), pct(memReqs.Value(), memAlloc), memLims.String(), pct(memLims.Value(), memAlloc))
	w.write(1, "%s\t%s (%d%%)\t%s (%d%%)\n", corev1.ResourceEphemeralStorage, esReqs.String(), pct(esReqs.Value(), esAlloc), esLims.String(), pct(esLims.Value(), esAlloc))
	var hugePages, ext []string
	for name := range allocatable {
		n := string(name)
		switch {
		case strings.HasPrefix(n, corev1.ResourceHugePagesPrefix):
			hugePages = append(hugePages, n)
		case n == "cpu" || n == "memory" || n == "ephemeral-storage" || n == "pods":
		default:
			ext = append(ext, n)
		}
	}
	sort.Strings(hugePages)
	sort.Strings(ext)
	for _, n := range hugePages {
		name := corev1.ResourceName(n)
		req, lim, alloc := totalReq[name], totalLim[name], allocatable[name]
		w.write(1, "%s\t%s (%d%%)\t%s (%d%%)\n", n, req.String(), pct(req.Value(), alloc.Value()), lim.String(), pct(lim.Value(), alloc.Value()))
	}
	for _, n := range ext {
		name := corev1.ResourceName(n)
		req, lim := totalReq[name], totalLim[name]
		w.write(1, "%s\t%s\t%s\n", n, req.String(), lim.String())
	}
}

// podRequestsAndLimits sums the app containers and takes the max with each init container,
// as the scheduler's pod resource accounting does.
func podRequestsAndLimits(pod *corev1.Pod) (reqs, limits corev1.ResourceList) {
	reqs, limits = corev1.ResourceList{}, corev1.ResourceList{}
	for _, c := range pod.Spec.Containers {
		for n, q := range c.Resources.Requests {
			addQuantity(reqs, n, q)
		}
		for n, q := range c.Resources.Limits {
			addQuantity(limits, n, q)
		}
	}
	maxInto := func(list corev1.ResourceList, n corev1.ResourceName, q resource.Quantity) {
		if cur, ok := list[n]; !ok || q.Cmp(cur) > 0 {
			list[n] = q.DeepCopy()
		}
	}
	for _, c := range pod.Spec.InitContainers {
		for n, q := range c.Resources.Requests {
			maxInto(reqs, n, q)
		}
		for n, q := range c.Resources.Limits {
			maxInto(limits, n, q)
		}
	}
	if pod.Spec.Overhead != nil {
		for n, q := range pod.Spec.Overhead {
			addQuantity(reqs, n, q)
			if _, ok := limits[n]; ok {
				addQuantity(limits, n, q)
			}
		}
	}
	return reqs, limits
}

func describeNamespace(w *prefixWriter, ns *corev1.Namespace) {
	w.write(0, "Name:\t%s\n", ns.Name)
	printLabelsMultiline(w, "Labels", ns.Labels)
	printAnnotationsMultiline(w, "Annotations", ns.Annotations)
	w.write(0, "Status:\t%s\n", string(ns.Status.Phase))
	if len(ns.Status.Conditions) > 0 {
		w.write(0, "Conditions:\n")
		w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n")
		w.write(1, "----\t------\t------------------\t------\t-------\n")
		for _, c := range ns.Status.Conditions {
			w.write(1, "%v\t%v\t%s\t%v\t%v\n", c.Type, c.Status, rfc1123(c.LastTransitionTime), c.Reason, c.Message)
		}
	}
	// kubetab serves no ResourceQuota or LimitRange objects, so both lists are empty.
	w.write(0, "\n")
	w.write(0, "No resource quota.\n")
	w.write(0, "\n")
	w.write(0, "No LimitRange resource.\n")
}

func describeConfigMap(w *prefixWriter, cm *corev1.ConfigMap, d DescribeContext) {
	w.write(0, "Name:\t%s\n", cm.Name)
	w.write(0, "Namespace:\t%s\n", cm.Namespace)
	printLabelsMultiline(w, "Labels", cm.Labels)
	printAnnotationsMultiline(w, "Annotations", cm.Annotations)
	w.write(0, "\nData\n====\n")
	for _, k := range sortedKeys(cm.Data) {
		w.write(0, "%s:\n----\n", k)
		w.write(0, "%s\n", cm.Data[k])
		w.write(0, "\n")
	}
	w.write(0, "\nBinaryData\n====\n")
	for _, k := range sortedKeys(cm.BinaryData) {
		w.write(0, "%s: %s bytes\n", k, strconv.Itoa(len(cm.BinaryData[k])))
	}
	w.write(0, "\n")
	describeEvents(w, d.Events, d.Now)
}

// describeSecret shows the size of each value, never the value: only a service account
// token is shown as it is, as upstream does. kubectl looks up no events for a Secret.
func describeSecret(w *prefixWriter, s *corev1.Secret) {
	describeNamespacedMeta(w, s)
	w.write(0, "\nType:\t%s\n", s.Type)
	w.write(0, "\nData\n====\n")
	for _, k := range sortedKeys(s.Data) {
		if k == corev1.ServiceAccountTokenKey && s.Type == corev1.SecretTypeServiceAccountToken {
			w.write(0, "%s:\t%s\n", k, string(s.Data[k]))
			continue
		}
		w.write(0, "%s:\t%d bytes\n", k, len(s.Data[k]))
	}
}

// describeNamespacedMeta writes the lines every namespaced description starts with.
func describeNamespacedMeta(w *prefixWriter, m metav1.Object) {
	w.write(0, "Name:\t%s\n", m.GetName())
	w.write(0, "Namespace:\t%s\n", m.GetNamespace())
	printLabelsMultiline(w, "Labels", m.GetLabels())
	printAnnotationsMultiline(w, "Annotations", m.GetAnnotations())
}

func describeService(w *prefixWriter, svc *corev1.Service, d DescribeContext) {
	describeNamespacedMeta(w, svc)
	w.write(0, "Selector:\t%s\n", labels.FormatLabels(svc.Spec.Selector))
	w.write(0, "Type:\t%s\n", svc.Spec.Type)
	if svc.Spec.IPFamilyPolicy != nil {
		w.write(0, "IP Family Policy:\t%s\n", *svc.Spec.IPFamilyPolicy)
	}
	if len(svc.Spec.IPFamilies) > 0 {
		fams := make([]string, len(svc.Spec.IPFamilies))
		for i, f := range svc.Spec.IPFamilies {
			fams[i] = string(f)
		}
		w.write(0, "IP Families:\t%s\n", strings.Join(fams, ","))
	} else {
		w.write(0, "IP Families:\t<none>\n")
	}
	w.write(0, "IP:\t%s\n", svc.Spec.ClusterIP)
	if len(svc.Spec.ClusterIPs) > 0 {
		w.write(0, "IPs:\t%s\n", strings.Join(svc.Spec.ClusterIPs, ","))
	} else {
		w.write(0, "IPs:\t<none>\n")
	}
	if len(svc.Spec.ExternalIPs) > 0 {
		w.write(0, "External IPs:\t%v\n", strings.Join(svc.Spec.ExternalIPs, ","))
	}
	if svc.Spec.LoadBalancerIP != "" {
		w.write(0, "Desired LoadBalancer IP:\t%s\n", svc.Spec.LoadBalancerIP)
	}
	if svc.Spec.ExternalName != "" {
		w.write(0, "External Name:\t%s\n", svc.Spec.ExternalName)
	}
	if len(svc.Status.LoadBalancer.Ingress) > 0 {
		var parts []string
		for _, in := range svc.Status.LoadBalancer.Ingress {
			if in.IP != "" {
				s := in.IP
				if in.IPMode != nil {
					s += fmt.Sprintf(" (%s)", *in.IPMode)
				}
				parts = append(parts, s)
			} else {
				parts = append(parts, in.Hostname)
			}
		}
		w.write(0, "LoadBalancer Ingress:\t%s\n", strings.Join(parts, ", "))
	}
	for _, sp := range svc.Spec.Ports {
		name := sp.Name
		if name == "" {
			name = "<unset>"
		}
		w.write(0, "Port:\t%s\t%d/%s\n", name, sp.Port, sp.Protocol)
		if sp.TargetPort.Type == intstr.Int {
			w.write(0, "TargetPort:\t%d/%s\n", sp.TargetPort.IntVal, sp.Protocol)
		} else {
			w.write(0, "TargetPort:\t%s/%s\n", sp.TargetPort.StrVal, sp.Protocol)
		}
		if sp.AppProtocol != nil {
			w.write(0, "AppProtocol:\t%s\n", *sp.AppProtocol)
		}
		if sp.NodePort != 0 {
			w.write(0, "NodePort:\t%s\t%d/%s\n", name, sp.NodePort, sp.Protocol)
		}
		w.write(0, "Endpoints:\t%s\n", formatEndpointSlices(d.EndpointSlices, sp.Name))
	}
	w.write(0, "Session Affinity:\t%s\n", svc.Spec.SessionAffinity)
	if svc.Spec.ExternalTrafficPolicy != "" {
		w.write(0, "External Traffic Policy:\t%s\n", svc.Spec.ExternalTrafficPolicy)
	}
	if svc.Spec.InternalTrafficPolicy != nil {
		w.write(0, "Internal Traffic Policy:\t%s\n", *svc.Spec.InternalTrafficPolicy)
	}
	if svc.Spec.HealthCheckNodePort != 0 {
		w.write(0, "HealthCheck NodePort:\t%d\n", svc.Spec.HealthCheckNodePort)
	}
	if len(svc.Spec.LoadBalancerSourceRanges) > 0 {
		w.write(0, "LoadBalancer Source Ranges:\t%v\n", strings.Join(svc.Spec.LoadBalancerSourceRanges, ","))
	}
	if svc.Spec.TrafficDistribution != nil {
		w.write(0, "Traffic Distribution:\t%s\n", *svc.Spec.TrafficDistribution)
	}
	describeEvents(w, d.Events, d.Now)
}

// formatEndpointSlices is describe's formatEndpointSlices for one port name: the ready
// addresses of the slices offering it, at most three, then `+ N more...`; "<none>" without
// slices, nothing when they hold no ready address.
func formatEndpointSlices(slices []*discoveryv1.EndpointSlice, portName string) string {
	if len(slices) == 0 {
		return "<none>"
	}
	const max = 3
	var list []string
	count := 0
	add := func(ep *discoveryv1.Endpoint, port *int32) {
		if ep.Conditions.Ready != nil && !*ep.Conditions.Ready {
			return
		}
		if len(list) < max {
			if port == nil {
				list = append(list, ep.Addresses[0])
			} else {
				list = append(list, net.JoinHostPort(ep.Addresses[0], strconv.Itoa(int(*port))))
			}
		}
		count++
	}
	for _, s := range slices {
		if len(s.Ports) == 0 {
			// A headless Service may have no ports.
			for i := range s.Endpoints {
				add(&s.Endpoints[i], nil)
			}
			continue
		}
		for _, p := range s.Ports {
			if p.Name == nil || *p.Name != portName {
				continue
			}
			for i := range s.Endpoints {
				add(&s.Endpoints[i], p.Port)
			}
		}
	}
	return joinWithMore(list, count, max)
}

// joinWithMore joins what a column shows of a list, with ` + N more...` for the rest.
func joinWithMore(list []string, count, max int) string {
	s := strings.Join(list, ",")
	if count > max {
		s = fmt.Sprintf("%s + %d more...", s, count-max)
	}
	return s
}

//lint:ignore SA1019 v1 Endpoints are deprecated and still served
func describeEndpoints(w *prefixWriter, ep *corev1.Endpoints, d DescribeContext) {
	describeNamespacedMeta(w, ep)
	w.write(0, "Subsets:\n")
	ips := func(as []corev1.EndpointAddress) string {
		if len(as) == 0 {
			return "<none>"
		}
		l := make([]string, len(as))
		for i, a := range as {
			l[i] = a.IP
		}
		return strings.Join(l, ",")
	}
	for _, ss := range ep.Subsets {
		w.write(1, "Addresses:\t%s\n", ips(ss.Addresses))
		w.write(1, "NotReadyAddresses:\t%s\n", ips(ss.NotReadyAddresses))
		if len(ss.Ports) > 0 {
			w.write(1, "Ports:\n")
			w.write(2, "Name\tPort\tProtocol\n")
			w.write(2, "----\t----\t--------\n")
			for _, p := range ss.Ports {
				w.write(2, "%s\t%d\t%s\n", orUnset(p.Name), p.Port, p.Protocol)
			}
		}
		w.write(0, "\n")
	}
	describeEvents(w, d.Events, d.Now)
}

func describeEndpointSlice(w *prefixWriter, s *discoveryv1.EndpointSlice, d DescribeContext) {
	describeNamespacedMeta(w, s)
	w.write(0, "AddressType:\t%s\n", string(s.AddressType))
	if len(s.Ports) == 0 {
		w.write(0, "Ports: <unset>\n")
	} else {
		w.write(0, "Ports:\n")
		w.write(1, "Name\tPort\tProtocol\n")
		w.write(1, "----\t----\t--------\n")
		for _, p := range s.Ports {
			name, num, proto := "<unset>", "<unset>", ""
			if p.Name != nil && *p.Name != "" {
				name = *p.Name
			}
			if p.Port != nil {
				num = strconv.Itoa(int(*p.Port))
			}
			if p.Protocol != nil {
				proto = string(*p.Protocol)
			}
			w.write(1, "%s\t%s\t%s\n", name, num, proto)
		}
	}
	if len(s.Endpoints) == 0 {
		w.write(0, "Endpoints: <none>\n")
	} else {
		w.write(0, "Endpoints:\n")
		for _, ep := range s.Endpoints {
			addrs := strings.Join(ep.Addresses, ", ")
			if addrs == "" {
				addrs = "<none>"
			}
			w.write(1, "- Addresses:\t%s\n", addrs)
			w.write(2, "Conditions:\n")
			ready := "<unset>"
			if ep.Conditions.Ready != nil {
				ready = strconv.FormatBool(*ep.Conditions.Ready)
			}
			w.write(3, "Ready:\t%s\n", ready)
			w.write(2, "Hostname:\t%s\n", derefOrUnset(ep.Hostname))
			if r := ep.TargetRef; r != nil {
				w.write(2, "TargetRef:\t%s/%s\n", r.Kind, r.Name)
			}
			w.write(2, "NodeName:\t%s\n", derefOrUnset(ep.NodeName))
			w.write(2, "Zone:\t%s\n", derefOrUnset(ep.Zone))
		}
	}
	describeEvents(w, d.Events, d.Now)
}

func orUnset(s string) string {
	if s == "" {
		return "<unset>"
	}
	return s
}

func derefOrUnset(p *string) string {
	if p == nil {
		return "<unset>"
	}
	return *p
}

func sortedKeys[V any](m map[string]V) []string {
	// slices.Sorted(maps.Keys): instances the wasm has already, not a loop per package and
	// value type.
	return slices.Sorted(maps.Keys(m))
}

func sortedResourceNames(list corev1.ResourceList) []corev1.ResourceName {
	names := make([]corev1.ResourceName, 0, len(list))
	for n := range list {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return names[i] < names[j] })
	return names
}
