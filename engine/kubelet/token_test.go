package kubelet_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/utils/ptr"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/controller/rootcacert"
)

// The ServiceAccount admission's kube-api-access volume shows the pod its namespace, the
// cluster's CA (from kube-root-ca.crt) and a bound token that names the pod and its node.
func TestServiceAccountTokenVolume(t *testing.T) {
	c := mustCluster(t, 1)
	mustCreate(t, c, newPod("p", "busybox", func(p *corev1.Pod) { p.Spec.Containers[0].Command = []string{"sleep", "3600"} }))
	advance(t, c, 10*time.Second)
	pod := getPod(c, "p")
	if n := len(pod.Spec.Volumes); n != 1 || !strings.HasPrefix(pod.Spec.Volumes[0].Name, api.ServiceAccountVolumePrefix) {
		t.Fatalf("volumes %+v", pod.Spec.Volumes)
	}
	dir := api.ServiceAccountMountPath + "/"
	if got := exec(t, c, "p", "cat "+dir+"namespace"); got != "default" {
		t.Errorf("namespace: %q", got)
	}
	if got := exec(t, c, "p", "cat "+dir+"ca.crt"); got != rootcacert.RootCA {
		t.Errorf("ca.crt: %q", got)
	}
	token := exec(t, c, "p", "cat "+dir+"token")
	var claims struct {
		Sub      string `json:"sub"`
		Iat, Exp int64
		K        struct {
			Pod       struct{ Name, UID string } `json:"pod"`
			Node      struct{ Name string }      `json:"node"`
			WarnAfter int64                      `json:"warnafter"`
		} `json:"kubernetes.io"`
	}
	raw := decodeClaims(t, token, &claims)
	if claims.Sub != "system:serviceaccount:default:default" || claims.K.Pod.Name != "p" || claims.K.Pod.UID != string(pod.UID) || claims.K.Node.Name != pod.Spec.NodeName {
		t.Errorf("claims %s", raw)
	}
	// The admission's 3607 s: a year's token, with the hour and seven seconds as warnafter.
	if claims.Exp-claims.Iat != 365*24*3600 || claims.K.WarnAfter-claims.Iat != 3607 {
		t.Errorf("iat %d, exp %d, warnafter %d", claims.Iat, claims.Exp, claims.K.WarnAfter)
	}
	if again := exec(t, c, "p", "cat "+dir+"token"); again != token {
		t.Error("the token changed between two reads")
	}

	mustCreate(t, c, newPod("opt-out", "busybox", func(p *corev1.Pod) { p.Spec.AutomountServiceAccountToken = ptr.To(false) }))
	if vs := getPod(c, "opt-out").Spec.Volumes; len(vs) != 0 {
		t.Errorf("automountServiceAccountToken: false, volumes %+v", vs)
	}
}

// A projected volume's own serviceAccountToken source: the token lives as long as it asks.
func TestServiceAccountTokenExpiration(t *testing.T) {
	c := mustCluster(t, 1)
	mustCreate(t, c, newPod("p", "busybox", func(p *corev1.Pod) {
		p.Spec.AutomountServiceAccountToken = ptr.To(false)
		p.Spec.Containers[0].Command = []string{"sleep", "3600"}
		p.Spec.Volumes = []corev1.Volume{{Name: "tok", VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{
			Sources: []corev1.VolumeProjection{{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{Path: "t", ExpirationSeconds: ptr.To[int64](7200)}}},
		}}}}
		p.Spec.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "tok", MountPath: "/tok"}}
	}))
	advance(t, c, 10*time.Second)
	var claims struct {
		Iat, Exp int64
		K        struct {
			WarnAfter int64 `json:"warnafter"`
		} `json:"kubernetes.io"`
	}
	raw := decodeClaims(t, exec(t, c, "p", "cat /tok/t"), &claims)
	if claims.Exp-claims.Iat != 7200 || claims.K.WarnAfter != 0 {
		t.Errorf("claims %s", raw)
	}
}

// decodeClaims decodes a JWT's claims into claims and returns them as JSON.
func decodeClaims(t *testing.T, token string, claims any) []byte {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q", token)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, claims); err != nil {
		t.Fatal(err)
	}
	return raw
}
