package terminal

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/kubetab/kubetab/engine/persist"
)

// exec runs a line with RunLine, discarding its output.
func exec(t *testing.T, s *Session, line string) {
	t.Helper()
	var out bytes.Buffer
	if code := s.RunLine(line, &out); code != 0 {
		t.Fatalf("%s: exit %d\n%s", line, code, out.String())
	}
}

func journalLines(s *Session) string {
	var lines []string
	for _, e := range s.State().Journal {
		lines = append(lines, strings.Join(persist.Strings(e.Args), " "))
	}
	return strings.Join(lines, "\n")
}

// A watch started in the terminal prints rows as other commands and advances change the
// cluster, at every instant an advance passes through; the journal holds only the commands
// that changed something, and replays to the same cluster.
func TestStreamingWatch(t *testing.T) {
	s := MustSession(t, Options{})
	var stream bytes.Buffer
	streaming, code := s.Start("kubectl get pods -w", &stream)
	if !streaming || code != 0 || !s.Streaming() || stream.String() != "No resources found in default namespace.\n" {
		t.Fatalf("start: streaming %v exit %d %q", streaming, code, stream.String())
	}
	if !s.Cluster().Now().Equal(testStart) || len(s.State().Journal) != 0 {
		t.Fatal("starting a watch moved time or was journaled")
	}
	stream.Reset()
	exec(t, s, "kubectl create job j --image=busybox -- sleep 20")
	if got := stream.String(); !regexp.MustCompile(`^j-\S+ +0/1 +(Pending|ContainerCreating) +0 +0s\n$`).MatchString(got) {
		t.Fatalf("after create:\n%s", got)
	}
	stream.Reset()
	exec(t, s, "kubetab advance 1m")
	if got := stream.String(); !regexp.MustCompile(`(?s)^j-\S+ +1/1 +Running .*j-\S+ +0/1 +Completed `).MatchString(got) {
		t.Fatalf("while time passed:\n%s", got)
	}
	if !s.StopStream() || s.Streaming() || s.StopStream() {
		t.Fatal("StopStream")
	}
	stream.Reset()
	exec(t, s, "kubectl delete job j")
	if stream.Len() > 0 {
		t.Fatalf("a stopped stream printed %q", stream.String())
	}
	if got := journalLines(s); got != "kubectl create job j --image=busybox -- sleep 20\nkubetab advance 1m\nkubectl delete job j" {
		t.Fatalf("journal:\n%s", got)
	}
	checkReplay(t, s)
}

// A follow keeps the command without its follow in the journal, ends by itself when the
// container ends, and leaves the cluster as it would be without it.
func TestStreamingFollow(t *testing.T) {
	script := "kubectl run talker --image=busybox --restart=Never -- sh -c 'echo a; sleep 30; echo b; sleep 30; echo c'\nkubetab advance 10s\n"
	s, plain := MustSession(t, Options{}), MustSession(t, Options{})
	run(t, s, script)
	run(t, plain, script)

	var stream bytes.Buffer
	if streaming, code := s.Start("kubectl logs -f talker", &stream); !streaming || code != 0 || stream.String() != "a\n" {
		t.Fatalf("start: streaming %v exit %d %q", streaming, code, stream.String())
	}
	exec(t, s, "kubetab advance 40s")
	if stream.String() != "a\nb\n" || !s.Streaming() {
		t.Fatalf("after 40s: %q, streaming %v", stream.String(), s.Streaming())
	}
	exec(t, s, "kubetab advance 1m")
	if stream.String() != "a\nb\nc\n" || s.Streaming() {
		t.Fatalf("after the container ended: %q, streaming %v", stream.String(), s.Streaming())
	}
	if got := journalLines(s); !strings.HasSuffix(got, "\nkubectl logs -f talker --follow=false\nkubetab advance 1m40s") {
		t.Fatalf("journal:\n%s", got)
	}
	checkReplay(t, s)
	run(t, plain, "kubetab advance 1m40s\n")
	if got, want := clusterDump(s.Cluster()), clusterDump(plain.Cluster()); got != want {
		t.Fatalf("following changed the cluster:\n%s", firstDiff(got, want))
	}
}

// Start runs what does not stream as Exec does; a reset ends the stream.
func TestStartWithoutStreamAndReset(t *testing.T) {
	s := MustSession(t, Options{})
	var out bytes.Buffer
	if streaming, code := s.Start("kubectl get pods -w --request-timeout 1s nope", &out); streaming || code != 1 {
		t.Fatalf("a failed watch: streaming %v exit %d", streaming, code)
	}
	if streaming, code := s.Start("kubetab advance 1m", &out); streaming || code != 0 {
		t.Fatalf("advance: streaming %v exit %d", streaming, code)
	}
	if streaming, _ := s.Start("kubectl get nodes -w", &out); !streaming {
		t.Fatal("no stream")
	}
	exec(t, s, "kubetab reset")
	if s.Streaming() {
		t.Fatal("the stream outlived the reset")
	}
}

// rollout status in the terminal streams without moving time: each advance prints the
// lines of the changes it brings, the stream ends by itself when the rollout is done, and
// the journal keeps nothing of it.
func TestStreamingRolloutStatus(t *testing.T) {
	s := MustSession(t, Options{})
	exec(t, s, "kubectl create deployment web --image=nginx:1.14.2 --replicas=3")
	var stream bytes.Buffer
	streaming, code := s.Start("kubectl rollout status deployment/web", &stream)
	if !streaming || code != 0 || stream.String() != "Waiting for deployment \"web\" rollout to finish: 0 of 3 updated replicas are available...\n" {
		t.Fatalf("start: streaming %v exit %d %q", streaming, code, stream.String())
	}
	if !s.Cluster().Now().Equal(testStart) {
		t.Fatal("starting rollout status moved time")
	}
	exec(t, s, "kubetab advance 1m")
	if got := stream.String(); !strings.HasSuffix(got, "deployment \"web\" successfully rolled out\n") || s.Streaming() {
		t.Fatalf("after 1m (streaming %v):\n%s", s.Streaming(), got)
	}
	if got := journalLines(s); got != "kubectl create deployment web --image=nginx:1.14.2 --replicas=3\nkubetab advance 1m" {
		t.Fatalf("journal:\n%s", got)
	}
	checkReplay(t, s)
}
