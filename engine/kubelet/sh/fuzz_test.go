package sh

import (
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
