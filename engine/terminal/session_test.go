package terminal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/cluster"
	"github.com/kubetab/kubetab/engine/kubectl"
	"github.com/kubetab/kubetab/engine/persist"
)

// MustSession returns a session on a fresh default cluster with the test seed and start.
func MustSession(tb testing.TB, opts Options) *Session {
	tb.Helper()
	if opts.Start.IsZero() {
		opts.Start = testStart
	}
	s, err := New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

var testStart = time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)

// clusterDump renders every stored object, the clock and the resourceVersion: two clusters with
// equal dumps are the same cluster as far as any command can tell.
func clusterDump(c *cluster.Cluster) string {
	var b strings.Builder
	fmt.Fprintf(&b, "now %s rv %d objects %d\n", c.Now().Format(time.RFC3339Nano), c.Store.ResourceVersion(), c.Store.Len())
	for _, r := range api.Resources() {
		c.Store.Each(r, "", func(o api.Object) bool {
			j, err := json.Marshal(o)
			if err != nil {
				j = []byte(err.Error())
			}
			fmt.Fprintf(&b, "%s %s/%s %s\n", r.Name, o.GetNamespace(), o.GetName(), j)
			return true
		})
	}
	return b.String()
}

func run(t *testing.T, s *Session, script string) (string, int) {
	t.Helper()
	var out bytes.Buffer
	code := s.RunScript(script, &out)
	return out.String(), code
}

func TestCommandNotFound(t *testing.T) {
	s := MustSession(t, Options{})
	var out, errOut bytes.Buffer
	code := s.Exec([]string{"frob", "-l"}, nil, &out, &errOut)
	if code != ExitNotFound {
		t.Fatalf("exit %d, want %d", code, ExitNotFound)
	}
	if errOut.String() != "sh: frob: not found\n" || out.Len() != 0 {
		t.Fatalf("stdout %q stderr %q", out.String(), errOut.String())
	}
	if len(s.State().Journal) != 0 {
		t.Fatal("an unknown command was journaled")
	}
}

func TestTranscript(t *testing.T) {
	s := MustSession(t, Options{})
	got, code := run(t, s, "# comment\nkubetab advance 5m\nnope && kubetab advance 1m\nkubetab advance \\\n  30s; kubetab bogus\n")
	want := `$ kubetab advance 5m
time advanced 5m to 2026-01-01T09:05:00Z
$ nope
sh: nope: not found
$ kubetab advance \
  30s
time advanced 30s to 2026-01-01T09:05:30Z
$ kubetab bogus
error: unknown command "bogus" for "kubetab"

` + kubetabUsage
	if got != want {
		t.Fatalf("transcript:\n%s\nwant:\n%s", got, want)
	}
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if got, code := run(t, s, "kubetab advance 1m && kubetab advance 1m\n"); code != 0 || strings.Count(got, "$ ") != 2 {
		t.Fatalf("exit %d, transcript %q", code, got)
	}
	if got, code := run(t, s, "kubetab advance 'oops\n"); code != 1 || got != "sh: line 1: syntax error: unterminated quoted string\n" {
		t.Fatalf("syntax error: exit %d, transcript %q", code, got)
	}
}

func TestRunLine(t *testing.T) {
	s := MustSession(t, Options{})
	var out bytes.Buffer
	if code := s.RunLine("kubetab advance 1h", &out); code != 0 || out.String() != "time advanced 1h to 2026-01-01T10:00:00Z\n" {
		t.Fatalf("exit %d output %q", code, out.String())
	}
	out.Reset()
	if code := s.RunLine("kubetab advance 1m; frob", &out); code != ExitNotFound {
		t.Fatalf("exit %d, want %d (output %q)", code, ExitNotFound, out.String())
	}
	if code := s.RunLine("kubetab advance 'x", &out); code != ExitUsage {
		t.Fatalf("syntax error: exit %d", code)
	}
}

// kubectl reads its standard input only when told to (-f -, -i): in a while-read loop, or
// in a substitution inside a pipeline stage, the input stays for the commands after it.
func TestKubectlLeavesStdin(t *testing.T) {
	s := MustSession(t, Options{})
	var out bytes.Buffer
	s.RunLine(`printf 'a\nb\n' | while read -r p; do kubectl get ns default -o name; done`, &out)
	s.RunLine(`echo namespace/default | grep -c "$(kubectl get ns default -o name)"`, &out)
	s.RunLine(`printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: piped\n' | kubectl apply -f -`, &out)
	want := "namespace/default\nnamespace/default\n1\nconfigmap/piped created\n"
	if out.String() != want {
		t.Errorf("output %q, want %q", out.String(), want)
	}
	for args, want := range map[string]bool{
		"kubectl get pods": false, "kubectl apply -f -": true, "k apply --filename=-": true,
		"kubectl exec -it p -- sh": true, "kubectl exec p -- cat -": false, "kubectl set env deploy/d -": true,
		"kubetab advance 1m": true,
	} {
		if got := readsStdin(strings.Fields(args)); got != want {
			t.Errorf("readsStdin(%s) = %v", args, got)
		}
	}
}

func TestParseDuration(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		err  bool
	}{
		{"30s", 30 * time.Second, false},
		{"5m", 5 * time.Minute, false},
		{"2h", 2 * time.Hour, false},
		{"1h30m", 90 * time.Minute, false},
		{"1.5h", 90 * time.Minute, false},
		{"1d", 24 * time.Hour, false},
		{"2d12h", 60 * time.Hour, false},
		{"366d", MaxAdvance, false},
		{"367d", 0, true},
		{"0s", 0, true},
		{"-5m", 0, true},
		{"5", 0, true},
		{"d", 0, true},
		{"1d-1h", 0, true},
		{"", 0, true},
		{"five minutes", 0, true},
	} {
		got, err := ParseDuration(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.err)
		}
	}
	for d, want := range map[time.Duration]string{
		30 * time.Second: "30s", 5 * time.Minute: "5m", 90 * time.Minute: "1h30m", 2 * time.Hour: "2h",
		90 * time.Second: "1m30s", 1500 * time.Millisecond: "1.5s", 49 * time.Hour: "49h",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestReadOnlyKubectl(t *testing.T) {
	for _, tc := range []struct {
		args string
		want bool
	}{
		{"get pods", true},
		{"-n kube-system get pods -o wide", true},
		{"--namespace=x describe rc kubia", true},
		{"get pods -w", false},
		{"get pods --watch", false},
		{"get pods --watch-only=true", false},
		{"get pods -w --watch=false --watch-only=false", true},
		{"get pods --watch=false -w", false},
		{"logs kubia-x", false},
		{"wait --for=condition=Ready pod/x", false},
		{"apply -f x.yaml", false},
		{"-n get delete pod x", false},
		{"", false},
		// The command's own answer, from its parsed flags.
		{"get pods --help", true},
		{"apply -f x.yaml --dry-run=client", true},
		{"delete pod x --dry-run", true},
		{"delete pod x --dry-run=none", false},
		{"scale rc kubia --replicas=2 --dry-run=client", true},
		{"run x --image=busybox --dry-run=client -o yaml", true},
		{"label pod x --list", true},
		{"label pod x a=b", false},
		{"replace -f x.yaml --dry-run=client", false},
		{"explain pods", true},
		{"config view", true},
		{"exec x -- ls", false},
		{"edit pod x", false},
		{"get pods --foo", false},
		{"frobnicate", false},
		// Rollouts: status waits (moves time) unless --watch=false; history only reads.
		{"rollout status deployment/web", false},
		{"rollout status deployment/web --watch=false", true},
		{"rollout status deployment/web -w=false", true},
		{"rollout history deployment/web --revision=2", true},
		{"rollout undo deployment/web", false},
		{"rollout undo deployment/web --dry-run=client", true},
		{"rollout pause deployment/web", false},
		{"rollout resume deployment/web", false},
		{"rollout restart deployment/web", false},
		{"rollout", true},
		{"set image deployment/web nginx=nginx:1.16.1", false},
		{"set image deployment/web nginx=nginx:1.16.1 --dry-run=client", true},
		{"set env deployment/web A=1", false},
		{"set env deployment/web --list", true},
		{"set resources deployment/web --limits=cpu=200m", false},
		{"create deployment web --image=nginx", false},
		{"create deployment web --image=nginx --dry-run=client -o yaml", true},
		{"-n x create deploy web --image=nginx", false},
		{"autoscale deployment/web --max=3", false},
	} {
		if got := kubectl.ReadOnly(strings.Fields(tc.args)); got != tc.want {
			t.Errorf("kubectl.ReadOnly(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}

func TestReset(t *testing.T) {
	s := MustSession(t, Options{Seed: 7})
	run(t, s, "kubetab advance 1h\n")
	got, code := run(t, s, "kubetab reset --start 2030-05-01T00:00:00Z --seed=9\n")
	if code != 0 || !strings.Contains(got, "cluster reset (seed 9, start 2030-05-01T00:00:00Z)") {
		t.Fatalf("exit %d: %s", code, got)
	}
	st := s.State()
	if st.Seed != 9 || !st.Start.Equal(time.Date(2030, 5, 1, 0, 0, 0, 0, time.UTC)) || len(st.Journal) != 0 || !s.Cluster().Now().Equal(st.Start) {
		t.Fatalf("after reset: %+v, now %s", st, s.Cluster().Now())
	}
	run(t, s, "kubetab advance 1m\nkubetab reset\n")
	if st := s.State(); st.Seed != 9 || !s.Cluster().Now().Equal(st.Start) {
		t.Fatalf("a plain reset must keep seed and start: %+v", st)
	}
	for _, bad := range []string{"kubetab reset --seed -1", "kubetab reset --start yesterday", "kubetab reset --seed", "kubetab reset now"} {
		if _, code := run(t, s, bad); code == 0 {
			t.Errorf("%s succeeded", bad)
		}
	}
}

func TestNodeUsage(t *testing.T) {
	s := MustSession(t, Options{})
	for _, bad := range []string{
		"kubetab node", "kubetab node add", "kubetab node explode w", "kubetab node add a b",
		"kubetab node add w --label", "kubetab node add w --label novalue", "kubetab node fail w --label a=b",
	} {
		var out, errOut bytes.Buffer
		if code := s.Exec(strings.Fields(bad), nil, &out, &errOut); code != ExitUsage || !strings.HasPrefix(errOut.String(), "error: ") {
			t.Errorf("%s: exit %d, stderr %q", bad, code, errOut.String())
		}
	}
	if n := len(s.State().Journal); n != 0 {
		t.Fatalf("usage errors were journaled: %d entries", n)
	}
}

// Consecutive advances share one journal entry when that changes nothing a replay builds.
func TestAdvancesCoalesce(t *testing.T) {
	s := MustSession(t, Options{})
	run(t, s, "kubetab advance 5m\nkubectl get nodes\nkubetab advance 1h30m\nkubetab advance 30s\n")
	j := s.State().Journal
	if len(j) != 1 || strings.Join(persist.Strings(j[0].Args), " ") != "kubetab advance 1h35m30s" {
		t.Fatalf("journal %+v", j)
	}
	checkReplay(t, s)
}

func TestMergedAdvancesStayReplayable(t *testing.T) {
	s := MustSession(t, Options{})
	// A tab playing at 600× for days merges its ticks; the merged entry must never ask for
	// more than one typed advance may, or the reload would refuse it.
	run(t, s, "kubetab advance 200d\nkubetab advance 200d\nkubetab advance 1d\n")
	j := s.State().Journal
	if len(j) != 2 {
		t.Fatalf("want the third advance merged into a second entry, got %d entries", len(j))
	}
	for _, e := range j {
		d, err := ParseDuration(string(e.Args[2]))
		if err != nil || d > MaxAdvance {
			t.Fatalf("entry %v: %v", persist.Strings(e.Args), err)
		}
	}
	checkReplay(t, s)
}

// checkReplay rebuilds s from its saved state and compares the clusters.
func checkReplay(t *testing.T, s *Session) {
	t.Helper()
	st := s.State()
	data, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var back persist.State
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	r, err := Restore(back, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := r.Divergences(); len(d) > 0 {
		t.Fatalf("replay diverged: %s", strings.Join(d, "\n"))
	}
	if got, want := clusterDump(r.Cluster()), clusterDump(s.Cluster()); got != want {
		t.Fatalf("replayed cluster differs from the live one:\n%s", firstDiff(got, want))
	}
	if got := r.State(); !jsonEqual(got, st) {
		t.Fatal("replayed session's journal differs")
	}
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// firstDiff shows the first differing line of two texts, with its line number.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, gl, wl)
		}
	}
	return "(no difference)"
}

// Files and editor texts are replayed from the journal, not read again.
func TestJournalRecordsInputs(t *testing.T) {
	files := map[string]string{"rc.yaml": "kind: ReplicationController\n"}
	edits := 0
	s := MustSession(t, Options{
		ReadFile: func(p string) ([]byte, error) {
			if f, ok := files[p]; ok {
				return []byte(f), nil
			}
			return nil, fmt.Errorf("open %s: %w", p, fs.ErrNotExist)
		},
		Edit: func(name, text string) (string, error) {
			edits++
			return text + "# edited\n", nil
		},
	})
	var out bytes.Buffer
	for _, line := range []string{"kubectl apply -f rc.yaml", "kubectl apply -f missing.yaml", "kubectl edit rc kubia", "kubectl get pods"} {
		s.RunLine(line, &out)
	}
	st := s.State()
	var reads, editsSeen int
	for _, e := range st.Journal {
		reads += len(e.Reads)
		editsSeen += len(e.Edits)
		if e.Args[1] == "get" {
			t.Error("kubectl get was journaled")
		}
	}
	if reads == 0 && editsSeen == 0 {
		t.Skip("kubectl did not read the files (not wired yet)")
	}
	files["rc.yaml"] = "changed on disk"
	r, err := Restore(st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := r.Divergences(); len(d) > 0 {
		t.Fatalf("replay diverged: %v", d)
	}
	if got, want := clusterDump(r.Cluster()), clusterDump(s.Cluster()); got != want {
		t.Fatalf("replay differs:\n%s", firstDiff(got, want))
	}
}

// A journal written under the single stream of old names pods that this engine names
// differently: the replay says so, naming the layouts, instead of silently diverging.
func TestRestoreNamesAnOlderStreamLayout(t *testing.T) {
	rc := "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: kubia\nspec:\n  replicas: 1\n  selector:\n    app: kubia\n  template:\n    metadata:\n      labels:\n        app: kubia\n    spec:\n      containers:\n      - name: kubia\n        image: luksa/kubia\n"
	st := persist.State{Format: persist.FormatVersion, Engine: "0.1.0", Journal: []persist.Entry{
		{Args: persist.Texts([]string{"kubectl", "apply", "-f", "-"}), Stdin: persist.NewText(rc)},
		// kubia-7qkln was the first pod's name under layout 1 with seed 0.
		{Args: persist.Texts([]string{"kubectl", "delete", "pod", "kubia-7qkln"})},
	}}
	r, err := Restore(st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(r.Divergences(), "\n")
	for _, want := range []string{
		"journal entry 2 (kubectl delete pod kubia-7qkln) exited 1, first time 0",
		"the journal was written by engine 0.1.0, this is " + EngineVersion,
		"the journal was written under random stream layout 1, this engine uses 2: generated names and timings differ",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("divergences lack %q:\n%s", want, got)
		}
	}
}

// JournalChanges tells a log what to append: entries added, the last one changed by a
// merged advance, everything by a reset.
func TestJournalChanges(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	type change struct {
		kept, added int
		changed     bool
	}
	take := func() change {
		k, a, c := s.JournalChanges()
		return change{k, len(a), c}
	}
	steps := []struct {
		line string
		want change
	}{
		{"", change{0, 0, true}}, // a new cluster: its seed and start
		{"kubectl get ns", change{0, 0, false}},
		{"kubectl create namespace a; kubetab advance 1m", change{0, 2, true}},
		{"kubetab advance 1m", change{1, 1, true}}, // merged into the last entry
		{"kubectl create namespace b", change{2, 1, true}},
		{"kubetab reset --seed 3", change{0, 0, true}},
		{"kubectl create namespace c", change{0, 1, true}},
	}
	for _, st := range steps {
		if st.line != "" {
			s.RunLine(st.line, io.Discard)
		}
		if got := take(); got != st.want {
			t.Fatalf("after %q: %+v, want %+v", st.line, got, st.want)
		}
	}
}

// The context's namespace set with kubectl config set-context is where later commands
// without -n run, it is saved with the state, and a replay runs each command in the
// namespace it ran in (the journal records it; set-context itself is not journaled).
func TestContextNamespaceReplays(t *testing.T) {
	s := MustSession(t, Options{})
	if out, code := run(t, s, "kubectl create ns dev\nkubectl config set-context --current --namespace=dev\nkubectl create configmap a --from-literal=k=v\nkubectl config set-context --current --namespace=kube-public\nkubectl create configmap b --from-literal=k=v\nkubectl config set-context --current --namespace=dev\n"); code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	const check = "kubectl get cm b -n kube-public -o name\nkubectl get cm a -o name\nkubectl get cm a -n default\nkubectl config view --minify -o jsonpath='{..namespace}'"
	want, _ := run(t, s, check)
	if !strings.Contains(want, "configmap/b\n") || !strings.Contains(want, "configmap/a\n") || !strings.Contains(want, "not found") || !strings.Contains(want, "\ndev") {
		t.Fatalf("before the replay:\n%s", want)
	}
	st := s.State()
	for _, e := range st.Journal {
		if strings.Contains(strings.Join(persist.Strings(e.Args), " "), "set-context") {
			t.Fatalf("set-context was journaled: %v", e.Args)
		}
	}
	r, err := Restore(st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := run(t, r, check); got != want || len(r.Divergences()) > 0 {
		t.Fatalf("after the replay (divergences %v):\n%s\nwant:\n%s", r.Divergences(), got, want)
	}
	if clusterDump(r.Cluster()) != clusterDump(s.Cluster()) {
		t.Fatal("the replayed cluster differs")
	}
}

// mkdir makes a directory one can cd into and list before any file is in it, as docs'
// `mkdir app && cd app` expects; rm -r and rmdir's own checks see it too.
func TestMkdirMakesADirectory(t *testing.T) {
	files := map[string]string{}
	s := MustSession(t, Options{
		ReadFile: func(p string) ([]byte, error) {
			if d, ok := files[p]; ok {
				return []byte(d), nil
			}
			return nil, fs.ErrNotExist
		},
		ListDir: func(p string) ([]string, error) {
			var names []string
			for n := range files {
				if dir, base := path.Split(n); strings.TrimSuffix(dir, "/") == p || p == "." && dir == "" {
					names = append(names, base)
				}
			}
			if len(names) == 0 && p != "." {
				return nil, fs.ErrNotExist
			}
			return names, nil
		},
		WriteFile: func(p string, data []byte) error { files[p] = string(data); return nil },
	})
	out, code := run(t, s, "mkdir app && cd app && pwd\nmkdir -p a/b\nls\ncd /root\nmkdir app\nmkdir x/y\nls -ld app\necho hi > app/a/b/f\ncat app/a/b/f\n")
	want := "$ mkdir app\n$ cd app\n$ pwd\n/root/app\n$ mkdir -p a/b\n$ ls\na\n$ cd /root\n$ mkdir app\nmkdir: can't create directory 'app': File exists\n$ mkdir x/y\nmkdir: can't create directory 'x/y': No such file or directory\n$ ls -ld app\ndrwxr-xr-x    2 root     root             0 Jan  1 00:00 app\n$ echo hi > app/a/b/f\n$ cat app/a/b/f\nhi\n"
	if code == 0 || out != want {
		t.Fatalf("exit %d:\n%s\nwant:\n%s", code, out, want)
	}
	if files["app/a/b/f"] != "hi\n" {
		t.Fatalf("files: %v", files)
	}
}
