package printers

import (
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// t0 is the creation instant of most fixtures; tests pick `now` relative to it.
var t0 = time.Date(2024, 3, 4, 10, 0, 0, 0, time.UTC)

func at(d time.Duration) metav1.Time   { return metav1.NewTime(t0.Add(d)) }
func atp(d time.Duration) *metav1.Time { t := at(d); return &t }
func i32(v int32) *int32               { return &v }
func i64(v int64) *int64               { return &v }
func boolp(v bool) *bool               { return &v }

// assertText compares byte for byte and shows both texts with visible line ends on failure.
func assertText(t *testing.T, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("output mismatch\n--- got ---\n%s\n--- want ---\n%s", visible(got), visible(want))
	}
}

func visible(s string) string { return strings.ReplaceAll(s, "\n", "$\n") }

func basePod(name string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", CreationTimestamp: at(0), UID: types.UID("uid-" + name)},
		Spec: corev1.PodSpec{
			Containers: []corev1.Container{{Name: "main", Image: "busybox"}},
		},
		Status: corev1.PodStatus{Phase: corev1.PodPending},
	}
}

func running(since time.Duration) corev1.ContainerState {
	return corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: at(since)}}
}

func waiting(reason string) corev1.ContainerState {
	return corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason}}
}

func terminated(reason string, code int32, start, end time.Duration) corev1.ContainerState {
	return corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{Reason: reason, ExitCode: code, StartedAt: at(start), FinishedAt: at(end)}}
}

func controllerRef(kind, name string, uid types.UID) []metav1.OwnerReference {
	apiVersion := "v1"
	switch kind {
	case "ReplicaSet", "DaemonSet", "Deployment":
		apiVersion = "apps/v1"
	case "Job", "CronJob":
		apiVersion = "batch/v1"
	}
	return []metav1.OwnerReference{{APIVersion: apiVersion, Kind: kind, Name: name, UID: uid, Controller: boolp(true), BlockOwnerDeletion: boolp(true)}}
}

func kubiaTemplate() *corev1.PodTemplateSpec {
	return &corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "kubia"}},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{
			Name: "kubia", Image: "luksa/kubia",
			Ports: []corev1.ContainerPort{{ContainerPort: 8080, Protocol: corev1.ProtocolTCP}},
		}}},
	}
}

func node(name string, role string, ready corev1.ConditionStatus, ip string) *corev1.Node {
	n := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: name, CreationTimestamp: at(0), Labels: map[string]string{
			"kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
		}},
		Status: corev1.NodeStatus{
			Conditions: []corev1.NodeCondition{{
				Type: corev1.NodeReady, Status: ready, Reason: "KubeletReady", Message: "kubelet is posting ready status",
				LastHeartbeatTime: at(290 * time.Second), LastTransitionTime: at(5 * time.Second),
			}},
			Addresses: []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: ip}, {Type: corev1.NodeHostName, Address: name}},
			Capacity: corev1.ResourceList{
				corev1.ResourceCPU: resource.MustParse("2"), corev1.ResourceMemory: resource.MustParse("4Gi"),
				corev1.ResourcePods: resource.MustParse("110"), corev1.ResourceEphemeralStorage: resource.MustParse("20Gi"),
			},
			Allocatable: corev1.ResourceList{
				corev1.ResourceCPU: resource.MustParse("2"), corev1.ResourceMemory: resource.MustParse("4Gi"),
				corev1.ResourcePods: resource.MustParse("110"), corev1.ResourceEphemeralStorage: resource.MustParse("20Gi"),
			},
			NodeInfo: corev1.NodeSystemInfo{
				MachineID: "m-" + name, SystemUUID: "s-" + name, BootID: "b-" + name,
				KernelVersion: "6.1.0-kubetab", OSImage: "kubetab virtual node", OperatingSystem: "linux",
				Architecture: "amd64", ContainerRuntimeVersion: "kubetab://1.0.0", KubeletVersion: "v1.33.1",
			},
		},
	}
	if role != "" {
		n.Labels["node-role.kubernetes.io/"+role] = ""
	}
	return n
}

var _ = intstr.FromInt32
var _ = appsv1.DaemonSet{}
var _ = batchv1.Job{}

func intstrFromInt(i int32) intstr.IntOrString { return intstr.FromInt32(i) }
