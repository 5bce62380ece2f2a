package share

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func sample() *Bundle {
	return &Bundle{
		Version: Version,
		Seed:    18446744073709551615, // above 2^53: survives only as a string in JavaScript
		Start:   time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC),
		Files: map[string]string{
			"kubia-rc.yaml":      "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: kubia\n",
			"manifests/pod.yaml": "apiVersion: v1\nkind: Pod\n# <b>not html</b> & more\n",
			"ünïcode/ファイル.yaml":  "data: ✓\n",
		},
		History: []string{"kubectl apply -f kubia-rc.yaml", "kubectl get pods && kubetab advance 5m"},
	}
}

func TestRoundTrip(t *testing.T) {
	b := sample()
	j, err := b.JSON()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(j)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, b) {
		t.Fatalf("JSON round trip:\n got %+v\nwant %+v", got, b)
	}
	f, err := b.Fragment()
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(f, "+/=#%& ") {
		t.Fatalf("fragment %q has characters that are not base64url", f)
	}
	got, err = ParseFragment(f)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, b) {
		t.Fatalf("fragment round trip:\n got %+v\nwant %+v", got, b)
	}
	f2, _ := b.Fragment()
	if f2 != f {
		t.Fatal("Fragment is not deterministic")
	}
}

func TestCanonicalJSON(t *testing.T) {
	b := &Bundle{Version: 1, Seed: 7, Start: time.Date(2026, 1, 1, 10, 0, 0, 0, time.FixedZone("CET", 3600))}
	j, err := b.JSON()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"version":1,"seed":"7","start":"2026-01-01T09:00:00Z","files":{},"history":[]}`
	if string(j) != want {
		t.Fatalf("canonical JSON\n got %s\nwant %s", j, want)
	}
	// The HTML-looking characters of a command stay as they are.
	b.History = []string{"a && b <c>"}
	j, _ = b.JSON()
	if !bytes.Contains(j, []byte(`"a && b <c>"`)) {
		t.Fatalf("canonical JSON escapes HTML: %s", j)
	}
}

func TestIDIsContentAddressed(t *testing.T) {
	a := sample()
	id, err := a.ID()
	if err != nil {
		t.Fatal(err)
	}
	if !ValidID(id) {
		t.Fatalf("ID %q is not a valid id", id)
	}
	// The same bundle written differently (spacing, field order, time zone, null lists)
	// has the same id.
	other := `{ "history": ["kubectl apply -f kubia-rc.yaml", "kubectl get pods && kubetab advance 5m"],
	  "start": "2026-01-01T10:00:00+01:00", "seed": "18446744073709551615", "version": 1,
	  "files": {"ünïcode/ファイル.yaml": "data: \u2713\n", "manifests/pod.yaml": "apiVersion: v1\nkind: Pod\n# <b>not html</b> & more\n",
	  "kubia-rc.yaml": "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: kubia\n"}}`
	b, err := Parse([]byte(other))
	if err != nil {
		t.Fatal(err)
	}
	if id2, _ := b.ID(); id2 != id {
		t.Fatalf("same bundle, different ids: %s and %s", id, id2)
	}
	empty1, _ := (&Bundle{Version: 1, Start: a.Start}).ID()
	empty2, _ := (&Bundle{Version: 1, Start: a.Start, Files: map[string]string{}, History: []string{}}).ID()
	if empty1 != empty2 {
		t.Fatal("nil and empty files/history have different ids")
	}
	// Any change is a different id.
	for name, change := range map[string]func(*Bundle){
		"seed":    func(b *Bundle) { b.Seed++ },
		"start":   func(b *Bundle) { b.Start = b.Start.Add(time.Second) },
		"file":    func(b *Bundle) { b.Files["kubia-rc.yaml"] += " " },
		"history": func(b *Bundle) { b.History = b.History[:1] },
	} {
		c := sample()
		change(c)
		if idc, _ := c.ID(); idc == id {
			t.Errorf("changing the %s kept the id %s", name, id)
		}
	}
	// A fixed id for a fixed bundle: the id must not change between releases, or stored
	// links break. Update only with a new Version.
	if id != "CYmHTDwesAoAJ2f7" {
		t.Errorf("id of the sample bundle is %s, was CYmHTDwesAoAJ2f7", id)
	}
}

func TestParseErrors(t *testing.T) {
	const start = `"start":"2026-01-01T09:00:00Z"`
	manyFiles := make([]string, MaxFiles+1)
	for i := range manyFiles {
		manyFiles[i] = fmt.Sprintf("%q:\"\"", fmt.Sprint("f", i))
	}
	cases := []struct {
		name, in string
		kind     error
		msg      string
	}{
		{"empty", ``, ErrInvalid, "empty"},
		{"space", "  \n", ErrInvalid, "empty"},
		{"not an object", `[1,2]`, ErrInvalid, "must be a JSON object"},
		{"null", `null`, ErrInvalid, "must be a JSON object"},
		{"syntax", `{"version":1,`, ErrInvalid, "not valid JSON"},
		{"syntax 2", `{"version":1 "seed":"1"}`, ErrInvalid, "not valid JSON at byte"},
		{"trailing", `{"version":1,"seed":"1",` + start + `} {}`, ErrInvalid, "after top-level value"},
		{"not utf-8", "{\"version\":1,\"seed\":\"1\"," + start + ",\"history\":[\"\xff\"]}", ErrInvalid, "not UTF-8 text (invalid byte at offset 67)"},
		{"future version", `{"version":2,"seed":"1",` + start + `,"newfield":true}`, ErrInvalid, "version 2 is not supported"},
		{"version 0", `{"version":0,"seed":"1",` + start + `}`, ErrInvalid, "version 0 is not supported"},
		{"version string", `{"version":"1","seed":"1",` + start + `}`, ErrInvalid, "version must be a whole number"},
		{"no version", `{"seed":"1",` + start + `}`, ErrInvalid, "version is missing"},
		{"null version", `{"version":null,"seed":"1",` + start + `}`, ErrInvalid, "version is missing"},
		{"no seed", `{"version":1,` + start + `}`, ErrInvalid, "seed is missing"},
		{"seed number", `{"version":1,"seed":1,` + start + `}`, ErrInvalid, "seed must be a string, not number"},
		{"seed negative", `{"version":1,"seed":"-1",` + start + `}`, ErrInvalid, `seed "-1" is not a number`},
		{"seed too big", `{"version":1,"seed":"18446744073709551616",` + start + `}`, ErrInvalid, "is not a number from 0"},
		{"no start", `{"version":1,"seed":"1"}`, ErrInvalid, "start is missing"},
		{"bad start", `{"version":1,"seed":"1","start":"yesterday"}`, ErrInvalid, "not an RFC 3339 time"},
		{"unknown field", `{"version":1,"seed":"1",` + start + `,"state":{}}`, ErrInvalid, `unknown field "state"`},
		{"files list", `{"version":1,"seed":"1",` + start + `,"files":["a"]}`, ErrInvalid, "files must be an object of path to text"},
		{"file number", `{"version":1,"seed":"1",` + start + `,"files":{"a":1}}`, ErrInvalid, "must be a string, not number"},
		{"history object", `{"version":1,"seed":"1",` + start + `,"history":{}}`, ErrInvalid, "history must be a list of strings"},
		{"absolute path", `{"version":1,"seed":"1",` + start + `,"files":{"/etc/passwd":""}}`, ErrInvalid, `file path "/etc/passwd" must be relative`},
		{"dotdot path", `{"version":1,"seed":"1",` + start + `,"files":{"a/../../b":""}}`, ErrInvalid, "must be relative"},
		{"dot path", `{"version":1,"seed":"1",` + start + `,"files":{".":""}}`, ErrInvalid, "must be relative"},
		{"backslash path", `{"version":1,"seed":"1",` + start + `,"files":{"a\\b":""}}`, ErrInvalid, "must be relative"},
		{"empty path", `{"version":1,"seed":"1",` + start + `,"files":{"":""}}`, ErrInvalid, "empty path"},
		{"control path", `{"version":1,"seed":"1",` + start + `,"files":{"a\u0007":""}}`, ErrInvalid, "control character"},
		{"long path", `{"version":1,"seed":"1",` + start + `,"files":{"` + strings.Repeat("a", MaxPathLength+1) + `":""}}`, ErrInvalid, "longer than 256 bytes"},
		{"too many files", `{"version":1,"seed":"1",` + start + `,"files":{` + strings.Join(manyFiles, ",") + `}}`, ErrTooLarge, "201 files, the limit is 200"},
		{"too many lines", `{"version":1,"seed":"1",` + start + `,"history":[` + strings.Repeat(`"",`, MaxHistory) + `""]}`, ErrTooLarge, "2001 terminal lines"},
		{"too large", `{"version":1,"seed":"1",` + start + `,"history":["` + strings.Repeat("x", MaxJSONSize) + `"]}`, ErrTooLarge, "bytes of JSON, the limit is 65536"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := Parse([]byte(c.in))
			if err == nil {
				t.Fatalf("Parse accepted %q: %+v", c.in, b)
			}
			if !errors.Is(err, c.kind) {
				t.Errorf("error %q does not wrap %v", err, c.kind)
			}
			if !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %q does not say %q", err, c.msg)
			}
		})
	}
}

func deflate(t *testing.T, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	zw.Write(data)
	zw.Close()
	return buf.Bytes()
}

func TestParseFragmentErrors(t *testing.T) {
	good, err := sample().Fragment()
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := fragmentEncoding.DecodeString(good)
	flip := append([]byte(nil), raw...)
	flip[len(flip)/2] ^= 0x10
	checksum := append([]byte(nil), raw...)
	checksum[len(checksum)-1] ^= 1
	bomb := deflate(t, bytes.Repeat([]byte(" "), MaxJSONSize+10))
	cases := []struct {
		name, in string
		kind     error
		msg      string
	}{
		{"empty", "", ErrInvalid, "carries no workspace"},
		{"bad base64", good[:10] + "*" + good[11:], ErrInvalid, "unexpected character at position 11"},
		{"padding", good + "=", ErrInvalid, "damaged"},
		{"standard base64", "ab+/", ErrInvalid, "unexpected character at position 3"},
		{"cut", good[:len(good)/2], ErrInvalid, "damaged"},
		{"not zlib", fragmentEncoding.EncodeToString([]byte("hello, world")), ErrInvalid, "not a compressed workspace"},
		{"flipped bit", fragmentEncoding.EncodeToString(flip), ErrInvalid, "damaged"},
		{"bad checksum", fragmentEncoding.EncodeToString(checksum), ErrInvalid, "corrupt"},
		{"trailing bytes", fragmentEncoding.EncodeToString(append(append([]byte(nil), raw...), 0, 1)), ErrInvalid, "2 unexpected bytes after"},
		{"bomb", fragmentEncoding.EncodeToString(bomb), ErrTooLarge, "too large: over 65536 bytes once decompressed"},
		{"too long", strings.Repeat("A", MaxFragmentSize+1), ErrTooLarge, "too long: 16385 characters, the limit is 16384"},
		{"bad json inside", fragmentEncoding.EncodeToString(deflate(t, []byte(`{"version":1`))), ErrInvalid, "not valid JSON"},
		{"future inside", fragmentEncoding.EncodeToString(deflate(t, []byte(`{"version":9}`))), ErrInvalid, "version 9 is not supported"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := ParseFragment(c.in)
			if err == nil {
				t.Fatalf("ParseFragment accepted %q: %+v", c.in, b)
			}
			if !errors.Is(err, c.kind) {
				t.Errorf("error %q does not wrap %v", err, c.kind)
			}
			if !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %q does not say %q", err, c.msg)
			}
		})
	}
}

func TestFragmentTooLarge(t *testing.T) {
	// Text that does not compress: a pseudo-random stream of letters.
	var sb strings.Builder
	x := uint32(1)
	for sb.Len() < 40<<10 {
		x = x*1664525 + 1013904223
		sb.WriteByte(byte('a' + x>>24%26))
	}
	b := &Bundle{Version: 1, Start: time.Unix(0, 0), Files: map[string]string{"noise.txt": sb.String()}}
	if _, err := b.JSON(); err != nil {
		t.Fatalf("the bundle itself is within limits: %v", err)
	}
	_, err := b.Fragment()
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "too large for a link") {
		t.Fatalf("Fragment of 40 KB of noise: %v", err)
	}
	b.Files["noise.txt"] += strings.Repeat("y", 30<<10)
	if _, err := b.JSON(); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("JSON of 70 KB: %v", err)
	}
	if _, err := b.ID(); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("ID of 70 KB: %v", err)
	}
}

func TestValidID(t *testing.T) {
	for id, want := range map[string]bool{
		"pC1F7o1oTzr0l5mD":  true,
		"abcdefghij-_0123":  true,
		"abcdefghij-_012":   false,
		"abcdefghij-_01234": false,
		"abcdefghij+/0123":  false,
		"abcdefghij..0123":  false,
		"":                  false,
	} {
		if got := ValidID(id); got != want {
			t.Errorf("ValidID(%q) = %v, want %v", id, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	j, _ := sample().JSON()
	f.Add(j)
	f.Add([]byte(`{"version":1,"seed":"1","start":"2026-01-01T09:00:00Z"}`))
	f.Add([]byte(`{"version":2}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Parse(data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error %q wraps neither ErrInvalid nor ErrTooLarge", err)
			}
			return
		}
		// What parses has a canonical form that parses to the same bundle.
		c, err := b.JSON()
		if err != nil {
			t.Fatalf("parsed bundle has no canonical JSON: %v", err)
		}
		b2, err := Parse(c)
		if err != nil {
			t.Fatalf("canonical JSON does not parse: %v\n%s", err, c)
		}
		c2, _ := b2.JSON()
		if !bytes.Equal(c, c2) {
			t.Fatalf("canonical JSON is not stable:\n%s\n%s", c, c2)
		}
	})
}

func FuzzParseFragment(f *testing.F) {
	good, _ := sample().Fragment()
	f.Add(good)
	f.Add("")
	f.Add("eJyrVgpLLSrOzM9TslIyVNJRKs7PTVWyUirOzytJzSvRBwBH5wk4")
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ParseFragment(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error %q wraps neither ErrInvalid nor ErrTooLarge", err)
			}
			return
		}
		if _, err := b.Fragment(); err != nil && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("a parsed fragment does not encode again: %v", err)
		}
	})
}
