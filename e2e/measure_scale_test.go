//go:build !wasm

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/chromedp"
)

// wasmMemoryHook is a script run before the page's own: it keeps the instance of each
// WebAssembly module the page instantiates (window.__wasm), so that the test reads the size
// of the Go program's linear memory. That memory only grows (Go's heap, its spans and the
// runtime's own, at their high-water mark), and wasm32 caps it at 4 GiB: it is what a tab
// runs out of.
const wasmMemoryHook = `(() => {
	const keep = (p) => p.then((r) => { window.__wasm = r.instance || r; return r; });
	for (const f of ["instantiateStreaming", "instantiate"]) {
		const orig = WebAssembly[f];
		WebAssembly[f] = function (...args) { return keep(orig.apply(this, args)); };
	}
})()`

// wasmMemory is a JavaScript expression for the Go program's linear memory, in bytes.
const wasmMemory = `(() => { const w = window.__wasm; return w && w.exports.mem ? w.exports.mem.buffer.byteLength : -1; })()`

// jsHeap is a JavaScript expression for the page's JavaScript heap in use, in bytes (the DOM
// of the cluster view's pods and go-app's nodes live there, not in the wasm's memory).
const jsHeap = `(performance.memory ? performance.memory.usedJSHeapSize : -1)`

// TestMeasureScale prints the browser's figures for issue 17: a ReplicaSet of 10,000 and
// then one of 30,000 pods (the browser's pod budget, apiserver.DefaultMaxPods) applied in a
// fresh tab through window.kubetab, on enough workers (110 pods a node): the wall time until
// every pod is Ready (`kubectl wait` moves virtual time until readyReplicas is all of them,
// in slices between the page's turns), the longest gap between animation frames meanwhile,
// and the wasm's memory. `make measure` runs it; nothing here is a wall-clock assertion.
// KUBETAB_MEASURE_PODS=10000,20000 measures other sizes; KUBETAB_MEASURE_PROFILE=DIR writes
// the page's CPU profile from the apply to the last pod Ready (DIR/Npods.cpuprofile, for
// Chromium's DevTools; functions have their names with a wasm built without -s).
func TestMeasureScale(t *testing.T) {
	if os.Getenv("KUBETAB_MEASURE") == "" {
		t.Skip("set KUBETAB_MEASURE=1 (make measure)")
	}
	sizes := []int{10_000, 30_000}
	if s := os.Getenv("KUBETAB_MEASURE_PODS"); s != "" {
		sizes = nil
		for _, f := range strings.Split(s, ",") {
			n, err := strconv.Atoi(f)
			if err != nil {
				t.Fatalf("KUBETAB_MEASURE_PODS: %v", err)
			}
			sizes = append(sizes, n)
		}
	}
	for _, pods := range sizes {
		t.Run(fmt.Sprintf("%dpods", pods), func(t *testing.T) { measureReplicaSet(t, pods) })
	}
}

func measureReplicaSet(t *testing.T, pods int) {
	ctx, closeBrowser := startBrowser(t, t.TempDir())
	defer closeBrowser()
	call(t, ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: wasmMemoryHook})
	open(t, ctx, baseURL+"/")
	// The default cluster has two workers; 110 pods fit on a node.
	workers := (pods+109)/110 - 2
	start := eval[float64](t, ctx, `performance.now()`)
	mustRun(t, ctx, fmt.Sprintf("for i in $(seq 1 %d); do kubetab node add worker-$i >/dev/null; done", workers))
	t.Logf("%d pods: %d workers added in %.0f ms; wasm memory %s, JS heap %s", pods, workers,
		eval[float64](t, ctx, `performance.now()`)-start, mib(eval[float64](t, ctx, wasmMemory)), mib(eval[float64](t, ctx, jsHeap)))

	rs := fmt.Sprintf(`apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: kubia
spec:
  replicas: %d
  selector:
    matchLabels: {app: kubia}
  template:
    metadata:
      labels: {app: kubia}
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
        ports:
        - containerPort: 8080
`, pods)
	// The main thread's CPU time, which the machine's load does not inflate as it does the
	// wall time.
	call(t, ctx, performance.Enable, performance.EnableParams{TimeDomain: performance.EnableTimeDomainThreadTicks})
	cpu0 := mainThreadCPU(t, ctx)
	profile := os.Getenv("KUBETAB_MEASURE_PROFILE")
	if profile != "" {
		call(t, ctx, profiler.Enable, cdp.Empty{})
		call(t, ctx, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: 1000})
		call(t, ctx, profiler.Start, cdp.Empty{})
	}
	eval[bool](t, ctx, frameMonitor)
	start = eval[float64](t, ctx, `performance.now()`)
	mustRun(t, ctx, heredoc("kubectl apply -f -", rs))
	applied := eval[float64](t, ctx, `performance.now()`)
	// The wait can take longer than eval's minute: it runs as a promise the test polls,
	// and the page notes when the last pod chip turned Running meanwhile.
	wait := fmt.Sprintf("kubectl wait --for=jsonpath='{.status.readyReplicas}'=%d rs/kubia --timeout=1h", pods)
	eval[bool](t, ctx, `(() => {
		window.__res = null;
		window.kubetab.exec(`+js(wait)+`).then((r) => { window.__res = r; window.__resAt = performance.now(); });
		return true;
	})()`)
	var peak float64
	deadline := time.Now().Add(time.Hour)
	next := time.Now().Add(30 * time.Second)
	// When the cluster view first shows every pod Running (looked at every second), with
	// the longest frame gap (the one still open included) and the main thread's CPU until
	// then.
	var allShown []float64
	var cpuShown map[string]float64
	look, burstAt := time.Now(), time.Now().Add(3*time.Second)
	shots := os.Getenv("KUBETAB_MEASURE_SHOTS")
	burstShot := shots != ""
	for !eval[bool](t, ctx, `window.__res !== null`) {
		if burstShot && time.Now().After(burstAt) && eval[float64](t, ctx, count(runningPods)) > 0 {
			burstShot = false
			clusterShot(t, ctx, filepath.Join(shots, fmt.Sprintf("%dpods-burst-1280.png", pods)))
		}
		peak = max(peak, eval[float64](t, ctx, wasmMemory))
		if allShown == nil && time.Since(look) >= time.Second {
			look = time.Now()
			if v := eval[[]float64](t, ctx, `[`+count(runningPods)+`, performance.now(), Math.max(window.__gaps.max, performance.now() - window.__gaps.last)]`); v[0] >= float64(pods) {
				allShown, cpuShown = v, mainThreadCPU(t, ctx)
			}
		}
		if time.Now().After(next) {
			next = next.Add(30 * time.Second)
			t.Logf("%d pods: after %.0f s, %.0f Running in the cluster view, wasm memory %s, longest frame gap so far %.0f ms", pods,
				(eval[float64](t, ctx, `performance.now()`)-start)/1000, eval[float64](t, ctx, count(runningPods)), mib(peak), eval[float64](t, ctx, `window.__gaps.max`))
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d pods not Ready after an hour; the page shows:\n%s", pods, tail(terminalText(ctx), 1500))
		}
		time.Sleep(250 * time.Millisecond)
	}
	res := eval[execResult](t, ctx, `window.__res`)
	if res.ExitCode != 0 {
		t.Fatalf("%s: exit %d\n%s", wait, res.ExitCode, res.Output)
	}
	ready := eval[float64](t, ctx, `window.__resAt`)
	cpu := mainThreadCPU(t, ctx)
	if profile != "" {
		p := call(t, ctx, profiler.Stop, cdp.Empty{})
		b, err := json.Marshal(p.Profile)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(profile, fmt.Sprintf("%dpods.cpuprofile", pods))
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%d pods: the page's CPU profile is in %s", pods, name)
	}
	gap := eval[float64](t, ctx, `window.__gaps.max`)
	frames := eval[float64](t, ctx, `window.__gaps.frames`)
	long := eval[[][2]float64](t, ctx, `window.__gaps.long`)
	var longs []string
	for _, g := range long {
		longs = append(longs, fmt.Sprintf("%.0f ms at %.1f s", g[1], (g[0]-start)/1000))
	}
	t.Logf("%d pods: %d frame gaps over 0.2 s until every pod Ready: %s", pods, len(long), strings.Join(longs, ", "))
	// The cluster view catches up with the last pods.
	waitFor(t, ctx, "every pod Running in the cluster view", count(runningPods)+" >= "+strconv.Itoa(pods), 5*time.Minute)
	shown := eval[float64](t, ctx, `performance.now()`)
	gapShown := eval[float64](t, ctx, `window.__gaps.max`)
	peak = max(peak, eval[float64](t, ctx, wasmMemory))
	t.Logf("%d pods: apply returned after %.0f ms; every pod Ready (kubectl wait) after %.0f ms, %.0f frames painted meanwhile (%.1f fps), longest frame gap %.0f ms; all Running in the cluster view after %.0f ms (longest gap by then %.0f ms)",
		pods, applied-start, ready-start, frames, frames/((ready-start)/1000), gap, shown-start, gapShown)
	if allShown != nil {
		t.Logf("%d pods: every pod Running in the cluster view (looked at every second) after %.0f ms, longest frame gap until then %.0f ms, main thread's CPU until then %.1f s in tasks",
			pods, allShown[1]-start, allShown[2], cpuShown["TaskDuration"]-cpu0["TaskDuration"])
	}
	t.Logf("%d pods: the page's main thread meanwhile: %.1f s of CPU in tasks, of which %.1f s script (the wasm), %.1f s style and %.1f s layout",
		pods, cpu["TaskDuration"]-cpu0["TaskDuration"], cpu["ScriptDuration"]-cpu0["ScriptDuration"],
		cpu["RecalcStyleDuration"]-cpu0["RecalcStyleDuration"], cpu["LayoutDuration"]-cpu0["LayoutDuration"])
	t.Logf("%d pods: wasm memory %s (its high-water mark), JS heap %s", pods, mib(peak), mib(eval[float64](t, ctx, jsHeap)))

	if shots != "" {
		clusterShot(t, ctx, filepath.Join(shots, fmt.Sprintf("%dpods-1280.png", pods)))
		setViewport(t, ctx, 390, 844)
		click(t, ctx, "tab-cluster")
		time.Sleep(time.Second)
		clusterShot(t, ctx, filepath.Join(shots, fmt.Sprintf("%dpods-390.png", pods)))
		setViewport(t, ctx, 1280, 800)
	}

	// Steady state, the clock running at 1x: the page's frames.
	eval[bool](t, ctx, `(() => { window.__gaps.stop = true; return true; })()`)
	time.Sleep(100 * time.Millisecond)
	eval[bool](t, ctx, frameMonitor)
	time.Sleep(5 * time.Second)
	t.Logf("%d pods Running, clock at 1x for 5 s: %.0f frames, longest frame gap %.0f ms", pods,
		eval[float64](t, ctx, `window.__gaps.frames`), eval[float64](t, ctx, `window.__gaps.max`))
	start = eval[float64](t, ctx, `performance.now()`)
	mustRun(t, ctx, "kubectl get rs kubia")
	t.Logf("%d pods: kubectl get rs answered in %.0f ms; wasm memory %s", pods, eval[float64](t, ctx, `performance.now()`)-start, mib(eval[float64](t, ctx, wasmMemory)))
}

// mainThreadCPU returns the page's performance metrics (durations in seconds of the main
// thread's CPU time: performance.Enable with thread ticks).
func mainThreadCPU(t *testing.T, ctx context.Context) map[string]float64 {
	t.Helper()
	m := map[string]float64{}
	for _, x := range call(t, ctx, performance.GetMetrics, cdp.Empty{}).Metrics {
		m[x.Name] = x.Value
	}
	return m
}

// call runs a DevTools command against the page of ctx.
func call[P, R any](t *testing.T, ctx context.Context, cmd cdp.Command[P, R], params P) R {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	r, err := chromedp.Call(tctx, cmd, params)
	if err != nil {
		t.Fatalf("%s: %v", cmd.Method, err)
	}
	return r
}

func mib(b float64) string {
	if b < 0 {
		return "unknown"
	}
	return fmt.Sprintf("%.0f MiB", b/(1<<20))
}

// TestMeasureLoadProfile writes the page's CPU profile of one cold load, from navigation to
// window.kubetab.ready (KUBETAB_MEASURE_PROFILE=DIR: DIR/load.cpuprofile), and prints the
// main thread's CPU time in it: what runs before ready.
func TestMeasureLoadProfile(t *testing.T) {
	dir := os.Getenv("KUBETAB_MEASURE_PROFILE")
	if os.Getenv("KUBETAB_MEASURE") == "" || dir == "" {
		t.Skip("set KUBETAB_MEASURE=1 and KUBETAB_MEASURE_PROFILE=DIR")
	}
	ctx, closeBrowser := startBrowser(t, t.TempDir())
	defer closeBrowser()
	within(t, ctx, 30*time.Second, chromedp.Navigate("about:blank"))
	call(t, ctx, performance.Enable, performance.EnableParams{TimeDomain: performance.EnableTimeDomainThreadTicks})
	call(t, ctx, profiler.Enable, cdp.Empty{})
	call(t, ctx, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: 500})
	call(t, ctx, profiler.Start, cdp.Empty{})
	ready := open(t, ctx, baseURL+"/")
	p := call(t, ctx, profiler.Stop, cdp.Empty{})
	cpu := mainThreadCPU(t, ctx)
	b, err := json.Marshal(p.Profile)
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, "load.cpuprofile")
	if err := os.WriteFile(name, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("navigation → kubetab.ready %.0f ms; the main thread's CPU until the page showed the cluster: %.2f s in tasks, %.2f s script; profile in %s",
		ready, cpu["TaskDuration"], cpu["ScriptDuration"], name)
}

// clusterShot saves a screenshot of the window with the cluster view scrolled to its top
// (KUBETAB_MEASURE_SHOTS=DIR: what a learner sees of a large cluster).
func clusterShot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	eval[bool](t, ctx, `(document.getElementById("cluster-view").scrollIntoView(), true)`)
	time.Sleep(500 * time.Millisecond)
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", path)
}
