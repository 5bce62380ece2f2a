package terminal

import (
	"bytes"
	"testing"

	"github.com/hack-pad/hackpadfs/mem"
)

const everyMinuteCronJob = `kubectl apply -f - <<EOF
apiVersion: batch/v1
kind: CronJob
metadata:
  name: tick
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: tick
            image: busybox
            command: ["sh", "-c", "date; echo hello"]
EOF
`

// BenchmarkLoadAfterCronJobYear is the case: a */1 CronJob, a year of virtual
// time, then a load of the saved state (a snapshot, nothing to replay) and `kubectl get
// cj`, as the next CLI invocation does. The year itself is the setup (about a minute).
func BenchmarkLoadAfterCronJobYear(b *testing.B) {
	s, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	var out bytes.Buffer
	if s.RunScript(everyMinuteCronJob, &out) != 0 {
		b.Fatal(out.String())
	}
	if err := s.Advance(MaxAdvance); err != nil {
		b.Fatal(err)
	}
	if !s.CheckpointDue() {
		b.Fatal("no checkpoint due after a year")
	}
	if err := s.Checkpoint(); err != nil {
		b.Fatal(err)
	}
	fsys, _ := mem.NewFS()
	if err := s.Save(fsys); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		l, _, err := Load(fsys, Options{})
		if err != nil {
			b.Fatal(err)
		}
		out.Reset()
		if l.Exec([]string{"kubectl", "get", "cj"}, nil, &out, &out) != 0 {
			b.Fatal(out.String())
		}
	}
	b.ReportMetric(float64(len(s.State().Snapshot.Cluster)), "snapshot-bytes")
}
