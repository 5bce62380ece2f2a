package sh

import (
	"strings"
	"testing"
	"time"
)

// FuzzShell: any script, run as a process (with time moving) and via Exec, must neither
// panic nor hang.
func FuzzShell(f *testing.F) {
	for _, s := range []string{
		"touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600",
		`echo "$(date) Batch job starting"; sleep 120; echo "$(date) Finished succesfully"`,
		"while true; do echo SSD OK; sleep 5; done",
		"for i in $(seq 3); do echo $((i*2)) | grep -c 2; done > /tmp/x; cat /tmp/x",
		"trap 'echo t; exit 3' TERM; case $1 in a*) echo ${x:-y};; esac",
		"f() { (cd /tmp && ls) 2>&1 | sort -r; }; f; x=(a b); echo ${x[1]} `echo hi`",
		"cat <<EOF\n$HOME\nEOF\nif [ -f /etc/hostname ]; then wget -qO- http://x/; fi",
		"x=a; while :; do x=$x$x; done",
		"echo $((1<<70)) $((-9223372036854775807-1 / -1)) ${#x} ${x%%*} ${x##a}",
		"v=a-b; echo ${v//-/_} ${v/#[[:alpha:]]/} ${v:1:-1} ${v: -2} $((2**62**2)); f() { local v=x; }; f",
		"seq -w 9 11 | paste -sd, - | tr -cd '0-9,'; printf 'a\nb\n' | grep -C1 -m1 a",
	} {
		f.Add(s)
	}
	stepsPerRun, maxInstantSteps = 5000, 20000
	defer func() { stepsPerRun, maxInstantSteps = StepsPerRun, MaxInstantSteps }()
	f.Fuzz(func(t *testing.T, script string) {
		if len(script) > 4096 {
			return
		}
		e := newEnv()
		e.pages = map[string]string{"http://x/": "ok"}
		p := Start([]string{"sh", "-c", script, "a0", "a1"}, nil, e)
		for i := 0; i < 5; i++ {
			r := p.Run()
			p.Output()
			if r.Exited || r.WakeAt.IsZero() {
				break
			}
			e.now = r.WakeAt
		}
		p.Signal(SIGTERM)
		p.Signal(SIGKILL)
		Exec([]string{"bash", "-c", script}, nil, newEnv())
		_ = time.Second
	})
}

// FuzzInteractive: any line, parsed and run by the terminal's shell (lines waiting in a
// host command resumed or dropped), must neither panic nor hang, and the shell's state must
// come back whole.
func FuzzInteractive(f *testing.F) {
	for _, s := range []string{
		`export X="$(watch | grep a)"; for i in $(seq 1 3); do echo $i > f$i; done; cat f2`,
		"f() { watch; echo after; }; f && { false || echo alt; }; set -e; false; echo no",
		"kubectl apply -f - <<EOF\nkind: Pod\nEOF\nwhile true; do :; done; echo next",
		`echo 'x' | sed 's/x/y/' | awk '{print $1}' | base64 | base64 -d; cd /root; pwd`,
		"case $X in a*) watch;; *) echo no;; esac | cat; exit 3",
		"alias w=watch ww='w; echo' e='echo ${X:1:2}'; w | e; (unalias -a); ww; alias",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if len(line) > 4096 {
			return
		}
		host := map[string]Builtin{"watch": func(c *Call) int {
			if c.CanWait() {
				c.Wait()
			}
			return 0
		}}
		s := NewInteractive(Config{Env: newEnv(), Files: NewFS(), Commands: host, Dir: "/root", MaxSteps: 20000})
		_ = s.cfg.Files.MkdirAll("/root")
		sc, err := Parse(line)
		if err != nil {
			return
		}
		var out strings.Builder
		h := Hooks{Stdout: &out, Stderr: &out, Echo: func(string) {}, Done: func(int) {}}
		o := s.Run(sc, h, true)
		for i := 0; o.Blocked && i < 3; i++ {
			o = s.Resume(0)
		}
		s.Abandon()
		again := NewInteractive(Config{Env: newEnv(), Files: NewFS(), Dir: "/root"})
		again.SetState(s.State())
	})
}
