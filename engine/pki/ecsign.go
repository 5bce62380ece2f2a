package pki

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"errors"
	"math/big"
)

// signECDSA signs digest with key in math/big, with a nonce derived from the key and the
// digest (deterministic as RFC 6979 is, though not its HMAC-DRBG). The kG it needs is the
// public key of k as a private key, through the code ecdsa.ParseRawPrivateKey already
// links: crypto/ecdsa's own Sign would add its FIPS signing code (180 KB of wasm). Timing
// does not matter in a simulation; the signature verifies as any ECDSA signature does.
func signECDSA(key *ecdsa.PrivateKey, digest []byte) ([]byte, error) {
	params := key.Curve.Params()
	n := params.N
	size := (params.BitSize + 7) / 8
	d, err := key.Bytes()
	if err != nil {
		return nil, err
	}
	dInt := new(big.Int).SetBytes(d)
	// e: the digest's leftmost bits, as many as n has.
	e := new(big.Int).SetBytes(digest)
	if excess := len(digest)*8 - n.BitLen(); excess > 0 {
		e.Rsh(e, uint(excess))
	}
	for counter := byte(0); counter < 255; counter++ {
		// k: enough SHA-256 blocks of (d, digest, counter, block) for n's size and 8 bytes
		// more, reduced mod n.
		var kb []byte
		for block := byte(0); len(kb) < size+8; block++ {
			h := sha256.New()
			h.Write(d)
			h.Write(digest)
			h.Write([]byte{counter, block})
			kb = h.Sum(kb)
		}
		k := new(big.Int).Mod(new(big.Int).SetBytes(kb), n)
		if k.Sign() == 0 {
			continue
		}
		kp, err := ecdsa.ParseRawPrivateKey(key.Curve, k.FillBytes(make([]byte, size)))
		if err != nil {
			continue
		}
		point, err := kp.PublicKey.Bytes()
		if err != nil {
			return nil, err
		}
		r := new(big.Int).Mod(new(big.Int).SetBytes(point[1:1+size]), n)
		if r.Sign() == 0 {
			continue
		}
		s := new(big.Int).Mul(r, dInt)
		s.Add(s, e)
		s.Mul(s, new(big.Int).ModInverse(k, n))
		s.Mod(s, n)
		if s.Sign() == 0 {
			continue
		}
		return sequence(integer(r), integer(s)), nil
	}
	return nil, errors.New("no ECDSA signature")
}
