package session

import (
	"strings"
	"testing"
)

// After `kubectl exec -ti POD -- bash` the prompt and the echo are the container's; exit
// brings the node's back.
func TestShellPromptInsideContainer(t *testing.T) {
	sh := startedShell(t)
	for _, line := range []string{"kubectl run box --image=nginx", "kubectl wait --for=condition=ready pod/box", "kubectl exec -ti box -- bash"} {
		if _, code := sh.Exec(line); code != 0 {
			t.Fatalf("%s: exit %d\n%s", line, code, sh.Transcript())
		}
	}
	if got := sh.Prompt(); got != "root@box:/# " {
		t.Fatalf("prompt inside: %q", got)
	}
	sh.Exec("cd /usr/share/nginx/html")
	if got := sh.Prompt(); got != "root@box:/usr/share/nginx/html# " {
		t.Fatalf("prompt after cd: %q\n%s", got, sh.Transcript())
	}
	sh.Exec("exit")
	if got := sh.Prompt(); got != "$ " {
		t.Fatalf("prompt after exit: %q", got)
	}
	if got := sh.Transcript(); !strings.Contains(got, "root@box:/# cd /usr/share/nginx/html\nroot@box:/usr/share/nginx/html# exit\nexit\n") {
		t.Fatalf("transcript:\n%s", got)
	}
}
