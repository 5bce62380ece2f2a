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

type logsOptions struct {
	plainArgs
	Container, Selector, Since, SinceTime, PodRunningTimeout string
	Tail, MaxLogRequests, LimitBytes                         int64
	Previous, Timestamps, AllContainers, Follow, Prefix      bool
	IgnoreErrors, InsecureSkipTLSVerifyBackend               bool

	tail, since, sinceTime *flag
}

var logsCommand = &command{
	name:  "logs",
	short: "Print the logs for a container in a pod",
	usage: "logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]",
	options: func(fs *flagSet) commandOptions {
		o := &logsOptions{}
		fs.String(&o.Container, "container", "c", "")
		o.tail = fs.Int64(&o.Tail, "tail", "", -1)
		fs.Bool(&o.Previous, "previous", "p", false)
		fs.Bool(&o.Timestamps, "timestamps", "", false)
		fs.Bool(&o.AllContainers, "all-containers", "", false)
		fs.Bool(&o.Follow, "follow", "f", false)
		fs.Bool(&o.Prefix, "prefix", "", false)
		fs.String(&o.Selector, "selector", "l", "")
		o.since = fs.String(&o.Since, "since", "", "")
		o.sinceTime = fs.String(&o.SinceTime, "since-time", "", "")
		fs.Int64(&o.MaxLogRequests, "max-log-requests", "", 5)
		fs.Int64(&o.LimitBytes, "limit-bytes", "", 0)
		fs.Bool(&o.IgnoreErrors, "ignore-errors", "", false)
		fs.String(&o.PodRunningTimeout, "pod-running-timeout", "", "")
		fs.Bool(&o.InsecureSkipTLSVerifyBackend, "insecure-skip-tls-verify-backend", "", false)
		return o
	},
}

// readOnly: a kubelet may write a container's log when it is read, and -f moves time.
func (o *logsOptions) readOnly() bool { return false }

// logStream is one container's log that `kubectl logs` prints.
type logStream struct {
	pod       *corev1.Pod
	container string
	printed   int // lines of the current log already printed (follow)
	last      *kubelet.LogLine
}

// logOptions are the filters of one `kubectl logs`.
type logOptions struct {
	previous, timestamps, prefix bool
	tail                         int64 // -1: all
	since                        time.Time
	limitBytes                   int64
}

// timestampFormat is how the kubelet writes log timestamps (RFC3339Nano with all nine
// digits, as containerd's CRI log files have them).
const timestampFormat = "2006-01-02T15:04:05.000000000Z07:00"

func (o *logsOptions) run(e *env) error {
	args := o.args
	var pods []*corev1.Pod
	container := o.Container
	opts := logOptions{previous: o.Previous, timestamps: o.Timestamps,
		prefix: o.Prefix, tail: o.Tail, limitBytes: o.LimitBytes}
	if o.since.changed && o.sinceTime.changed {
		return fmt.Errorf("at most one of `sinceTime` or `sinceSeconds` may be specified")
	}
	if o.since.changed {
		d, err := time.ParseDuration(o.Since)
		if err != nil {
			return fmt.Errorf("invalid argument %q for \"--since\" flag: %v", o.Since, err)
		}
		if d <= 0 {
			return fmt.Errorf("--since must be greater than 0")
		}
		// sinceSeconds is whole seconds, rounded up.
		secs := (d + time.Second - 1) / time.Second
		opts.since = e.c.Now().Add(-secs * time.Second)
	}
	if o.sinceTime.changed {
		t, err := time.ParseInLocation(time.RFC3339, o.SinceTime, time.UTC)
		if err != nil {
			return err
		}
		opts.since = t
	}
	if o.AllContainers && container != "" {
		return fmt.Errorf("--all-containers=true should not be specified with container name %s", container)
	}
	if opts.previous && o.Follow {
		return fmt.Errorf("only one of follow (-f) or previous (-p) is allowed")
	}
	switch {
	case o.Selector != "":
		if len(args) > 0 {
			return fmt.Errorf("only a selector (-l) or a POD name is allowed")
		}
		if !o.tail.changed {
			// kubectl shows the last 10 lines per container when a selector is given.
			opts.tail = 10
		}
		list, err := e.list(api.ResourceByName("pods"), false, o.Selector, "")
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
		pod, err := e.firstPod(args[0], true)
		if err != nil {
			return err
		}
		pods = []*corev1.Pod{pod}
	}
	var streams []*logStream
	for _, pod := range pods {
		names, err := e.logContainers(pod, container, o.AllContainers)
		if err != nil {
			return err
		}
		for _, c := range names {
			streams = append(streams, &logStream{pod: pod, container: c})
		}
	}
	follow := o.Follow
	if max := o.MaxLogRequests; follow && int64(len(streams)) > max {
		return fmt.Errorf("you are attempting to follow %d log streams, but maximum allowed concurrency is %d, use --max-log-requests to increase the limit", len(streams), max)
	}
	var errs []error
	for _, s := range streams {
		if err := e.printLogs(s, opts); err != nil {
			if !o.IgnoreErrors {
				return err
			}
			errs = append(errs, err)
		}
	}
	if follow && len(errs) == 0 {
		return e.followLogs(streams, opts)
	}
	return asError(errs)
}

// logContainers are the containers `kubectl logs` reads in a pod: -c, all of them (init
// containers first), or the default one (announced when there is a choice).
func (e *env) logContainers(pod *corev1.Pod, container string, allContainers bool) ([]string, error) {
	var containers []string
	switch {
	case allContainers:
		for _, c := range pod.Spec.InitContainers {
			containers = append(containers, c.Name)
		}
		for _, c := range pod.Spec.Containers {
			containers = append(containers, c.Name)
		}
		for _, c := range pod.Spec.EphemeralContainers {
			containers = append(containers, c.Name)
		}
	case container != "":
		if !specHasContainer(pod, container) {
			return nil, fmt.Errorf("container %s is not valid for pod %s", container, pod.Name)
		}
		containers = []string{container}
	default:
		if d := pod.Annotations["kubectl.kubernetes.io/default-container"]; d != "" {
			containers = []string{d}
			break
		}
		if len(pod.Spec.Containers) == 0 {
			return nil, fmt.Errorf("pod %s has no containers", pod.Name)
		}
		first := pod.Spec.Containers[0].Name
		if len(pod.Spec.Containers) > 1 || len(pod.Spec.InitContainers) > 0 || len(pod.Spec.EphemeralContainers) > 0 {
			e.errf("Defaulted container %q out of: %s\n", first, allContainerNames(pod))
		}
		containers = []string{first}
	}
	return containers, nil
}

// printLogs prints a stream's log as the filters select it.
func (e *env) printLogs(s *logStream, opts logOptions) error {
	lines, err := e.containers.ContainerLogs(s.pod.Namespace, s.pod.Name, s.container, opts.previous)
	if err != nil {
		return err
	}
	s.printed = len(lines)
	if len(lines) > 0 {
		s.last = &lines[len(lines)-1]
	}
	if n := e.containers.ContainerLogDropped(s.pod.Namespace, s.pod.Name, s.container); n > 0 && !opts.previous && (opts.tail < 0 || opts.tail > int64(len(lines))) {
		e.errf("kubetab: the %d oldest lines of this log were dropped (a container's log keeps its last %d lines).\n", n, kubelet.MaxLogLines)
	}
	if !opts.since.IsZero() {
		i := 0
		for i < len(lines) && lines[i].Time.Before(opts.since) {
			i++
		}
		lines = lines[i:]
	}
	if opts.tail >= 0 && int64(len(lines)) > opts.tail {
		lines = lines[int64(len(lines))-opts.tail:]
	}
	e.writeLogLines(s, lines, opts)
	return nil
}

func (e *env) writeLogLines(s *logStream, lines []kubelet.LogLine, opts logOptions) {
	var b strings.Builder
	for _, l := range lines {
		if opts.prefix {
			fmt.Fprintf(&b, "[pod/%s/%s] ", s.pod.Name, s.container)
		}
		if opts.timestamps {
			b.WriteString(l.Time.UTC().Format(timestampFormat) + " ")
		}
		b.WriteString(l.Text)
		if !strings.HasSuffix(l.Text, "\n") {
			b.WriteString("\n")
		}
	}
	out := b.String()
	if opts.limitBytes > 0 && int64(len(out)) > opts.limitBytes {
		out = out[:opts.limitBytes]
	}
	e.out("%s", out)
}

// followLogs is `kubectl logs -f`: after the log so far, new lines are printed as they are
// written while virtual time moves on, until every followed container has stopped running.
// Start leaves it running as a Stream (a real -f runs until the container ends or Ctrl-C);
// Run follows for the watch window (DefaultWatchWindow, or --request-timeout), as
// `kubectl get -w` does, and then says that it stopped following: in a script, following
// until the end could take forever.
func (e *env) followLogs(streams []*logStream, opts logOptions) error {
	opts.tail, opts.since = -1, time.Time{}
	step := func() bool {
		running := false
		for _, s := range streams {
			lines, err := e.containers.ContainerLogs(s.pod.Namespace, s.pod.Name, s.container, false)
			if err != nil {
				continue
			}
			fresh := newLogLines(lines, s)
			e.writeLogLines(s, fresh, opts)
			s.printed = len(lines)
			if len(lines) > 0 {
				s.last = &lines[len(lines)-1]
			}
			if containerRunning(e, s) {
				running = true
			}
		}
		return !running
	}
	if step() {
		return nil
	}
	if e.streaming {
		e.startStream(step, nil, "--follow=false")
		return nil
	}
	ended, elapsed, err := e.followWindow(step)
	if err != nil {
		return err
	}
	if !ended {
		e.errf("kubetab: stopped following after %s of virtual time (the watch window; set it with --request-timeout).\n", elapsed)
	}
	return nil
}

// newLogLines are the lines of a stream's log after those already printed; the log may
// have lost lines at its start (MaxLogLines) or begun afresh (a restart).
func newLogLines(lines []kubelet.LogLine, s *logStream) []kubelet.LogLine {
	if s.last == nil {
		return lines
	}
	if s.printed <= len(lines) && s.printed > 0 && lines[s.printed-1] == *s.last {
		return lines[s.printed:]
	}
	for i := len(lines) - 1; i >= 0; i-- {
		if lines[i] == *s.last {
			return lines[i+1:]
		}
	}
	return lines
}

// containerRunning tells whether a followed container is still running, per the pod's
// status.
func containerRunning(e *env, s *logStream) bool {
	obj, err := e.c.Store.Get(api.ResourceByName("pods"), s.pod.Namespace, s.pod.Name)
	if err != nil {
		return false
	}
	p := obj.(*corev1.Pod)
	if p.UID != s.pod.UID {
		return false
	}
	for _, list := range [][]corev1.ContainerStatus{p.Status.InitContainerStatuses, p.Status.ContainerStatuses} {
		for _, cs := range list {
			if cs.Name == s.container {
				return cs.State.Running != nil || (cs.State.Waiting != nil && cs.LastTerminationState.Terminated == nil && cs.RestartCount == 0)
			}
		}
	}
	return false
}

// firstPod finds the pod for `logs POD` or `exec TYPE/NAME` (a controller: one of its
// pods, which logs announces).
func (e *env) firstPod(arg string, announce bool) (*corev1.Pod, error) {
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
	if len(pods) > 1 && announce {
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
		if !api.IsPodReady(p) {
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
