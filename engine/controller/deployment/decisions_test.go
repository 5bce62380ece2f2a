package deployment

import (
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"

	"github.com/kubetab/kubetab/engine/api"
)

var t0 = time.Date(2026, time.January, 1, 9, 0, 0, 0, time.UTC)

// The docs' nginx-deployment.yaml (content/en/examples/controllers/nginx-deployment.yaml).
const nginxDeploymentYAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
  labels:
    app: nginx
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
        ports:
        - containerPort: 80
`

// What `kubectl create deployment web --image=nginx` sends (resources: {} included).
const createDeploymentYAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx
        resources: {}
`

// The book's kubia-deployment-v3-with-readinesscheck.yaml, as apps/v1.
const kubiaV3YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: kubia
spec:
  replicas: 3
  minReadySeconds: 10
  strategy:
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
    type: RollingUpdate
  template:
    metadata:
      name: kubia
      labels:
        app: kubia
    spec:
      containers:
      - image: luksa/kubia:v3
        name: nodejs
        readinessProbe:
          periodSeconds: 1
          httpGet:
            path: /
            port: 8080
  selector:
    matchLabels:
      app: kubia
`

// withImage replaces the image of a manifest's (only) container; "" keeps it.
func withImage(yaml, image string) string {
	if image == "" {
		return yaml
	}
	lines := strings.Split(yaml, "\n")
	for i, l := range lines {
		if before, _, ok := strings.Cut(l, "image: "); ok && strings.TrimSpace(before) == "" || ok && strings.TrimSpace(before) == "-" {
			lines[i] = before + "image: " + image
		}
	}
	return strings.Join(lines, "\n")
}

// mustDeployment decodes and defaults a Deployment as the API server stores it.
func mustDeployment(t testing.TB, yaml string) *appsv1.Deployment {
	t.Helper()
	docs := api.Decode([]byte(yaml))
	if len(docs) != 1 || docs[0].Err != nil {
		t.Fatalf("decode: %+v", docs)
	}
	d := docs[0].Object.(*appsv1.Deployment)
	api.Default(d)
	return d
}

// TestComputeHash pins pod-template-hash values to what Kubernetes v1.37.2 computes for the
// same defaulted templates: the wants were printed by a throwaway program built against
// k8s.io/kubernetes v1.37.2 that decodes each manifest, runs the API server's scheme
// defaulting (legacyscheme with the core and apps install packages) and calls
// controller.ComputeHash. (The docs' nginx-deployment-75675f5897 comes from an older API:
// every field added to PodSpec since changes the hash.) A transcript of the Kubernetes
// Basics tutorial on a real v1.37.0 cluster (minikube, containerd) shows the bootcamp names
// pinned below: kubernetes-bootcamp-5cc66bcc9b, -5b97597885 after `set image` to v2, and
// -556487b4d4 for the missing tag v10.
func TestComputeHash(t *testing.T) {
	cases := []struct {
		yaml, image string
		collision   *int32
		want        string
	}{
		{nginxDeploymentYAML, "", nil, "54fd4d6d4c"},
		{nginxDeploymentYAML, "", ptr.To[int32](1), "77b67654cd"},
		{nginxDeploymentYAML, "nginx:1.16.1", nil, "76df5b8bb8"},
		{nginxDeploymentYAML, "nginx:1.16.1", ptr.To[int32](1), "7dcc87cd8f"},
		{nginxDeploymentYAML, "nginx:1.161", nil, "86769868fd"},
		{createDeploymentYAML, "", nil, "5fc9f4bf66"},
		{createDeploymentYAML, "", ptr.To[int32](1), "59b4b49dff"},
		{createDeploymentYAML, "nginx:1.14.2", nil, "6959988f6d"},
		{createDeploymentYAML, "nginx:1.14.2", ptr.To[int32](1), "9948c97f7"}, // a small sum: 9 characters
		{kubiaV3YAML, "", nil, "5449657466"},
		{kubiaV3YAML, "", ptr.To[int32](1), "67744d7f47"},
	}
	for _, c := range cases {
		// The image before defaulting: it decides imagePullPolicy.
		d := mustDeployment(t, withImage(c.yaml, c.image))
		if got := computeHash(&d.Spec.Template, c.collision); got != c.want {
			t.Errorf("%s %s collision %v: hash %s, want %s", d.Name, d.Spec.Template.Spec.Containers[0].Image, c.collision, got, c.want)
		}
	}

	// The bootcamp tutorial's `kubectl create deployment kubernetes-bootcamp --image=...`.
	bootcamp := strings.ReplaceAll(strings.ReplaceAll(createDeploymentYAML, "web", "kubernetes-bootcamp"), "name: nginx", "name: kubernetes-bootcamp")
	for image, want := range map[string]string{
		"gcr.io/google-samples/kubernetes-bootcamp:v1":  "5cc66bcc9b",
		"docker.io/jocatalin/kubernetes-bootcamp:v2":    "5b97597885",
		"gcr.io/google-samples/kubernetes-bootcamp:v10": "556487b4d4",
	} {
		boot := mustDeployment(t, withImage(bootcamp, image))
		if got := computeHash(&boot.Spec.Template, nil); got != want {
			t.Errorf("bootcamp %s: hash %s, want %s", image, got, want)
		}
	}
	// The book's v1 Deployment (no strategy, no probe).
	v1 := mustDeployment(t, strings.NewReplacer("luksa/kubia:v3", "luksa/kubia:v1", "  minReadySeconds: 10\n", "",
		"  strategy:\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0\n    type: RollingUpdate\n", "",
		"        readinessProbe:\n          periodSeconds: 1\n          httpGet:\n            path: /\n            port: 8080\n", "").Replace(kubiaV3YAML))
	if got := computeHash(&v1.Spec.Template, nil); got != "5554954f99" {
		t.Errorf("kubia v1: hash %s, want 5554954f99", got)
	}
}

func TestReplicaSetName(t *testing.T) {
	if got := replicaSetName("nginx-deployment", "54fd4d6d4c"); got != "nginx-deployment-54fd4d6d4c" {
		t.Errorf("got %s", got)
	}
	long := strings.Repeat("a", 250)
	got := replicaSetName(long, "54fd4d6d4c")
	if len(got) != 253 || !strings.HasSuffix(got, "a-54fd4d6d4c") {
		t.Errorf("long name %d chars: %s", len(got), got)
	}
}

func TestNewReplicaSet(t *testing.T) {
	d := mustDeployment(t, nginxDeploymentYAML)
	d.Namespace, d.UID = "default", "d-uid"
	d.Spec.MinReadySeconds = 5
	d.Annotations = map[string]string{
		corev1.LastAppliedConfigAnnotation: "{}",
		AnnotationRevision:                 "7",
		"kubernetes.io/change-cause":       "kubectl apply",
		appsv1.DeprecatedRollbackTo:        "2",
	}
	rs := newReplicaSet(d, "1")
	want := map[string]string{"app": "nginx", "pod-template-hash": "54fd4d6d4c"}
	switch {
	case rs.Name != "nginx-deployment-54fd4d6d4c", rs.Namespace != "default":
		t.Errorf("name %s/%s", rs.Namespace, rs.Name)
	case !equality.Semantic.DeepEqual(rs.Labels, want), !equality.Semantic.DeepEqual(rs.Spec.Template.Labels, want),
		!equality.Semantic.DeepEqual(rs.Spec.Selector.MatchLabels, want):
		t.Errorf("labels %v, template %v, selector %v", rs.Labels, rs.Spec.Template.Labels, rs.Spec.Selector)
	case d.Spec.Template.Labels["pod-template-hash"] != "", d.Spec.Selector.MatchLabels["pod-template-hash"] != "":
		t.Errorf("the Deployment changed: %v %v", d.Spec.Template.Labels, d.Spec.Selector)
	case *rs.Spec.Replicas != 0, rs.Spec.MinReadySeconds != 5:
		t.Errorf("spec %+v", rs.Spec)
	case !equality.Semantic.DeepEqual(rs.Annotations, map[string]string{
		"kubernetes.io/change-cause": "kubectl apply",
		AnnotationRevision:           "1",
		AnnotationDesiredReplicas:    "3",
		AnnotationMaxReplicas:        "4",
	}):
		t.Errorf("annotations %v", rs.Annotations)
	}
	ref := rs.OwnerReferences
	if len(ref) != 1 || ref[0].APIVersion != "apps/v1" || ref[0].Kind != "Deployment" || ref[0].Name != "nginx-deployment" ||
		ref[0].UID != "d-uid" || !*ref[0].Controller || !*ref[0].BlockOwnerDeletion {
		t.Errorf("owner references %+v", ref)
	}
	if !EqualIgnoreHash(&rs.Spec.Template, &d.Spec.Template) {
		t.Error("the ReplicaSet's template is not the Deployment's")
	}
	d.Status.CollisionCount = ptr.To[int32](1)
	if rs := newReplicaSet(d, "1"); rs.Name != "nginx-deployment-77b67654cd" {
		t.Errorf("with a collision: %s", rs.Name)
	}
	// matchExpressions are kept, the hash goes to matchLabels.
	d.Spec.Selector.MatchExpressions = []metav1.LabelSelectorRequirement{{Key: "tier", Operator: metav1.LabelSelectorOpIn, Values: []string{"web"}}}
	rs = newReplicaSet(d, "1")
	if len(rs.Spec.Selector.MatchExpressions) != 1 || rs.Spec.Selector.MatchLabels["pod-template-hash"] == "" {
		t.Errorf("selector %+v", rs.Spec.Selector)
	}
	rs.Spec.Selector.MatchExpressions[0].Values[0] = "changed"
	if d.Spec.Selector.MatchExpressions[0].Values[0] != "web" {
		t.Error("the selector is shared with the Deployment")
	}
}

// rsAt builds a ReplicaSet created at t0+created seconds with spec replicas, the status
// replicas and available counts, and annotations given as key, value pairs.
func rsAt(name string, created int, spec, replicas, available int32, kv ...string) *appsv1.ReplicaSet {
	rs := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", UID: types.UID(name + "-uid"),
			CreationTimestamp: metav1.NewTime(t0.Add(time.Duration(created) * time.Second))},
		Spec:   appsv1.ReplicaSetSpec{Replicas: ptr.To(spec)},
		Status: appsv1.ReplicaSetStatus{Replicas: replicas, ReadyReplicas: available, AvailableReplicas: available},
	}
	if len(kv) > 0 {
		rs.Annotations = map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			rs.Annotations[kv[i]] = kv[i+1]
		}
	}
	return rs
}

func withTemplate(rs *appsv1.ReplicaSet, image, hash string) *appsv1.ReplicaSet {
	rs.Spec.Template = corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "nginx", "pod-template-hash": hash}},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "nginx", Image: image}}},
	}
	return rs
}

func names(rss []*appsv1.ReplicaSet) string {
	var out []string
	for _, rs := range rss {
		if rs == nil {
			out = append(out, "<nil>")
			continue
		}
		out = append(out, rs.Name)
	}
	return strings.Join(out, ",")
}

func TestFindReplicaSets(t *testing.T) {
	d := &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Replicas: ptr.To[int32](3), Template: corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "nginx"}},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "nginx", Image: "nginx:1.16.1"}}},
	}}}
	old := withTemplate(rsAt("old", 0, 0, 0, 0), "nginx:1.14.2", "a")
	cur := withTemplate(rsAt("cur", 10, 3, 3, 3), "nginx:1.16.1", "b")
	dup := withTemplate(rsAt("dup", 20, 1, 1, 1), "nginx:1.16.1", "c") // same template, newer
	bad := withTemplate(rsAt("bad", 30, 2, 2, 0), "nginx:1.161", "d")
	all := []*appsv1.ReplicaSet{bad, dup, old, cur}

	if got := findNewReplicaSet(d, all); got != cur {
		t.Errorf("new: %v, want the oldest matching", got)
	}
	withReplicas, olds := findOldReplicaSets(d, all)
	if names(withReplicas) != "bad,dup" || names(olds) != "bad,dup,old" {
		t.Errorf("old with replicas %s, all old %s", names(withReplicas), names(olds))
	}
	if names(all) != "bad,dup,old,cur" {
		t.Errorf("the caller's slice was reordered: %s", names(all))
	}
	d.Spec.Template.Spec.Containers[0].Image = "nginx:1.17"
	if got := findNewReplicaSet(d, all); got != nil {
		t.Errorf("no match: %v", got.Name)
	}

	for _, c := range []struct {
		name   string
		newRS  *appsv1.ReplicaSet
		oldRSs []*appsv1.ReplicaSet
		want   string
	}{
		{"nothing", nil, nil, "<nil>"},
		{"only the new one active", rsAt("new", 50, 3, 3, 3), []*appsv1.ReplicaSet{rsAt("a", 0, 0, 0, 0)}, "new"},
		{"only an old one active", rsAt("new", 50, 0, 0, 0), []*appsv1.ReplicaSet{rsAt("a", 0, 0, 0, 0), rsAt("b", 10, 2, 2, 2)}, "b"},
		{"none active: the new one", rsAt("new", 50, 0, 0, 0), []*appsv1.ReplicaSet{rsAt("a", 0, 0, 0, 0)}, "new"},
		{"none active, no new one: the newest old", nil, []*appsv1.ReplicaSet{rsAt("a", 0, 0, 0, 0), rsAt("c", 20, 0, 0, 0), rsAt("b", 10, 0, 0, 0)}, "c"},
		{"two active", rsAt("new", 50, 1, 1, 1), []*appsv1.ReplicaSet{rsAt("a", 0, 2, 2, 2)}, "<nil>"},
	} {
		if got := names([]*appsv1.ReplicaSet{findActiveOrLatest(c.newRS, c.oldRSs)}); got != c.want {
			t.Errorf("findActiveOrLatest %s: %s, want %s", c.name, got, c.want)
		}
	}
}

func TestEqualIgnoreHash(t *testing.T) {
	a := withTemplate(rsAt("a", 0, 0, 0, 0), "nginx", "h1").Spec.Template
	b := withTemplate(rsAt("b", 0, 0, 0, 0), "nginx", "h2").Spec.Template
	if !EqualIgnoreHash(&a, &b) {
		t.Error("differ only by hash")
	}
	if a.Labels["pod-template-hash"] != "h1" {
		t.Error("the label was removed from the input")
	}
	b.Spec.Containers[0].Image = "nginx:1"
	if EqualIgnoreHash(&a, &b) {
		t.Error("differ by image")
	}
	// Only the hash label: an empty label set is the same as none.
	c := corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"pod-template-hash": "x"}}}
	if !EqualIgnoreHash(&c, &corev1.PodTemplateSpec{}) {
		t.Error("hash-only labels vs none")
	}
}

func TestRevisions(t *testing.T) {
	rss := []*appsv1.ReplicaSet{
		rsAt("a", 0, 0, 0, 0, AnnotationRevision, "3"),
		rsAt("b", 0, 0, 0, 0, AnnotationRevision, "x"),
		rsAt("c", 0, 0, 0, 0),
		rsAt("d", 0, 0, 0, 0, AnnotationRevision, "5"),
		rsAt("e", 0, 0, 0, 0, AnnotationRevision, "4"),
	}
	if got := maxRevision(rss); got != 5 {
		t.Errorf("max %d", got)
	}
	if got := lastRevision(rss); got != 4 {
		t.Errorf("last %d", got)
	}
	if got := lastRevision(rss[:1]); got != 0 {
		t.Errorf("last of one %d", got)
	}
	// Equal maxima: the second is the same revision (upstream's >=).
	if got := lastRevision([]*appsv1.ReplicaSet{rsAt("a", 0, 0, 0, 0, AnnotationRevision, "2"), rsAt("b", 0, 0, 0, 0, AnnotationRevision, "2")}); got != 2 {
		t.Errorf("equal maxima %d", got)
	}
}

func TestSetNewReplicaSetAnnotations(t *testing.T) {
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Annotations: map[string]string{"team": "a", AnnotationRevision: "9", corev1.LastAppliedConfigAnnotation: "{}"}},
		Spec: appsv1.DeploymentSpec{Replicas: ptr.To[int32](10), Strategy: appsv1.DeploymentStrategy{
			Type: appsv1.RollingUpdateDeploymentStrategyType, RollingUpdate: &appsv1.RollingUpdateDeployment{
				MaxSurge: ptr.To(intstr.FromString("25%")), MaxUnavailable: ptr.To(intstr.FromString("25%"))}}},
	}
	longHistory := strings.TrimSuffix(strings.Repeat("1000,", 399), ",") + ",12345" // 2,000 characters
	cases := []struct {
		name     string
		rs       *appsv1.ReplicaSet
		revision string
		exists   bool
		changed  bool
		want     map[string]string
	}{
		{"a ReplicaSet to create", rsAt("n", 0, 0, 0, 0), "1", false, true,
			map[string]string{"team": "a", AnnotationRevision: "1", AnnotationDesiredReplicas: "10", AnnotationMaxReplicas: "13"}},
		{"current", rsAt("n", 0, 0, 0, 0, "team", "a", AnnotationRevision, "4"), "4", true, false,
			map[string]string{"team": "a", AnnotationRevision: "4"}},
		{"a higher revision is kept", rsAt("n", 0, 0, 0, 0, "team", "a", AnnotationRevision, "6"), "4", true, false,
			map[string]string{"team": "a", AnnotationRevision: "6"}},
		{"rolled back to: the old revision goes to history", rsAt("n", 0, 0, 0, 0, "team", "b", AnnotationRevision, "2"), "5", true, true,
			map[string]string{"team": "a", AnnotationRevision: "5", AnnotationRevisionHistory: "2"}},
		{"history grows", rsAt("n", 0, 0, 0, 0, "team", "a", AnnotationRevision, "5", AnnotationRevisionHistory, "2"), "7", true, true,
			map[string]string{"team": "a", AnnotationRevision: "7", AnnotationRevisionHistory: "2,5"}},
		{"history drops its oldest beyond 2,000 characters", rsAt("n", 0, 0, 0, 0, "team", "a", AnnotationRevision, "99", AnnotationRevisionHistory, longHistory), "100", true, true,
			map[string]string{"team": "a", AnnotationRevision: "100", AnnotationRevisionHistory: longHistory[5:] + ",99"}},
		// The Deployment's annotations are copied, but upstream reports no change.
		{"a revision that is not a number is left alone", rsAt("n", 0, 0, 0, 0, AnnotationRevision, "x"), "5", true, false,
			map[string]string{"team": "a", AnnotationRevision: "x"}},
	}
	for _, c := range cases {
		changed := setNewReplicaSetAnnotations(d, c.rs, c.revision, c.exists)
		if changed != c.changed || !equality.Semantic.DeepEqual(c.rs.Annotations, c.want) {
			t.Errorf("%s: changed %v, annotations %v; want %v %v", c.name, changed, c.rs.Annotations, c.changed, c.want)
		}
	}
	if h := len(longHistory[5:] + ",99"); h > maxRevisionHistoryChars {
		t.Errorf("history of %d characters", h)
	}
}

func TestSyncedNewReplicaSet(t *testing.T) {
	d := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Annotations: map[string]string{"a": "1"}}, Spec: appsv1.DeploymentSpec{MinReadySeconds: 3}}
	rs := rsAt("n", 0, 3, 3, 3, "a", "1", AnnotationRevision, "2")
	rs.Spec.MinReadySeconds = 3
	if got := syncedNewReplicaSet(d, rs, "2"); got != nil {
		t.Errorf("nothing to change: %+v", got.Annotations)
	}
	d.Spec.MinReadySeconds = 10
	got := syncedNewReplicaSet(d, rs, "2")
	if got == nil || got.Spec.MinReadySeconds != 10 || rs.Spec.MinReadySeconds != 3 {
		t.Errorf("minReadySeconds: %+v (input %d)", got, rs.Spec.MinReadySeconds)
	}
	d.Spec.MinReadySeconds = 3
	got = syncedNewReplicaSet(d, rs, "3")
	if got == nil || got.Annotations[AnnotationRevision] != "3" || got.Annotations[AnnotationRevisionHistory] != "2" || rs.Annotations[AnnotationRevision] != "2" {
		t.Errorf("revision: %+v (input %v)", got, rs.Annotations)
	}
}

func TestIsOwnNewReplicaSet(t *testing.T) {
	d := mustDeployment(t, nginxDeploymentYAML)
	d.UID = "d-uid"
	own := newReplicaSet(d, "1")
	if !isOwnNewReplicaSet(d, own) {
		t.Error("own ReplicaSet")
	}
	other := own.DeepCopy()
	other.OwnerReferences[0].UID = "another"
	if isOwnNewReplicaSet(d, other) {
		t.Error("another Deployment's")
	}
	collision := own.DeepCopy()
	collision.Spec.Template.Spec.Containers[0].Image = "nginx:other"
	if isOwnNewReplicaSet(d, collision) {
		t.Error("another template under the same name is a collision")
	}
	orphan := own.DeepCopy()
	orphan.OwnerReferences = nil
	if isOwnNewReplicaSet(d, orphan) {
		t.Error("an orphan")
	}
}

func TestRollbackTarget(t *testing.T) {
	d := mustDeployment(t, nginxDeploymentYAML)
	d.Spec.Template.Spec.Containers[0].Image = "nginx:1.161"
	d.Annotations = map[string]string{AnnotationRevision: "3", appsv1.DeprecatedRollbackTo: "0",
		"kubernetes.io/change-cause": "bad", corev1.LastAppliedConfigAnnotation: "{}"}
	rsFor := func(name, image, rev, cause string) *appsv1.ReplicaSet {
		dd := d.DeepCopy()
		dd.Spec.Template.Spec.Containers[0].Image = image
		rs := newReplicaSet(dd, rev)
		rs.Name = name
		rs.Annotations["kubernetes.io/change-cause"] = cause
		return rs
	}
	rs1 := rsFor("r1", "nginx:1.14.2", "1", "create")
	rs2 := rsFor("r2", "nginx:1.16.1", "2", "update")
	rs3 := rsFor("r3", "nginx:1.161", "3", "bad")
	all := []*appsv1.ReplicaSet{rs1, rs2, rs3}

	cases := []struct {
		name      string
		to        int64
		rss       []*appsv1.ReplicaSet
		eventType string
		reason    string
		message   string
		image     string
		cause     string
	}{
		{"undo: the previous revision", 0, all, corev1.EventTypeNormal, ReasonRollbackDone, `Rolled back deployment "nginx-deployment" to revision 2`, "nginx:1.16.1", "update"},
		{"to revision 1", 1, all, corev1.EventTypeNormal, ReasonRollbackDone, `Rolled back deployment "nginx-deployment" to revision 1`, "nginx:1.14.2", "create"},
		{"to the current template", 3, all, corev1.EventTypeWarning, ReasonRollbackTemplateUnchanged, `The rollback revision contains the same template as current deployment "nginx-deployment"`, "nginx:1.161", "bad"},
		{"a revision that does not exist", 9, all, corev1.EventTypeWarning, ReasonRollbackRevisionNotFound, "Unable to find the revision to rollback to.", "nginx:1.161", "bad"},
		{"no previous revision", 0, all[2:], corev1.EventTypeWarning, ReasonRollbackRevisionNotFound, "Unable to find last revision.", "nginx:1.161", "bad"},
	}
	for _, c := range cases {
		r := rollbackTarget(d, c.rss, c.to)
		out := r.deployment
		if r.eventType != c.eventType || r.reason != c.reason || r.message != c.message {
			t.Errorf("%s: event %s %s %q", c.name, r.eventType, r.reason, r.message)
		}
		if out.Spec.Template.Spec.Containers[0].Image != c.image || out.Annotations["kubernetes.io/change-cause"] != c.cause {
			t.Errorf("%s: image %s, change-cause %q", c.name, out.Spec.Template.Spec.Containers[0].Image, out.Annotations["kubernetes.io/change-cause"])
		}
		if _, ok := out.Annotations[appsv1.DeprecatedRollbackTo]; ok {
			t.Errorf("%s: the rollback annotation stays", c.name)
		}
		if out.Annotations[AnnotationRevision] != "3" || out.Annotations[corev1.LastAppliedConfigAnnotation] != "{}" {
			t.Errorf("%s: the Deployment's own annotations changed: %v", c.name, out.Annotations)
		}
		if _, ok := out.Spec.Template.Labels[appsv1.DefaultDeploymentUniqueLabelKey]; ok {
			t.Errorf("%s: the hash label came back with the template", c.name)
		}
	}
	if d.Spec.Template.Spec.Containers[0].Image != "nginx:1.161" || d.Annotations[appsv1.DeprecatedRollbackTo] != "0" {
		t.Error("the input Deployment changed")
	}
	if got := rollbackTo(d); got == nil || *got != 0 {
		t.Errorf("rollbackTo %v", got)
	}
	for _, v := range []string{"", "x"} {
		d.Annotations[appsv1.DeprecatedRollbackTo] = v
		if got := rollbackTo(d); got != nil {
			t.Errorf("rollbackTo(%q) = %d", v, *got)
		}
	}
	d.Annotations[appsv1.DeprecatedRollbackTo] = strconv.Itoa(4)
	if got := rollbackTo(d); got == nil || *got != 4 {
		t.Errorf("rollbackTo 4: %v", got)
	}
}
