package openssl

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"math/rand/v2"
	"testing"
)

func stream(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed+1)) }

// The same stream gives the same key; the key signs and verifies.
func TestGenerateRSADeterministic(t *testing.T) {
	a, err := GenerateRSA(Reader(stream(1)), 1024, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := GenerateRSA(Reader(stream(1)), 1024, nil)
	c, _ := GenerateRSA(Reader(stream(2)), 1024, nil)
	if a.N.Cmp(b.N) != 0 || a.N.Cmp(c.N) == 0 || a.N.BitLen() != 1024 {
		t.Fatalf("moduli: %d bits, same seed equal %v, other seed equal %v", a.N.BitLen(), a.N.Cmp(b.N) == 0, a.N.Cmp(c.N) == 0)
	}
	der, err := x509.MarshalPKCS8PrivateKey(a)
	if err != nil {
		t.Fatal(err)
	}
	back, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("kubetab"))
	sig, err := rsa.SignPKCS1v15(nil, back.(*rsa.PrivateKey), crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	if err := rsa.VerifyPKCS1v15(&a.PublicKey, crypto.SHA256, sum[:], sig); err != nil {
		t.Fatal(err)
	}
}

func TestGenerateEC(t *testing.T) {
	a, err := GenerateEC(Reader(stream(3)), elliptic.P256())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := GenerateEC(Reader(stream(3)), elliptic.P256())
	ab, _ := a.Bytes()
	bb, _ := b.Bytes()
	if !bytes.Equal(ab, bb) {
		t.Fatal("the same stream gave two keys")
	}
	sum := sha256.Sum256([]byte("kubetab"))
	sig, err := a.Sign(nil, sum[:], crypto.SHA256)
	if err != nil || !ecdsa.VerifyASN1(&b.PublicKey, sum[:], sig) {
		t.Fatal("signature", err)
	}
}

// BenchmarkGenerateRSA2048 is what `openssl req -newkey rsa:2048` costs.
func BenchmarkGenerateRSA2048(b *testing.B) {
	for i := range b.N {
		if _, err := GenerateRSA(Reader(stream(uint64(i))), 2048, nil); err != nil {
			b.Fatal(err)
		}
	}
}
