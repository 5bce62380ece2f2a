package sharelink

import (
	"net/url"
	"strings"
	"testing"

	"github.com/kubetab/kubetab/app/session"
	"github.com/kubetab/kubetab/engine/terminal"
)

// A share bundle made from a shell replays into the same cluster in another one.
func TestShareReplay(t *testing.T) {
	sh := startedShell(t)
	sh.Files().Write("p.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox\n    command: [sleep, \"3600\"]\n")
	sh.Exec("kubectl apply -f p.yaml")
	sh.Exec("kubectl create namespace ns <<'EOF'\nEOF")
	sh.Exec("kubetab advance 1m")
	b, err := sh.ShareBundle()
	if err != nil {
		t.Fatal(err)
	}
	frag, err := b.Fragment()
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse("http://h/#share=" + frag)
	other := startedShell(t)
	cleaned := ""
	Open(other, u, func(to string) { cleaned = to })
	if cleaned != "http://h/" {
		t.Errorf("cleaned to %q", cleaned)
	}
	want, _ := sh.Exec("kubectl get pods,ns")
	got, _ := other.Exec("kubectl get pods,ns")
	if got != want || !strings.Contains(got, "ns") {
		t.Errorf("replayed cluster differs:\n%s\nwant:\n%s", got, want)
	}
	if !strings.Contains(other.Transcript(), "$ kubectl apply -f p.yaml") {
		t.Errorf("history missing:\n%s", other.Transcript())
	}
	u, _ = url.Parse("http://h/#share=" + frag[:len(frag)-3] + "A!")
	Open(other, u, nil)
	if !strings.Contains(other.Notice(), "cannot be opened") {
		t.Errorf("notice %q", other.Notice())
	}
}

func startedShell(t *testing.T) *session.Shell {
	t.Helper()
	sh := session.New()
	sh.Start(nil, terminal.Options{}, nil)
	return sh
}
