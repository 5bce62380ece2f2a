package api

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

const referenceDir = "../../../shared/reference"

// invalidYAML is the one reference file that is not valid YAML (a TAB before `status:`).
const invalidYAML = "k8s-docs-examples/_variants/05599a6/controllers/job-pod-failure-policy-ignore.yaml"

func referenceFiles(tb testing.TB) map[string][]byte {
	tb.Helper()
	dir := referenceDir
	if _, err := os.Stat(dir); err != nil {
		dir = "/work/shared/reference"
	}
	files := map[string][]byte{}
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".json") {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			files[filepath.ToSlash(rel)] = b
		}
		return nil
	})
	if err != nil || len(files) == 0 {
		tb.Skipf("reference files not available: %v", err)
	}
	return files
}

// refusedReferenceFiles are the book's files that a real v1.37 cluster refuses too, with the
// decoding error each gets there (kubectl's default --validate=strict).
var refusedReferenceFiles = map[string]string{
	// The book's repository misnames publishNotReadyAddresses.
	"kubernetes-in-action/Chapter05/kubia-svc-publish-not-ready.yaml": `strict decoding error: unknown field "spec.publishNotReadyEndpoints"`,
	// extensions/v1beta1 Ingress was removed in v1.22, and kubetab serves no Ingress.
	"kubernetes-in-action/Chapter05/kubia-ingress.yaml":     `no matches for kind "Ingress" in version "extensions/v1beta1"`,
	"kubernetes-in-action/Chapter05/kubia-ingress-tls.yaml": `no matches for kind "Ingress" in version "extensions/v1beta1"`,
}

func TestDecodeReferenceFiles(t *testing.T) {
	for name, data := range referenceFiles(t) {
		t.Run(name, func(t *testing.T) {
			docs := Decode(data)
			if want, refused := refusedReferenceFiles[name]; refused {
				if len(docs) != 1 || docs[0].Err == nil || !strings.Contains(docs[0].Err.Error(), want) {
					t.Fatalf("want one document refused with %q, got %+v", want, docs)
				}
				return
			}
			if name == invalidYAML {
				if len(docs) != 1 {
					t.Fatalf("got %d documents", len(docs))
				}
				var se *SyntaxError
				if !errors.As(docs[0].Err, &se) || se.Line != 24 {
					t.Fatalf("want a syntax error on line 24, got %v", docs[0].Err)
				}
				if got := docs[0].Err.Error(); got != "error converting YAML to JSON: yaml: line 24: found a tab character that violates indentation" {
					t.Errorf("message: %s", got)
				}
				return
			}
			if len(docs) == 0 {
				t.Fatal("no documents")
			}
			for _, d := range docs {
				if d.Err != nil {
					t.Fatalf("document %d (line %d): %v", d.Index, d.Line, d.Err)
				}
				r := d.Resource
				if gvk := d.Object.GetObjectKind().GroupVersionKind(); gvk != r.GroupVersionKind() {
					t.Errorf("TypeMeta %v, want %v", gvk, r.GroupVersionKind())
				}
				// Everything the book and the docs create must pass defaulting and validation.
				obj := d.Object.DeepCopyObject().(Object)
				if obj.GetNamespace() == "" && r.Namespaced {
					obj.SetNamespace("default")
				}
				Default(obj)
				if j, ok := obj.(*batchv1.Job); ok {
					j.UID = types.UID("8d5b6f2e-1111-2222-3333-444455556666")
					DefaultJobSelector(j)
				}
				if svc, ok := obj.(*corev1.Service); ok {
					NormalizeClusterIPs(svc, nil)
				}
				// job-tmpl.yaml is a template: its "$ITEM" is substituted by sed before use.
				if errs := ValidateCreate(obj); len(errs) > 0 && !strings.HasSuffix(name, "job-tmpl.yaml") {
					t.Errorf("validation: %v", InvalidError(obj, errs))
				}
			}
		})
	}
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		wantErr  string
		wantLine int // Document.Line of the first document
		errLine  int // FieldError / SyntaxError line
		warning  string
		check    func(t *testing.T, docs []Document)
	}{
		{
			name:    "unknown field in template with suggestion",
			in:      "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: x\nspec:\n  template:\n    spec:\n      containes:\n      - name: a\n",
			wantErr: `ReplicationController in version "v1" cannot be handled as a ReplicationController: strict decoding error: unknown field "spec.template.spec.containes" (did you mean "containers"?)`,
			errLine: 8, wantLine: 1,
		},
		{
			name:    "unknown field with list index",
			in:      "# a pod\n\napiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: a\n    imagee: b\n",
			wantErr: `Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagee" (did you mean "image"?)`,
			errLine: 10, wantLine: 3,
		},
		{
			name:    "unknown field without a near name",
			in:      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  zzz: 1\n",
			wantErr: `Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "metadata.zzz"`,
			errLine: 5, wantLine: 1,
		},
		{
			name:    "string where int expected",
			in:      "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: x\nspec:\n  replicas: \"3\"\n",
			wantErr: `ReplicaSet in version "v1" cannot be handled as a ReplicaSet: json: cannot unmarshal string into Go struct field ReplicaSetSpec.spec.replicas of type int32`,
			errLine: 6, wantLine: 1,
		},
		{
			name:    "bad quantity",
			in:      "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    resources:\n      limits:\n        cpu: lots\n",
			wantErr: `Pod in version "v1" cannot be handled as a Pod: spec.containers[0].resources.limits.cpu: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
			errLine: 8, wantLine: 1,
		},
		{
			name:    "missing apiVersion and kind",
			in:      "metadata:\n  name: x\n",
			wantErr: "error validating data: [apiVersion not set, kind not set]", wantLine: 1,
		},
		{
			name:    "missing kind",
			in:      "apiVersion: v1\nmetadata:\n  name: x\n",
			wantErr: "error validating data: kind not set", wantLine: 1,
		},
		{
			name:    "unknown kind",
			in:      "apiVersion: v1\nkind: Foo\n",
			wantErr: `no matches for kind "Foo" in version "v1"`, wantLine: 1,
		},
		{
			name:    "served kind in a wrong version",
			in:      "apiVersion: apps/v1\nkind: Pod\n",
			wantErr: `no matches for kind "Pod" in version "apps/v1"`, wantLine: 1,
		},
		{
			name:     "syntax error in the second document counts stream lines",
			in:       "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Pod\nmetadata: [\n",
			wantLine: 1,
			check: func(t *testing.T, docs []Document) {
				if len(docs) != 2 || docs[0].Err != nil {
					t.Fatalf("got %+v", docs)
				}
				var se *SyntaxError
				if !errors.As(docs[1].Err, &se) || se.Line != 8 || docs[1].Line != 6 || docs[1].Index != 1 {
					t.Fatalf("got %#v line %d", docs[1].Err, docs[1].Line)
				}
			},
		},
		{
			name:     "legacy apiVersion with selector defaulted",
			in:       "apiVersion: extensions/v1beta1\nkind: ReplicaSet\nmetadata:\n  name: kubia\nspec:\n  template:\n    metadata:\n      labels:\n        app: kubia\n    spec:\n      containers:\n      - name: kubia\n        image: luksa/kubia\n",
			wantLine: 1,
			warning:  "Warning: extensions/v1beta1 ReplicaSet is no longer served since Kubernetes v1.16 (a real cluster refuses it); kubetab accepts it as apps/v1",
			check: func(t *testing.T, docs []Document) {
				rs := docs[0].Object.(*appsv1.ReplicaSet)
				if rs.APIVersion != "apps/v1" || rs.Spec.Selector == nil || rs.Spec.Selector.MatchLabels["app"] != "kubia" {
					t.Errorf("got %+v %+v", rs.TypeMeta, rs.Spec.Selector)
				}
			},
		},
		{
			name:     "batch/v2alpha1 CronJob",
			in:       "apiVersion: batch/v2alpha1\nkind: CronJob\nmetadata:\n  name: c\n",
			wantLine: 1,
			warning:  "Warning: batch/v2alpha1 CronJob is no longer served since Kubernetes v1.21 (a real cluster refuses it); kubetab accepts it as batch/v1",
		},
		{
			name:     "apps/v1 does not default the selector",
			in:       "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: kubia\nspec:\n  template:\n    metadata:\n      labels:\n        app: kubia\n",
			wantLine: 1,
			check: func(t *testing.T, docs []Document) {
				if rs := docs[0].Object.(*appsv1.ReplicaSet); rs.Spec.Selector != nil {
					t.Errorf("selector defaulted: %+v", rs.Spec.Selector)
				}
			},
		},
		{
			name:     "List expands, empty documents skipped",
			in:       "---\n# nothing\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: b\n    labls: {}\n---\n",
			wantLine: 7,
			check: func(t *testing.T, docs []Document) {
				if len(docs) != 2 {
					t.Fatalf("got %d docs", len(docs))
				}
				var fe *FieldError
				if !errors.As(docs[1].Err, &fe) || fe.Path != "metadata.labls" || fe.Suggestion != "labels" || fe.Line != 15 || docs[1].Line != 11 || docs[1].Index != 1 {
					t.Fatalf("got %#v line %d", docs[1].Err, docs[1].Line)
				}
			},
		},
		{
			name:     "JSON",
			in:       "{\n\t\"apiVersion\": \"v1\",\n\t\"kind\": \"Namespace\",\n\t\"metadata\": {\"name\": \"j\"}\n}\n",
			wantLine: 1,
			check: func(t *testing.T, docs []Document) {
				if docs[0].Object.GetName() != "j" {
					t.Errorf("name %q", docs[0].Object.GetName())
				}
			},
		},
		{
			name:     "KYAML: trailing commas, comments, continuations",
			in:       "---\n{\n  apiVersion: \"v1\",\n  kind: \"Pod\", # a pod\n  metadata: {name: \"k\",},\n  spec: {containers: [{name: \"c\", image: \"busybox\", args: [\"\\\n     a\\n\\\n    \\  b\",],},],},\n}\n",
			wantLine: 2,
			check: func(t *testing.T, docs []Document) {
				p := docs[0].Object.(*corev1.Pod)
				if got := p.Spec.Containers[0].Args[0]; got != "a\n  b" {
					t.Errorf("args %q", got)
				}
			},
		},
		{
			name:     "field spelt in another case is read with a warning",
			in:       "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    livenessProbe:\n      gRPC:\n        port: 2379\n",
			wantLine: 1,
			warning:  `Warning: unknown field "spec.containers[0].livenessProbe.gRPC" (kubetab reads it as "grpc")`,
			check: func(t *testing.T, docs []Document) {
				if p := docs[0].Object.(*corev1.Pod); p.Spec.Containers[0].LivenessProbe.GRPC.Port != 2379 {
					t.Error("grpc not read")
				}
			},
		},
		{
			name:     "top-level scalar",
			in:       "hello\n",
			wantErr:  "error decoding document: expected an object, got string",
			wantLine: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs := Decode([]byte(tt.in))
			if len(docs) == 0 {
				t.Fatal("no documents")
			}
			d := docs[0]
			if tt.wantErr != "" {
				if d.Err == nil || d.Err.Error() != tt.wantErr {
					t.Fatalf("err = %v\nwant  %s", d.Err, tt.wantErr)
				}
			} else if d.Err != nil {
				t.Fatalf("err = %v", d.Err)
			}
			if tt.wantLine != 0 && d.Line != tt.wantLine {
				t.Errorf("Line = %d, want %d", d.Line, tt.wantLine)
			}
			if tt.errLine != 0 {
				var fe *FieldError
				if !errors.As(d.Err, &fe) || fe.Line != tt.errLine {
					t.Errorf("field line: %#v, want %d", d.Err, tt.errLine)
				}
				if apierrors.NewBadRequest(d.Err.Error()).Error() != tt.wantErr {
					t.Error("BadRequest text differs")
				}
			}
			if tt.warning != "" && (len(d.Warnings) != 1 || d.Warnings[0] != tt.warning) {
				t.Errorf("warnings %q", d.Warnings)
			}
			if tt.check != nil {
				tt.check(t, docs)
			}
		})
	}
}

func TestEncodeYAML(t *testing.T) {
	docs := Decode([]byte("apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: kubia\nspec:\n  template:\n    metadata:\n      labels:\n        app: kubia\n    spec:\n      containers:\n      - name: kubia\n        image: luksa/kubia\n"))
	obj := docs[0].Object
	Default(obj)
	b, err := EncodeYAML(obj)
	if err != nil {
		t.Fatal(err)
	}
	want := `apiVersion: v1
kind: ReplicationController
metadata:
  labels:
    app: kubia
  name: kubia
spec:
  replicas: 1
  selector:
    app: kubia
  template:
    metadata:
      labels:
        app: kubia
    spec:
      containers:
      - image: luksa/kubia
        imagePullPolicy: Always
        name: kubia
        resources: {}
        terminationMessagePath: /dev/termination-log
        terminationMessagePolicy: File
      dnsPolicy: ClusterFirst
      restartPolicy: Always
      schedulerName: default-scheduler
      securityContext: {}
      terminationGracePeriodSeconds: 30
status:
  replicas: 0
`
	if string(b) != want {
		t.Errorf("got\n%s\nwant\n%s", b, want)
	}
	// Round trip.
	back := Decode(b)
	if back[0].Err != nil {
		t.Fatal(back[0].Err)
	}
	if _, err := EncodeJSON(obj); err != nil {
		t.Fatal(err)
	}
}

func FuzzDecode(f *testing.F) {
	for _, data := range referenceFiles(f) {
		f.Add(data)
	}
	f.Add([]byte("apiVersion: v1\nkind: List\nitems:\n- 1\n- {apiVersion: v1, kind: Pod, spec: {containers: [{name: a, ports: [{containerPort: 1e99}]}]}}\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, d := range Decode(data) {
			if d.Err == nil {
				if d.Object == nil {
					t.Fatal("no object and no error")
				}
				obj := d.Object.DeepCopyObject().(Object)
				Default(obj)
				_ = ValidateCreate(obj)
				_ = ValidateUpdate(obj, d.Object)
				if _, err := EncodeYAML(obj); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}

func TestDecodeObjectWithStatusTimes(t *testing.T) {
	docs := Decode([]byte(`apiVersion: batch/v1
kind: Job
metadata:
  name: j
  deletionTimestamp: "2026-01-01T10:00:00Z"
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
status:
  startTime: "2026-01-01T09:00:00Z"
  completionTime: 12
`))
	if len(docs) != 1 || docs[0].Err == nil || !strings.Contains(docs[0].Err.Error(), "status.completionTime") {
		t.Fatalf("want a type error naming status.completionTime, got %+v", docs)
	}
}

// What a user may type for a resource, as kubectl's RESTMapper reads it
// (schema.ParseResourceArg): `deployment.v1.apps/web` is how the docs name a Deployment.
func TestLookupResource(t *testing.T) {
	for typed, want := range map[string]string{
		"rs": "replicasets", "ReplicaSet": "replicasets", "replicasets.apps": "replicasets",
		"deployment.v1.apps": "deployments", "deployments.v1.apps": "deployments", "deploy.v1.apps": "deployments",
		"pods.v1.": "pods", "pod.": "pods", "po": "pods",
		"deployment.v2.apps": "", "deployments.batch": "", "pods.apps": "", "nope": "",
	} {
		got := ""
		if r := LookupResource(typed); r != nil {
			got = r.Name
		}
		if got != want {
			t.Errorf("LookupResource(%q) = %q, want %q", typed, got, want)
		}
	}
}

// DecodeWith's options: kubectl --validate's field validation, and kubetab's strict mode
// (what a real cluster does: no legacy apiVersions, no suggestions, no case folding).
func TestDecodeOptions(t *testing.T) {
	const typo = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: typo\nspec:\n  containers:\n  - name: main\n    image: luksa/kubia\n    imagePullPolice: Always\n    foo: 1\n"
	const legacy = "apiVersion: apps/v1beta2\nkind: ReplicaSet\nmetadata:\n  name: kubia\nspec:\n  replicas: 1\n  template:\n    metadata:\n      labels:\n        app: kubia\n    spec:\n      containers:\n      - name: kubia\n        image: luksa/kubia\n"
	const cased = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: main\n    image: busybox\n    livenessProbe:\n      gRPC:\n        port: 2379\n"
	tests := []struct {
		name     string
		in       string
		opts     DecodeOptions
		err      string
		warnings []string
		check    func(t *testing.T, obj Object)
	}{
		{name: "every unknown field, sorted, with suggestions", in: typo,
			err: `Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].foo", unknown field "spec.containers[0].imagePullPolice" (did you mean "imagePullPolicy"?)`},
		{name: "strict mode: no suggestion", in: typo, opts: DecodeOptions{Strict: true},
			err: `Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].foo", unknown field "spec.containers[0].imagePullPolice"`},
		{name: "--validate=warn drops them with a warning each", in: typo, opts: DecodeOptions{FieldValidation: metav1.FieldValidationWarn},
			warnings: []string{`Warning: unknown field "spec.containers[0].foo"`, `Warning: unknown field "spec.containers[0].imagePullPolice"`},
			check: func(t *testing.T, obj Object) {
				if p := obj.(*corev1.Pod).Spec.Containers[0].ImagePullPolicy; p != "" {
					t.Errorf("imagePullPolicy %q", p)
				}
			}},
		{name: "--validate=ignore drops them", in: typo, opts: DecodeOptions{FieldValidation: metav1.FieldValidationIgnore}},
		{name: "a legacy apiVersion with a warning", in: legacy,
			warnings: []string{"Warning: apps/v1beta2 ReplicaSet is no longer served since Kubernetes v1.16 (a real cluster refuses it); kubetab accepts it as apps/v1"}},
		{name: "strict mode: a legacy apiVersion is not served", in: legacy, opts: DecodeOptions{Strict: true},
			err: `no matches for kind "ReplicaSet" in version "apps/v1beta2"`},
		{name: "a field in another case is read with a warning", in: cased,
			warnings: []string{`Warning: unknown field "spec.containers[0].livenessProbe.gRPC" (kubetab reads it as "grpc")`},
			check: func(t *testing.T, obj Object) {
				if obj.(*corev1.Pod).Spec.Containers[0].LivenessProbe.GRPC == nil {
					t.Error("grpc not read")
				}
			}},
		{name: "strict mode: a field in another case is unknown", in: cased, opts: DecodeOptions{Strict: true},
			err: `Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].livenessProbe.gRPC"`},
		{name: "strict mode with --validate=ignore: dropped, not read", in: cased, opts: DecodeOptions{Strict: true, FieldValidation: metav1.FieldValidationIgnore},
			check: func(t *testing.T, obj Object) {
				if obj.(*corev1.Pod).Spec.Containers[0].LivenessProbe.GRPC != nil {
					t.Error("gRPC read as grpc")
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs := DecodeWith([]byte(tt.in), tt.opts)
			if len(docs) != 1 {
				t.Fatalf("%d documents", len(docs))
			}
			d := docs[0]
			if got := fmt.Sprint(d.Err); tt.err != "" && got != tt.err || tt.err == "" && d.Err != nil {
				t.Fatalf("err = %v\nwant  %s", d.Err, tt.err)
			}
			if !slices.Equal(d.Warnings, tt.warnings) {
				t.Errorf("warnings %q\nwant     %q", d.Warnings, tt.warnings)
			}
			if tt.check != nil && d.Object != nil {
				tt.check(t, d.Object)
			}
		})
	}
}
