package kubectl

import (
	"crypto"
	"crypto/elliptic"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/kubetab/kubetab/engine/kubelet/sh/openssl"
)

func TestKeyMatchesCert(t *testing.T) {
	stream := func(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 1)) }
	ec1, _ := openssl.GenerateEC(openssl.Reader(stream(1)), elliptic.P256())
	ec2, _ := openssl.GenerateEC(openssl.Reader(stream(2)), elliptic.P256())
	rsaKey, err := openssl.GenerateRSA(openssl.Reader(stream(3)), 1024, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	certOf := func(key crypto.Signer) []byte {
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "x"}, NotBefore: now, NotAfter: now.Add(time.Hour)}
		der, err := x509.CreateCertificate(nil, tmpl, tmpl, key.Public(), key)
		if err != nil {
			t.Fatal(err)
		}
		return der
	}
	keyOf := func(key crypto.Signer) []byte {
		der, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			t.Fatal(err)
		}
		return der
	}
	for _, tc := range []struct {
		name      string
		cert, key []byte
		want      string
	}{
		{"ec pair", certOf(ec1), keyOf(ec1), ""},
		{"rsa pair", certOf(rsaKey), x509.MarshalPKCS1PrivateKey(rsaKey), ""},
		{"other key", certOf(ec1), keyOf(ec2), "tls: private key does not match public key"},
		{"other type", certOf(ec1), keyOf(rsaKey), "tls: private key type does not match public key type"},
		{"garbage key", certOf(ec1), []byte("nope"), "tls: failed to parse private key"},
	} {
		err := keyMatchesCert(tc.cert, tc.key)
		if got := ""; err != nil {
			got = err.Error()
			if got != tc.want {
				t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
			}
		} else if tc.want != "" {
			t.Errorf("%s: no error, want %q", tc.name, tc.want)
		}
	}
}
