package apiserver

import (
	"maps"
	"reflect"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// A Job created without labels of its own shows its template's, the generated ones
// included (SetDefaults_Job shares the map that generateSelector then fills); one with
// labels keeps them; template labels the user set are not overwritten.
func TestJobLabelsAndSelector(t *testing.T) {
	s, _ := newStore(t)
	job := func(name string, own, template map[string]string) *batchv1.Job {
		return &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: own},
			Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: template},
				Spec: corev1.PodSpec{RestartPolicy: corev1.RestartPolicyOnFailure, Containers: []corev1.Container{{Name: "main", Image: "busybox"}}}}}}
	}
	for _, tt := range []struct {
		name          string
		own, template map[string]string
		wantOwn       func(uid string) map[string]string
	}{
		{"no labels of its own", nil, map[string]string{"app": "batch-job"}, func(uid string) map[string]string {
			return map[string]string{"app": "batch-job", "batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": "no-labels-of-its-own",
				"controller-uid": uid, "job-name": "no-labels-of-its-own"}
		}},
		{"labels of its own", map[string]string{"app": "batch-job"}, map[string]string{"app": "batch-job"}, func(string) map[string]string {
			return map[string]string{"app": "batch-job"}
		}},
	} {
		name := map[string]string{"no labels of its own": "no-labels-of-its-own", "labels of its own": "labels-of-its-own"}[tt.name]
		created, err := s.Create(job(name, tt.own, tt.template))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		j := created.(*batchv1.Job)
		uid := string(j.UID)
		if want := tt.wantOwn(uid); !maps.Equal(j.Labels, want) {
			t.Errorf("%s: labels %v, want %v", tt.name, j.Labels, want)
		}
		if j.Spec.Template.Labels["job-name"] != name || j.Spec.Template.Labels["batch.kubernetes.io/controller-uid"] != uid {
			t.Errorf("%s: template labels %v", tt.name, j.Spec.Template.Labels)
		}
		if j.Spec.ManualSelector == nil || *j.Spec.ManualSelector {
			t.Errorf("%s: manualSelector %v, want false", tt.name, j.Spec.ManualSelector)
		}
		// The Job's labels are its own map, not the stored template's.
		if len(j.Labels) > 0 && reflect.ValueOf(j.Labels).UnsafePointer() == reflect.ValueOf(j.Spec.Template.Labels).UnsafePointer() {
			t.Errorf("%s: the Job's labels share the template's map", tt.name)
		}
	}
}
