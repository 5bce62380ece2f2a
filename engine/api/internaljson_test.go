package api

import (
	"encoding/json"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// internalValue writes a v1 value as encoding/json writes the internal type it mirrors:
// Go field names, every field, nil as null; ObjectMeta keeps its json tags, inline; an
// embedded k8s.io/api struct (Probe's ProbeHandler) is inlined.
func TestInternalValue(t *testing.T) {
	grace := int64(30)
	tmpl := corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "x"}},
		Spec: corev1.PodSpec{TerminationGracePeriodSeconds: &grace, Containers: []corev1.Container{{Name: "main", Image: "busybox",
			LivenessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromInt32(80)}}, PeriodSeconds: 10}}}},
	}
	b, err := json.Marshal(internalValue{tmpl})
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{
		`{"labels":{"app":"x"},"Spec":{"Volumes":null,"InitContainers":null,"Containers":[{"Name":"main","Image":"busybox","Command":null,`,
		`"LivenessProbe":{"Exec":null,"HTTPGet":null,"TCPSocket":{"Port":80,"Host":""},"GRPC":null,"InitialDelaySeconds":0,"TimeoutSeconds":0,"PeriodSeconds":10,`,
		`"RestartPolicy":"","TerminationGracePeriodSeconds":30,"ActiveDeadlineSeconds":null,`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("lacks %s\nin %s", want, got)
		}
	}
}
