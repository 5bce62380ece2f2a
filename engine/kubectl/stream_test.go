package kubectl

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"
)

// start runs a command line through Start; out and errb keep collecting what the stream
// prints afterwards.
func (s *session) start(line string) (st *Stream, out, errb *bytes.Buffer, code int) {
	s.tb.Helper()
	args, err := splitWords(line)
	if err != nil {
		s.tb.Fatal(err)
	}
	out, errb = &bytes.Buffer{}, &bytes.Buffer{}
	st, code = Start(Cluster{Cluster: s.c.Cluster, Containers: s.c.Kubelets}, args, IO{Out: out, Err: errb, ReadFile: func(p string) ([]byte, error) {
		return []byte(s.files[p]), nil
	}})
	return st, out, errb, code
}

// play moves virtual time on by d, polling st at every instant as the terminal session's
// advances do.
func (s *session) play(st *Stream, d time.Duration) {
	s.tb.Helper()
	if _, err := s.c.RunUntil(s.c.Now().Add(d), func() bool { st.Poll(); return false }); err != nil {
		s.tb.Fatal(err)
	}
}

// take returns what b holds and empties it.
func take(b *bytes.Buffer) string {
	s := b.String()
	b.Reset()
	return s
}

func mustMatch(t *testing.T, what, got, re string) {
	t.Helper()
	if !regexp.MustCompile(re).MatchString(got) {
		t.Fatalf("%s:\n%s\ndoes not match %s", what, got, re)
	}
}

// A streaming watch prints the list now, then a row per change when polled, and never moves
// time by itself.
func TestStartWatch(t *testing.T) {
	s := newSession(t)
	st, out, errb, code := s.start("get pods -w")
	if st == nil || code != 0 {
		t.Fatalf("no stream: exit %d, stderr %q", code, errb.String())
	}
	if got := take(out) + take(errb); got != "No resources found in default namespace.\n" || !s.c.Now().Equal(testStart) {
		t.Fatalf("start printed %q at %s", got, s.c.Now())
	}
	if st.Poll() || out.Len() > 0 {
		t.Fatalf("a poll with nothing new printed %q", out.String())
	}

	s.run("run p --image=busybox -- sleep 3600")
	if st.Poll() {
		t.Fatal("the watch finished")
	}
	mustMatch(t, "after run", take(out), `^p +0/1 +(Pending|ContainerCreating) +0 +0s\n$`)
	s.play(st, 10*time.Second)
	mustMatch(t, "while time passes", take(out), `^p +1/1 +Running +0 +\ds\n$`)

	s.run("delete pod p --wait=false")
	st.Poll()
	mustMatch(t, "after delete", take(out), `^p +1/1 +Terminating +0 +\d+s\n$`)
	s.play(st, time.Minute)
	// The last row is the deleted pod as last seen.
	mustMatch(t, "deletion", take(out), `(?s)^(p +\S+ +Terminating .*\n)+$`)
	if _, _, code := s.run("get pod p"); code == 0 {
		t.Fatal("the pod is still there")
	}

	st.Stop()
	s.run("run q --image=busybox -- sleep 3600")
	if !st.Poll() || !st.Done() || out.Len() > 0 || errb.Len() > 0 {
		t.Fatalf("a stopped stream printed %q %q", out.String(), errb.String())
	}
}

// The stream and Run's bounded watch are one step: polled at every instant of the same
// window, they print the same rows.
func TestStreamMatchesBoundedWatch(t *testing.T) {
	for _, args := range []string{"get pods -w", "get pods -o wide --watch-only", "get rc,pods -w -o name", "get pods -l app=kubia -w --show-labels"} {
		t.Run(args, func(t *testing.T) {
			bounded, streamed := newSession(t), newSession(t)
			for _, s := range []*session{bounded, streamed} {
				s.files["kubia-rc.yaml"] = rcYAML
				s.run("apply -f kubia-rc.yaml")
			}
			want, wantErr, code := bounded.run(args)
			// Here the bounded watch ends when nothing more is scheduled.
			m := regexp.MustCompile(`^kubetab: stopped watching after (\S+) of virtual time \(the watch window; set it with --request-timeout\)\.\n$`).FindStringSubmatch(wantErr)
			if code != 0 || m == nil {
				t.Fatalf("bounded: exit %d, stderr %q", code, wantErr)
			}
			window, _ := time.ParseDuration(m[1])
			st, out, _, code := streamed.start(args)
			if st == nil || code != 0 {
				t.Fatalf("no stream: exit %d", code)
			}
			streamed.play(st, window)
			if got := out.String(); got != want || strings.Count(got, "\n") < 3 {
				t.Fatalf("streamed:\n%s\nbounded:\n%s", got, want)
			}
		})
	}
}

// --request-timeout ends a streaming watch after that much virtual time, as it ends
// kubectl's: what happens later is not shown.
func TestStreamRequestTimeout(t *testing.T) {
	s := newSession(t)
	st, out, _, _ := s.start("get pods -w --request-timeout=30s")
	s.play(st, 29*time.Second)
	if st.Done() {
		t.Fatal("done before the timeout")
	}
	s.run("run p --image=busybox -- sleep 3600")
	s.c.Advance(2 * time.Second)
	take(out)
	if !st.Poll() || out.Len() > 0 {
		t.Fatalf("after the timeout: done %v, printed %q", st.Done(), out.String())
	}

	// A poll right at the timeout still shows what happened up to it.
	st, out, _, _ = s.start("get pods -w --request-timeout=5s")
	take(out)
	s.c.Advance(5 * time.Second)
	s.run("delete pod p --wait=false")
	if !st.Poll() || !strings.Contains(out.String(), "Terminating") {
		t.Fatalf("at the timeout: done %v, printed %q", st.Done(), out.String())
	}
}

// logs -f streams new lines until Stop, or until the container ends by itself.
func TestStartFollowLogs(t *testing.T) {
	s := newSession(t)
	s.run("run counter --image=busybox -- sh -c 'i=0; while true; do i=$((i+1)); echo line $i; sleep 10; done'")
	s.c.Advance(25 * time.Second)
	st, out, _, code := s.start("logs -f counter")
	if st == nil || code != 0 || take(out) != "line 1\nline 2\nline 3\n" {
		t.Fatalf("start: stream %v exit %d", st != nil, code)
	}
	s.play(st, 30*time.Second)
	if got := take(out); got != "line 4\nline 5\nline 6\n" {
		t.Fatalf("after 30s: %q", got)
	}
	st.Stop()
	s.play(st, 30*time.Second)
	if out.Len() > 0 {
		t.Fatalf("after Stop: %q", out.String())
	}

	s.run("run done --image=busybox --restart=Never -- sh -c 'echo a; sleep 5; echo b; sleep 5; echo c'")
	s.c.Advance(3 * time.Second)
	st, out, _, _ = s.start("logs done --follow --timestamps")
	mustMatch(t, "start", take(out), `^\S+Z a\n$`)
	s.play(st, 6*time.Second)
	mustMatch(t, "follow", take(out), `^\S+Z b\n$`)
	s.play(st, 6*time.Second)
	if !st.Done() {
		t.Fatal("the stream outlived its container")
	}
	mustMatch(t, "end", take(out), `^\S+Z c\n$`)

	// A container that already ended: everything at once, no stream.
	st, out, _, code = s.start("logs -f done")
	if st != nil || code != 0 || out.String() != "a\nb\nc\n" {
		t.Fatalf("ended container: stream %v exit %d %q", st != nil, code, out.String())
	}
}

// Only a watch or follow that gets going streams; everything else is Run.
func TestStartWithoutStream(t *testing.T) {
	s := newSession(t)
	for _, tc := range []struct {
		line string
		code int
	}{
		{"get pods", 0},
		{"get pods nope -w", 1},
		{"get -w", 1},
		{"logs -f nope", 1},
		{"logs -f -p nope", 1},
		{"get pods -w --help", 0},
		{"version", 0},
	} {
		if st, _, _, code := s.start(tc.line); st != nil || code != tc.code {
			t.Errorf("%s: stream %v, exit %d, want %d", tc.line, st != nil, code, tc.code)
		}
	}
}

// Prelude is the command without its stream, for a journal.
func TestStreamPrelude(t *testing.T) {
	s := newSession(t)
	s.run("run counter --image=busybox -- sh -c 'while true; do echo x; sleep 10; done'")
	s.c.Advance(5 * time.Second)
	for line, want := range map[string]string{
		"get pods -w": "get pods -w --watch=false --watch-only=false",
		"-n default get pods --watch-only -o name": "-n default get pods --watch-only -o name --watch=false --watch-only=false",
		"logs -f counter":                          "logs -f counter --follow=false",
		"logs counter --follow=true -- counter":    "logs counter --follow=true --follow=false -- counter",
		"logs --request-timeout -- -f counter":     "",
	} {
		st, _, errb, code := s.start(line)
		if st == nil {
			t.Errorf("%s: no stream (exit %d, %s)", line, code, errb)
			continue
		}
		if got := strings.Join(st.Prelude(), " "); got != want {
			t.Errorf("%s: prelude %q, want %q", line, got, want)
		}
		st.Stop()
	}
}
