package sh

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"math/rand/v2"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/kubetab/kubetab/engine/kubelet/sh/openssl"
)

// tlsEnv serves every https URL with one certificate (or plain HTTP on :80).
type tlsEnv struct {
	*fakeEnv
	cert string
}

func (e *tlsEnv) HTTPSGet(url, ip string) (int, string, *TLS, error) {
	status, body, err := e.HTTPGet(url, ip)
	if strings.Contains(url, ":80/") {
		return status, body, &TLS{Plain: true}, err
	}
	return status, body, &TLS{Cert: e.cert}, err
}

// selfSigned makes a certificate for cn (and dns names), valid around t0.
func selfSigned(t *testing.T, seed uint64, cn string, dns ...string) string {
	key, err := openssl.GenerateEC(openssl.Reader(rand.New(rand.NewPCG(seed, 1))), elliptic.P256())
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(int64(seed)), Subject: pkix.Name{CommonName: cn}, DNSNames: dns,
		NotBefore: t0.Add(-time.Hour), NotAfter: t0.Add(24 * time.Hour), BasicConstraintsValid: true, IsCA: true}
	if strings.HasPrefix(cn, "10.") {
		tmpl.IPAddresses = []net.IP{net.ParseIP(cn)}
	}
	der, err := x509.CreateCertificate(nil, tmpl, tmpl, key.Public(), (*ecdsa.PrivateKey)(key))
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

func TestCurlHTTPS(t *testing.T) {
	cert := selfSigned(t, 1, "my-nginx")
	other := selfSigned(t, 2, "my-nginx")
	san := selfSigned(t, 3, "ignored", "*.example.com")
	for _, tc := range []struct {
		name, cert, script, want string
		code                     int
	}{
		{"insecure", cert, "curl -k https://my-nginx/", "page\n", 0},
		{"insecure long", cert, "curl --insecure https://my-nginx/", "page\n", 0},
		{"self-signed", cert, "curl https://my-nginx/", "E:curl: (60) SSL certificate problem: self-signed certificate\nE:More details here: https://curl.se/docs/sslcerts.html", 60},
		{"cacert", cert, "curl https://my-nginx/ --cacert /ca.crt", "page\n", 0},
		{"cacert of another key", cert, "curl --cacert /other.crt https://my-nginx/", "E:curl: (60) SSL certificate problem: self-signed certificate\n", 60},
		{"name mismatch", cert, "curl --cacert /ca.crt https://my-nginx.default.svc/", "E:curl: (60) SSL: certificate subject name 'my-nginx' does not match target host name 'my-nginx.default.svc'\n", 60},
		{"san wildcard", san, "curl --cacert /san.crt https://www.example.com/", "page\n", 0},
		{"san mismatch", san, "curl --cacert /san.crt https://ignored/", "E:curl: (60) SSL: no alternative certificate subject name matches target host name 'ignored'\n", 60},
		{"missing cacert", cert, "curl --cacert /nope https://my-nginx/", "E:curl: (77) error setting certificate file: /nope\n", 77},
		{"plain port", cert, "curl -k https://my-nginx:80/", "E:curl: (35) OpenSSL/3.0.15: error:0A00010B:SSL routines::wrong version number\n", 35},
		{"silent", cert, "curl -s https://my-nginx/", "", 60},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &tlsEnv{fakeEnv: newEnv(), cert: tc.cert}
			e.pages = map[string]string{"https://my-nginx/": "page\n", "https://www.example.com/": "page\n", "https://my-nginx:80/": "plain\n", "https://my-nginx.default.svc/": "page\n", "https://ignored/": "page\n"}
			e.fs.WriteFile("/ca.crt", cert)
			e.fs.WriteFile("/other.crt", other)
			e.fs.WriteFile("/san.crt", san)
			out, errOut, code := ExecStreams([]string{"sh", "-c", tc.script}, nil, e)
			got := out
			for _, l := range strings.SplitAfter(errOut, "\n") {
				if l != "" {
					got += "E:" + l
				}
			}
			if code != tc.code || !strings.HasPrefix(got, tc.want) {
				t.Errorf("exit %d\n%s\nwant exit %d\n%s", code, got, tc.code, tc.want)
			}
		})
	}
	// Expired: the clock past NotAfter.
	e := &tlsEnv{fakeEnv: newEnv(), cert: cert}
	e.pages = map[string]string{"https://my-nginx/": "page\n"}
	e.fs.WriteFile("/ca.crt", cert)
	e.now = t0.Add(48 * time.Hour)
	if _, errOut, code := ExecStreams([]string{"curl", "--cacert", "/ca.crt", "https://my-nginx/"}, nil, e); code != 60 || !strings.Contains(errOut, "certificate has expired") {
		t.Errorf("expired: %d %q", code, errOut)
	}
}
