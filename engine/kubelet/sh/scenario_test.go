package sh

import (
	"strings"
	"testing"
	"time"
)

// The docs' exec-liveness pod: cat /tmp/healthy succeeds until t=30s, then fails.
func TestExecLiveness(t *testing.T) {
	e := newEnv()
	p := Start([]string{"/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"}, nil, e)
	probe := []string{"cat", "/tmp/healthy"}
	r := p.Run()
	if r.Exited || !r.WakeAt.Equal(t0.Add(30*time.Second)) {
		t.Fatalf("first run: %+v", r)
	}
	for _, tc := range []struct {
		name string
		now  time.Duration
		out  string
		code int
	}{
		{"t=5s", 5 * time.Second, "", 0},
		{"t=25s", 25 * time.Second, "", 0},
		{"t=35s", 35 * time.Second, "cat: can't open '/tmp/healthy': No such file or directory\n", 1},
		{"t=40s", 40 * time.Second, "cat: can't open '/tmp/healthy': No such file or directory\n", 1},
	} {
		e.now = t0.Add(tc.now)
		if r := p.Run(); r.Exited {
			t.Fatalf("%s: exited %+v", tc.name, r)
		}
		out, code := Exec(probe, nil, e)
		if out != tc.out || code != tc.code {
			t.Errorf("%s: Exec = %q, %d; want %q, %d", tc.name, out, code, tc.out, tc.code)
		}
	}
	// Resumed at 35s (late), so `sleep 600` runs from there.
	if r := p.Run(); !r.WakeAt.Equal(t0.Add(635 * time.Second)) {
		t.Errorf("wake = %v, want +635s", r.WakeAt.Sub(t0))
	}
	e.now = t0.Add(635 * time.Second)
	if r := p.Run(); !r.Exited || r.ExitCode != 0 {
		t.Errorf("end: %+v", r)
	}
}

// luksa/batch-job: two lines 120 s apart, exit 0.
func TestBatchJob(t *testing.T) {
	e := newEnv()
	p := Start([]string{"/bin/sh", "-c", `echo "$(date) Batch job starting"; sleep 120; echo "$(date) Finished succesfully"`}, nil, e)
	out, r := runToEnd(t, p, e, t0.Add(time.Hour))
	if !r.Exited || r.ExitCode != 0 || len(out) != 2 {
		t.Fatalf("result %+v, lines %q", r, texts(out))
	}
	if out[0].Text != "Thu Nov 30 10:21:03 UTC 2017 Batch job starting" || out[1].Text != "Thu Nov 30 10:23:03 UTC 2017 Finished succesfully" {
		t.Errorf("lines %q", texts(out))
	}
	if d := out[1].At.Sub(out[0].At); d != 120*time.Second {
		t.Errorf("lines %v apart", d)
	}
}

// luksa/ssd-monitor: SSD OK every 5 s forever; SIGTERM ignored, SIGKILL 137.
func TestSSDMonitor(t *testing.T) {
	e := newEnv()
	p := Start([]string{"sh", "-c", "while true; do echo SSD OK; sleep 5; done"}, nil, e)
	out, r := runToEnd(t, p, e, t0.Add(22*time.Second))
	if r.Exited || len(out) != 5 || !r.WakeAt.Equal(t0.Add(25*time.Second)) {
		t.Fatalf("result %+v, %d lines", r, len(out))
	}
	for i, l := range out {
		if l.Text != "SSD OK" || !l.At.Equal(t0.Add(time.Duration(i)*5*time.Second)) {
			t.Errorf("line %d: %+v", i, l)
		}
	}
	if term, _ := p.Signal(SIGTERM); term {
		t.Error("PID 1 without trap must ignore SIGTERM")
	}
	if term, code := p.Signal(SIGKILL); !term || code != 137 {
		t.Errorf("SIGKILL: %v %d", term, code)
	}
	if r := p.Run(); !r.Exited || r.ExitCode != 137 {
		t.Errorf("after kill: %+v", r)
	}
}

func TestTraps(t *testing.T) {
	tests := []struct {
		name   string
		script string
		sig    Signal
		term   bool
		code   int
		want   string
	}{
		{"term handler", "trap 'echo got TERM' TERM; echo ready; sleep 600", SIGTERM, true, 143, "ready\ngot TERM\n"},
		{"SIGTERM name", "trap 'echo bye' SIGTERM; sleep 600", SIGTERM, true, 143, "bye\n"},
		{"number 15", "trap 'echo bye' 15; sleep 600", SIGTERM, true, 143, "bye\n"},
		{"handler exits", "trap 'echo clean; exit 0' TERM; sleep 600", SIGTERM, true, 0, "clean\n"},
		{"handler and EXIT", "trap 'echo term' TERM; trap 'echo exit' EXIT; sleep 600", SIGTERM, true, 143, "term\nexit\n"},
		{"ignored", "trap '' TERM; sleep 600", SIGTERM, false, 0, ""},
		{"reset", "trap 'echo x' TERM; trap - TERM; sleep 600", SIGTERM, false, 0, ""},
		{"kill skips traps", "trap 'echo x' TERM EXIT; sleep 600", SIGKILL, true, 137, ""},
		{"exec form sleep", "", SIGTERM, false, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv()
			argv := []string{"sh", "-c", tc.script}
			if tc.script == "" {
				argv = []string{"sleep", "3600"}
			}
			p := Start(argv, nil, e)
			if r := p.Run(); r.Exited {
				t.Fatalf("exited early: %+v %q", r, texts(p.Output()))
			}
			e.now = e.now.Add(10 * time.Second)
			term, code := p.Signal(tc.sig)
			if term != tc.term || code != tc.code {
				t.Errorf("Signal = %v, %d; want %v, %d", term, code, tc.term, tc.code)
			}
			if got := texts(p.Output()); got != tc.want {
				t.Errorf("output %q, want %q", got, tc.want)
			}
			if r := p.Run(); r.Exited != tc.term {
				t.Errorf("Run after signal: %+v", r)
			}
		})
	}
}

func TestStartError(t *testing.T) {
	e := newEnv()
	for _, tc := range []struct {
		argv []string
		msg  string
	}{
		{[]string{"foo", "x"}, `exec: "foo": executable file not found in $PATH`},
		{[]string{"/app/server"}, `exec: "/app/server": stat /app/server: no such file or directory`},
		{[]string{"exit", "1"}, `exec: "exit": executable file not found in $PATH`},
	} {
		r := Start(tc.argv, nil, e).Run()
		if !r.Exited || r.ExitCode != 128 || r.StartError != tc.msg {
			t.Errorf("%v: %+v", tc.argv, r)
		}
	}
	out, code := Exec([]string{"foo"}, nil, e)
	if code != 127 || !strings.Contains(out, `exec: "foo": executable file not found in $PATH`) {
		t.Errorf("Exec unknown: %q %d", out, code)
	}
}

func TestForeverSleepers(t *testing.T) {
	for _, argv := range [][]string{{"sleep", "infinity"}, {"sh", "-c", "tail -f /dev/null"}, {"sh", "-c", "exec sleep infinity"}} {
		e := newEnv()
		p := Start(argv, nil, e)
		r := p.Run()
		if r.Exited || !r.WakeAt.IsZero() {
			t.Errorf("%v: %+v", argv, r)
		}
		e.now = e.now.Add(1000 * time.Hour)
		if r := p.Run(); r.Exited || !r.WakeAt.IsZero() {
			t.Errorf("%v later: %+v", argv, r)
		}
	}
}

// A loop that never sleeps gives the engine back control and counts as using time.
func TestRunawayLoop(t *testing.T) {
	if testing.Short() {
		t.Skip("slow under js/wasm; the native run (without -short) covers it")
	}
	e := newEnv()
	p := Start([]string{"sh", "-c", "while true; do echo x; done"}, nil, e)
	r := p.Run()
	if r.Exited || !r.WakeAt.Equal(t0.Add(time.Millisecond)) {
		t.Fatalf("%+v", r)
	}
	out := p.Output()
	if len(out) != MaxPendingLines+1 || !strings.Contains(out[len(out)-1].Text, "lines dropped") {
		t.Errorf("%d lines, last %+v", len(out), out[len(out)-1])
	}
	e.now = r.WakeAt
	if r := p.Run(); r.Exited || !r.WakeAt.Equal(t0.Add(3*time.Millisecond)) { // then 2 ms
		t.Errorf("second run %+v", r)
	}
	// Quiet busy loop, then it ends on its own.
	p = Start([]string{"sh", "-c", "i=0; while [ $i -lt 60000 ]; do i=$((i+1)); done; echo $i"}, nil, e)
	out, r = runToEnd(t, p, e, e.now.Add(time.Hour))
	if !r.Exited || texts(out) != "60000\n" {
		t.Errorf("%+v %q", r, texts(out))
	}
	// Exec and command substitution cannot be suspended: they are stopped.
	out2, code := Exec([]string{"sh", "-c", "while :; do :; done"}, nil, e)
	if code != 124 || !strings.Contains(out2, "stopped after") {
		t.Errorf("Exec runaway: %q %d", out2, code)
	}
	p = Start([]string{"sh", "-c", "x=$(while :; do :; done); echo after $?"}, nil, e)
	out, r = runToEnd(t, p, e, e.now.Add(time.Hour))
	if !r.Exited || !strings.Contains(texts(out), "after 124") {
		t.Errorf("%+v %q", r, texts(out))
	}
}

func TestExecTakesNoTime(t *testing.T) {
	e := newEnv()
	out, code := Exec([]string{"sh", "-c", "date +%s; sleep 100; date +%s; exit 3"}, nil, e)
	if out != "1512037263\n1512037263\n" || code != 3 {
		t.Errorf("%q %d", out, code)
	}
}

// emptyDir: a mounted FS is shared between containers and survives a fresh container FS.
func TestMountSharing(t *testing.T) {
	vol := NewFS()
	e1, e2 := newEnv(), newEnv()
	if err := e1.fs.Mount("/input", vol); err != nil {
		t.Fatal(err)
	}
	_ = e2.fs.Mount("/data/", vol)
	if out, code := Exec([]string{"sh", "-c", "echo foo > /input/data.txt; ls /"}, nil, e1); code != 0 || !strings.Contains(out, "input\n") {
		t.Fatalf("%q %d", out, code)
	}
	if out, _ := Exec([]string{"rev", "/data/data.txt"}, nil, e2); out != "oof\n" {
		t.Errorf("rev: %q", out)
	}
	e3 := newEnv() // restarted container: fresh FS, same volume
	_ = e3.fs.Mount("/input", vol)
	if out, _ := Exec([]string{"cat", "/input/data.txt"}, nil, e3); out != "foo\n" {
		t.Errorf("after restart: %q", out)
	}
	if err := e3.fs.Remove("/input"); err == nil {
		t.Error("removing a mount point must fail")
	}
}

func TestRunIdempotentBeforeWake(t *testing.T) {
	e := newEnv()
	p := Start([]string{"sh", "-c", "echo a; sleep 10; echo b"}, nil, e)
	r1 := p.Run()
	e.now = t0.Add(5 * time.Second)
	r2 := p.Run()
	if r1.WakeAt != r2.WakeAt || len(p.Output()) != 1 {
		t.Errorf("%+v %+v", r1, r2)
	}
}
