package share

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Version is the bundle format this package writes and the only one it reads.
const Version = 1

// Limits. A bundle is a lesson's worth of YAML and commands, not a backup: these keep a
// link pasteable and a stored bundle cheap, and bound the work a hostile input can cause.
const (
	// MaxJSONSize bounds a bundle's JSON in every form: a POST body, the canonical form,
	// and a fragment once decompressed (so a small fragment cannot inflate into a big one).
	MaxJSONSize = 64 << 10
	// MaxFragmentSize bounds the fragment form: longer URLs are cut by chat apps and mail
	// clients, and some browsers refuse them.
	MaxFragmentSize = 16 << 10
	// MaxFiles bounds the number of workspace files.
	MaxFiles = 200
	// MaxPathLength bounds a file's path, in bytes.
	MaxPathLength = 256
	// MaxHistory bounds the number of terminal lines.
	MaxHistory = 2000
	// IDLength is the length of an id: 16 base64url characters carry 96 bits of the hash.
	IDLength = 16
)

// ErrTooLarge is wrapped by errors about a bundle or a link over a limit.
var ErrTooLarge = errors.New("share bundle too large")

// ErrInvalid is wrapped by errors about malformed or damaged input.
var ErrInvalid = errors.New("invalid share bundle")

// Error is a decoding or encoding error: its message is meant for the user, and it wraps
// ErrTooLarge or ErrInvalid.
type Error struct {
	Kind error
	Msg  string
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Kind }

func invalid(format string, args ...any) error {
	return &Error{Kind: ErrInvalid, Msg: fmt.Sprintf(format, args...)}
}

func tooLarge(format string, args ...any) error {
	return &Error{Kind: ErrTooLarge, Msg: fmt.Sprintf(format, args...)}
}

// Bundle is a workspace to reproduce: the cluster's seed and virtual start time, the
// workspace files by path, and the lines typed into the terminal, oldest first.
type Bundle struct {
	Version int
	Seed    uint64
	Start   time.Time
	Files   map[string]string
	History []string
}

// wire is a bundle's JSON. The seed is a decimal string because JavaScript numbers lose
// integers above 2^53 and host pages may build bundles in JavaScript.
type wire struct {
	Version *int              `json:"version"`
	Seed    *string           `json:"seed"`
	Start   *string           `json:"start"`
	Files   map[string]string `json:"files"`
	History []string          `json:"history"`
}

// Parse reads a bundle's JSON strictly: valid UTF-8, one JSON object with exactly the
// known fields, a known version, and values within the limits.
func Parse(data []byte) (*Bundle, error) {
	if len(data) > MaxJSONSize {
		return nil, tooLarge("share bundle is too large: %d bytes of JSON, the limit is %d", len(data), MaxJSONSize)
	}
	if !utf8.Valid(data) {
		return nil, invalid("share bundle is not UTF-8 text (invalid byte at offset %d)", invalidUTF8Offset(data))
	}
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) == 0 {
		return nil, invalid("share bundle is empty")
	} else if t[0] != '{' {
		return nil, invalid("share bundle must be a JSON object")
	}
	// The version first and leniently: a bundle from a newer kubetab should be reported as
	// such, not as a list of fields this one does not know.
	var head struct {
		Version json.RawMessage `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, jsonError(err)
	}
	if head.Version != nil && string(head.Version) != "null" {
		var v int
		if err := json.Unmarshal(head.Version, &v); err != nil {
			return nil, invalid("share bundle: version must be a whole number, not %s", head.Version)
		}
		if v != Version {
			return nil, invalid("share bundle version %d is not supported: this kubetab reads version %d", v, Version)
		}
	}

	// json.Unmarshal above has checked the syntax of the whole input, trailing data included.
	var w wire
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return nil, jsonError(err)
	}
	switch {
	case w.Version == nil:
		return nil, invalid("share bundle: version is missing")
	case w.Seed == nil:
		return nil, invalid("share bundle: seed is missing")
	case w.Start == nil:
		return nil, invalid("share bundle: start is missing")
	}
	seed, err := strconv.ParseUint(*w.Seed, 10, 64)
	if err != nil {
		return nil, invalid("share bundle: seed %q is not a number from 0 to %d", *w.Seed, uint64(1<<64-1))
	}
	start, err := time.Parse(time.RFC3339, *w.Start)
	if err != nil {
		return nil, invalid("share bundle: start %q is not an RFC 3339 time like 2026-01-01T09:00:00Z", *w.Start)
	}
	b := &Bundle{Version: *w.Version, Seed: seed, Start: start.UTC(), Files: w.Files, History: w.History}
	if err := b.validate(); err != nil {
		return nil, err
	}
	return b, nil
}

// jsonError turns encoding/json's errors into messages about the bundle.
func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return invalid("share bundle is not valid JSON at byte %d: %s", syn.Offset, syn.Error())
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return invalid("share bundle must be a JSON object, not %s", typ.Value)
		}
		return invalid("share bundle: %s must be %s, not %s", field, kindName(typ.Type), typ.Value)
	case errors.Is(err, io.EOF):
		return invalid("share bundle is empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return invalid("share bundle is not valid JSON: it ends too early")
	}
	// DisallowUnknownFields reports `json: unknown field "x"`.
	if msg, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return invalid("share bundle: unknown field %s (known: version, seed, start, files, history)", msg)
	}
	return invalid("share bundle is not valid: %s", strings.TrimPrefix(err.Error(), "json: "))
}

func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Map:
		return "an object of path to text"
	case reflect.Slice:
		return "a list of strings"
	case reflect.Int, reflect.Uint64:
		return "a number"
	}
	return t.String()
}

func invalidUTF8Offset(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// validate checks what JSON decoding cannot: counts, paths and the canonical size.
func (b *Bundle) validate() error {
	if b.Version != Version {
		return invalid("share bundle version %d is not supported: this kubetab writes version %d", b.Version, Version)
	}
	if len(b.Files) > MaxFiles {
		return tooLarge("share bundle has %d files, the limit is %d", len(b.Files), MaxFiles)
	}
	for p, content := range b.Files {
		if err := checkPath(p); err != nil {
			return err
		}
		if !utf8.ValidString(content) {
			return invalid("share bundle: file %q is not UTF-8 text", p)
		}
	}
	if len(b.History) > MaxHistory {
		return tooLarge("share bundle has %d terminal lines, the limit is %d", len(b.History), MaxHistory)
	}
	for i, line := range b.History {
		if !utf8.ValidString(line) {
			return invalid("share bundle: terminal line %d is not UTF-8 text", i+1)
		}
	}
	return nil
}

// checkPath accepts the paths a workspace can hold: relative, slash-separated, without
// "." or ".." elements, backslashes or control characters, so that no bundle can name a
// file outside the workspace on any system.
func checkPath(p string) error {
	switch {
	case p == "":
		return invalid("share bundle: a file has an empty path")
	case len(p) > MaxPathLength:
		return invalid("share bundle: file path %.40q... is longer than %d bytes", p, MaxPathLength)
	case !utf8.ValidString(p):
		return invalid("share bundle: file path %q is not UTF-8 text", p)
	case p == "." || !fs.ValidPath(p) || strings.Contains(p, `\`):
		return invalid("share bundle: file path %q must be relative, with / between names and no . or .. (like manifests/pod.yaml)", p)
	case strings.IndexFunc(p, unicode.IsControl) >= 0:
		return invalid("share bundle: file path %q contains a control character", p)
	}
	return nil
}

// JSON returns the canonical JSON of the bundle: fields in a fixed order, files sorted by
// path, no insignificant space, no HTML escaping, an empty object or list for no files or
// no history, the start time in UTC. Equal bundles have equal canonical JSON.
func (b *Bundle) JSON() ([]byte, error) {
	if err := b.validate(); err != nil {
		return nil, err
	}
	version := b.Version
	seed := strconv.FormatUint(b.Seed, 10)
	start := b.Start.UTC().Format(time.RFC3339Nano)
	w := wire{Version: &version, Seed: &seed, Start: &start, Files: b.Files, History: b.History}
	if w.Files == nil {
		w.Files = map[string]string{}
	}
	if w.History == nil {
		w.History = []string{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&w); err != nil {
		return nil, invalid("share bundle: %s", err)
	}
	out := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if len(out) > MaxJSONSize {
		return nil, tooLarge("share bundle is too large: %d bytes of JSON, the limit is %d", len(out), MaxJSONSize)
	}
	return out, nil
}

// ID returns the bundle's content-addressed id: the first IDLength characters of the
// base64url SHA-256 of its canonical JSON.
func (b *Bundle) ID() (string, error) {
	j, err := b.JSON()
	if err != nil {
		return "", err
	}
	return IDOf(j), nil
}

// IDOf returns the id of a canonical JSON (see Bundle.JSON).
func IDOf(canonical []byte) string {
	sum := sha256.Sum256(canonical)
	return base64.RawURLEncoding.EncodeToString(sum[:])[:IDLength]
}

// ValidID reports whether id has the shape of an id: IDLength base64url characters.
func ValidID(id string) bool {
	if len(id) != IDLength {
		return false
	}
	for _, c := range []byte(id) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
