package api

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

// Validation makes the field paths of a pod's volumes, containers and tolerations only for
// the errors it reports: each error still names its field as the API server does.
func TestValidatePodPaths(t *testing.T) {
	items := []corev1.KeyToPath{{Key: "", Path: "/abs", Mode: ptr.To[int32](01000)}, {Key: "k", Path: "a/../b"}, {Key: "k", Path: "..x"}}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "default"},
		Spec: corev1.PodSpec{
			RestartPolicy: "Always", DNSPolicy: "ClusterFirst",
			Volumes: []corev1.Volume{
				{Name: "", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
				{Name: "a", VolumeSource: corev1.VolumeSource{}},
				{Name: "a", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}, ConfigMap: &corev1.ConfigMapVolumeSource{}}},
				{Name: "cm", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{DefaultMode: ptr.To[int32](-1), Items: items}}},
				{Name: "sec", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{DefaultMode: ptr.To[int32](01000), Items: items}}},
				{Name: "proj", VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{DefaultMode: ptr.To[int32](01000), Sources: []corev1.VolumeProjection{
					{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{Path: "token"}},
					{ConfigMap: &corev1.ConfigMapProjection{Items: items}},
					{Secret: &corev1.SecretProjection{Items: []corev1.KeyToPath{{Key: "k", Path: "..x"}}}},
				}}}},
			},
			Containers: []corev1.Container{{
				Name: "c", Image: "i", ImagePullPolicy: "Always", TerminationMessagePolicy: "File",
				Ports: []corev1.ContainerPort{{ContainerPort: 0, Protocol: "TCP"}, {ContainerPort: 70000, HostPort: -1, Protocol: ""}, {ContainerPort: 80, Protocol: "XX"}, {ContainerPort: 81, HostPort: 8080, Protocol: "UDP"}},
			}},
			Tolerations: []corev1.Toleration{{Key: "", Operator: "Equal", Value: "v"}, {Key: "k", Operator: "Exists", Value: "v", Effect: "Bad", TolerationSeconds: ptr.To[int64](3)}, {Key: "ok", Operator: "Equal", Value: "v"}},
		},
	}
	want := strings.Join([]string{
		"Pod \"p\" is invalid: [spec.volumes[0].name: Required value",
		"spec.volumes[1]: Required value: must specify a volume type",
		"spec.volumes[2].name: Duplicate value: \"a\"",
		"spec.volumes[2]: Forbidden: may not specify more than 1 volume type",
		"spec.volumes[3].configMap.name: Required value",
		"spec.volumes[3].configMap.defaultMode: Invalid value: -1: must be a number between 0 and 0777 (octal)",
		"both inclusive",
		"spec.volumes[3].configMap.items[0].key: Required value",
		"spec.volumes[3].configMap.items[0].path: Invalid value: \"/abs\": must be a relative path",
		"spec.volumes[3].configMap.items[0].mode: Invalid value: 512: must be a number between 0 and 0777 (octal)",
		"both inclusive",
		"spec.volumes[3].configMap.items[1].path: Invalid value: \"a/../b\": must not contain '..'",
		"spec.volumes[3].configMap.items[2].path: Invalid value: \"..x\": must not start with '..'",
		"spec.volumes[4].secret.secretName: Required value",
		"spec.volumes[4].secret.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal)",
		"both inclusive",
		"spec.volumes[4].secret.items[0].key: Required value",
		"spec.volumes[4].secret.items[0].path: Invalid value: \"/abs\": must be a relative path",
		"spec.volumes[4].secret.items[0].mode: Invalid value: 512: must be a number between 0 and 0777 (octal)",
		"both inclusive",
		"spec.volumes[4].secret.items[1].path: Invalid value: \"a/../b\": must not contain '..'",
		"spec.volumes[4].secret.items[2].path: Invalid value: \"..x\": must not start with '..'",
		"spec.volumes[5].projected.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal)",
		"both inclusive",
		"spec.volumes[5].projected.sources[1].configMap.name: Required value",
		"spec.volumes[5].projected.sources[1].configMap.items[0].key: Required value",
		"spec.volumes[5].projected.sources[1].configMap.items[0].path: Invalid value: \"/abs\": must be a relative path",
		"spec.volumes[5].projected.sources[1].configMap.items[0].mode: Invalid value: 512: must be a number between 0 and 0777 (octal)",
		"both inclusive",
		"spec.volumes[5].projected.sources[1].configMap.items[1].path: Invalid value: \"a/../b\": must not contain '..'",
		"spec.volumes[5].projected.sources[1].configMap.items[2].path: Invalid value: \"..x\": must not start with '..'",
		"spec.volumes[5].projected.sources[2].secret.name: Required value",
		"spec.volumes[5].projected.sources[2].secret.items[0].path: Invalid value: \"..x\": must not start with '..'",
		"spec.volumes[5].projected.sources[2].secret.items[0].path: Invalid value: \"..x\": conflicting duplicate paths",
		"spec.containers[0].ports[0].containerPort: Required value",
		"spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535",
		"inclusive",
		"spec.containers[0].ports[1].hostPort: Invalid value: -1: must be between 1 and 65535",
		"inclusive",
		"spec.containers[0].ports[1].protocol: Required value",
		"spec.containers[0].ports[2].protocol: Unsupported value: \"XX\": supported values: \"SCTP\"",
		"\"TCP\"",
		"\"UDP\"",
		"spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty",
		"which means \"match all values and all keys\"",
		"spec.tolerations[1].effect: Invalid value: \"Bad\": effect must be 'NoExecute' when `tolerationSeconds` is set",
		"spec.tolerations[1].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'",
		"spec.tolerations[1].effect: Unsupported value: \"Bad\": supported values: \"NoExecute\"",
		"\"NoSchedule\"",
		"\"PreferNoSchedule\"]",
	}, ", ")
	if got := InvalidError(pod, ValidateCreate(pod)).Error(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
