package pki_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"math/big"
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"github.com/kubetab/kubetab/engine/kubelet/sh/openssl"
	"github.com/kubetab/kubetab/engine/pki"
)

// testKeys are an RSA and an EC key from fixed streams (no crypto/rand in the engine).
func testKeys(t *testing.T) (*rsa.PrivateKey, *ecdsa.PrivateKey) {
	rk, err := openssl.GenerateRSA(openssl.Reader(rand.New(rand.NewPCG(1, 2))), 1024, nil)
	if err != nil {
		t.Fatal(err)
	}
	ek, err := openssl.GenerateEC(openssl.Reader(rand.New(rand.NewPCG(3, 4))), elliptic.P256())
	if err != nil {
		t.Fatal(err)
	}
	return rk, ek
}

// What pki writes, crypto/x509 reads; what crypto/x509 writes, pki reads.
func TestKeysRoundTrip(t *testing.T) {
	rk, ek := testKeys(t)
	rder, err := pki.MarshalPrivateKey(rk)
	if err != nil {
		t.Fatal(err)
	}
	if back, err := x509.ParsePKCS8PrivateKey(rder); err != nil || !back.(*rsa.PrivateKey).Equal(rk) {
		t.Fatalf("x509 reads pki's RSA PKCS #8: %v", err)
	}
	if want, _ := x509.MarshalPKCS8PrivateKey(rk); !bytes.Equal(rder, want) {
		t.Error("pki's RSA PKCS #8 differs from crypto/x509's")
	}
	eder, err := pki.MarshalPrivateKey(ek)
	if err != nil {
		t.Fatal(err)
	}
	if back, err := x509.ParsePKCS8PrivateKey(eder); err != nil || !back.(*ecdsa.PrivateKey).Equal(ek) {
		t.Fatalf("x509 reads pki's EC PKCS #8: %v", err)
	}
	ecSEC1, _ := x509.MarshalECPrivateKey(ek)
	for name, der := range map[string][]byte{"pkcs8 rsa": rder, "pkcs8 ec": eder, "pkcs1": x509.MarshalPKCS1PrivateKey(rk), "sec1": ecSEC1} {
		k, err := pki.ParsePrivateKey(der)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if eq, ok := k.(interface{ Equal(crypto.PrivateKey) bool }); !ok || !(eq.Equal(rk) || eq.Equal(ek)) {
			t.Errorf("%s: another key", name)
		}
	}
	for _, bad := range [][]byte{nil, {0x30}, {0x30, 0x03, 0x02, 0x01}, {0x04, 0x00}, {0x30, 0x84, 0xff, 0xff, 0xff, 0xff}} {
		if _, err := pki.ParsePrivateKey(bad); err == nil {
			t.Errorf("%x parsed", bad)
		}
	}
	for _, pub := range []crypto.PublicKey{&rk.PublicKey, &ek.PublicKey} {
		der, _ := pki.MarshalPublicKey(pub)
		if want, _ := x509.MarshalPKIXPublicKey(pub); !bytes.Equal(der, want) {
			t.Errorf("public key %T differs from crypto/x509's", pub)
		}
	}
}

func TestSelfSigned(t *testing.T) {
	rk, ek := testKeys(t)
	name, err := pki.Name([]pki.Attribute{{Type: "CN", Value: "my-nginx"}, {Type: "O", Value: "my-nginx"}, {Type: "C", Value: "DE"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pki.Name([]pki.Attribute{{Type: "XX", Value: "y"}}); err == nil {
		t.Error("an unknown attribute was written")
	}
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	p384, err := openssl.GenerateEC(openssl.Reader(rand.New(rand.NewPCG(5, 6))), elliptic.P384())
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []crypto.Signer{rk, ek, p384} {
		c := pki.Certificate{Serial: big.NewInt(12345), Subject: name, NotBefore: now, NotAfter: now.AddDate(60, 0, 0),
			DNSNames: []string{"my-nginx"}, IPs: []netip.Addr{netip.MustParseAddr("10.0.0.1")}, Emails: []string{"a@b"}}
		der, err := pki.SelfSigned(c, key)
		if err != nil {
			t.Fatalf("%T: %v", key, err)
		}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatalf("%T: %v", key, err)
		}
		if err := cert.CheckSignatureFrom(cert); err != nil {
			t.Errorf("%T: %v", key, err)
		}
		if cert.Subject.String() != "CN=my-nginx,O=my-nginx,C=DE" || cert.Subject.Names[0].Value != "my-nginx" || !cert.IsCA ||
			!cert.NotAfter.Equal(now.AddDate(60, 0, 0)) || cert.DNSNames[0] != "my-nginx" || cert.IPAddresses[0].String() != "10.0.0.1" ||
			cert.EmailAddresses[0] != "a@b" || !bytes.Equal(cert.SubjectKeyId, cert.AuthorityKeyId) || cert.SerialNumber.Int64() != 12345 {
			t.Errorf("%T: %s %v %v %v", key, cert.Subject, cert.NotAfter, cert.SubjectKeyId, cert.AuthorityKeyId)
		}
		if again, _ := pki.SelfSigned(c, key); !bytes.Equal(again, der) {
			t.Errorf("%T: not deterministic", key)
		}
	}
	c := pki.Certificate{}
	if err := pki.ParseSAN(&c, "DNS:a, IP:10.1.2.3,email:x@y"); err != nil || len(c.DNSNames) != 1 || len(c.IPs) != 1 || len(c.Emails) != 1 {
		t.Errorf("ParseSAN: %v %+v", err, c)
	}
	if err := pki.ParseSAN(&c, "URI:x"); err == nil {
		t.Error("URI accepted")
	}
}
