package api

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

func TestSecretConversionAndDefaults(t *testing.T) {
	s := decodeOne(t, `apiVersion: v1
kind: Secret
metadata:
  name: s
data:
  a: b25l
  b: dHdv
stringData:
  b: deux
  c: trois
`).(*corev1.Secret)
	if s.Type != corev1.SecretTypeOpaque {
		t.Errorf("type %q, want Opaque", s.Type)
	}
	if s.StringData != nil {
		t.Errorf("stringData kept: %v", s.StringData)
	}
	got := map[string]string{}
	for k, v := range s.Data {
		got[k] = string(v)
	}
	if want := map[string]string{"a": "one", "b": "deux", "c": "trois"}; len(got) != 3 || got["a"] != want["a"] || got["b"] != want["b"] || got["c"] != want["c"] {
		t.Errorf("data %v, want %v", got, want)
	}
	empty := decodeOne(t, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: {}\n").(*corev1.ConfigMap)
	if empty.Data != nil {
		t.Errorf("an empty data map is stored absent, got %#v", empty.Data)
	}
}

func TestValidateConfigMapsAndSecrets(t *testing.T) {
	tests := []struct {
		name, manifest string
		want           []string // substrings of the joined errors; none means valid
	}{
		{"good configmap", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a.b_c-d: x\n", nil},
		{"bad key", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  'a b': x\n",
			[]string{`data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters`}},
		{"key in data and binaryData", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: x\nbinaryData:\n  a: eA==\n",
			[]string{`data[a]: Invalid value: "a": duplicate of key present in binaryData`}},
		{"tls without key", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ntype: kubernetes.io/tls\nstringData:\n  tls.crt: x\n",
			[]string{"data[tls.key]: Required value"}},
		{"dockerconfigjson not json", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: 'no'\n",
			[]string{`data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character`}},
		{"volume sources", `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: c
    image: busybox
  volumes:
  - name: a
    configMap:
      name: ""
      items:
      - key: k
        path: /abs
      - key: ""
        path: ..hidden
        mode: 01000
  - name: b
    secret:
      secretName: s
      defaultMode: -1
  - name: c
    projected:
      sources:
      - configMap:
          name: cm
          items:
          - key: k
            path: same
      - secret:
          name: s
          items:
          - key: k
            path: same
`, []string{
			"spec.volumes[0].configMap.name: Required value",
			`spec.volumes[0].configMap.items[0].path: Invalid value: "/abs": must be a relative path`,
			"spec.volumes[0].configMap.items[1].key: Required value",
			`spec.volumes[0].configMap.items[1].path: Invalid value: "..hidden": must not start with '..'`,
			"spec.volumes[0].configMap.items[1].mode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive",
			"spec.volumes[1].secret.defaultMode: Invalid value: -1",
			`spec.volumes[2].projected.sources[1].secret.items[0].path: Invalid value: "same": conflicting duplicate paths`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj := decodeOne(t, tt.manifest)
			var msgs []string
			for _, e := range ValidateCreate(obj) {
				msgs = append(msgs, e.Error())
			}
			joined := strings.Join(msgs, "\n")
			if len(tt.want) == 0 && len(msgs) > 0 {
				t.Fatalf("want valid, got:\n%s", joined)
			}
			for _, w := range tt.want {
				if !strings.Contains(joined, w) {
					t.Errorf("missing %q in:\n%s", w, joined)
				}
			}
		})
	}
}

func TestImmutableUpdates(t *testing.T) {
	yes, no := true, false
	old := &corev1.Secret{Data: map[string][]byte{"a": []byte("1")}, Type: corev1.SecretTypeOpaque, Immutable: &yes}
	old.Name, old.Namespace, old.ResourceVersion = "s", "default", "1"
	tests := []struct {
		name   string
		mutate func(s *corev1.Secret)
		want   []string
	}{
		{"labels only", func(s *corev1.Secret) { s.Labels = map[string]string{"a": "b"} }, nil},
		{"data", func(s *corev1.Secret) { s.Data = map[string][]byte{"a": []byte("2")} }, []string{"data: Forbidden: field is immutable when `immutable` is set"}},
		{"unset", func(s *corev1.Secret) { s.Immutable = &no }, []string{"immutable: Forbidden: field is immutable when `immutable` is set"}},
		{"type", func(s *corev1.Secret) { s.Type = corev1.SecretTypeBasicAuth }, []string{`type: Invalid value: "kubernetes.io/basic-auth": field is immutable`}},
	}
	for _, tt := range tests {
		s := old.DeepCopy()
		tt.mutate(s)
		var msgs []string
		for _, e := range ValidateUpdate(s, old) {
			msgs = append(msgs, e.Error())
		}
		joined := strings.Join(msgs, "\n")
		if len(tt.want) == 0 && joined != "" {
			t.Errorf("%s: want valid, got %s", tt.name, joined)
		}
		for _, w := range tt.want {
			if !strings.Contains(joined, w) {
				t.Errorf("%s: missing %q in %s", tt.name, w, joined)
			}
		}
	}
	cm := &corev1.ConfigMap{Data: map[string]string{"a": "1"}, Immutable: &yes}
	cm.Name, cm.Namespace, cm.ResourceVersion = "c", "default", "1"
	changed := cm.DeepCopy()
	changed.BinaryData = map[string][]byte{"b": []byte("x")}
	if errs := ValidateUpdate(changed, cm); len(errs) != 1 || !strings.Contains(errs[0].Error(), "binaryData: Forbidden") {
		t.Errorf("binaryData of an immutable ConfigMap: %v", errs)
	}
	mutable := cm.DeepCopy()
	mutable.Immutable = nil
	again := mutable.DeepCopy()
	again.Data["a"] = "2"
	if errs := ValidateUpdate(again, mutable); len(errs) != 0 {
		t.Errorf("a mutable ConfigMap: %v", errs)
	}
}
