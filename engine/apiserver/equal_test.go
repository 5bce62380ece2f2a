package apiserver

import (
	"reflect"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

// deepEqual must answer as reflect.DeepEqual whatever one field of a spec or status is
// replaced with: the same value, a copy, its zero value, an empty non-nil slice or map.
func TestDeepEqualAgreesWithReflect(t *testing.T) {
	now := metav1.NewTime(time.Unix(100, 0).UTC())
	pod := &corev1.Pod{
		Spec: corev1.PodSpec{
			Volumes:       []corev1.Volume{{Name: "v", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}},
			Containers:    []corev1.Container{{Name: "c", Image: "i", Resources: corev1.ResourceRequirements{Limits: corev1.ResourceList{"cpu": resource.MustParse("1")}}}},
			RestartPolicy: "Always", TerminationGracePeriodSeconds: ptr.To[int64](30), DNSPolicy: "ClusterFirst",
			NodeSelector: map[string]string{"a": "b"}, ServiceAccountName: "default", NodeName: "n",
			Tolerations: []corev1.Toleration{{Key: "k", Operator: "Exists", TolerationSeconds: ptr.To[int64](300)}},
			Priority:    ptr.To[int32](0), EnableServiceLinks: ptr.To(true),
		},
		Status: corev1.PodStatus{
			Phase: "Running", Conditions: []corev1.PodCondition{{Type: "Ready", Status: "True", LastTransitionTime: now}},
			HostIP: "10.0.0.1", PodIPs: []corev1.PodIP{{IP: "10.1.0.1"}}, StartTime: &now,
			ContainerStatuses: []corev1.ContainerStatus{{Name: "c", Ready: true, RestartCount: 2}},
		},
	}
	job := &batchv1.Job{
		Spec: batchv1.JobSpec{Parallelism: ptr.To[int32](1), Completions: ptr.To[int32](1), BackoffLimit: ptr.To[int32](6),
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"a": "b"}}, Template: corev1.PodTemplateSpec{Spec: pod.Spec}},
		Status: batchv1.JobStatus{Active: 1, StartTime: &now, UncountedTerminatedPods: &batchv1.UncountedTerminatedPods{}},
	}
	for _, v := range []any{&pod.Spec, &pod.Status, &job.Spec, &job.Status} {
		check := func(what string, a, b any) {
			t.Helper()
			if got, want := deepEqual(a, b), reflect.DeepEqual(a, b); got != want {
				t.Errorf("%T %s: deepEqual %v, reflect.DeepEqual %v", v, what, got, want)
			}
		}
		orig := reflect.ValueOf(v).Elem()
		same := reflect.New(orig.Type())
		same.Elem().Set(orig)
		check("shallow copy", v, same.Interface())
		if !deepEqual(v, same.Interface()) {
			t.Errorf("%T: a shallow copy is not equal", v)
		}
		for i := range orig.NumField() {
			f := orig.Type().Field(i)
			replacements := map[string]reflect.Value{"zero": reflect.Zero(f.Type)}
			switch f.Type.Kind() {
			case reflect.Slice:
				replacements["empty"] = reflect.MakeSlice(f.Type, 0, 0)
				if orig.Field(i).Len() > 0 {
					c := reflect.MakeSlice(f.Type, orig.Field(i).Len(), orig.Field(i).Len())
					reflect.Copy(c, orig.Field(i))
					replacements["copy"] = c
				}
			case reflect.Map:
				replacements["empty"] = reflect.MakeMap(f.Type)
			case reflect.Pointer:
				if !orig.Field(i).IsNil() {
					c := reflect.New(f.Type.Elem())
					c.Elem().Set(orig.Field(i).Elem())
					replacements["copy"] = c
				}
			}
			for name, r := range replacements {
				other := reflect.New(orig.Type())
				other.Elem().Set(orig)
				other.Elem().Field(i).Set(r)
				check(f.Name+" "+name, v, other.Interface())
				check(f.Name+" "+name+" (swapped)", other.Interface(), v)
			}
		}
	}
	check := func(a, b any) {
		if got, want := deepEqual(a, b), reflect.DeepEqual(a, b); got != want {
			t.Errorf("deepEqual(%#v, %#v) = %v, want %v", a, b, got, want)
		}
	}
	check([3]any{map[string]string{}, nil, nil}, [3]any{map[string]string{}, nil, nil})
	check(nil, nil)
	check((*corev1.PodSpec)(nil), &corev1.PodSpec{})
}
