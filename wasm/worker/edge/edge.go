package edge

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"mime"
	"net/http"
	"net/netip"
	"path"
	"strings"
	"time"

	"github.com/kubetab/kubetab/wasm/share"
	"github.com/kubetab/kubetab/wasm/sitepolicy"
)

// KV stores share bundles: Workers KV in the worker, a map in tests.
type KV interface {
	// Get returns the value stored under key and when it expires (zero for a value stored
	// without an expiry); ok is false, with a nil error, when there is none. An error is a
	// failure of the store itself.
	Get(key string) (value string, expires time.Time, ok bool, err error)
	// Put stores value under key until expires (the store then drops it), replacing any
	// value there.
	Put(key, value string, expires time.Time) error
}

// Limiter counts the share creations of each client: Workers' rate-limiting binding in
// the worker (SHARE_LIMIT in wrangler.jsonc: SharesPerMinute a minute).
type Limiter interface {
	// Allow counts one request of client and reports whether it is within the limit. An
	// error is a failure of the limiter itself.
	Allow(client string) (bool, error)
}

// Assets serves the static site that `kubetab static` writes: the ASSETS binding in the
// worker, a file system in tests.
type Assets interface {
	// Fetch answers a GET or HEAD request for a file of the site. A missing file is a
	// response (404), not an error; an error means the site could not be reached.
	Fetch(r *http.Request) (*http.Response, error)
}

// Config holds the handler's collaborators.
type Config struct {
	KV      KV
	Assets  Assets
	Limiter Limiter
	// Getenv reads the worker's variables (wrangler.jsonc's vars): SHARE_TTL and
	// SHARE_REFRESH_AFTER, durations in Go's syntax ("2160h"); unset or invalid ones
	// have their defaults. Nil: all defaults.
	Getenv func(name string) string
	// Now is the time (default time.Now; in the worker, the request's time).
	Now func() time.Time
	// Logf reports failures of the collaborators (default: log.Printf, which the worker
	// runtime shows as console output).
	Logf func(format string, args ...any)
}

// The documented quota of share links (README, "Deploying"): a share is kept ShareTTL
// after it was created or last read, and each client address may create SharesPerMinute a
// minute; with share.MaxJSONSize a share, one address can store at most 640 KiB a minute,
// and what nobody reads goes away. Workers KV's own daily write quota bounds the total.
const (
	// DefaultShareTTL is how long a share is kept after it was created or last read.
	DefaultShareTTL = 90 * 24 * time.Hour
	// DefaultRefreshAfter is how long after its last write a read extends a share's
	// expiry: a popular share costs at most one KV write a day, not one a read.
	DefaultRefreshAfter = 24 * time.Hour
	// SharesPerMinute is the limit of the SHARE_LIMIT binding (wrangler.jsonc; a test
	// checks that they agree), for the error message.
	SharesPerMinute = 10
	// minShareTTL is Workers KV's shortest expiry.
	minShareTTL = time.Minute
)

// keyPrefix namespaces the bundles in KV, leaving room for other kinds of keys.
const keyPrefix = "share:"

// New returns the worker's handler.
func New(c Config) http.Handler {
	if c.Logf == nil {
		c.Logf = log.Printf
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Getenv == nil {
		c.Getenv = func(string) string { return "" }
	}
	return &handler{c}
}

// expiry is how long shares are kept, and when a read refreshes that, from the worker's
// variables; read per request, as the worker's variables belong to the request's
// context.
func (h *handler) expiry() (ttl, refreshAfter time.Duration) {
	duration := func(name string, def, least time.Duration) time.Duration {
		v := h.Getenv(name)
		if v == "" {
			return def
		}
		d, err := time.ParseDuration(v)
		if err != nil || d < least {
			h.Logf("kubetab worker: %s=%q is not a duration of at least %s; using %s", name, v, least, def)
			return def
		}
		return d
	}
	ttl = duration("SHARE_TTL", DefaultShareTTL, minShareTTL)
	refreshAfter = min(duration("SHARE_REFRESH_AFTER", DefaultRefreshAfter, 0), ttl)
	return ttl, refreshAfter
}

// keep stores a share for ttl from now, when it was stored without an expiry or its last
// write is refreshAfter old; a failure is logged, not the request's failure.
func (h *handler) keep(key, value string, expires time.Time) {
	ttl, refreshAfter := h.expiry()
	now := h.Now()
	if !expires.IsZero() && expires.Sub(now) > ttl-refreshAfter {
		return
	}
	if err := h.KV.Put(key, value, now.Add(ttl)); err != nil {
		h.Logf("kubetab worker: extending share %s: %v", strings.TrimPrefix(key, keyPrefix), err)
	}
}

// clientKey is who a request counts against in the rate limit: the client's address
// (Cloudflare's CF-Connecting-IP), an IPv6 one by its /64, which one subscriber usually
// holds whole.
func clientKey(r *http.Request) string {
	ip, err := netip.ParseAddr(r.Header.Get("CF-Connecting-IP"))
	if err != nil {
		return "unknown"
	}
	ip = ip.Unmap()
	if ip.Is4() {
		return ip.String()
	}
	p, _ := ip.Prefix(64)
	return p.String()
}

// limited answers 429 and returns true when the client has created too many shares
// lately. A failing limiter lets the request through (and is logged): shares stay
// bounded by their size, expiry and KV's quota.
func (h *handler) limited(w http.ResponseWriter, r *http.Request) bool {
	if h.Limiter == nil {
		return false
	}
	ok, err := h.Limiter.Allow(clientKey(r))
	if err != nil {
		h.Logf("kubetab worker: rate limit: %v", err)
		return false
	}
	if ok {
		return false
	}
	w.Header().Set("Retry-After", "60")
	writeError(w, r, http.StatusTooManyRequests, fmt.Sprintf("too many share links from your address: at most %d a minute; try again in a minute", SharesPerMinute))
	return true
}

type handler struct{ Config }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// First, so that no path through the handler, errors included, goes without them.
	for k, v := range sitepolicy.Headers(r.URL.Path) {
		w.Header()[k] = v
	}
	// A panic would end the worker's Go instance and leave the runtime to answer; answer
	// here instead, with the headers (a JavaScript exception inside a call from Go is one).
	defer func() {
		if v := recover(); v != nil {
			h.Logf("kubetab worker: %s %s: panic: %v", r.Method, r.URL.Path, v)
			writeError(w, r, http.StatusInternalServerError, "internal error")
		}
	}()
	p := r.URL.Path
	switch {
	case p == "/healthz":
		if !allow(w, r, http.MethodGet, http.MethodHead) {
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		writeJSON(w, r, http.StatusOK, map[string]string{"status": "ok"})
	case p == "/api/share":
		if !allow(w, r, http.MethodPost) {
			return
		}
		h.createShare(w, r)
	case strings.HasPrefix(p, "/api/share/"):
		if !allow(w, r, http.MethodGet, http.MethodHead) {
			return
		}
		h.getShare(w, r, strings.TrimPrefix(p, "/api/share/"))
	case p == "/api" || strings.HasPrefix(p, "/api/"):
		writeError(w, r, http.StatusNotFound, fmt.Sprintf("no API at %s", p))
	default:
		if !allow(w, r, http.MethodGet, http.MethodHead) {
			return
		}
		h.serveAsset(w, r)
	}
}

// createShare stores a bundle under its content-addressed id. Storing the same bundle
// twice is harmless and writes once: KV writes are the scarce resource, reads are not.
func (h *handler) createShare(w http.ResponseWriter, r *http.Request) {
	// Every POST counts, before its body is read: a bad one costs the worker too.
	if h.limited(w, r) {
		return
	}
	if msg := checkJSONContentType(r.Header.Get("Content-Type")); msg != "" {
		writeError(w, r, http.StatusUnsupportedMediaType, msg)
		return
	}
	tooLarge := fmt.Sprintf("share bundle is too large: the limit is %d bytes of JSON", share.MaxJSONSize)
	if r.ContentLength > share.MaxJSONSize {
		writeError(w, r, http.StatusRequestEntityTooLarge, tooLarge)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, share.MaxJSONSize+1))
	if err != nil {
		writeError(w, r, http.StatusBadRequest, "reading the request body: "+err.Error())
		return
	}
	if len(body) > share.MaxJSONSize {
		writeError(w, r, http.StatusRequestEntityTooLarge, tooLarge)
		return
	}
	b, err := share.Parse(body)
	if err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, share.ErrTooLarge) {
			status = http.StatusRequestEntityTooLarge
		}
		writeError(w, r, status, err.Error())
		return
	}
	canonical, err := b.JSON()
	if err != nil {
		writeError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	id := share.IDOf(canonical)
	// A share made again is kept as if it were read.
	_, expires, exists, err := h.KV.Get(keyPrefix + id)
	if err == nil && exists {
		h.keep(keyPrefix+id, string(canonical), expires)
	} else if err == nil {
		ttl, _ := h.expiry()
		err = h.KV.Put(keyPrefix+id, string(canonical), h.Now().Add(ttl))
	}
	if err != nil {
		h.Logf("kubetab worker: storing share %s: %v", id, err)
		writeError(w, r, http.StatusServiceUnavailable, "the share could not be stored; try again later")
		return
	}
	w.Header().Set("Location", "/api/share/"+id)
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, r, http.StatusCreated, map[string]string{"id": id, "url": "/s/" + id})
}

// checkJSONContentType returns why a request's Content-Type is not JSON, or "".
func checkJSONContentType(ct string) string {
	if ct == "" {
		return "Content-Type must be application/json"
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return fmt.Sprintf("Content-Type must be application/json, not %q", ct)
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return fmt.Sprintf("a share bundle is UTF-8 JSON, not %s", cs)
	}
	return ""
}

func (h *handler) getShare(w http.ResponseWriter, r *http.Request, id string) {
	notFound := func() {
		w.Header().Set("Cache-Control", "no-store")
		writeError(w, r, http.StatusNotFound, fmt.Sprintf("no share with id %q", id))
	}
	if !share.ValidID(id) {
		notFound()
		return
	}
	v, expires, ok, err := h.KV.Get(keyPrefix + id)
	if err != nil {
		h.Logf("kubetab worker: reading share %s: %v", id, err)
		writeError(w, r, http.StatusServiceUnavailable, "the share could not be read; try again later")
		return
	}
	if !ok {
		notFound()
		return
	}
	// The id is a hash of the value: a value that does not match was not stored by this
	// worker, and is not served as if it were.
	if share.IDOf([]byte(v)) != id {
		h.Logf("kubetab worker: share %s does not match its id", id)
		notFound()
		return
	}
	h.keep(keyPrefix+id, v, expires)
	// A share never changes; it can only disappear.
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		io.WriteString(w, v)
	}
}

// EncodedBodyHeader marks a response whose body is already compressed as its
// Content-Encoding says. Go's side of syumai/workers cannot build such a Response, so the
// worker's JavaScript entry (../entry.mjs) rebuilds it with encodeBody: "manual" and drops
// this header.
const EncodedBodyHeader = "X-Kubetab-Encoded-Body"

// precompressed are the variants `make build` writes next to a file, best first.
var precompressed = []struct{ coding, suffix string }{{"br", ".br"}, {"gzip", ".gz"}}

// serveAsset answers from the static site. /s/<id> is a share link: the app's page, which
// reads the id from its location and fetches the bundle.
//
// Workers assets are at most 25 MiB a file, and the app's wasm is larger, so the site is
// uploaded without it, with only its compressed variants (web/app.wasm.br, .gz): a file
// that is missing but has such a variant is served from it, with its Content-Encoding.
func (h *handler) serveAsset(w http.ResponseWriter, r *http.Request) {
	req := r.Clone(r.Context())
	// nil, not http.NoBody: the worker turns any body into a stream, and a GET with a
	// body is a TypeError in JavaScript.
	req.Body = nil
	req.ContentLength = 0
	if rest, ok := strings.CutPrefix(r.URL.Path, "/s/"); ok && rest != "" && !strings.Contains(rest, "/") {
		u := *r.URL
		u.Path, u.RawPath, u.RawQuery = "/", "", ""
		req.URL = &u
	}
	res, err := h.Assets.Fetch(req)
	if err == nil && res.StatusCode == http.StatusNotFound && path.Ext(req.URL.Path) != "" {
		var variant *http.Response
		var refused bool
		variant, refused, err = h.fetchPrecompressed(req, r.Header.Values("Accept-Encoding"))
		if err == nil && refused {
			res.Body.Close()
			writeError(w, r, http.StatusNotAcceptable, r.URL.Path+" is only available compressed: accept br or gzip")
			return
		}
		if variant != nil {
			res.Body.Close()
			res = variant
		}
	}
	if err != nil {
		h.Logf("kubetab worker: fetching asset %s: %v", r.URL.Path, err)
		writeError(w, r, http.StatusBadGateway, "the site's files could not be read; try again later")
		return
	}
	defer res.Body.Close()
	// The assets' own headers, but not the security policy's: the site's _headers file
	// applies to them, and its rules for every path would give the widget
	// X-Frame-Options: DENY, which Headers leaves out.
	ours := w.Header()
	for k, v := range res.Header {
		if _, set := ours[k]; !set && !sitepolicy.Governed(k) {
			ours[k] = v
		}
	}
	w.WriteHeader(res.StatusCode)
	if r.Method != http.MethodHead {
		// Copied as is: in the worker, the runtime passes the assets' stream through
		// without it going through Go.
		io.Copy(w, res.Body)
	}
}

// fetchPrecompressed returns the best variant of a missing file that the client accepts,
// labelled as the file with its Content-Encoding, or nil when there is none; refused says
// that there are variants, but none the client accepts.
func (h *handler) fetchPrecompressed(req *http.Request, accepted []string) (res *http.Response, refused bool, err error) {
	for _, v := range precompressed {
		vr := req.Clone(req.Context())
		u := *req.URL
		u.Path, u.RawPath = u.Path+v.suffix, ""
		vr.URL = &u
		// The bytes as stored: a fetch that negotiated an encoding could hand them over
		// decoded, and they would then go out labelled as encoded.
		vr.Header.Set("Accept-Encoding", "identity")
		res, err := h.Assets.Fetch(vr)
		if err != nil {
			return nil, false, err
		}
		if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusNotModified {
			res.Body.Close()
			continue
		}
		if !accepts(accepted, v.coding) {
			res.Body.Close()
			refused = true
			continue
		}
		ct := mime.TypeByExtension(path.Ext(req.URL.Path))
		if ct == "" {
			ct = "application/octet-stream"
		}
		res.Header.Set("Content-Type", ct)
		res.Header.Set("Content-Encoding", v.coding)
		res.Header.Add("Vary", "Accept-Encoding")
		res.Header.Set(EncodedBodyHeader, "manual")
		return res, false, nil
	}
	return nil, refused, nil
}

// accepts reports whether Accept-Encoding values allow coding. No header at all allows
// any coding (RFC 9110, 12.5.3).
func accepts(values []string, coding string) bool {
	if len(values) == 0 {
		return true
	}
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			c, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			c = strings.ToLower(strings.TrimSpace(c))
			if c != coding && c != "*" && !(coding == "gzip" && c == "x-gzip") {
				continue
			}
			q := strings.ReplaceAll(strings.ToLower(params), " ", "")
			if q == "q=0" || q == "q=0.0" || q == "q=0.00" || q == "q=0.000" {
				continue
			}
			return true
		}
	}
	return false
}

// allow answers 405 and returns false unless r's method is one of methods.
func allow(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	for _, m := range methods {
		if r.Method == m {
			return true
		}
	}
	w.Header().Set("Allow", strings.Join(methods, ", "))
	writeError(w, r, http.StatusMethodNotAllowed, fmt.Sprintf("%s %s is not supported; use %s", r.Method, r.URL.Path, strings.Join(methods, " or ")))
	return false
}

func writeError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if w.Header().Get("Cache-Control") == "" {
		w.Header().Set("Cache-Control", "no-store")
	}
	writeJSON(w, r, status, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only maps of strings come here
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(append(b, '\n'))
	}
}
