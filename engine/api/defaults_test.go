package api

import (
	"math"
	"reflect"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func TestDefaultImagePullPolicy(t *testing.T) {
	for image, want := range map[string]corev1.PullPolicy{
		"luksa/kubia":                     corev1.PullAlways,
		"nginx:latest":                    corev1.PullAlways,
		"nginx:1.14.2":                    corev1.PullIfNotPresent,
		"localhost:5000/app":              corev1.PullAlways,
		"localhost:5000/app:v1":           corev1.PullIfNotPresent,
		"busybox@sha256:0123456789abcdef": corev1.PullIfNotPresent,
	} {
		if got := DefaultImagePullPolicy(image); got != want {
			t.Errorf("%s: %s, want %s", image, got, want)
		}
	}
}

func TestDefaultPod(t *testing.T) {
	pod := decodeOne(t, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: x:1\n    ports:\n    - containerPort: 8080\n    livenessProbe:\n      httpGet:\n        port: 8080\n").(*corev1.Pod)
	s := pod.Spec
	c := s.Containers[0]
	switch {
	case s.RestartPolicy != corev1.RestartPolicyAlways, *s.TerminationGracePeriodSeconds != 30, s.DNSPolicy != corev1.DNSClusterFirst,
		s.SchedulerName != "default-scheduler", s.SecurityContext == nil, !*s.EnableServiceLinks:
		t.Errorf("pod spec defaults: %+v", s)
	case c.TerminationMessagePath != "/dev/termination-log", c.TerminationMessagePolicy != corev1.TerminationMessageReadFile,
		c.ImagePullPolicy != corev1.PullIfNotPresent, c.Ports[0].Protocol != corev1.ProtocolTCP:
		t.Errorf("container defaults: %+v", c)
	}
	p := c.LivenessProbe
	if p.PeriodSeconds != 10 || p.TimeoutSeconds != 1 || p.SuccessThreshold != 1 || p.FailureThreshold != 3 || p.HTTPGet.Scheme != corev1.URISchemeHTTP || p.HTTPGet.Path != "/" {
		t.Errorf("probe defaults: %+v", p)
	}

	AdmitPod(pod)
	AdmitPod(pod) // idempotent
	if len(pod.Spec.Tolerations) != 2 {
		t.Fatalf("tolerations: %+v", pod.Spec.Tolerations)
	}
	for i, key := range []string{"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"} {
		tol := pod.Spec.Tolerations[i]
		if tol.Key != key || tol.Operator != corev1.TolerationOpExists || tol.Effect != corev1.TaintEffectNoExecute || *tol.TolerationSeconds != 300 {
			t.Errorf("toleration %d: %+v", i, tol)
		}
	}
}

func TestDefaultWorkloads(t *testing.T) {
	rc := decodeOne(t, "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: kubia\nspec:\n  template:\n    metadata:\n      labels:\n        app: kubia\n    spec:\n      containers:\n      - name: kubia\n        image: luksa/kubia\n").(*corev1.ReplicationController)
	if *rc.Spec.Replicas != 1 || rc.Spec.Selector["app"] != "kubia" || rc.Labels["app"] != "kubia" {
		t.Errorf("rc: %+v %+v", rc.Spec, rc.Labels)
	}
	// enableServiceLinks is a pod default (SetDefaults_Pod), not a template one.
	if rc.Spec.Template.Spec.EnableServiceLinks != nil {
		t.Errorf("template enableServiceLinks: %v", *rc.Spec.Template.Spec.EnableServiceLinks)
	}

	ds := decodeOne(t, "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: d\n").(*appsv1.DaemonSet)
	ru := ds.Spec.UpdateStrategy.RollingUpdate
	if ds.Spec.UpdateStrategy.Type != appsv1.RollingUpdateDaemonSetStrategyType || *ru.MaxUnavailable != intstr.FromInt32(1) || *ru.MaxSurge != intstr.FromInt32(0) || *ds.Spec.RevisionHistoryLimit != 10 {
		t.Errorf("ds: %+v", ds.Spec)
	}

	d := decodeOne(t, "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n").(*appsv1.Deployment)
	if *d.Spec.Replicas != 1 || d.Spec.Strategy.RollingUpdate.MaxSurge.StrVal != "25%" || d.Spec.Strategy.RollingUpdate.MaxUnavailable.StrVal != "25%" || *d.Spec.RevisionHistoryLimit != 10 || *d.Spec.ProgressDeadlineSeconds != 600 {
		t.Errorf("deployment: %+v", d.Spec)
	}

	rs := decodeOne(t, "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: r\n").(*appsv1.ReplicaSet)
	if *rs.Spec.Replicas != 1 {
		t.Errorf("rs replicas %d", *rs.Spec.Replicas)
	}

	ns := decodeOne(t, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns1\n").(*corev1.Namespace)
	if ns.Status.Phase != corev1.NamespaceActive {
		t.Errorf("namespace phase %q", ns.Status.Phase)
	}
}

func TestDefaultJob(t *testing.T) {
	const base = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: batch-job\nspec:\n%s  template:\n    metadata:\n      labels:\n        app: batch-job\n    spec:\n      restartPolicy: OnFailure\n      containers:\n      - name: main\n        image: luksa/batch-job\n"
	job := decodeOne(t, strings.Replace(base, "%s", "", 1)).(*batchv1.Job)
	s := job.Spec
	if *s.Completions != 1 || *s.Parallelism != 1 || *s.BackoffLimit != 6 || *s.CompletionMode != batchv1.NonIndexedCompletion ||
		*s.Suspend || s.ManualSelector == nil || *s.ManualSelector || *s.PodReplacementPolicy != batchv1.TerminatingOrFailed || job.Labels["app"] != "batch-job" {
		t.Errorf("job defaults: %+v labels %v", s, job.Labels)
	}

	perIndex := decodeOne(t, strings.Replace(base, "%s", "  completions: 5\n  completionMode: Indexed\n  backoffLimitPerIndex: 1\n  podFailurePolicy:\n    rules:\n    - action: Ignore\n      onPodConditions:\n      - type: DisruptionTarget\n", 1)).(*batchv1.Job)
	ps := perIndex.Spec
	if *ps.BackoffLimit != math.MaxInt32 || ps.Completions == nil || *ps.Completions != 5 || *ps.Parallelism != 1 || *ps.PodReplacementPolicy != batchv1.Failed ||
		ps.PodFailurePolicy.Rules[0].OnPodConditions[0].Status != corev1.ConditionTrue {
		t.Errorf("indexed job defaults: %+v", ps)
	}

	job.UID = types.UID("uid-1")
	DefaultJobSelector(job)
	want := map[string]string{"app": "batch-job", "batch.kubernetes.io/controller-uid": "uid-1", "batch.kubernetes.io/job-name": "batch-job", "controller-uid": "uid-1", "job-name": "batch-job"}
	for k, v := range want {
		if job.Spec.Template.Labels[k] != v {
			t.Errorf("template label %s = %q", k, job.Spec.Template.Labels[k])
		}
	}
	if len(job.Spec.Selector.MatchLabels) != 1 || job.Spec.Selector.MatchLabels["batch.kubernetes.io/controller-uid"] != "uid-1" {
		t.Errorf("selector %+v", job.Spec.Selector)
	}
	if errs := ValidateCreate(job); len(errs) != 0 {
		t.Errorf("validate: %v", errs)
	}

	cj := decodeOne(t, "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: \"*/1 * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: main\n            image: busybox\n").(*batchv1.CronJob)
	cs := cj.Spec
	if cs.ConcurrencyPolicy != batchv1.AllowConcurrent || *cs.Suspend || *cs.SuccessfulJobsHistoryLimit != 3 || *cs.FailedJobsHistoryLimit != 1 ||
		cs.JobTemplate.Spec.Template.Spec.SchedulerName != "default-scheduler" {
		t.Errorf("cronjob defaults: %+v", cs)
	}
}

// The kube-api-access volume's source, one read-only value shared by every pod, reads as
// the literal it replaced, and copies as one.
func TestServiceAccountVolumeSource(t *testing.T) {
	want := &corev1.ProjectedVolumeSource{
		DefaultMode: ptrTo(corev1.ProjectedVolumeSourceDefaultMode),
		Sources: []corev1.VolumeProjection{
			{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{Path: "token", ExpirationSeconds: ptrTo[int64](ServiceAccountTokenExpirationSeconds)}},
			{ConfigMap: &corev1.ConfigMapProjection{LocalObjectReference: corev1.LocalObjectReference{Name: RootCAConfigMap}, Items: []corev1.KeyToPath{{Key: "ca.crt", Path: "ca.crt"}}}},
			{DownwardAPI: &corev1.DownwardAPIProjection{Items: []corev1.DownwardAPIVolumeFile{{Path: "namespace", FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "metadata.namespace"}}}}},
		},
	}
	got := serviceAccountProjection
	if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(got.DeepCopy(), want) {
		t.Fatalf("got %+v", got)
	}
}
