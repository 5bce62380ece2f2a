//go:build !wasm

package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// With the server gone (the service worker only), the docs' manifest URLs are answered from
// the bundled copies, kubectl proxy answers curl, and kubectl exec -ti enters the container's
// shell with its prompt.
func TestDocsURLsProxyAndExecOffline(t *testing.T) {
	url, stop := ownServer(t)
	ctx := newBrowser(t, "")
	open(t, ctx, url+"/")
	const example = "/examples/kubernetes-website/application/deployment.yaml"
	waitFor(t, ctx, "the bundled examples in the service worker's cache", `(async () => {
		if (!navigator.serviceWorker.controller) return false;
		for (const k of await caches.keys()) {
			if (await (await caches.open(k)).match("`+example+`")) return true;
		}
		return false;
	})()`, 60*time.Second)
	stop()
	within(t, ctx, 30*time.Second, chromedp.Reload())
	awaitReady(t, ctx)

	if out := mustRun(t, ctx, "kubectl apply -f https://k8s.io/examples/application/deployment.yaml"); out != "deployment.apps/nginx-deployment created\n" {
		t.Fatalf("apply -f URL: %q", out)
	}
	if r := run(t, ctx, "kubectl apply -f https://example.com/app.yaml"); r.ExitCode != 1 || !strings.Contains(r.Output, "kubetab is offline") {
		t.Fatalf("apply -f another URL: %+v", r)
	}
	mustRun(t, ctx, "kubectl wait --for=condition=available deployment/nginx-deployment")
	if out := mustRun(t, ctx, "kubectl proxy &"); !strings.Contains(out, "Starting to serve on 127.0.0.1:8001") {
		t.Fatalf("kubectl proxy: %q", out)
	}
	if out := mustRun(t, ctx, "curl -s http://localhost:8001/apis/apps/v1/namespaces/default/deployments/nginx-deployment | jq -r .kind"); out != "Deployment\n" {
		t.Fatalf("curl through the proxy: %q", out)
	}
	mustRun(t, ctx, `POD=$(kubectl get pods -l app=nginx -o jsonpath='{.items[0].metadata.name}')`)
	mustRun(t, ctx, "kubectl exec -ti $POD -- bash")
	waitFor(t, ctx, "the container's prompt", `document.body.innerText.includes("root@nginx-deployment-")`, 10*time.Second)
	if out := mustRun(t, ctx, "cat /usr/share/nginx/html/index.html | grep -c 'Welcome to nginx'"); out != "2\n" {
		t.Fatalf("a file of the image: %q", out)
	}
	if out := mustRun(t, ctx, "exit"); out != "exit\n" {
		t.Fatalf("exit: %q", out)
	}
	// The lines run inside are echoed after the container's prompt, exit after it too.
	waitFor(t, ctx, "the container's lines in the transcript", `(() => {
		const s = (document.getElementById("terminal-output")||{}).textContent||"";
		return /root@nginx-deployment-[^:]*:\/# cat \/usr\/share\/nginx\/html\/index.html/.test(s) && /# exit\nexit\n/.test(s);
	})()`, 10*time.Second)
}
