package openssl

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/kubetab/kubetab/engine/kubelet/sh/filters"
)

var now = time.Date(2026, 12, 6, 6, 5, 38, 0, time.UTC)

// run runs openssl with args over files, seeded with seed.
func run(files map[string]string, seed uint64, args ...string) (out, errOut string, code int) {
	var o, e strings.Builder
	c := &filters.Call{
		Args:   append([]string{"openssl"}, args...),
		Inputs: func([]string) ([]string, int) { return []string{""}, 0 },
		ReadFile: func(name string) (string, error) {
			if d, ok := files[name]; ok {
				return d, nil
			}
			return "", &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
		},
		WriteFile: func(name, data string, _ bool) error {
			if strings.HasPrefix(name, "/ro/") {
				return errors.New("Read-only file system")
			}
			files[name] = data
			return nil
		},
		ErrText: func(err error) string { return "No such file or directory" },
		Out:     func(s string) bool { o.WriteString(s); return true },
		Err:     func(l string) { e.WriteString(l + "\n") },
		Step:    func() bool { return true },
	}
	code = Run(c, Env{Rand: Reader(stream(seed)), Now: now})
	return o.String(), e.String(), code
}

func TestReqX509(t *testing.T) {
	files := map[string]string{}
	_, errOut, code := run(files, 1, "req", "-x509", "-nodes", "-days", "365", "-newkey", "rsa:2048", "-keyout", "/tmp/nginx.key", "-out", "/tmp/nginx.crt", "-subj", "/CN=my-nginx/O=my-nginx")
	if code != 0 || !strings.HasSuffix(errOut, "-----\n") {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	block, _ := pem.Decode([]byte(files["/tmp/nginx.crt"]))
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if cert.Subject.CommonName != "my-nginx" || cert.Issuer.String() != cert.Subject.String() || !cert.IsCA {
		t.Errorf("subject %s issuer %s", cert.Subject, cert.Issuer)
	}
	if !cert.NotBefore.Equal(now.Truncate(time.Second)) || !cert.NotAfter.Equal(now.AddDate(0, 0, 365)) {
		t.Errorf("validity %s – %s", cert.NotBefore, cert.NotAfter)
	}
	if err := cert.CheckSignatureFrom(cert); err != nil {
		t.Error(err)
	}
	kb, _ := pem.Decode([]byte(files["/tmp/nginx.key"]))
	if kb == nil || kb.Type != "PRIVATE KEY" {
		t.Fatalf("key %q", files["/tmp/nginx.key"])
	}
	key, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	if err != nil || !key.(*rsa.PrivateKey).PublicKey.Equal(cert.PublicKey) {
		t.Fatal("the key is not the certificate's", err)
	}
	// The same seed writes the same bytes.
	again := map[string]string{}
	run(again, 1, "req", "-x509", "-nodes", "-days", "365", "-newkey", "rsa:2048", "-keyout", "/tmp/nginx.key", "-out", "/tmp/nginx.crt", "-subj", "/CN=my-nginx/O=my-nginx")
	if again["/tmp/nginx.crt"] != files["/tmp/nginx.crt"] || again["/tmp/nginx.key"] != files["/tmp/nginx.key"] {
		t.Error("the same seed wrote another key or certificate")
	}

	out, _, code := run(files, 2, "x509", "-in", "/tmp/nginx.crt", "-noout", "-subject", "-dates")
	want := "subject=CN = my-nginx, O = my-nginx\nnotBefore=Dec  6 06:05:38 2026 GMT\nnotAfter=Dec  6 06:05:38 2027 GMT\n"
	if code != 0 || out != want {
		t.Errorf("x509 -subject -dates: %d\n%s", code, out)
	}
	out, _, _ = run(files, 2, "x509", "-in", "/tmp/nginx.crt", "-text", "-noout")
	for _, s := range []string{"Certificate:\n    Data:\n        Version: 3 (0x2)\n        Serial Number:\n            ",
		"        Signature Algorithm: sha256WithRSAEncryption\n        Issuer: CN = my-nginx, O = my-nginx\n",
		"            Not After : Dec  6 06:05:38 2027 GMT\n", "                Public-Key: (2048 bit)\n                Modulus:\n                    00:",
		"                Exponent: 65537 (0x10001)\n", "            X509v3 Basic Constraints: critical\n                CA:TRUE\n",
		"            X509v3 Subject Key Identifier: \n", "    Signature Value:\n        "} {
		if !strings.Contains(out, s) {
			t.Errorf("x509 -text lacks %q:\n%s", s, out)
		}
	}
	if strings.Contains(out, "BEGIN") {
		t.Error("-noout printed the certificate")
	}
}

func TestReqEC(t *testing.T) {
	files := map[string]string{}
	_, errOut, code := run(files, 3, "req", "-x509", "-noenc", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-keyout", "k", "-out", "c", "-subj", "/CN=x", "-addext", "subjectAltName=DNS:x,IP:10.0.0.1")
	if code != 0 {
		t.Fatal(errOut)
	}
	out, _, _ := run(files, 3, "x509", "-in", "c", "-noout", "-text")
	for _, s := range []string{"id-ecPublicKey", "NIST CURVE: P-256", "ecdsa-with-SHA256", "DNS:x, IP Address:10.0.0.1", "Not After : Jan  5 06:05:38 2027 GMT"} {
		if !strings.Contains(out, s) {
			t.Errorf("lacks %q:\n%s", s, out)
		}
	}
	again := map[string]string{}
	run(again, 3, "req", "-x509", "-noenc", "-newkey", "ec", "-keyout", "k", "-out", "c", "-subj", "/CN=x", "-addext", "subjectAltName=DNS:x,IP:10.0.0.1")
	if again["c"] != files["c"] {
		t.Error("an EC certificate is not deterministic")
	}
}

func TestRandAndGenrsa(t *testing.T) {
	a, _, code := run(nil, 5, "rand", "-base64", "48")
	b, _, _ := run(nil, 5, "rand", "-base64", "48")
	if code != 0 || a != b || len(a) != 65 {
		t.Errorf("rand -base64 48: %q %q", a, b)
	}
	if h, _, _ := run(nil, 5, "rand", "-hex", "4"); len(h) != 9 {
		t.Errorf("rand -hex 4: %q", h)
	}
	files := map[string]string{}
	if _, e, code := run(files, 6, "genrsa", "-out", "k.pem", "1024"); code != 0 || !strings.Contains(files["k.pem"], "BEGIN PRIVATE KEY") {
		t.Errorf("genrsa: %d %s", code, e)
	}
	if _, err := readKey(files["k.pem"]); err != nil {
		t.Error(err)
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		err  string
	}{
		{[]string{"nosuch"}, "Invalid command 'nosuch'; type \"help\" for a list.\n"},
		{[]string{"req", "-x509", "-bogus"}, "req: Unknown option: -bogus\nreq: Use -help for summary.\n"},
		{[]string{"req", "-x509", "-days"}, "req: Option -days needs a value\nreq: Use -help for summary.\n"},
		{[]string{"req", "-x509", "-days", "x"}, "req: Invalid number \"x\" for option -days\nreq: Use -help for summary.\n"},
		{[]string{"req", "-x509", "-nodes", "-newkey", "rsa:2048", "-subj", "CN=x"}, "name is expected to be in the format"},
		{[]string{"req", "-x509", "-newkey", "rsa:2048", "-subj", "/CN=x"}, "add -nodes"},
		{[]string{"x509", "-in", "/nope", "-noout"}, "Could not open file or uri for loading certificate from /nope\n"},
		{[]string{"x509", "-in", "/notcert", "-noout"}, "Could not read certificate from /notcert\nUnable to load certificate\n"},
		{[]string{"rand"}, "rand: No number given."},
	} {
		_, e, code := run(map[string]string{"/notcert": "hello"}, 1, tc.args...)
		if code != 1 || !strings.Contains(e, tc.err) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tc.args, code, e, tc.err)
		}
	}
}
