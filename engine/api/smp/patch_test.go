package smp

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
)

// TestPatch is `kubectl patch --type strategic` against the live pod: each patch is applied
// by both implementations and the results must agree.
func TestPatch(t *testing.T) {
	cases := []struct {
		name  string
		patch string
		// want/wantNot are substrings of our result; wantErr means both must fail.
		want, wantNot []string
		wantErr       bool
	}{
		{name: "label added", patch: `{"metadata":{"labels":{"new":"x"}}}`, want: []string{`"new":"x"`, `"extra":"yes"`}},
		{name: "null deletes a label", patch: `{"metadata":{"labels":{"tier":null}}}`, wantNot: []string{`"tier"`}},
		{name: "null deletes a missing key", patch: `{"metadata":{"labels":{"nope":null}}}`},
		{name: "null deletes a map", patch: `{"spec":{"nodeSelector":null}}`, wantNot: []string{`"disk"`}},
		{name: "new map drops nulls", patch: `{"spec":{"hostAliases":[{"ip":"1.2.3.4","hostnames":null}]},"metadata":{"ownerReferences":null}}`},
		{name: "map replaced", patch: `{"spec":{"nodeSelector":{"$patch":"replace","gpu":"true"}}}`, want: []string{`"gpu"`}, wantNot: []string{`"disk"`}},
		{name: "map emptied by delete", patch: `{"metadata":{"labels":{"$patch":"delete"}}}`, wantNot: []string{`"tier"`}},
		{name: "unknown map directive", patch: `{"metadata":{"labels":{"$patch":"bogus"}}}`, wantErr: true},
		{name: "container image by name", patch: `{"spec":{"containers":[{"name":"sidecar","image":"busybox:1.36"}]}}`, want: []string{`"busybox:1.36"`, `"injected"`}},
		{name: "container added at the end", patch: `{"spec":{"containers":[{"name":"new","image":"nginx"}]}}`, want: []string{`"nginx"`}},
		{name: "container deleted", patch: `{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}`, wantNot: []string{`"sidecar"`}},
		{name: "container delete of a missing one", patch: `{"spec":{"containers":[{"name":"ghost","$patch":"delete"}]}}`},
		{name: "containers replaced", patch: `{"spec":{"containers":[{"name":"only","image":"nginx"},{"$patch":"replace"}]}}`, wantNot: []string{`"sidecar"`, `"main"`}},
		{name: "container without merge key", patch: `{"spec":{"containers":[{"image":"nginx"}]}}`, wantErr: true},
		{name: "env var changed", patch: `{"spec":{"containers":[{"name":"main","env":[{"name":"B","value":"22"}]}]}}`, want: []string{`"22"`}},
		{name: "env var deleted", patch: `{"spec":{"containers":[{"name":"main","env":[{"name":"A","$patch":"delete"}]}]}}`},
		{name: "env var field nulled", patch: `{"spec":{"containers":[{"name":"main","env":[{"name":"A","value":null}]}]}}`},
		{name: "port merged by containerPort", patch: `{"spec":{"containers":[{"name":"main","ports":[{"containerPort":9090,"name":"metrics"}]}]}}`, want: []string{`9090`, `8080`}},
		{name: "port changed by containerPort", patch: `{"spec":{"containers":[{"name":"main","ports":[{"containerPort":8080,"name":"http"}]}]}}`, want: []string{`"http"`}},
		{name: "tolerations replaced (atomic)", patch: `{"spec":{"tolerations":[{"key":"only","operator":"Exists"}]}}`, wantNot: []string{`"k1"`}},
		{name: "command replaced (atomic)", patch: `{"spec":{"containers":[{"name":"sidecar","command":["sh"]}]}}`, wantNot: []string{`"3600"`}},
		{name: "finalizers merged as a set", patch: `{"metadata":{"finalizers":["example.com/new","example.com/keep"]}}`, want: []string{`"example.com/new"`}},
		{name: "finalizer deleted from primitive list", patch: `{"metadata":{"$deleteFromPrimitiveList/finalizers":["example.com/keep"]}}`, wantNot: []string{`"example.com/keep"`}},
		{name: "finalizers replaced", patch: `{"metadata":{"finalizers":null}}`},
		{name: "bad primitive-list directive", patch: `{"metadata":{"$deleteFromPrimitiveListfinalizers":["x"]}}`, wantErr: true},
		{name: "set element order", patch: `{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"main"},{"name":"injected"}]}}`},
		{name: "set element order with change", patch: `{"spec":{"$setElementOrder/containers":[{"name":"new"},{"name":"main"},{"name":"sidecar"}],"containers":[{"name":"new","image":"x"},{"name":"main","image":"y"}]}}`},
		{name: "set element order with delete", patch: `{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"main"}],"containers":[{"name":"injected","$patch":"delete"}]}}`},
		{name: "set element order mismatch", patch: `{"spec":{"$setElementOrder/containers":[{"name":"main"},{"name":"sidecar"}],"containers":[{"name":"sidecar","image":"a"},{"name":"main","image":"b"}]}}`, wantErr: true},
		{name: "set element order of env", patch: `{"spec":{"containers":[{"name":"main","$setElementOrder/env":[{"name":"B"},{"name":"A"}]}]}}`},
		{name: "set element order of finalizers", patch: `{"metadata":{"$setElementOrder/finalizers":["b","example.com/keep","a"],"finalizers":["b","a"]}}`},
		{name: "retain keys on a volume", patch: `{"spec":{"volumes":[{"name":"data","hostPath":{"path":"/x"},"$retainKeys":["hostPath","name"]}]}}`, wantNot: []string{`"emptyDir"`}},
		{name: "retain keys missing a patched key", patch: `{"spec":{"volumes":[{"name":"data","hostPath":{"path":"/x"},"$retainKeys":["name"]}]}}`, wantErr: true},
		{name: "volume source added without retainKeys", patch: `{"spec":{"volumes":[{"name":"data","hostPath":{"path":"/x"}}]}}`},
		{name: "quantity changed", patch: `{"spec":{"containers":[{"name":"main","resources":{"requests":{"cpu":"1"}}}]}}`},
		{name: "type change of a field", patch: `{"spec":{"nodeSelector":"oops"}}`, wantErr: false},
		{name: "not JSON", patch: `{"spec":`, wantErr: true},
		{name: "list of lists", patch: `{"metadata":{"finalizers":[["a"]]}}`, wantErr: true},
	}
	current := mustJSON(t, livePod)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.name == "type change of a field" {
				// Both accept it; the typed decode afterwards is what rejects it.
				up, err1 := StrategicMergePatch(current, []byte(c.patch), &corev1.Pod{})
				if err1 != nil || !strings.Contains(string(up), `"oops"`) {
					t.Fatalf("got %s, %v", up, err1)
				}
				return
			}
			got, err := comparePatch(t, current, []byte(c.patch), &corev1.Pod{})
			if c.wantErr {
				if err == nil {
					t.Fatalf("no error; result %s", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range c.want {
				if !strings.Contains(string(got), w) {
					t.Errorf("result lacks %s: %s", w, got)
				}
			}
			for _, w := range c.wantNot {
				if strings.Contains(string(got), w) {
					t.Errorf("result has %s: %s", w, got)
				}
			}
		})
	}
}

func TestPatchOrderFromSetElementOrder(t *testing.T) {
	current := mustJSON(t, livePod)
	got, err := StrategicMergePatch(current, []byte(`{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"main"}]}}`), &corev1.Pod{})
	if err != nil {
		t.Fatal(err)
	}
	s := string(got)
	if !(strings.Index(s, `"sidecar"`) < strings.Index(s, `"main"`) && strings.Index(s, `"main"`) < strings.Index(s, `"injected"`)) {
		t.Errorf("containers not in sidecar, main, injected order: %s", s)
	}
}

func TestPatchDeploymentStrategyRetainKeys(t *testing.T) {
	const d = `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}`
	modified := `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"strategy":{"type":"Recreate"}}}`
	got := compareThreeWay(t, []byte(d), []byte(modified), []byte(d), &appsv1.Deployment{})
	if strings.Contains(string(got.applied), "rollingUpdate") {
		t.Errorf("rollingUpdate kept: %s", got.applied)
	}
	if !strings.Contains(string(got.patch), `"$retainKeys":["type"]`) {
		t.Errorf("patch lacks $retainKeys: %s", got.patch)
	}
}

// TestPatchMergeDirective is where kubetab is kinder than upstream: `$patch: merge`, the
// default spelled out, is accepted.
func TestPatchMergeDirective(t *testing.T) {
	current := mustJSON(t, livePod)
	got, err := StrategicMergePatch(current, []byte(`{"metadata":{"labels":{"$patch":"merge","n":"1"}},"spec":{"containers":[{"name":"main","image":"x","$patch":"merge"}]}}`), &corev1.Pod{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`"n":"1"`, `"tier":"web"`, `"image":"x"`, `"sidecar"`} {
		if !strings.Contains(string(got), w) {
			t.Errorf("result lacks %s: %s", w, got)
		}
	}
	if strings.Contains(string(got), "$patch") {
		t.Errorf("directive left in the result: %s", got)
	}
}

func TestUnknownFieldMergesAsJSON(t *testing.T) {
	got, err := StrategicMergePatch([]byte(`{"spec":{"x":{"a":1,"b":2}}}`), []byte(`{"spec":{"x":{"a":null,"c":3}}}`), &corev1.Pod{})
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != `{"spec":{"x":{"b":2,"c":3}}}` {
		t.Errorf("got %s", got)
	}
}

func TestBadDataStruct(t *testing.T) {
	if _, err := StrategicMergePatch([]byte(`{}`), []byte(`{}`), nil); err == nil {
		t.Error("nil dataStruct accepted")
	}
	if _, err := CreateThreeWayMergePatch(nil, nil, nil, 3, true); err == nil {
		t.Error("non-struct dataStruct accepted")
	}
}
