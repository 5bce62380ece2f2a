package edge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/kubetab/kubetab/wasm/share"
)

// memKV is Workers KV in memory, with its expiries on the test's clock; fail makes every
// call fail.
type memKV struct {
	m       map[string]string
	expires map[string]time.Time
	now     func() time.Time
	puts    int
	fail    error
}

var _ KV = (*memKV)(nil)

func newMemKV() *memKV {
	return &memKV{m: map[string]string{}, expires: map[string]time.Time{}, now: time.Now}
}

func (k *memKV) Get(key string) (string, time.Time, bool, error) {
	if k.fail != nil {
		return "", time.Time{}, false, k.fail
	}
	exp := k.expires[key]
	if !exp.IsZero() && !k.now().Before(exp) {
		delete(k.m, key)
		delete(k.expires, key)
	}
	v, ok := k.m[key]
	return v, exp, ok, nil
}

func (k *memKV) Put(key, value string, expires time.Time) error {
	if k.fail != nil {
		return k.fail
	}
	k.puts++
	k.m[key] = value
	k.expires[key] = expires
	return nil
}

// fsAssets serves a file system the way the assets binding does, for what these tests
// need: files, index.html for directories, 404 otherwise.
type fsAssets struct {
	fs       fstest.MapFS
	requests []*http.Request
}

var _ Assets = (*fsAssets)(nil)

func (a *fsAssets) Fetch(r *http.Request) (*http.Response, error) {
	a.requests = append(a.requests, r)
	if r.Body != nil {
		return nil, errors.New("a GET with a body: JavaScript's Request refuses it")
	}
	rec := httptest.NewRecorder()
	http.FileServerFS(a.fs).ServeHTTP(rec, r)
	return rec.Result(), nil
}

const page = "<!doctype html><title>kubetab</title>"

func newTest(t *testing.T) (http.Handler, *memKV, *fsAssets) {
	kv := newMemKV()
	assets := &fsAssets{fs: fstest.MapFS{
		"index.html":      {Data: []byte(page)},
		"embed.html":      {Data: []byte("<!doctype html><title>embed</title>")},
		"app.js":          {Data: []byte("console.log(1)")},
		"web/app.wasm.gz": {Data: []byte("GZIP")},
		"web/app.wasm.br": {Data: []byte("BROTLI")},
		"web/x.wasm.gz":   {Data: []byte("ONLYGZIP")},
	}}
	return New(Config{KV: kv, Assets: assets, Logf: t.Logf}), kv, assets
}

type request struct {
	method, path, body string
	header             map[string]string
}

func serve(h http.Handler, r request) *http.Response {
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	req := httptest.NewRequest(r.method, r.path, body)
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func readBody(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var jsonCT = map[string]string{"Content-Type": "application/json"}

const bundle = `{"version":1,"seed":"7","start":"2026-01-01T09:00:00Z","files":{"pod.yaml":"kind: Pod\n"},"history":["kubectl apply -f pod.yaml"]}`

func post(h http.Handler, body string) *http.Response {
	return serve(h, request{method: "POST", path: "/api/share", body: body, header: jsonCT})
}

func TestShareRoundTrip(t *testing.T) {
	h, kv, _ := newTest(t)
	res := post(h, bundle)
	body := readBody(t, res)
	if res.StatusCode != 201 {
		t.Fatalf("POST: %d %s", res.StatusCode, body)
	}
	var created struct{ ID, URL string }
	if err := json.Unmarshal([]byte(body), &created); err != nil {
		t.Fatalf("POST answered %s: %v", body, err)
	}
	b, _ := share.Parse([]byte(bundle))
	want, _ := b.ID()
	if created.ID != want || created.URL != "/s/"+want {
		t.Fatalf("POST answered %s, want id %s", body, want)
	}
	if loc := res.Header.Get("Location"); loc != "/api/share/"+want {
		t.Errorf("Location %q", loc)
	}

	// Content-addressed: the same bundle written otherwise has the same id, and is not
	// written twice.
	res = post(h, strings.ReplaceAll(bundle, ",", ", "))
	if body := readBody(t, res); res.StatusCode != 201 || !strings.Contains(body, want) {
		t.Fatalf("second POST: %d %s", res.StatusCode, body)
	}
	if kv.puts != 1 || len(kv.m) != 1 {
		t.Errorf("%d puts, %d keys; want 1 and 1", kv.puts, len(kv.m))
	}
	// Another bundle, another id.
	res = post(h, strings.Replace(bundle, `"7"`, `"8"`, 1))
	if body := readBody(t, res); res.StatusCode != 201 || strings.Contains(body, want) {
		t.Fatalf("POST of another bundle: %d %s", res.StatusCode, body)
	}

	res = serve(h, request{method: "GET", path: "/api/share/" + want})
	got := readBody(t, res)
	canonical, _ := b.JSON()
	if res.StatusCode != 200 || got != string(canonical) {
		t.Fatalf("GET: %d %s, want %s", res.StatusCode, got, canonical)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("GET Content-Type %q", ct)
	}
	if !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("GET Cache-Control %q", res.Header.Get("Cache-Control"))
	}
	res = serve(h, request{method: "HEAD", path: "/api/share/" + want})
	if res.StatusCode != 200 || readBody(t, res) != "" {
		t.Errorf("HEAD: %d", res.StatusCode)
	}
}

func TestErrors(t *testing.T) {
	h, kv, _ := newTest(t)
	// A value stored under an id it does not hash to (written by hand, or damaged).
	kv.m[keyPrefix+"AAAAAAAAAAAAAAAA"] = bundle
	cases := []struct {
		name   string
		req    request
		status int
		says   string
	}{
		{"unknown id", request{method: "GET", path: "/api/share/BBBBBBBBBBBBBBBB"}, 404, `no share with id "BBBBBBBBBBBBBBBB"`},
		{"malformed id", request{method: "GET", path: "/api/share/../../etc"}, 404, "no share with id"},
		{"empty id", request{method: "GET", path: "/api/share/"}, 404, "no share with id"},
		{"mismatched value", request{method: "GET", path: "/api/share/AAAAAAAAAAAAAAAA"}, 404, "no share"},
		{"unknown api", request{method: "GET", path: "/api/other"}, 404, "no API at /api/other"},
		{"malformed json", request{method: "POST", path: "/api/share", body: `{"version":1,`, header: jsonCT}, 400, "not valid JSON"},
		{"empty body", request{method: "POST", path: "/api/share", header: jsonCT}, 400, "empty"},
		{"invalid bundle", request{method: "POST", path: "/api/share", body: `{"version":1,"seed":"x","start":"2026-01-01T09:00:00Z"}`, header: jsonCT}, 400, `seed "x" is not a number`},
		{"unknown version", request{method: "POST", path: "/api/share", body: `{"version":3}`, header: jsonCT}, 400, "version 3 is not supported"},
		{"not utf-8", request{method: "POST", path: "/api/share", body: "{\"version\":1,\"seed\":\"\xfe\"}", header: jsonCT}, 400, "not UTF-8"},
		{"too many files", request{method: "POST", path: "/api/share", body: manyFiles(), header: jsonCT}, 413, "files, the limit is"},
		{"oversize", request{method: "POST", path: "/api/share", body: `{"history":["` + strings.Repeat("x", share.MaxJSONSize) + `"]}`, header: jsonCT}, 413, "too large: the limit is 65536 bytes"},
		{"no content type", request{method: "POST", path: "/api/share", body: bundle}, 415, "Content-Type must be application/json"},
		{"form", request{method: "POST", path: "/api/share", body: bundle, header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}, 415, "not \"application/x-www-form-urlencoded\""},
		{"latin-1", request{method: "POST", path: "/api/share", body: bundle, header: map[string]string{"Content-Type": "application/json; charset=latin1"}}, 415, "UTF-8 JSON, not latin1"},
		{"GET create", request{method: "GET", path: "/api/share"}, 405, "GET /api/share is not supported; use POST"},
		{"PUT share", request{method: "PUT", path: "/api/share/AAAAAAAAAAAAAAAA", body: bundle, header: jsonCT}, 405, "use GET or HEAD"},
		{"POST page", request{method: "POST", path: "/", body: "x"}, 405, "use GET or HEAD"},
		{"POST healthz", request{method: "POST", path: "/healthz"}, 405, "use GET or HEAD"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := serve(h, c.req)
			body := readBody(t, res)
			if res.StatusCode != c.status {
				t.Errorf("status %d, want %d: %s", res.StatusCode, c.status, body)
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			var e struct{ Error string }
			if err := json.Unmarshal([]byte(body), &e); err != nil || !strings.Contains(e.Error, c.says) {
				t.Errorf("body %s (%v), want an error saying %q", body, err, c.says)
			}
			if res.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control %q", res.Header.Get("Cache-Control"))
			}
			checkHeaders(t, res, false)
		})
	}
	if kv.puts != 0 {
		t.Errorf("bad requests stored %d values", kv.puts)
	}
}

func manyFiles() string {
	var parts []string
	for i := 0; i <= share.MaxFiles; i++ {
		parts = append(parts, `"f`+strings.Repeat("x", i%7)+string(rune('a'+i%26))+string(rune('a'+i/26))+`":""`)
	}
	return `{"version":1,"seed":"1","start":"2026-01-01T09:00:00Z","files":{` + strings.Join(parts, ",") + `}}`
}

func TestOversizeBodyIsNotRead(t *testing.T) {
	h, _, _ := newTest(t)
	req := httptest.NewRequest("POST", "/api/share", io.MultiReader(strings.NewReader(`{"history":["`), infinite{}))
	req.Header.Set("Content-Type", "application/json")
	req.ContentLength = -1 // chunked: the length is learnt by reading
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 413 {
		t.Fatalf("an endless body: %d %s", rec.Code, rec.Body)
	}
	req = httptest.NewRequest("POST", "/api/share", strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/json")
	req.ContentLength = 1 << 20 // announced
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 413 {
		t.Fatalf("a body announced as 1 MB: %d %s", rec.Code, rec.Body)
	}
}

type infinite struct{}

func (infinite) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

func TestStoreFailure(t *testing.T) {
	h, kv, _ := newTest(t)
	kv.fail = errors.New("KV is down")
	for _, r := range []request{
		{method: "POST", path: "/api/share", body: bundle, header: jsonCT},
		{method: "GET", path: "/api/share/AAAAAAAAAAAAAAAA"},
	} {
		res := serve(h, r)
		body := readBody(t, res)
		if res.StatusCode != 503 || !strings.Contains(body, "try again later") || strings.Contains(body, "KV is down") {
			t.Errorf("%s %s with KV down: %d %s", r.method, r.path, res.StatusCode, body)
		}
		checkHeaders(t, res, false)
	}
}

func TestHealthz(t *testing.T) {
	h, _, _ := newTest(t)
	res := serve(h, request{method: "GET", path: "/healthz"})
	if body := readBody(t, res); res.StatusCode != 200 || body != "{\"status\":\"ok\"}\n" {
		t.Fatalf("healthz: %d %q", res.StatusCode, body)
	}
	checkHeaders(t, res, false)
}

func TestAssets(t *testing.T) {
	h, _, assets := newTest(t)
	res := serve(h, request{method: "GET", path: "/"})
	if body := readBody(t, res); res.StatusCode != 200 || body != page {
		t.Fatalf("GET /: %d %q", res.StatusCode, body)
	}
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Errorf("GET / Content-Type %q", res.Header.Get("Content-Type"))
	}
	checkHeaders(t, res, false)

	// A share link is the app's page.
	res = serve(h, request{method: "GET", path: "/s/AAAAAAAAAAAAAAAA?x=1"})
	if body := readBody(t, res); res.StatusCode != 200 || body != page {
		t.Fatalf("GET /s/<id>: %d %q", res.StatusCode, body)
	}
	if last := assets.requests[len(assets.requests)-1]; last.URL.Path != "/" || last.URL.RawQuery != "" {
		t.Errorf("a share link fetched %s from the assets", last.URL)
	}

	res = serve(h, request{method: "GET", path: "/missing.js"})
	if res.StatusCode != 404 {
		t.Errorf("GET /missing.js: %d", res.StatusCode)
	}
	checkHeaders(t, res, false)

	res = serve(h, request{method: "HEAD", path: "/app.js"})
	if body := readBody(t, res); res.StatusCode != 200 || body != "" {
		t.Errorf("HEAD /app.js: %d %q", res.StatusCode, body)
	}
}

func TestPrecompressedAssets(t *testing.T) {
	h, _, assets := newTest(t)
	for _, c := range []struct {
		accept, coding, body string
		status               int
	}{
		{"gzip, deflate, br, zstd", "br", "BROTLI", 200},
		{"gzip", "gzip", "GZIP", 200},
		{"br;q=0, gzip", "gzip", "GZIP", 200},
		{"", "br", "BROTLI", 200}, // no header: anything goes
		{"identity", "", "", 406},
		{"gzip;q=0", "", "", 406},
	} {
		hdr := map[string]string{}
		if c.accept != "" {
			hdr["Accept-Encoding"] = c.accept
		}
		res := serve(h, request{method: "GET", path: "/web/app.wasm", header: hdr})
		body := readBody(t, res)
		if res.StatusCode != c.status {
			t.Errorf("Accept-Encoding %q: %d %s", c.accept, res.StatusCode, body)
			continue
		}
		checkHeaders(t, res, false)
		if c.status != 200 {
			continue
		}
		if body != c.body || res.Header.Get("Content-Encoding") != c.coding || res.Header.Get("Content-Type") != "application/wasm" ||
			res.Header.Get(EncodedBodyHeader) != "manual" || res.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: %q, headers %v", c.accept, body, res.Header)
		}
		last := assets.requests[len(assets.requests)-1]
		if last.Header.Get("Accept-Encoding") != "identity" {
			t.Errorf("the variant was fetched with Accept-Encoding %q", last.Header.Get("Accept-Encoding"))
		}
	}
	res := serve(h, request{method: "GET", path: "/web/x.wasm", header: map[string]string{"Accept-Encoding": "br, gzip"}})
	if body := readBody(t, res); body != "ONLYGZIP" || res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("only a .gz variant: %q %v", body, res.Header)
	}
}

func TestAssetsFailure(t *testing.T) {
	h := New(Config{KV: newMemKV(), Assets: failingAssets{}, Logf: t.Logf})
	res := serve(h, request{method: "GET", path: "/"})
	if body := readBody(t, res); res.StatusCode != 502 || !strings.Contains(body, "could not be read") {
		t.Errorf("assets down: %d %s", res.StatusCode, body)
	}
	checkHeaders(t, res, false)
}

type failingAssets struct{}

func (failingAssets) Fetch(*http.Request) (*http.Response, error) { return nil, errors.New("down") }

func TestPanicIsAnAnswer(t *testing.T) {
	h := New(Config{KV: newMemKV(), Assets: panickingAssets{}, Logf: t.Logf})
	res := serve(h, request{method: "GET", path: "/"})
	if body := readBody(t, res); res.StatusCode != 500 || !strings.Contains(body, "internal error") {
		t.Errorf("a panic: %d %s", res.StatusCode, body)
	}
	checkHeaders(t, res, false)
}

type panickingAssets struct{}

func (panickingAssets) Fetch(*http.Request) (*http.Response, error) { panic("JavaScript error") }

// The embed widget may be framed by any site; nothing else may be framed at all.
func TestFraming(t *testing.T) {
	h, _, _ := newTest(t)
	for path, embeddable := range map[string]bool{
		"/embed":                   true,
		"/embed.html":              true,
		"/embed/":                  true,
		"/embed/x.js":              true,
		"/":                        false,
		"/embedded":                false,
		"/s/AAAAAAAAAAAAAAAA":      false,
		"/api/share/AAAAAAAAAAAAA": false,
		"/healthz":                 false,
		"/web/app.wasm":            false,
	} {
		res := serve(h, request{method: "GET", path: path})
		t.Run(path, func(t *testing.T) { checkHeaders(t, res, embeddable) })
	}
}

func checkHeaders(t *testing.T, res *http.Response, embeddable bool) {
	t.Helper()
	csp := res.Header.Get("Content-Security-Policy")
	for _, d := range []string{"default-src 'none'", "script-src 'self' 'wasm-unsafe-eval'", "object-src 'none'", "base-uri 'none'"} {
		if !strings.Contains(csp, d) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, d)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "'unsafe-eval'") {
		t.Errorf("Content-Security-Policy %q allows inline code or eval", csp)
	}
	if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("X-Content-Type-Options %q", got)
	}
	if got := res.Header.Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("Referrer-Policy %q", got)
	}
	xfo := res.Header.Get("X-Frame-Options")
	if embeddable {
		if !strings.HasSuffix(csp, "; frame-ancestors *") || xfo != "" {
			t.Errorf("embeddable page: CSP %q, X-Frame-Options %q", csp, xfo)
		}
	} else if !strings.HasSuffix(csp, "; frame-ancestors 'none'") || xfo != "DENY" {
		t.Errorf("page that must not be framed: CSP %q, X-Frame-Options %q", csp, xfo)
	}
}

// Headers an asset response brings cannot replace the security headers.
func TestAssetHeadersDoNotOverride(t *testing.T) {
	h := New(Config{KV: newMemKV(), Assets: loudAssets{}, Logf: t.Logf})
	res := serve(h, request{method: "GET", path: "/"})
	checkHeaders(t, res, false)
	if res.Header.Get("X-Custom") != "kept" {
		t.Errorf("other asset headers are dropped: %v", res.Header)
	}
}

type loudAssets struct{}

func (loudAssets) Fetch(*http.Request) (*http.Response, error) {
	h := http.Header{}
	h.Set("Content-Security-Policy", "default-src *")
	h.Set("X-Frame-Options", "ALLOWALL")
	h.Set("X-Custom", "kept")
	return &http.Response{StatusCode: 200, Header: h, Body: io.NopCloser(bytes.NewReader(nil))}, nil
}

// countingLimiter allows limit requests a client; fail makes it fail.
type countingLimiter struct {
	limit int
	seen  map[string]int
	fail  error
}

func (l *countingLimiter) Allow(client string) (bool, error) {
	if l.fail != nil {
		return false, l.fail
	}
	l.seen[client]++
	return l.seen[client] <= l.limit, nil
}

// Share creation is rate-limited per client address (an IPv6 one by its /64), bad
// requests included; reads are not.
func TestShareRateLimit(t *testing.T) {
	kv := newMemKV()
	lim := &countingLimiter{limit: 2, seen: map[string]int{}}
	var logs []string
	h := New(Config{KV: kv, Assets: &fsAssets{}, Limiter: lim, Logf: func(f string, a ...any) { logs = append(logs, fmt.Sprintf(f, a...)) }})
	from := func(addr, body string) *http.Response {
		return serve(h, request{method: "POST", path: "/api/share", body: body, header: map[string]string{"Content-Type": "application/json", "CF-Connecting-IP": addr}})
	}
	if res := from("203.0.113.7", `{"version":1,`); res.StatusCode != 400 {
		t.Fatalf("a malformed bundle: %d", res.StatusCode)
	}
	if res := from("203.0.113.7", bundle); res.StatusCode != 201 {
		t.Fatalf("the first share: %d %s", res.StatusCode, readBody(t, res))
	}
	res := from("203.0.113.7", strings.Replace(bundle, `"7"`, `"8"`, 1))
	body := readBody(t, res)
	if res.StatusCode != 429 || res.Header.Get("Retry-After") != "60" || !strings.Contains(body, "too many share links from your address: at most 10 a minute") {
		t.Fatalf("past the limit: %d Retry-After %q %s", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
	checkHeaders(t, res, false)
	if kv.puts != 1 {
		t.Errorf("%d shares stored, want the one within the limit", kv.puts)
	}
	// Reading is not limited.
	for range 5 {
		if res := serve(h, request{method: "GET", path: "/api/share/" + share.IDOf([]byte(kv.m[firstKey(kv)]))}); res.StatusCode != 200 {
			t.Fatalf("GET: %d", res.StatusCode)
		}
	}
	// Addresses: IPv4 (also mapped into IPv6) alone, IPv6 by its /64.
	from("::ffff:198.51.100.1", bundle)
	from("2001:db8:1:2:aaaa::1", bundle)
	from("2001:db8:1:2:bbbb::2", bundle)
	from("", bundle)
	for _, k := range []string{"198.51.100.1", "2001:db8:1:2::/64", "unknown"} {
		if lim.seen[k] == 0 {
			t.Errorf("no request counted for %s: %v", k, lim.seen)
		}
	}
	if lim.seen["2001:db8:1:2::/64"] != 2 {
		t.Errorf("one /64 counted as several clients: %v", lim.seen)
	}
	// A failing limiter lets the request through, and says so in the log.
	lim.fail = errors.New("the binding is missing")
	if res := from("203.0.113.7", strings.Replace(bundle, `"7"`, `"9"`, 1)); res.StatusCode != 201 {
		t.Fatalf("with the limiter failing: %d", res.StatusCode)
	}
	if len(logs) != 1 || !strings.Contains(logs[0], "the binding is missing") {
		t.Errorf("logs: %q", logs)
	}
}

func firstKey(kv *memKV) string {
	for k := range kv.m {
		return k
	}
	return ""
}

// A share expires SHARE_TTL after it was created or last read; a read rewrites it (and its
// expiry) only once SHARE_REFRESH_AFTER has passed since its last write.
func TestShareExpiry(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	kv := newMemKV()
	kv.now = clock
	env := map[string]string{"SHARE_TTL": "240h", "SHARE_REFRESH_AFTER": "24h"}
	h := New(Config{KV: kv, Assets: &fsAssets{}, Now: clock, Getenv: func(k string) string { return env[k] }, Logf: t.Logf})
	res := post(h, bundle)
	body := readBody(t, res)
	if res.StatusCode != 201 {
		t.Fatalf("POST: %d %s", res.StatusCode, body)
	}
	var created struct{ ID string }
	json.Unmarshal([]byte(body), &created)
	key := keyPrefix + created.ID
	if got := kv.expires[key]; !got.Equal(now.Add(240 * time.Hour)) {
		t.Fatalf("stored until %v, want ten days", got)
	}
	get := func() int {
		res := serve(h, request{method: "GET", path: "/api/share/" + created.ID})
		readBody(t, res)
		return res.StatusCode
	}
	// Read within a day of the write: no write.
	now = now.Add(23 * time.Hour)
	if s := get(); s != 200 || kv.puts != 1 {
		t.Fatalf("GET after 23h: %d, %d writes", s, kv.puts)
	}
	// A day after: the expiry moves to ten days from the read.
	now = now.Add(2 * time.Hour)
	if s := get(); s != 200 || kv.puts != 2 || !kv.expires[key].Equal(now.Add(240*time.Hour)) {
		t.Fatalf("GET after 25h: %d, %d writes, expires %v", s, kv.puts, kv.expires[key])
	}
	// Posting it again counts as a read.
	now = now.Add(48 * time.Hour)
	if res := post(h, bundle); res.StatusCode != 201 || kv.puts != 3 || !kv.expires[key].Equal(now.Add(240*time.Hour)) {
		t.Fatalf("POST again after 2 days: %d, %d writes, expires %v", res.StatusCode, kv.puts, kv.expires[key])
	}
	// Unread for ten days: gone.
	now = now.Add(240 * time.Hour)
	if s := get(); s != 404 {
		t.Fatalf("GET ten days after the last read: %d", s)
	}
	// A share stored before shares expired gets an expiry at its first read.
	kv.m[key], kv.expires[key] = mustCanonical(t), time.Time{}
	if s := get(); s != 200 || !kv.expires[key].Equal(now.Add(240*time.Hour)) {
		t.Fatalf("GET of a share without expiry: %d, expires %v", s, kv.expires[key])
	}
}

func mustCanonical(t *testing.T) string {
	t.Helper()
	b, err := share.Parse([]byte(bundle))
	if err != nil {
		t.Fatal(err)
	}
	c, err := b.JSON()
	if err != nil {
		t.Fatal(err)
	}
	return string(c)
}

// The worker's variables: defaults when unset, and a bad value is logged and replaced by
// the default (never a share kept for less than KV's minute).
func TestShareExpirySettings(t *testing.T) {
	for _, c := range []struct {
		env          map[string]string
		ttl, refresh time.Duration
		logged       bool
	}{
		{nil, DefaultShareTTL, DefaultRefreshAfter, false},
		{map[string]string{"SHARE_TTL": "70s", "SHARE_REFRESH_AFTER": "1s"}, 70 * time.Second, time.Second, false},
		{map[string]string{"SHARE_TTL": "10s"}, DefaultShareTTL, DefaultRefreshAfter, true},
		{map[string]string{"SHARE_TTL": "90 days"}, DefaultShareTTL, DefaultRefreshAfter, true},
		{map[string]string{"SHARE_TTL": "2h", "SHARE_REFRESH_AFTER": "3h"}, 2 * time.Hour, 2 * time.Hour, false},
		{map[string]string{"SHARE_REFRESH_AFTER": "-1h"}, DefaultShareTTL, DefaultRefreshAfter, true},
	} {
		var logged bool
		h := New(Config{Getenv: func(k string) string { return c.env[k] }, Logf: func(string, ...any) { logged = true }}).(*handler)
		ttl, refresh := h.expiry()
		if ttl != c.ttl || refresh != c.refresh || logged != c.logged {
			t.Errorf("%v: %v, %v, logged %v; want %v, %v, %v", c.env, ttl, refresh, logged, c.ttl, c.refresh, c.logged)
		}
	}
}

// headedAssets adds headers to every asset response, as the site's _headers file does in
// the assets binding.
type headedAssets struct {
	Assets
	header http.Header
}

func (a headedAssets) Fetch(r *http.Request) (*http.Response, error) {
	res, err := a.Assets.Fetch(r)
	if err == nil {
		for k, v := range a.header {
			res.Header[k] = v
		}
	}
	return res, err
}

// The assets' security headers (from _headers) never replace or add to the policy's; their
// other headers pass.
func TestAssetsSecurityHeadersAreOurs(t *testing.T) {
	_, _, fs := newTest(t)
	h := New(Config{KV: newMemKV(), Logf: t.Logf, Assets: headedAssets{fs, http.Header{
		"X-Frame-Options":         {"DENY"},
		"Content-Security-Policy": {"default-src *"},
		"X-Extra":                 {"kept"},
	}}})
	res := serve(h, request{method: "GET", path: "/embed.html"})
	readBody(t, res)
	checkHeaders(t, res, true)
	if res.Header.Get("X-Extra") != "kept" || len(res.Header.Values("Content-Security-Policy")) != 1 {
		t.Errorf("headers: %v", res.Header)
	}
}
