package pki

import (
	"crypto/rsa"
	"errors"
	"math/big"
)

// RSA in math/big: crypto/rsa's signing, Precompute and Validate go through its FIPS
// module (bigmod and the key checks), which costs the wasm more than the arithmetic here.
// kubetab's RSA keys have two primes.

// crt is a key's CRT values: d mod (p-1), d mod (q-1), q⁻¹ mod p.
func crt(k *rsa.PrivateKey) (dp, dq, qinv *big.Int, err error) {
	if len(k.Primes) != 2 {
		return nil, nil, nil, errKeyType
	}
	p, q := k.Primes[0], k.Primes[1]
	one := big.NewInt(1)
	dp = new(big.Int).Mod(k.D, new(big.Int).Sub(p, one))
	dq = new(big.Int).Mod(k.D, new(big.Int).Sub(q, one))
	qinv = new(big.Int).ModInverse(q, p)
	if qinv == nil {
		return nil, nil, nil, errors.New("invalid RSA key: q has no inverse mod p")
	}
	return dp, dq, qinv, nil
}

// sha256DigestInfo is the DER prefix of a SHA-256 DigestInfo (PKCS #1 v1.5).
var sha256DigestInfo = []byte{0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20}

// signRSA is an RSASSA-PKCS1-v1_5 signature of a SHA-256 digest.
func signRSA(k *rsa.PrivateKey, digest []byte) ([]byte, error) {
	size := (k.N.BitLen() + 7) / 8
	t := append(append([]byte{}, sha256DigestInfo...), digest...)
	if size < len(t)+11 {
		return nil, errors.New("RSA key too short")
	}
	em := make([]byte, size)
	em[1] = 1
	for i := 2; i < size-len(t)-1; i++ {
		em[i] = 0xff
	}
	copy(em[size-len(t):], t)
	dp, dq, qinv, err := crt(k)
	if err != nil {
		return nil, err
	}
	m := new(big.Int).SetBytes(em)
	p, q := k.Primes[0], k.Primes[1]
	m1 := new(big.Int).Exp(m, dp, p)
	m2 := new(big.Int).Exp(m, dq, q)
	h := new(big.Int).Sub(m1, m2)
	h.Mul(h, qinv).Mod(h, p)
	s := h.Mul(h, q).Add(h, m2)
	// A wrong key (a fault) must not give a signature that leaks it: check s^e = m.
	if new(big.Int).Exp(s, big.NewInt(int64(k.E)), k.N).Cmp(m) != 0 {
		return nil, errors.New("invalid RSA key")
	}
	return s.FillBytes(make([]byte, size)), nil
}

// checkRSA checks that a key's numbers belong together: n = pq and e·d = 1 mod p-1, q-1.
func checkRSA(k *rsa.PrivateKey) error {
	if len(k.Primes) != 2 || k.E < 3 || new(big.Int).Mul(k.Primes[0], k.Primes[1]).Cmp(k.N) != 0 {
		return errors.New("invalid RSA key")
	}
	one := big.NewInt(1)
	ed := new(big.Int).Mul(big.NewInt(int64(k.E)), k.D)
	for _, p := range k.Primes {
		pm1 := new(big.Int).Sub(p, one)
		if new(big.Int).Mod(ed, pm1).Cmp(one) != 0 {
			return errors.New("invalid RSA key")
		}
	}
	return nil
}
