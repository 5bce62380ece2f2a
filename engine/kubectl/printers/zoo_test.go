package printers

import (
	"time"

	"github.com/kubetab/kubetab/engine/api"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// podZoo has one pod per STATUS of SEMANTICS.md §5.
func podZoo() []api.Object {
	ready := []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}

	pending := basePod("pending")

	creating := basePod("creating")
	creating.Spec.NodeName = "worker-1"
	creating.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "main", State: waiting("ContainerCreating")}}

	run := basePod("running")
	run.Spec.NodeName = "worker-1"
	run.Status.Phase = corev1.PodRunning
	run.Status.PodIP = "10.244.1.5"
	run.Status.PodIPs = []corev1.PodIP{{IP: "10.244.1.5"}}
	run.Status.Conditions = ready
	run.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "main", Ready: true, State: running(10 * time.Second)}}

	restarted := run.DeepCopy()
	restarted.Name = "restarted"
	restarted.Status.ContainerStatuses[0].RestartCount = 2
	restarted.Status.ContainerStatuses[0].LastTerminationState = terminated("Error", 137, 200*time.Second, 265*time.Second)

	completed := basePod("completed")
	completed.Status.Phase = corev1.PodSucceeded
	completed.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "main", State: terminated("Completed", 0, 10*time.Second, 130*time.Second)}}

	failed := basePod("error")
	failed.Status.Phase = corev1.PodFailed
	failed.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "main", State: terminated("Error", 1, 10*time.Second, 20*time.Second)}}

	crash := basePod("crashloop")
	crash.Status.Phase = corev1.PodRunning
	crash.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "main", State: waiting("CrashLoopBackOff"), RestartCount: 3,
		LastTerminationState: terminated("Error", 1, 270*time.Second, 280*time.Second)}}

	terminating := run.DeepCopy()
	terminating.Name = "terminating"
	terminating.DeletionTimestamp = atp(290 * time.Second)
	terminating.DeletionGracePeriodSeconds = i64(30)

	lost := run.DeepCopy()
	lost.Name = "nodelost"
	lost.DeletionTimestamp = atp(200 * time.Second)
	lost.Status.Reason = "NodeLost"

	init := basePod("init")
	init.Spec.InitContainers = []corev1.Container{{Name: "setup", Image: "busybox"}}
	init.Status.InitContainerStatuses = []corev1.ContainerStatus{{Name: "setup", State: running(5 * time.Second)}}
	init.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "main", State: waiting("PodInitializing")}}

	evicted := basePod("evicted")
	evicted.Status.Phase = corev1.PodFailed
	evicted.Status.Reason = "Evicted"
	evicted.Status.Message = "The node was low on resource: memory."

	return []api.Object{pending, creating, run, restarted, completed, failed, crash, terminating, lost, init, evicted}
}

func workloads() []api.Object {
	rc := &corev1.ReplicationController{
		ObjectMeta: metav1.ObjectMeta{Name: "kubia", Namespace: "default", UID: "uid-rc", CreationTimestamp: at(0), Labels: map[string]string{"app": "kubia"}},
		Spec:       corev1.ReplicationControllerSpec{Replicas: i32(3), Selector: map[string]string{"app": "kubia"}, Template: kubiaTemplate()},
		Status:     corev1.ReplicationControllerStatus{Replicas: 3, ReadyReplicas: 2, AvailableReplicas: 2},
	}
	rs := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: "kubia", Namespace: "default", UID: "uid-rs", CreationTimestamp: at(0)},
		Spec: appsv1.ReplicaSetSpec{Replicas: i32(3), Template: *kubiaTemplate(), Selector: &metav1.LabelSelector{
			MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: metav1.LabelSelectorOpIn, Values: []string{"kubia"}}}}},
		Status: appsv1.ReplicaSetStatus{Replicas: 3, ReadyReplicas: 3},
	}
	dsTemplate := corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "ssd-monitor"}},
		Spec: corev1.PodSpec{NodeSelector: map[string]string{"disk": "ssd"},
			Containers: []corev1.Container{{Name: "main", Image: "luksa/ssd-monitor"}}},
	}
	ds := &appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{Name: "ssd-monitor", Namespace: "default", UID: "uid-ds", CreationTimestamp: at(0)},
		Spec:       appsv1.DaemonSetSpec{Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "ssd-monitor"}}, Template: dsTemplate},
		Status:     appsv1.DaemonSetStatus{DesiredNumberScheduled: 1, CurrentNumberScheduled: 1, NumberReady: 1, UpdatedNumberScheduled: 1, NumberAvailable: 1},
	}
	jobTemplate := corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "batch-job"}},
		Spec: corev1.PodSpec{RestartPolicy: corev1.RestartPolicyOnFailure,
			Containers: []corev1.Container{{Name: "main", Image: "luksa/batch-job"}}},
	}
	jobSelector := &metav1.LabelSelector{MatchLabels: map[string]string{"batch.kubernetes.io/controller-uid": "uid-job"}}
	done := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: "batch-job", Namespace: "default", UID: "uid-job", CreationTimestamp: at(0)},
		Spec:       batchv1.JobSpec{Completions: i32(1), Parallelism: i32(1), Selector: jobSelector, Template: jobTemplate},
		Status: batchv1.JobStatus{Succeeded: 1, StartTime: atp(0), CompletionTime: atp(125 * time.Second),
			Conditions: []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue}}},
	}
	multi := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: "multi-completion-batch-job", Namespace: "default", CreationTimestamp: at(60 * time.Second)},
		Spec:       batchv1.JobSpec{Completions: i32(5), Parallelism: i32(2), Template: jobTemplate},
		Status:     batchv1.JobStatus{Succeeded: 2, Active: 2, StartTime: atp(60 * time.Second)},
	}
	pending := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: "fresh", Namespace: "default", CreationTimestamp: at(299 * time.Second)},
		Spec:       batchv1.JobSpec{Parallelism: i32(3), Template: jobTemplate},
	}
	cj := &batchv1.CronJob{
		ObjectMeta: metav1.ObjectMeta{Name: "hello", Namespace: "default", CreationTimestamp: at(0)},
		Spec: batchv1.CronJobSpec{Schedule: "*/1 * * * *", Suspend: boolp(false),
			JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Template: jobTemplate}}},
		Status: batchv1.CronJobStatus{LastScheduleTime: atp(240 * time.Second), Active: []corev1.ObjectReference{{Name: "hello-28493284"}}},
	}
	cjNew := &batchv1.CronJob{
		ObjectMeta: metav1.ObjectMeta{Name: "nightly", Namespace: "default", CreationTimestamp: at(290 * time.Second)},
		Spec: batchv1.CronJobSpec{Schedule: "0 3 * * *", TimeZone: strp("Europe/Berlin"), Suspend: boolp(true),
			JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Template: jobTemplate}}},
	}
	dep := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "nginx-deployment", Namespace: "default", CreationTimestamp: at(282 * time.Second)},
		Spec:       appsv1.DeploymentSpec{Replicas: i32(3), Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "nginx"}}, Template: *kubiaTemplate()},
		Status:     appsv1.DeploymentStatus{Replicas: 3, UpdatedReplicas: 3, ReadyReplicas: 3, AvailableReplicas: 3},
	}
	return []api.Object{rc, rs, ds, done, multi, pending, cj, cjNew, dep}
}

func mustQ(s string) resource.Quantity { return resource.MustParse(s) }

func strp(s string) *string { return &s }

// livenessPod is kubia-liveness from Kubernetes in Action ch. 4 after one liveness kill.
func livenessPod() *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "kubia-liveness", Namespace: "default", UID: "uid-liveness", CreationTimestamp: at(0)},
		Spec: corev1.PodSpec{
			NodeName:           "worker-1",
			ServiceAccountName: "default",
			Priority:           i32(0),
			Containers: []corev1.Container{{
				Name: "kubia", Image: "luksa/kubia-unhealthy", ImagePullPolicy: corev1.PullAlways,
				LivenessProbe: &corev1.Probe{
					ProbeHandler:   corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/", Port: intstr.FromInt32(8080), Scheme: corev1.URISchemeHTTP}},
					TimeoutSeconds: 1, PeriodSeconds: 10, SuccessThreshold: 1, FailureThreshold: 3,
				},
				VolumeMounts: []corev1.VolumeMount{{Name: "kube-api-access-7xk2p", MountPath: "/var/run/secrets/kubernetes.io/serviceaccount", ReadOnly: true}},
			}},
			Volumes: []corev1.Volume{{Name: "kube-api-access-7xk2p", VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{
				Sources: []corev1.VolumeProjection{
					{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{Path: "token", ExpirationSeconds: i64(3607)}},
					{ConfigMap: &corev1.ConfigMapProjection{LocalObjectReference: corev1.LocalObjectReference{Name: "kube-root-ca.crt"}}},
					{DownwardAPI: &corev1.DownwardAPIProjection{}},
				}}}}},
			Tolerations: []corev1.Toleration{
				{Key: "node.kubernetes.io/not-ready", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: i64(300)},
				{Key: "node.kubernetes.io/unreachable", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: i64(300)},
			},
		},
		Status: corev1.PodStatus{
			Phase: corev1.PodRunning, HostIP: "172.18.0.3", PodIP: "10.244.1.5", PodIPs: []corev1.PodIP{{IP: "10.244.1.5"}},
			StartTime: atp(0), QOSClass: corev1.PodQOSBestEffort,
			Conditions: []corev1.PodCondition{
				{Type: "PodReadyToStartContainers", Status: corev1.ConditionTrue},
				{Type: corev1.PodInitialized, Status: corev1.ConditionTrue},
				{Type: corev1.PodReady, Status: corev1.ConditionTrue},
				{Type: corev1.ContainersReady, Status: corev1.ConditionTrue},
				{Type: corev1.PodScheduled, Status: corev1.ConditionTrue},
			},
			ContainerStatuses: []corev1.ContainerStatus{{
				Name: "kubia", Ready: true, RestartCount: 1, Started: boolp(true),
				Image: "docker.io/luksa/kubia-unhealthy:latest", ImageID: "docker.io/luksa/kubia-unhealthy@sha256:5c746a42612be61209417d913030d97555cff0b8225092908c57634ad7c235f7",
				ContainerID:          "containerd://3f4b5a1c9e2d",
				State:                running(142 * time.Second),
				LastTerminationState: terminated("Error", 137, 5*time.Second, 141*time.Second),
			}},
		},
	}
	return p
}

func livenessEvents() []*corev1.Event {
	ev := func(typ, reason, from, msg, fieldPath string, first, last time.Duration, count int32) *corev1.Event {
		return &corev1.Event{
			ObjectMeta:     metav1.ObjectMeta{Name: "kubia-liveness." + reason, Namespace: "default"},
			InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: "default", Name: "kubia-liveness", FieldPath: fieldPath},
			Type:           typ, Reason: reason, Message: msg, Source: corev1.EventSource{Component: from},
			FirstTimestamp: at(first), LastTimestamp: at(last), Count: count,
		}
	}
	// Given out of order on purpose: Describe sorts by last timestamp. The kubelet's events
	// name the container (fieldPath), which describe does not print.
	return []*corev1.Event{
		ev("Warning", "Unhealthy", "kubelet", "Liveness probe failed: HTTP probe failed with statuscode: 500", "spec.containers{kubia}", 115*time.Second, 135*time.Second, 3),
		ev("Normal", "Scheduled", "default-scheduler", "Successfully assigned default/kubia-liveness to worker-1", "", 0, 0, 1),
		ev("Normal", "Pulling", "kubelet", `Pulling image "luksa/kubia-unhealthy"`, "spec.containers{kubia}", 1*time.Second, 141*time.Second, 2),
		ev("Normal", "Pulled", "kubelet", `Successfully pulled image "luksa/kubia-unhealthy" in 3.2s (3.2s including waiting). Image size: 263841919 bytes.`, "spec.containers{kubia}", 4*time.Second, 4*time.Second, 1),
		ev("Normal", "Killing", "kubelet", "Container kubia failed liveness probe, will be restarted", "spec.containers{kubia}", 135*time.Second, 135*time.Second, 1),
		ev("Normal", "Created", "kubelet", "Created container: kubia", "spec.containers{kubia}", 5*time.Second, 142*time.Second, 2),
		ev("Normal", "Started", "kubelet", "Started container kubia", "spec.containers{kubia}", 5*time.Second, 142*time.Second, 2),
	}
}
