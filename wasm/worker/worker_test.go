//go:build !wasm

package main

// The worker as a whole: built as it is deployed, run by wrangler dev offline. TestWorker
// needs npm (it runs `npm ci` when node_modules is missing) and runs only with
// KUBETAB_WORKER_E2E=1, which `make test-worker` sets; TestWorkerSize needs only Go.

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/kubetab/kubetab/wasm/worker/edge"
)

// maxWorkerGzip is the Workers free plan's limit on a worker's size, gzipped.
const maxWorkerGzip = 3 << 20

var repoRoot, _ = filepath.Abs("../..")

// TestWorkerSize builds the worker as `make worker` does and fails when its upload
// (the wasm and the JavaScript shim) is over the free plan's 3 MB gzip limit.
func TestWorkerSize(t *testing.T) {
	out := t.TempDir()
	goCmd(t, nil, "run", "github.com/syumai/workers/cmd/workers-assets-gen", "-mode=go", "-o", out)
	goCmd(t, []string{"GOOS=js", "GOARCH=wasm"}, "build", "-o", filepath.Join(out, "app.wasm"), "./wasm/worker")
	var raw, zipped int
	for _, name := range []string{"app.wasm", "worker.mjs", "runtime.mjs", "wasm_exec.js"} {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		raw += len(b)
		zipped += gzipSize(t, b)
	}
	t.Logf("worker: %.2f MB raw, %.2f MB gzip (limit %.0f MB)", mb(raw), mb(zipped), mb(maxWorkerGzip))
	if zipped > maxWorkerGzip {
		t.Fatalf("the worker is %d bytes gzipped, over the %d-byte limit of Workers' free plan", zipped, maxWorkerGzip)
	}
}

func mb(n int) float64 { return float64(n) / (1 << 20) }

func gzipSize(t *testing.T, b []byte) int {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Len()
}

func goCmd(t *testing.T, env []string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func TestWorker(t *testing.T) {
	if os.Getenv("KUBETAB_WORKER_E2E") == "" {
		t.Skip("run `make test-worker`, or set KUBETAB_WORKER_E2E=1 (needs npm)")
	}
	base := startWrangler(t)
	// First, as it waits for shares to expire while the others run.
	expiry := startExpiry(t, base)

	t.Run("health", func(t *testing.T) {
		res, body := do(t, "GET", base+"/healthz", "", nil)
		wantStatus(t, res, body, 200)
		checkSecurityHeaders(t, res, false)
	})

	bundle := `{"version":1,"seed":"42","start":"2026-01-01T09:00:00Z",
		"files":{"kubia-rc.yaml":"apiVersion: v1\nkind: ReplicationController\n"},
		"history":["kubectl apply -f kubia-rc.yaml","kubectl get pods && kubetab advance 5m"]}`
	var id string
	t.Run("share round trip", func(t *testing.T) {
		res, body := do(t, "POST", base+"/api/share", bundle, map[string]string{"Content-Type": "application/json"})
		wantStatus(t, res, body, 201)
		checkSecurityHeaders(t, res, false)
		var created struct{ ID, URL string }
		if err := json.Unmarshal(body, &created); err != nil || created.ID == "" || created.URL != "/s/"+created.ID {
			t.Fatalf("POST /api/share answered %s (%v)", body, err)
		}
		id = created.ID
		// Content-addressed: the same bundle, written differently, has the same id.
		res, body = do(t, "POST", base+"/api/share", strings.ReplaceAll(bundle, "\n\t\t", " "), map[string]string{"Content-Type": "application/json; charset=utf-8"})
		wantStatus(t, res, body, 201)
		if !bytes.Contains(body, []byte(`"id":"`+id+`"`)) {
			t.Fatalf("the same bundle got another id: %s, first %s", body, id)
		}
		res, body = do(t, "GET", base+"/api/share/"+id, "", nil)
		wantStatus(t, res, body, 200)
		checkSecurityHeaders(t, res, false)
		var got map[string]any
		if err := json.Unmarshal(body, &got); err != nil || got["seed"] != "42" || len(got["history"].([]any)) != 2 {
			t.Fatalf("GET /api/share/%s: %s (%v)", id, body, err)
		}
		// The share link is the app's page.
		res, body = do(t, "GET", base+"/s/"+id, "", nil)
		wantStatus(t, res, body, 200)
		if !bytes.Contains(body, []byte("<title>kubetab")) {
			t.Fatalf("/s/%s is not the app's page:\n%.300s", id, body)
		}
	})

	t.Run("errors", func(t *testing.T) {
		json := map[string]string{"Content-Type": "application/json"}
		for _, c := range []struct {
			name, method, path, body string
			header                   map[string]string
			status                   int
			says                     string
		}{
			{"unknown id", "GET", "/api/share/AAAAAAAAAAAAAAAA", "", nil, 404, "no share with id"},
			{"malformed", "POST", "/api/share", `{"version":1,`, json, 400, "not valid JSON"},
			{"invalid", "POST", "/api/share", `{"version":1,"seed":"1","start":"now"}`, json, 400, "RFC 3339"},
			{"oversize", "POST", "/api/share", `{"history":["` + strings.Repeat("x", 70<<10) + `"]}`, json, 413, "too large"},
			{"not json", "POST", "/api/share", `a=b`, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, 415, "application/json"},
			{"method", "DELETE", "/api/share/" + "AAAAAAAAAAAAAAAA", "", nil, 405, "not supported"},
		} {
			res, body := do(t, c.method, base+c.path, c.body, c.header)
			if res.StatusCode != c.status || !strings.Contains(res.Header.Get("Content-Type"), "application/json") || !bytes.Contains(body, []byte(c.says)) {
				t.Errorf("%s: %s %s: %d %s %s, want %d with %q", c.name, c.method, c.path, res.StatusCode, res.Header.Get("Content-Type"), body, c.status, c.says)
			}
			checkSecurityHeaders(t, res, false)
		}
	})

	t.Run("site", func(t *testing.T) {
		res, body := do(t, "GET", base+"/", "", nil)
		wantStatus(t, res, body, 200)
		checkSecurityHeaders(t, res, false)
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") || !bytes.Contains(body, []byte("<title>kubetab")) {
			t.Fatalf("GET / is not the app's page: %s\n%.300s", res.Header.Get("Content-Type"), body)
		}
		// The app's wasm is stored gzipped (assets are limited to 25 MiB a file) and must
		// arrive as the same wasm, in one gzip layer.
		res, body = do(t, "GET", base+"/web/app.wasm", "", map[string]string{"Accept-Encoding": "gzip"})
		wantStatus(t, res, body, 200)
		checkSecurityHeaders(t, res, false)
		if res.Header.Get("Content-Type") != "application/wasm" || res.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("app.wasm served as %q, encoding %q", res.Header.Get("Content-Type"), res.Header.Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("app.wasm is not gzip: %v", err)
		}
		wasm, err := io.ReadAll(zr)
		if err != nil || !bytes.HasPrefix(wasm, []byte("\x00asm")) {
			t.Fatalf("app.wasm does not decompress to WebAssembly: %v, %q", err, wasm[:min(len(wasm), 8)])
		}
		res, body = do(t, "GET", base+"/no/such/file.txt", "", nil)
		wantStatus(t, res, body, 404)
		checkSecurityHeaders(t, res, false)
		// The embed widget may be framed by anyone; nothing else may.
		res, _ = do(t, "GET", base+"/embed", "", nil)
		checkSecurityHeaders(t, res, true)
	})

	t.Run("browser", func(t *testing.T) {
		checkPageInChromium(t, base+"/")
	})

	t.Run("rate limit", func(t *testing.T) {
		checkRateLimit(t, base)
	})

	t.Run("expiry", func(t *testing.T) {
		expiry.check(t)
	})
}

// testTTL is how long the test's worker keeps a share (SHARE_TTL; KV's least is 60 s), and
// the test's worker extends a share on any read a second after its last write.
const testTTL = 65 * time.Second

// expiryCheck is a share read while the other subtests run and one never read.
type expiryCheck struct {
	base          string
	created       time.Time
	read, unread  string
	readStatus    chan int
	readExpiresAt time.Time
}

// startExpiry creates two shares, and reads one of them 20 s later.
func startExpiry(t *testing.T, base string) *expiryCheck {
	e := &expiryCheck{base: base, readStatus: make(chan int, 1)}
	for i, id := range []*string{&e.read, &e.unread} {
		body := fmt.Sprintf(`{"version":1,"seed":"%d","start":"2026-01-01T09:00:00Z","history":["kubetab advance 1m"]}`, 9000+i)
		res, b := do(t, "POST", base+"/api/share", body, map[string]string{"Content-Type": "application/json", "CF-Connecting-IP": "192.0.2.9"})
		wantStatus(t, res, b, 201)
		var created struct{ ID string }
		if err := json.Unmarshal(b, &created); err != nil {
			t.Fatal(err)
		}
		*id = created.ID
	}
	e.created = time.Now()
	time.AfterFunc(20*time.Second, func() {
		res, err := client.Get(base + "/api/share/" + e.read)
		if err != nil {
			e.readStatus <- -1
			return
		}
		res.Body.Close()
		e.readStatus <- res.StatusCode
	})
	e.readExpiresAt = e.created.Add(20*time.Second + testTTL)
	return e
}

// check waits until the unread share has been expired for 5 s: it is gone, and the
// share read at 20 s (which moved its expiry to 85 s) is still there.
func (e *expiryCheck) check(t *testing.T) {
	select {
	case s := <-e.readStatus:
		if s != 200 {
			t.Fatalf("reading the share 20 s after it was made: %d", s)
		}
	case <-time.After(time.Until(e.created.Add(30 * time.Second))):
		t.Fatal("the share was not read within 30 s")
	}
	time.Sleep(time.Until(e.created.Add(testTTL + 5*time.Second)))
	if time.Now().After(e.readExpiresAt.Add(-5 * time.Second)) {
		t.Fatalf("the other subtests took %s: too late to tell the read share from the other", time.Since(e.created))
	}
	res, b := do(t, "GET", e.base+"/api/share/"+e.unread, "", nil)
	wantStatus(t, res, b, 404)
	res, b = do(t, "GET", e.base+"/api/share/"+e.read, "", nil)
	wantStatus(t, res, b, 200)
}

// checkRateLimit creates shares from one address as fast as it can: the worker refuses
// what is over edge.SharesPerMinute a minute (the local binding counts in windows of a
// minute: a run across a window's end gets at most twice that), while another address is
// served.
func checkRateLimit(t *testing.T, base string) {
	const addr = "198.51.100.23"
	var created, refused int
	start := time.Now()
	for i := range 2*edge.SharesPerMinute + 1 {
		body := fmt.Sprintf(`{"version":1,"seed":"%d","start":"2026-01-01T09:00:00Z"}`, 100+i)
		res, b := do(t, "POST", base+"/api/share", body, map[string]string{"Content-Type": "application/json", "CF-Connecting-IP": addr})
		switch res.StatusCode {
		case 201:
			created++
		case 429:
			refused++
			if res.Header.Get("Retry-After") != "60" || !bytes.Contains(b, []byte("too many share links from your address")) {
				t.Errorf("429 with Retry-After %q: %s", res.Header.Get("Retry-After"), b)
			}
			checkSecurityHeaders(t, res, false)
		default:
			t.Fatalf("POST %d: %d %s", i, res.StatusCode, b)
		}
	}
	oneWindow := start.Unix()/60 == time.Now().Unix()/60
	t.Logf("%d shares created, %d refused (in one window of the limiter: %v)", created, refused, oneWindow)
	if refused == 0 || created > 2*edge.SharesPerMinute || (oneWindow && created != edge.SharesPerMinute) {
		t.Errorf("%d shares created and %d refused from one address; the limit is %d a minute", created, refused, edge.SharesPerMinute)
	}
	res, b := do(t, "POST", base+"/api/share", `{"version":1,"seed":"99","start":"2026-01-01T09:00:00Z"}`, map[string]string{"Content-Type": "application/json", "CF-Connecting-IP": "198.51.100.24"})
	wantStatus(t, res, b, 201)
}

// TestWorkerConfig checks wrangler.jsonc against what the worker's code assumes.
func TestWorkerConfig(t *testing.T) {
	raw, err := os.ReadFile("wrangler.jsonc")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(raw), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "//") {
			lines = append(lines, l)
		}
	}
	var conf struct {
		RateLimits []struct {
			Name   string
			Simple struct{ Limit, Period int }
		}
		Vars map[string]string
	}
	if err := json.Unmarshal([]byte(strings.Join(lines, "\n")), &conf); err != nil {
		t.Fatalf("wrangler.jsonc without its comments: %v", err)
	}
	if len(conf.RateLimits) != 1 || conf.RateLimits[0].Name != "SHARE_LIMIT" || conf.RateLimits[0].Simple.Limit != edge.SharesPerMinute || conf.RateLimits[0].Simple.Period != 60 {
		t.Errorf("ratelimits %+v; want SHARE_LIMIT at %d a minute (edge.SharesPerMinute)", conf.RateLimits, edge.SharesPerMinute)
	}
	for name, want := range map[string]time.Duration{"SHARE_TTL": edge.DefaultShareTTL, "SHARE_REFRESH_AFTER": edge.DefaultRefreshAfter} {
		if d, err := time.ParseDuration(conf.Vars[name]); err != nil || d != want {
			t.Errorf("vars.%s = %q; want %s, the documented default", name, conf.Vars[name], want)
		}
	}
}

// checkPageInChromium loads the app from the worker and fails on any Content-Security-
// Policy violation, or if the app does not start under the policy.
func checkPageInChromium(t *testing.T, url string) {
	var chromium string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			chromium = p
			break
		}
	}
	if chromium == "" {
		t.Skip("no chromium: the CSP is not checked in a browser (apt-get install -y chromium)")
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()))
	defer cancelAlloc()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelT := context.WithTimeout(bctx, 90*time.Second)
	defer cancelT()
	// Every violation in the page fires securitypolicyviolation; the listener is installed
	// by the browser before the page's own scripts, and the CSP does not apply to it.
	const record = `window.__csp = []; document.addEventListener("securitypolicyviolation",
		e => window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber));`
	if err := chromedp.Do(bctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: record})
		return err
	})); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("loading %s: %v", url, err)
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](`new Promise((resolve, reject) => {
		const wait = () => window.kubetab ? window.kubetab.ready.then(() => window.kubetab.exec("kubectl get nodes")).then(r => resolve(r.output), reject) : setTimeout(wait, 20);
		wait();
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		v, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__csp`))
		t.Fatalf("the app did not start under the worker's headers: %v; CSP violations: %q", err, v)
	}
	if !strings.Contains(out, "Ready") {
		t.Errorf("kubectl get nodes in the page: %q", out)
	}
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__csp`))
	if err != nil {
		t.Fatal(err)
	}
	if len(violations) > 0 {
		t.Fatalf("Content-Security-Policy violations:\n%s", strings.Join(violations, "\n"))
	}
}

func wantStatus(t *testing.T, res *http.Response, body []byte, status int) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s %s: %d, want %d: %.500s", res.Request.Method, res.Request.URL.Path, res.StatusCode, status, body)
	}
}

func checkSecurityHeaders(t *testing.T, res *http.Response, embeddable bool) {
	t.Helper()
	what := res.Request.Method + " " + res.Request.URL.Path
	csp := res.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "'wasm-unsafe-eval'") {
		t.Errorf("%s: Content-Security-Policy %q", what, csp)
	}
	if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Referrer-Policy") == "" {
		t.Errorf("%s: X-Content-Type-Options %q, Referrer-Policy %q", what, res.Header.Get("X-Content-Type-Options"), res.Header.Get("Referrer-Policy"))
	}
	if embeddable {
		if !strings.Contains(csp, "frame-ancestors *") || res.Header.Get("X-Frame-Options") != "" {
			t.Errorf("%s: may not be framed: %q, X-Frame-Options %q", what, csp, res.Header.Get("X-Frame-Options"))
		}
	} else if !strings.Contains(csp, "frame-ancestors 'none'") || res.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("%s: may be framed: %q, X-Frame-Options %q", what, csp, res.Header.Get("X-Frame-Options"))
	}
}

// client is the tests' HTTP client: no request waits for ever.
var client = &http.Client{Timeout: 60 * time.Second}

func do(t *testing.T, method, url, body string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	// Set by hand, so that the client does not decode gzip on its own.
	if req.Header.Get("Accept-Encoding") == "" {
		req.Header.Set("Accept-Encoding", "identity")
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, b
}

// startWrangler builds the worker and the site with `make worker` into a temporary
// directory (from the app that `make build` left in public/), runs `wrangler dev` on it offline, and returns its URL once /healthz answers.
func startWrangler(t *testing.T) string {
	worker := filepath.Join(repoRoot, "wasm", "worker")
	wrangler := filepath.Join(worker, "node_modules", ".bin", "wrangler")
	if _, err := os.Stat(wrangler); err != nil {
		run(t, worker, "npm", "ci", "--no-audit", "--no-fund")
	}
	dir := t.TempDir()
	// -o build: on the app as `make build` left it (make test-worker runs it first);
	// rebuilding it here could mean minutes of brotli.
	run(t, repoRoot, "make", "--no-print-directory", "-o", "build", "worker", "WORKER_OUT="+filepath.Join(dir, "build"))
	conf, err := os.ReadFile(filepath.Join(worker, "wrangler.jsonc"))
	if err != nil {
		t.Fatal(err)
	}
	// The committed configuration, its paths relative to the temporary directory, with
	// shares kept for testTTL and extended by any read.
	for _, v := range [][2]string{{`"SHARE_TTL": "2160h"`, `"SHARE_TTL": "` + testTTL.String() + `"`}, {`"SHARE_REFRESH_AFTER": "24h"`, `"SHARE_REFRESH_AFTER": "1s"`}} {
		if !bytes.Contains(conf, []byte(v[0])) {
			t.Fatalf("wrangler.jsonc has no %s", v[0])
		}
		conf = bytes.Replace(conf, []byte(v[0]), []byte(v[1]), 1)
	}
	if err := os.WriteFile(filepath.Join(dir, "wrangler.jsonc"), conf, 0o644); err != nil {
		t.Fatal(err)
	}
	port, inspector := freePort(t), freePort(t)
	cmd := exec.Command(wrangler, "dev", "--config", filepath.Join(dir, "wrangler.jsonc"),
		"--ip", "127.0.0.1", "--port", port, "--inspector-port", inspector,
		"--persist-to", filepath.Join(dir, "state"), "--show-interactive-dev-session=false")
	cmd.Dir = dir
	// Offline: no metrics, no banner, no request to Cloudflare, no user configuration.
	cmd.Env = append(os.Environ(), "WRANGLER_SEND_METRICS=false", "WRANGLER_HIDE_BANNER=true",
		"CLOUDFLARE_CF_FETCH_ENABLED=false", "XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "CI=true")
	var log syncBuffer
	cmd.Stdout, cmd.Stderr = &log, &log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
		if t.Failed() {
			t.Logf("wrangler dev:\n%s", log.String())
		}
	})
	base := "http://127.0.0.1:" + port
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return base
			}
		}
		select {
		case <-exited:
			t.Fatalf("wrangler dev exited:\n%s", log.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("wrangler dev did not answer /healthz within 60s (last: %v):\n%s", err, log.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func run(t *testing.T, dir, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
