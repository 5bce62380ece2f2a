package job

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/apiserver/apiservertest"
	"github.com/kubetab/kubetab/engine/sim"
	"github.com/kubetab/kubetab/engine/store"
)

var t0 = time.Date(2026, time.January, 1, 9, 0, 0, 0, time.UTC)

// harness is a bare cluster with only this package's controllers; tests play scheduler and
// kubelet by writing pods and their status.
type harness struct {
	t testing.TB
	c *sim.Cluster
}

func newHarness(t testing.TB) *harness { return newHarnessBatching(t, 0) }

// newHarnessBatching is a harness whose Job controller waits batchPeriod after pod events.
func newHarnessBatching(t testing.TB, batchPeriod time.Duration) *harness {
	t.Helper()
	c := sim.New(1, t0)
	// Every sync checks the claims it reads from its cache against the store.
	newController(c, batchPeriod).verifyClaims = true
	if _, err := c.API.Client("test").Create(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "default"}}, apiserver.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, c: c}
	h.settle()
	return h
}

func (h *harness) settle() {
	h.t.Helper()
	if err := h.c.Settle(); err != nil {
		h.t.Fatal(err)
	}
}

// advance moves virtual time to t0+d.
func (h *harness) at(d time.Duration) {
	h.t.Helper()
	if err := h.c.Advance(t0.Add(d).Sub(h.c.Now())); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) since() time.Duration { return h.c.Now().Sub(t0) }

// newJob is a Job of one busybox container `main` running `sleep 120`, restartPolicy Never.
func newJob(name string, mutate func(*batchv1.Job)) *batchv1.Job {
	j := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default"},
		Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{
			Spec: corev1.PodSpec{
				RestartPolicy: corev1.RestartPolicyNever,
				Containers:    []corev1.Container{{Name: "main", Image: "busybox", Command: []string{"sleep", "120"}}},
			},
		}},
	}
	if mutate != nil {
		mutate(j)
	}
	return j
}

func (h *harness) create(j *batchv1.Job) {
	h.t.Helper()
	if _, err := h.c.API.Client("test").Create(j, apiserver.CreateOptions{}); err != nil {
		h.t.Fatal(err)
	}
	h.settle()
}

func (h *harness) job(name string) *batchv1.Job {
	h.t.Helper()
	obj, err := h.c.Store.Get(jobsResource, "default", name)
	if err != nil {
		h.t.Fatal(err)
	}
	return obj.(*batchv1.Job)
}

func (h *harness) jobExists(name string) bool {
	_, err := h.c.Store.Get(jobsResource, "default", name)
	return err == nil
}

func (h *harness) updateJob(name string, mutate func(*batchv1.Job)) {
	h.t.Helper()
	j := h.job(name).DeepCopy()
	mutate(j)
	apiservertest.Write(h.t, h.c.API.Client("test"), j)
	h.settle()
}

// pods lists the pods that name the Job as owner, by name.
func (h *harness) pods(job string) []*corev1.Pod {
	var out []*corev1.Pod
	for _, o := range h.c.Store.Dependents(h.job(job).UID) {
		if p, ok := o.(*corev1.Pod); ok {
			out = append(out, p)
		}
	}
	return out
}

// activePods are the Job's pods neither finished nor being deleted.
func (h *harness) activePods(job string) []*corev1.Pod {
	var out []*corev1.Pod
	for _, p := range h.pods(job) {
		if api.IsPodActive(p) {
			out = append(out, p)
		}
	}
	return out
}

func (h *harness) updatePod(name string, mutate func(*corev1.Pod)) {
	h.t.Helper()
	obj, err := h.c.Store.Get(podsResource, "default", name)
	if err != nil {
		h.t.Fatal(err)
	}
	p := obj.(*corev1.Pod).DeepCopy()
	mutate(p)
	apiservertest.Write(h.t, h.c.API.Client("test"), p)
	h.settle()
}

// run plays scheduler and kubelet: the pod is bound, Running and Ready.
func (h *harness) run(name string) {
	h.t.Helper()
	now := metav1.NewTime(h.c.Now())
	h.updatePod(name, func(p *corev1.Pod) {
		p.Spec.NodeName = "node-1"
		p.Status.Phase = corev1.PodRunning
		p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: now}}
		p.Status.ContainerStatuses = nil
		for _, c := range p.Spec.Containers {
			p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, corev1.ContainerStatus{
				Name: c.Name, Ready: true, State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: now}}})
		}
	})
}

// exit plays the kubelet: every container ends with code (the first) or 0 (the others),
// and the pod turns Succeeded or Failed.
func (h *harness) exit(name string, code int32, conds ...corev1.PodConditionType) {
	h.t.Helper()
	now := metav1.NewTime(h.c.Now())
	h.updatePod(name, func(p *corev1.Pod) {
		p.Status.Phase = corev1.PodSucceeded
		if code != 0 {
			p.Status.Phase = corev1.PodFailed
		}
		p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionFalse, LastTransitionTime: now}}
		for _, c := range conds {
			p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{Type: c, Status: corev1.ConditionTrue, LastTransitionTime: now})
		}
		p.Status.ContainerStatuses = nil
		for i, c := range p.Spec.Containers {
			ec := int32(0)
			if i == 0 {
				ec = code
			}
			p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, corev1.ContainerStatus{
				Name: c.Name, State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: ec, FinishedAt: now}}})
		}
	})
}

// finishDeletion plays the kubelet confirming that a terminating pod's containers are gone.
func (h *harness) finishDeletion(name string) {
	h.t.Helper()
	if _, err := h.c.API.Client("test").Delete(podsResource, "default", name, apiserver.DeleteOptions{GracePeriodSeconds: ptr.To[int64](0)}); err != nil {
		h.t.Fatal(err)
	}
	h.settle()
}

// conditions renders the Job's conditions: `Type=Status(Reason)@seconds`.
func conditions(j *batchv1.Job) string {
	var parts []string
	for _, c := range j.Status.Conditions {
		parts = append(parts, fmt.Sprintf("%s=%s(%s)@%s", c.Type, c.Status, c.Reason, c.LastTransitionTime.Sub(t0)))
	}
	return strings.Join(parts, " ")
}

// events renders the Job's events in order: `Type Reason: message`.
func (h *harness) events(job string) []string {
	obj, err := h.c.Store.List(api.ResourceByName("events"), "default", store.ListOptions{})
	if err != nil {
		h.t.Fatal(err)
	}
	var evs []*corev1.Event
	for _, o := range obj {
		ev := o.(*corev1.Event)
		if ev.InvolvedObject.Kind == "Job" && ev.InvolvedObject.Name == job {
			if ev.Source.Component != ControllerName {
				h.t.Errorf("event %s from %q", ev.Reason, ev.Source.Component)
			}
			evs = append(evs, ev)
		}
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].FirstTimestamp.Before(&evs[j].FirstTimestamp) })
	var out []string
	for _, ev := range evs {
		s := fmt.Sprintf("%s %s: %s", ev.Type, ev.Reason, ev.Message)
		if ev.Count > 1 {
			s += fmt.Sprintf(" (x%d)", ev.Count)
		}
		out = append(out, s)
	}
	return out
}

// lastEvents returns the last n events of the Job.
func (h *harness) lastEvents(job string, n int) []string {
	evs := h.events(job)
	if len(evs) > n {
		evs = evs[len(evs)-n:]
	}
	return evs
}

func (h *harness) expectEvents(job string, want ...string) {
	h.t.Helper()
	got := h.events(job)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		h.t.Errorf("events of %s:\n  %s\nwant:\n  %s", job, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func (h *harness) expectStatus(job string, active, succeeded, failed int32) {
	h.t.Helper()
	st := h.job(job).Status
	if st.Active != active || st.Succeeded != succeeded || st.Failed != failed {
		h.t.Errorf("at %s: active/succeeded/failed = %d/%d/%d, want %d/%d/%d", h.since(), st.Active, st.Succeeded, st.Failed, active, succeeded, failed)
	}
}

func (h *harness) expectConditions(job, want string) {
	h.t.Helper()
	if got := conditions(h.job(job)); got != want {
		h.t.Errorf("at %s conditions:\n  %s\nwant\n  %s", h.since(), got, want)
	}
}
