package tutorial

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kubetab/kubetab/engine/terminal"
)

// fence writes a code fence: the lessons in these tests are easier to read with ~~~.
func lesson(s string) []byte { return []byte(strings.ReplaceAll(s, "~~~", "```")) }

func mustParse(t *testing.T, src string) *Lesson {
	t.Helper()
	l, err := Parse("t.md", lesson(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return l
}

func mustSession(t *testing.T, l *Lesson) *terminal.Session {
	t.Helper()
	s, err := l.NewSession(terminal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const rcLesson = `---
title: RC
seed: 7    # a comment
start: "2030-05-01T12:00:00Z"
---
Some prose.

~~~yaml file=rc.yaml
apiVersion: v1
kind: ReplicationController
metadata:
  name: kubia
spec:
  replicas: 2
  selector:
    app: kubia
  template:
    metadata:
      labels:
        app: kubia
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
~~~

~~~kubetab
kubectl apply -f rc.yaml
~~~

~~~check
kubectl get pods -l app=kubia --field-selector=status.phase=Running -o name
count: 2
within: 1m
label: two pods are Running
~~~

~~~sh id=delete
POD=$(kubectl get pods -l app=kubia -o jsonpath={.items[0].metadata.name})
kubectl delete pod $POD
~~~

~~~check
kubectl get pod ${POD}
exit: 1
contains: NotFound
label: it is gone
~~~
`

func TestParseLesson(t *testing.T) {
	l := mustParse(t, rcLesson)
	if l.Title != "RC" || l.Seed != 7 || !l.ClusterStart().Equal(time.Date(2030, 5, 1, 12, 0, 0, 0, time.UTC)) || l.Strict {
		t.Errorf("front matter: %q %d %s strict %v", l.Title, l.Seed, l.ClusterStart(), l.Strict)
	}
	if l := mustParse(t, "---\ntitle: S\nstrict: true\n---\n"); !l.Strict {
		t.Error("strict: true not read")
	}
	if len(l.Files) != 1 || l.Files[0].Name != "rc.yaml" || l.Files[0].Line != 8 || !strings.HasPrefix(l.Files[0].Content, "apiVersion: v1\n") {
		t.Errorf("files: %+v", l.Files)
	}
	var ids []string
	for _, s := range l.Steps() {
		ids = append(ids, s.ID)
	}
	if got := strings.Join(ids, " "); got != "run-1 check-two-pods-are-running delete check-it-is-gone" {
		t.Errorf("step IDs: %s", got)
	}
	c := l.Steps()[1].Check
	if c.Line != 31 || c.Within != time.Minute || c.Label != "two pods are Running" || len(c.Expect) != 1 || c.Expect[0].Kind != "count" {
		t.Errorf("check: %+v", c)
	}
	b := l.Step("delete").Block
	if len(b.Segments) != 2 || b.Segments[0].Capture == nil || b.Segments[0].Capture.Name != "POD" || b.Segments[1].Script != "kubectl delete pod $POD\n" || b.Segments[1].Line != 40 {
		t.Errorf("segments: %+v", b.Segments)
	}
	var kinds []string
	for _, p := range l.Parts {
		switch {
		case p.Prose != "":
			kinds = append(kinds, "prose")
		case p.File != nil:
			kinds = append(kinds, "file")
		case p.Step != nil && p.Step.Block != nil:
			kinds = append(kinds, "block")
		case p.Step != nil:
			kinds = append(kinds, "check")
		}
	}
	if got := strings.Join(kinds, " "); got != "prose file block check block check" {
		t.Errorf("parts: %s", got)
	}
	if got := l.ResetLine(); got != "kubetab reset --seed 7 --start 2030-05-01T12:00:00Z" {
		t.Errorf("reset line %q", got)
	}
}

func TestRunLesson(t *testing.T) {
	l := mustParse(t, rcLesson)
	var report, transcript bytes.Buffer
	res, err := Runner{Report: &report, Transcript: &transcript}.Run(l)
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() || report.String() != "ok   t.md:31 two pods are Running\nok   t.md:43 it is gone\n" {
		t.Fatalf("report:\n%s\ntranscript:\n%s", report.String(), transcript.String())
	}
	if w := res.Checks[0].Waited; w <= 0 || w > time.Minute {
		t.Errorf("waited %s", w)
	}
	if !strings.Contains(transcript.String(), "$ POD=$(kubectl get pods") || !strings.Contains(transcript.String(), "$ kubectl delete pod kubia-") {
		t.Errorf("transcript:\n%s", transcript.String())
	}
	// The same lesson gives the same run.
	var again bytes.Buffer
	Runner{Transcript: &again}.Run(l)
	if again.String() != transcript.String() {
		t.Error("two runs differ")
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"no title", "prose\n", "t.md: the lesson has no title"},
		{"unclosed fence", "# T\n\n~~~kubetab\nkubectl get pods\n", "t.md:3: the code fence opened here is never closed"},
		{"unclosed front matter", "---\ntitle: x\n", "t.md:1: the front matter opened here is never closed"},
		{"bad front matter key", "---\ntitle: x\ncolour: red\n---\n", `t.md:3: unknown front matter key "colour"`},
		{"bad seed", "---\ntitle: x\nseed: -1\n---\n", `t.md:3: invalid seed "-1"`},
		{"bad strict", "---\ntitle: x\nstrict: maybe\n---\n", `t.md:3: strict is true or false, not "maybe"`},
		{"block syntax", "# T\n~~~kubetab\nkubectl get pods\nkubectl get pods | wc -l\n~~~\n", "t.md:4: pipes are not supported"},
		{"unterminated quote", "# T\n~~~kubetab\nkubectl get pods\nkubectl label pod x 'a=b\n~~~\n", "t.md:4: unterminated quoted string"},
		{"empty block", "# T\n~~~kubetab\n# nothing\n~~~\n", "t.md:2: this runnable block has no commands"},
		{"missing file", "# T\n~~~kubetab\nkubectl apply -f nope.yaml\n~~~\n", "t.md:3: nope.yaml is not a file of this lesson"},
		{"duplicate file", "# T\n~~~yaml file=a.yaml\nx: 1\n~~~\n~~~yaml file=a.yaml\nx: 2\n~~~\n", "t.md:5: file a.yaml is already provided at line 2"},
		{"bad file name", "# T\n~~~yaml file=../a.yaml\nx: 1\n~~~\n", "t.md:2: file=../a.yaml: a lesson file is a relative path"},
		{"unknown attribute", "# T\n~~~kubetab colour=red\nkubectl get pods\n~~~\n", `t.md:2: unknown attribute "colour" on a runnable block (id, exit)`},
		{"bad exit", "# T\n~~~kubetab exit=x\nkubectl get pods\n~~~\n", "t.md:2: exit=x: want an exit status"},
		{"check without label", "# T\n~~~check\nkubectl get pods\ncount: 1\n~~~\n", "t.md:2: a check needs a label"},
		{"check without command", "# T\n~~~check\ncount: 1\nlabel: x\n~~~\n", "t.md:2: a check needs a command"},
		{"check without expectation", "# T\n~~~check\nkubectl get pods\nlabel: x\n~~~\n", "t.md:2: a check needs at least one expectation"},
		{"check writes", "# T\n~~~check\nkubectl delete pod x\nexit: 0\nlabel: x\n~~~\n", "t.md:3: this must only read the cluster: use kubectl get, describe or logs, not kubectl delete"},
		{"check waits", "# T\n~~~check\nkubectl wait --for=condition=Ready pod/x\nexit: 0\nlabel: x\n~~~\n", "t.md:3: kubectl wait moves virtual time: give the check a `within: DURATION` instead"},
		{"check watches", "# T\n~~~check\nkubectl get pods -w\ncount: 1\nlabel: x\n~~~\n", "t.md:3: -w waits for changes"},
		{"check follows", "# T\n~~~check\nkubectl logs x -f\ncount: 1\nlabel: x\n~~~\n", "t.md:3: -f waits for more output"},
		{"check kubetab", "# T\n~~~check\nkubetab advance 1m\ncount: 1\nlabel: x\n~~~\n", "t.md:3: only kubectl get, describe or logs can be checked, not kubetab"},
		{"check two commands", "# T\n~~~check\nkubectl get pods; kubectl get nodes\ncount: 1\nlabel: x\n~~~\n", "t.md:3: a check runs exactly one command"},
		{"bad key", "# T\n~~~check\nkubectl get pods\nlines: 1\nlabel: x\n~~~\n", `t.md:4: unknown check key "lines"`},
		{"not a key", "# T\n~~~check\nkubectl get pods\ncount: 1\nkubectl get nodes\nlabel: x\n~~~\n", "t.md:5: expected `key: value`"},
		{"duplicate key", "# T\n~~~check\nkubectl get pods\ncount: 1\ncount: 2\nlabel: x\n~~~\n", "t.md:5: count: is given twice in this check (first at line 4)"},
		{"bad count", "# T\n~~~check\nkubectl get pods\ncount: many\nlabel: x\n~~~\n", `t.md:4: count: want a whole number, not "many"`},
		{"bad regexp", "# T\n~~~check\nkubectl get pods\nmatches: (\nlabel: x\n~~~\n", "t.md:4: matches: error parsing regexp"},
		{"bad within", "# T\n~~~check\nkubectl get pods\ncount: 1\nwithin: soon\nlabel: x\n~~~\n", `t.md:5: within: invalid duration "soon"`},
		{"event with command", "# T\n~~~check\nkubectl get pods\nevent: Killing\nlabel: x\n~~~\n", "t.md:4: event: stands for its own command"},
		{"bad event object", "# T\n~~~check\nevent: Killing widget/x\nlabel: x\n~~~\n", "t.md:3: event: the object is KIND/NAME"},
		{"capture not alone", "# T\n~~~kubetab\nP=$(kubectl get pods -o name); kubectl get pods\n~~~\n", "t.md:3: a capture (P=$(...)) must be alone on its line"},
		{"capture writes", "# T\n~~~kubetab\nP=$(kubectl delete pods --all)\n~~~\n", "t.md:3: capture P: this must only read the cluster"},
		{"substitution elsewhere", "# T\n~~~kubetab\nkubectl delete pod $(kubectl get pods -o name)\n~~~\n", "t.md:3: command substitution works only in a capture line"},
		{"plain assignment", "# T\n~~~kubetab\nPOD=kubia-x\n~~~\n", "t.md:3: variables are set only by a capture line"},
		{"used before capture", "# T\n~~~check\nkubectl get pod $POD\nexit: 0\nlabel: x\n~~~\n~~~kubetab\nPOD=$(kubectl get pods -o name)\n~~~\n", "t.md:3: $POD is used before it is captured (at line 8)"},
		{"edit without fixture", "# T\n~~~kubetab\nkubectl edit rc kubia\n~~~\n", "t.md:2: this block runs kubectl edit: give the change"},
		{"fixture without edit", "# T\n~~~kubetab\nkubectl get rc kubia\n~~~\n~~~yaml edit\nspec: {replicas: 1}\n~~~\n", "t.md:5: an edit fixture follows a block that runs no kubectl edit"},
		{"fixture first", "# T\n~~~yaml edit\nspec: {replicas: 1}\n~~~\n", "t.md:2: an edit fixture belongs to the runnable block before it"},
		{"fixture not a mapping", "# T\n~~~kubetab\nkubectl edit rc kubia\n~~~\n~~~yaml edit\n- a\n~~~\n", "t.md:5: an edit fixture is a YAML mapping"},
		{"duplicate id", "# T\n~~~kubetab id=a\nkubectl get pods\n~~~\n~~~kubetab id=a\nkubectl get pods\n~~~\n", `t.md:5: id "a" is already used at line 2`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("t.md", lesson(tc.src))
			var errs Errors
			if !errors.As(err, &errs) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v\nwant %q", err, tc.want)
			}
		})
	}
}

func TestParseKeepsOrdinaryFences(t *testing.T) {
	l := mustParse(t, "# T\n\n````markdown\n~~~check\nnot: a check\n~~~\n````\n\n~~~text\nkubectl delete pods --all\n~~~\n\n~~~kubetab norun\nkubectl frobnicate\n~~~\n")
	if len(l.Steps()) != 0 || len(l.Parts) != 1 || !strings.Contains(l.Parts[0].Prose, "not: a check") || !strings.Contains(l.Parts[0].Prose, "kubectl frobnicate") {
		t.Errorf("parts: %+v", l.Parts)
	}
}

func TestExpectations(t *testing.T) {
	l := mustParse(t, `# Nodes
~~~check
kubectl get nodes -o name
count: 4
label: count
~~~
~~~check
kubectl get node kubetab-worker -o jsonpath={.metadata.name}
equals: kubetab-worker
label: equals
~~~
~~~check
kubectl get nodes
contains: " Ready "
label: contains
~~~
~~~check
kubectl get nodes -o name
matches: ^node/kubetab-worker3$
label: matches
~~~
~~~check
kubectl get node nope
exit: 1
contains: NotFound
label: exit
~~~
~~~check
kubectl describe node kubetab-worker
contains: kubernetes.io/hostname=kubetab-worker
label: describe
~~~
~~~check
kubectl get nodes -o name
count: 5
label: wrong count
~~~
~~~check
kubectl get node kubetab-worker -o jsonpath={.metadata.name}
equals: kubetab
label: wrong equals
~~~
~~~check
kubectl get nodes
contains: NotReady
label: wrong contains
~~~
~~~check
kubectl get nodes -o name
matches: ^pod/
label: wrong matches
~~~
~~~check
kubectl get node nope
label: unexpected failure
contains: nope
~~~
~~~check
kubectl get node kubetab-worker
exit: 1
label: unexpected success
~~~
~~~check
event: Killing pod/nope
label: no event
~~~
`)
	s := mustSession(t, l)
	want := map[string]string{
		"wrong count":        "4 lines, want 5",
		"wrong equals":       `output is not "kubetab"`,
		"wrong contains":     `output does not contain "NotReady"`,
		"wrong matches":      `output does not match "^pod/"`,
		"unexpected failure": "exited 1, want 0:\nError from server (NotFound)",
		"unexpected success": "exited 0, want 1",
		"no event":           "no Killing pod/nope event",
	}
	for _, c := range l.Checks() {
		ok, detail := c.Evaluate(s, nil)
		if w, bad := want[c.Label]; bad {
			if ok || !strings.HasPrefix(detail, w) {
				t.Errorf("%s: ok %v, detail %q, want %q", c.Label, ok, detail, w)
			}
		} else if !ok {
			t.Errorf("%s: %s", c.Label, detail)
		}
	}
	if st := s.State(); len(st.Journal) != 0 {
		t.Errorf("evaluating checks changed the journal: %+v", st.Journal)
	}
}

func TestEventCheck(t *testing.T) {
	l := mustParse(t, `# Events
~~~kubetab
kubectl create namespace x
kubectl run web --image=luksa/kubia
~~~
~~~check
event: Scheduled pod/web
within: 10s
label: scheduled
~~~
~~~check
event: Scheduled
label: any pod scheduled
~~~
`)
	if got := l.Checks()[0].Command; got != "kubectl get events -A --field-selector reason=Scheduled,involvedObject.kind=Pod,involvedObject.name=web -o name" {
		t.Errorf("command %q", got)
	}
	res, err := Run(l, nil)
	if err != nil || !res.OK() {
		t.Errorf("%v %+v", err, res)
	}
}

// within lets time pass only as long as needed, and reports the check's last failure when
// the time runs out.
func TestWithin(t *testing.T) {
	l := mustParse(t, `# Batch
~~~kubetab
kubectl create job batch --image=luksa/batch-job
~~~
~~~check
kubectl get job batch -o jsonpath={.status.succeeded}
equals: 1
within: 1m
label: not within a minute
~~~
~~~check
kubectl get job batch -o jsonpath={.status.succeeded}
equals: 1
within: 5m
label: within five minutes
~~~
`)
	s := mustSession(t, l)
	start := s.Cluster().Now()
	vars := Vars{}
	b := l.Steps()[0].Block
	if exit, err := b.Run(s, vars, &bytes.Buffer{}); exit != 0 || err != nil {
		t.Fatal(exit, err)
	}
	cs := l.Checks()
	ok, detail, waited := cs[0].Await(s, vars)
	if ok || waited != time.Minute || !strings.HasPrefix(detail, "still not true after 1m: output is not \"1\"") {
		t.Errorf("%v %s %q", ok, waited, detail)
	}
	ok, detail, waited = cs[1].Await(s, vars)
	// The pod starts after its image pull and sleeps two minutes.
	if !ok || waited < time.Minute || waited > 2*time.Minute {
		t.Errorf("%v %s %q", ok, waited, detail)
	}
	if now := s.Cluster().Now(); now.Truncate(time.Second) != now || now.Sub(start) > 3*time.Minute {
		t.Errorf("time is %s", now)
	}
	// Evaluate never moves time.
	before := s.Cluster().Now()
	cs[0].Evaluate(s, vars)
	if !s.Cluster().Now().Equal(before) {
		t.Error("Evaluate moved time")
	}
}

func TestCapture(t *testing.T) {
	l := mustParse(t, `# Capture
~~~kubetab
N=$(kubectl get nodes -l node-role.kubernetes.io/control-plane -o jsonpath={.items[0].metadata.name})
kubectl label node $N tier=cp
~~~
~~~kubetab
ALL=$(kubectl get nodes -o name)
~~~
~~~kubetab
NONE=$(kubectl get pods -o name)
~~~
~~~check
kubectl get node ${N} -o jsonpath={.metadata.labels.tier}
equals: cp
label: captured and used
~~~
`)
	s := mustSession(t, l)
	vars := Vars{}
	if _, err := l.Expand("kubectl get node $N", vars); err == nil || !strings.Contains(err.Error(), "$N is not set yet: run the block with line 3") {
		t.Errorf("expanding an unset variable: %v", err)
	}
	steps := l.Steps()
	var out bytes.Buffer
	if exit, err := steps[0].Block.Run(s, vars, &out); exit != 0 || err != nil || vars["N"] != "kubetab-control-plane" {
		t.Fatalf("%d %v %v\n%s", exit, err, vars, out.String())
	}
	if !strings.Contains(out.String(), "$ kubectl label node kubetab-control-plane tier=cp\nnode/kubetab-control-plane labeled\n") {
		t.Errorf("transcript:\n%s", out.String())
	}
	if _, err := steps[1].Block.Run(s, vars, &out); err == nil || !strings.Contains(err.Error(), "not one word") {
		t.Errorf("multi-line capture: %v", err)
	}
	if _, err := steps[2].Block.Run(s, vars, &out); err == nil || !strings.Contains(err.Error(), "printed nothing") {
		t.Errorf("empty capture: %v", err)
	}
	if _, ok := vars["ALL"]; ok {
		t.Error("a failed capture set its variable")
	}
	if ok, detail := steps[3].Check.Evaluate(s, vars); !ok {
		t.Error(detail)
	}
	if got, _ := l.Expand("echo $N ${N} $HOME $", vars); got != "echo kubetab-control-plane kubetab-control-plane $HOME $" {
		t.Errorf("expand: %q", got)
	}
}

func TestEditFixture(t *testing.T) {
	l := mustParse(t, `# Edit
~~~yaml file=web.yaml
apiVersion: v1
kind: ReplicationController
metadata:
  name: web
spec:
  replicas: 1
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: luksa/kubia
~~~
~~~kubetab
kubectl apply -f web.yaml
kubectl edit rc web
~~~
~~~yaml edit
spec:
  replicas: 4
metadata:
  labels:
    tier: front
  annotations: null
~~~
~~~check
kubectl get rc web -o jsonpath={.spec.replicas}/{.metadata.labels.tier}/{.metadata.labels.app}
equals: 4/front/web
label: edited
~~~
`)
	res, err := Runner{Transcript: &bytes.Buffer{}}.Run(l)
	if err != nil || !res.OK() {
		t.Fatalf("%v %+v", err, res)
	}
	merged, err := l.Steps()[0].Block.Edits[0].Apply("# header\nmetadata:\n  name: web\n  labels: {app: web}\n  annotations: {a: b}\nspec:\n  replicas: 1\n")
	if err != nil || merged != "metadata:\n  labels:\n    app: web\n    tier: front\n  name: web\nspec:\n  replicas: 4\n" {
		t.Errorf("%v\n%s", err, merged)
	}
}

func TestBlockExit(t *testing.T) {
	l := mustParse(t, "# Exit\n~~~kubetab exit=1\nkubectl get pod nope\n~~~\n~~~kubetab\nkubectl get pod nope\n~~~\n~~~kubetab exit=1\nkubectl get nodes\n~~~\n")
	var report bytes.Buffer
	res, _ := Run(l, &report)
	if got := strings.Join(res.Failures(), "\n"); got != "t.md:5 block run-2\nt.md:8 block run-3" {
		t.Errorf("failures:\n%s\nreport:\n%s", got, report.String())
	}
	if !strings.Contains(report.String(), "FAIL t.md:5 block run-2\n     the block ended with exit status 1, want 0:\n     $ kubectl get pod nope\n") {
		t.Errorf("report:\n%s", report.String())
	}
}

// Every lesson in public/tutorials parses and passes.
func TestShippedLessons(t *testing.T) {
	if testing.Short() {
		t.Skip("slow under js/wasm; the native run (without -short) covers it")
	}
	files, err := filepath.Glob("../../public/tutorials/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("no lessons (%v)", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			l, err := Parse(filepath.Base(f), src)
			if err != nil {
				t.Fatal(err)
			}
			var report bytes.Buffer
			res, err := Run(l, &report)
			if err != nil || !res.OK() || len(res.Checks) == 0 {
				t.Fatalf("%v\n%s", err, report.String())
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(rcLesson))
	f.Add(lesson("# T\n~~~check\nevent: X pod/y\nlabel: z\n~~~\n~~~kubetab\nA=$(kubectl get pods -o name)\nkubectl get pod $A ${A}\n~~~\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		l, err := Parse("f.md", src)
		if err == nil && l.Title == "" {
			t.Error("a lesson without a title parsed")
		}
	})
}
