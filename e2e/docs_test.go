//go:build !wasm

package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
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

// The Basics "explore" module end to end as the docs run it, at a phone's width: kubectl
// proxy in a second terminal tab (reached with the keyboard), curl through it from the
// first, and an interactive exec -ti bash session. A reload keeps both tabs, the second's
// transcript, and the proxy as a background job; Ctrl-C ends a proxy in its tab.
func TestBasicsExploreWithSecondTerminal(t *testing.T) {
	ctx := newBrowser(t, "")
	open(t, ctx, baseURL+"/")
	setViewport(t, ctx, 390, 844)
	click(t, ctx, "tab-terminal")
	mustRun(t, ctx, "kubectl create deployment kubernetes-bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1")
	mustRun(t, ctx, "kubectl rollout status deployment/kubernetes-bootcamp")

	typed := func(line, want string) {
		t.Helper()
		waitFor(t, ctx, "the prompt", `(document.querySelector(".prompt-sign")||{}).textContent !== ""`, 10*time.Second)
		typeLine(t, ctx, line)
		waitFor(t, ctx, js(want)+" after "+line, terminalOutput+`.includes(`+js(want)+`)`, 20*time.Second)
	}
	selected := func(n string) string {
		return `(() => { const b = document.getElementById("terminal-tab-` + n + `"); return !!b && b.getAttribute("aria-selected") === "true"; })()`
	}
	typed("kubectl get pods", "1/1     Running")
	typed("kubectl describe pods", "Image:          gcr.io/google-samples/kubernetes-bootcamp:v1")

	// In a second terminal: kubectl proxy, in the foreground until Ctrl-C.
	click(t, ctx, "terminal-new-tab")
	waitFor(t, ctx, "the second terminal", selected("2")+` && `+terminalOutput+` === ""`, 10*time.Second)
	typed("kubectl proxy", "Starting to serve on 127.0.0.1:8001")
	waitFor(t, ctx, "no prompt while the proxy runs", `document.querySelector(".prompt-sign").textContent === "" && document.querySelector("#terminal-tab-2.running") !== null`, 10*time.Second)

	// Back to the first with the keyboard, as a tablist goes.
	within(t, ctx, 10*time.Second, chromedp.Focus(chromedp.ID("terminal-tab-2")))
	within(t, ctx, 5*time.Second, chromedp.KeyEvent(kb.ArrowLeft))
	waitFor(t, ctx, "the first terminal, focused", selected("1")+` && document.activeElement.id === "terminal-tab-1" && !`+terminalOutput+`.includes("Starting to serve")`, 10*time.Second)
	typed(`export POD_NAME="$(kubectl get pods -o go-template --template '{{range .items}}{{.metadata.name}}{{"\n"}}{{end}}')"`, "$ export POD_NAME=")
	typed("echo Name of the Pod: $POD_NAME", "Name of the Pod: kubernetes-bootcamp-")
	typed("curl http://localhost:8001/api/v1/namespaces/default/pods/$POD_NAME:8080/proxy/", "Hello Kubernetes bootcamp! | Running on: kubernetes-bootcamp-")
	typed(`kubectl exec "$POD_NAME" -- env`, "KUBERNETES_SERVICE_HOST=")
	typed("kubectl exec -ti $POD_NAME -- bash", "$ kubectl exec -ti $POD_NAME -- bash")
	waitFor(t, ctx, "the container's prompt", `/^root@kubernetes-bootcamp-\S+:\/# $/.test(document.querySelector(".prompt-sign").textContent)`, 10*time.Second)
	typed("cat server.js", "var http = require('http');")
	typeLine(t, ctx, "curl http://localhost:8080")
	waitFor(t, ctx, "the app's answer inside", terminalOutput+`.split("Hello Kubernetes bootcamp!").length === 3`, 20*time.Second)
	typed("exit", "# exit\nexit\n")
	if sw := eval[int](t, ctx, `document.documentElement.scrollWidth`); sw > 390 {
		t.Errorf("at 390 px the page is %d px wide", sw)
	}
	for _, v := range runAxe(t, ctx, axeSource(t)) {
		t.Errorf("two terminal tabs: %s (%s): %s\n    %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n    "))
	}

	// A reload, once the page's storage has everything: both tabs, and the proxy as a
	// background job.
	waitSaved(t, ctx)
	within(t, ctx, 30*time.Second, chromedp.Reload())
	awaitReady(t, ctx)
	waitFor(t, ctx, "two terminal tabs", count(".terminal-tab[role=tab]")+` === 2 && `+selected("1"), 10*time.Second)
	if out := mustRun(t, ctx, "jobs"); !strings.Contains(out, "kubectl proxy") {
		t.Fatalf("jobs after a reload: %q", out)
	}
	if out := mustRun(t, ctx, "curl -s http://localhost:8001/version | jq -r .major"); out != "1\n" {
		t.Fatalf("the proxy after a reload: %q", out)
	}

	// Ctrl-C ends a proxy running in its tab.
	click(t, ctx, "tab-terminal")
	click(t, ctx, "terminal-new-tab")
	waitFor(t, ctx, "the third terminal", selected("3"), 10*time.Second)
	typed("kubectl proxy --port=8002", "Starting to serve on 127.0.0.1:8002")
	within(t, ctx, 5*time.Second, chromedp.KeyEvent("c", chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	waitFor(t, ctx, "^C and the prompt", terminalOutput+`.endsWith("^C\n") && document.querySelector(".prompt-sign").textContent === "$ "`, 10*time.Second)
	if r := run(t, ctx, "curl -s http://localhost:8002/version"); r.ExitCode != 7 {
		t.Fatalf("curl after Ctrl-C: %+v", r)
	}
}

// Every terminal tab comes back after a reload: a container shell entered in the second
// tab is there again, with its transcript, while the first tab is on the node.
func TestTerminalTabsSurviveAReload(t *testing.T) {
	ctx := newBrowser(t, "")
	open(t, ctx, baseURL+"/")
	mustRun(t, ctx, "kubectl run web --image=nginx && kubectl wait --for=condition=ready pod/web")
	selected := func(n string) string {
		return `(() => { const b = document.getElementById("terminal-tab-` + n + `"); return !!b && b.getAttribute("aria-selected") === "true"; })()`
	}
	const prompt = `document.querySelector(".prompt-sign").textContent`
	click(t, ctx, "terminal-new-tab")
	waitFor(t, ctx, "the second terminal", selected("2")+` && `+terminalOutput+` === ""`, 10*time.Second)
	typeLine(t, ctx, "kubectl exec -ti web -- bash")
	waitFor(t, ctx, "the container's prompt", `/^root@web:\/# $/.test(`+prompt+`)`, 10*time.Second)
	typeLine(t, ctx, "cd /usr/share/nginx/html")
	waitFor(t, ctx, "the container's directory", `/^root@web:\/usr\/share\/nginx\/html# $/.test(`+prompt+`)`, 10*time.Second)

	waitSaved(t, ctx)
	within(t, ctx, 30*time.Second, chromedp.Reload())
	awaitReady(t, ctx)
	waitFor(t, ctx, "two terminal tabs, the first shown on the node", count(".terminal-tab[role=tab]")+` === 2 && `+selected("1")+` && `+prompt+` === "$ "`, 10*time.Second)
	click(t, ctx, "terminal-tab-2")
	waitFor(t, ctx, "the second tab in the container, with its transcript", selected("2")+` && /^root@web:\/usr\/share\/nginx\/html# $/.test(`+prompt+`) && `+terminalOutput+`.includes("$ kubectl exec -ti web -- bash")`, 10*time.Second)
	typeLine(t, ctx, "cat index.html | grep -c nginx")
	waitFor(t, ctx, "a command inside after the reload", terminalOutput+`.includes("cat index.html")`, 10*time.Second)
}
