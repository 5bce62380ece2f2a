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
	other.Exec("kubectl create namespace mine")
	id, ok := ContextID(u)
	if !ok {
		t.Fatal("no context for a #share= link")
	}
	cleaned := ""
	Open(other, u, func(to string) { cleaned = to })
	if cleaned != "http://h/?shared="+id || other.Context() != session.SharedContext(id) {
		t.Errorf("cleaned to %q, context %q", cleaned, other.Context())
	}
	if again, _ := url.Parse(cleaned); !func() bool { got, ok := ContextID(again); return ok && got == id }() {
		t.Errorf("the cleaned URL names no shared cluster")
	}
	want, _ := sh.Exec("kubectl get pods,ns")
	got, _ := other.Exec("kubectl get pods,ns")
	if got != want || !strings.Contains(got, "ns") {
		t.Errorf("replayed cluster differs:\n%s\nwant:\n%s", got, want)
	}
	if !strings.Contains(other.Transcript(), "$ kubectl apply -f p.yaml") {
		t.Errorf("history missing:\n%s", other.Transcript())
	}
	// The playground was never replaced.
	other.Open(session.Playground, terminal.Options{})
	if out, code := other.Exec("kubectl get ns mine -o name"); code != 0 {
		t.Errorf("the playground after opening a link: %q", out)
	}
	// Opening the link again finds its cluster as it was left.
	Open(other, u, nil)
	if out, code := other.Exec("kubectl get ns ns -o name"); code != 0 || !strings.Contains(other.Notice(), "opened this shared link before") {
		t.Errorf("a link opened again: %q, notice %q", out, other.Notice())
	}
	u, _ = url.Parse("http://h/#share=" + frag[:len(frag)-3] + "A!")
	Open(other, u, nil)
	if !strings.Contains(other.Notice(), "cannot be opened") || other.Context() != session.Playground {
		t.Errorf("notice %q, context %q", other.Notice(), other.Context())
	}
}

func startedShell(t *testing.T) *session.Shell {
	t.Helper()
	sh := session.New()
	sh.Start(nil, terminal.Options{}, nil)
	return sh
}
