package pki

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"errors"
	"math/big"
)

// Object identifiers of the algorithms kubetab's keys use.
var (
	oidRSA       = oid(1, 2, 840, 113549, 1, 1, 1)
	oidEC        = oid(1, 2, 840, 10045, 2, 1)
	oidP256      = oid(1, 2, 840, 10045, 3, 1, 7)
	oidP384      = oid(1, 3, 132, 0, 34)
	oidP521      = oid(1, 3, 132, 0, 35)
	oidSHA256RSA = oid(1, 2, 840, 113549, 1, 1, 11)
	oidSHA256EC  = oid(1, 2, 840, 10045, 4, 3, 2)
)

// curveOID is the named curve's identifier, nil for a curve kubetab does not write.
func curveOID(c elliptic.Curve) []byte {
	switch c {
	case elliptic.P256():
		return oidP256
	case elliptic.P384():
		return oidP384
	case elliptic.P521():
		return oidP521
	}
	return nil
}

func curveOf(oidDER []byte) elliptic.Curve {
	switch {
	case bytes.Equal(oidDER, oidP256):
		return elliptic.P256()
	case bytes.Equal(oidDER, oidP384):
		return elliptic.P384()
	case bytes.Equal(oidDER, oidP521):
		return elliptic.P521()
	}
	return nil
}

var errKeyType = errors.New("unsupported key type: kubetab's keys are RSA or ECDSA (P-256, P-384, P-521)")

// algorithmAndKey is the AlgorithmIdentifier and the public key bits of a
// SubjectPublicKeyInfo.
func algorithmAndKey(pub crypto.PublicKey) (alg, bits []byte, err error) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return sequence(oidRSA, null()), sequence(integer(k.N), smallInt(int64(k.E))), nil
	case *ecdsa.PublicKey:
		c := curveOID(k.Curve)
		point, perr := k.Bytes()
		if c == nil || perr != nil {
			return nil, nil, errKeyType
		}
		return sequence(oidEC, c), point, nil
	}
	return nil, nil, errKeyType
}

// MarshalPublicKey is a SubjectPublicKeyInfo (PEM type PUBLIC KEY).
func MarshalPublicKey(pub crypto.PublicKey) ([]byte, error) {
	alg, bits, err := algorithmAndKey(pub)
	if err != nil {
		return nil, err
	}
	return sequence(alg, bitString(bits)), nil
}

// MarshalPrivateKey is a PKCS #8 private key (PEM type PRIVATE KEY), as OpenSSL 3 writes
// it: an RSA key's PKCS #1 structure, or an EC key's SEC 1 structure with its public key.
func MarshalPrivateKey(key crypto.Signer) ([]byte, error) {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		dp, dq, qinv, err := crt(k) // rsa.go
		if err != nil {
			return nil, err
		}
		p, q := k.Primes[0], k.Primes[1]
		pkcs1 := sequence(smallInt(0), integer(k.N), smallInt(int64(k.E)), integer(k.D), integer(p), integer(q),
			integer(dp), integer(dq), integer(qinv))
		return sequence(smallInt(0), sequence(oidRSA, null()), octets(pkcs1)), nil
	case *ecdsa.PrivateKey:
		c := curveOID(k.Curve)
		d, err := k.Bytes()
		if c == nil || err != nil {
			return nil, errKeyType
		}
		point, err := k.PublicKey.Bytes()
		if err != nil {
			return nil, err
		}
		sec1 := sequence(smallInt(1), octets(d), tlv(0xa1, bitString(point)))
		return sequence(smallInt(0), sequence(oidEC, c), octets(sec1)), nil
	}
	return nil, errKeyType
}

var errMalformed = errors.New("malformed private key")

// ParsePrivateKey reads a private key in PKCS #8, PKCS #1 (RSA) or SEC 1 (EC) form.
func ParsePrivateKey(der []byte) (crypto.Signer, error) {
	top, rest, ok := next(der)
	if !ok || top.tag != tagSequence || len(rest) != 0 {
		return nil, errMalformed
	}
	els, ok := children(top.body)
	if !ok || len(els) < 2 {
		return nil, errMalformed
	}
	switch {
	case len(els) >= 3 && els[1].tag == tagSequence && els[2].tag == tagOctetString:
		// PKCS #8: version, AlgorithmIdentifier, the key.
		alg, ok := children(els[1].body)
		if !ok || len(alg) == 0 {
			return nil, errMalformed
		}
		algOID := tlv(alg[0].tag, alg[0].body)
		switch {
		case bytes.Equal(algOID, oidRSA):
			return parsePKCS1(els[2].body)
		case bytes.Equal(algOID, oidEC) && len(alg) == 2:
			return parseSEC1(els[2].body, curveOf(tlv(alg[1].tag, alg[1].body)))
		}
		return nil, errKeyType
	case len(els) >= 9:
		return parsePKCS1(der)
	}
	return parseSEC1(der, nil)
}

func parsePKCS1(der []byte) (crypto.Signer, error) {
	top, _, ok := next(der)
	if !ok || top.tag != tagSequence {
		return nil, errMalformed
	}
	els, ok := children(top.body)
	if !ok || len(els) < 9 {
		return nil, errMalformed
	}
	var n [5]*big.Int // n, e, d, p, q
	for i := range 5 {
		if n[i], ok = bigInt(els[i+1]); !ok {
			return nil, errMalformed
		}
	}
	if !n[1].IsInt64() || n[1].Int64() > 1<<31 {
		return nil, errMalformed
	}
	key := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: n[0], E: int(n[1].Int64())}, D: n[2], Primes: []*big.Int{n[3], n[4]}}
	if err := checkRSA(key); err != nil { // rsa.go
		return nil, err
	}
	return key, nil
}

// parseSEC1 reads an EC key; curve is the PKCS #8 wrapper's (nil: the key's own).
func parseSEC1(der []byte, curve elliptic.Curve) (crypto.Signer, error) {
	top, _, ok := next(der)
	if !ok || top.tag != tagSequence {
		return nil, errMalformed
	}
	els, ok := children(top.body)
	if !ok || len(els) < 2 || els[1].tag != tagOctetString {
		return nil, errMalformed
	}
	for _, e := range els[2:] {
		if e.tag == 0xa0 && curve == nil {
			curve = curveOf(e.body)
		}
	}
	if curve == nil {
		return nil, errKeyType
	}
	return ecdsa.ParseRawPrivateKey(curve, els[1].body)
}
