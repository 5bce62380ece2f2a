package openssl

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"errors"
	"io"
	"math/big"
	"math/rand/v2"
)

// Reader turns a random stream into the byte source keys and serial numbers are read from.
func Reader(r *rand.Rand) io.Reader { return streamReader{r} }

type streamReader struct{ r *rand.Rand }

func (s streamReader) Read(p []byte) (int, error) {
	for i := 0; i < len(p); i += 8 {
		v := s.r.Uint64()
		for j := 0; j < 8 && i+j < len(p); j++ {
			p[i+j] = byte(v >> (8 * j))
		}
	}
	return len(p), nil
}

// smallPrimes are the odd primes below 2^16: a candidate divisible by one is no prime, and
// testing that costs a machine word's division instead of a modular exponentiation (a
// 1024-bit one in pure Go costs tens of milliseconds in WebAssembly). Made on first use.
var smallPrimesCache []uint64

func smallPrimes() []uint64 {
	if smallPrimesCache == nil {
		smallPrimesCache = sieve(1 << 16)
	}
	return smallPrimesCache
}

// sieve lists the odd primes below limit.
func sieve(limit int) []uint64 {
	composite := make([]bool, limit)
	var out []uint64
	for i := 3; i < limit; i += 2 {
		if composite[i] {
			continue
		}
		out = append(out, uint64(i))
		for j := i * i; j < limit; j += 2 * i {
			composite[j] = true
		}
	}
	return out
}

// rsaExponent is the public exponent OpenSSL uses (65537, a prime).
const rsaExponent = 65537

// maxDelta bounds the search from one random start: past it, a new start is drawn (primes
// are 710 apart on average at 1024 bits).
const maxDelta = 1 << 16

// genPrime searches a prime of exactly bits bits with its two top bits set (so that two of
// them multiply to a modulus of twice the bits) and p-1 prime to 65537: a random odd start,
// then upwards by 2, skipping numbers a small prime divides. progress gets '.' for each
// number that reaches the probabilistic test and '+' when one passes, as OpenSSL's
// callback prints them.
func genPrime(r io.Reader, bits int, progress func(byte)) (*big.Int, error) {
	buf := make([]byte, (bits+7)/8)
	primes := smallPrimes()
	mods := make([]uint64, len(primes))
	m := new(big.Int)
	for {
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, err
		}
		// The top two bits of the first byte that counts, and no bit above bits.
		extra := uint(len(buf)*8 - bits)
		buf[0] &= byte(0xff >> extra)
		if extra <= 6 {
			buf[0] |= 0xc0 >> extra
		} else {
			buf[0] |= 0x80 >> (extra - 7)
			buf[1] |= 0x80
		}
		buf[len(buf)-1] |= 1
		start := new(big.Int).SetBytes(buf)
		for i, q := range primes {
			mods[i] = m.Mod(start, m.SetUint64(q)).Uint64()
		}
	next:
		for delta := uint64(0); delta < maxDelta; delta += 2 {
			for i, q := range primes {
				if (mods[i]+delta)%q == 0 {
					continue next
				}
			}
			p := new(big.Int).Add(start, m.SetUint64(delta))
			if p.BitLen() != bits {
				break
			}
			progress('.')
			// Baillie-PSW (a Miller-Rabin round to base 2 and a Lucas test): no composite is
			// known to pass it, and random candidates are not crafted to.
			if !p.ProbablyPrime(0) {
				continue
			}
			if new(big.Int).Mod(new(big.Int).Sub(p, big.NewInt(1)), big.NewInt(rsaExponent)).Sign() == 0 {
				continue
			}
			progress('+')
			return p, nil
		}
	}
}

// GenerateRSA makes an RSA key of bits bits (two primes, e = 65537, d the inverse of e
// modulo lcm(p-1, q-1) as OpenSSL computes it, p > q) from r alone. Its Precomputed
// values are not set.
func GenerateRSA(r io.Reader, bits int, progress func(byte)) (*rsa.PrivateKey, error) {
	if bits < 512 || bits > 16384 {
		return nil, errors.New("invalid key size")
	}
	if progress == nil {
		progress = func(byte) {}
	}
	one := big.NewInt(1)
	e := big.NewInt(rsaExponent)
	for {
		p, err := genPrime(r, bits-bits/2, progress)
		if err != nil {
			return nil, err
		}
		progress('*')
		q, err := genPrime(r, bits/2, progress)
		if err != nil {
			return nil, err
		}
		progress('*')
		if p.Cmp(q) == 0 {
			continue
		}
		if p.Cmp(q) < 0 {
			p, q = q, p
		}
		n := new(big.Int).Mul(p, q)
		if n.BitLen() != bits {
			continue
		}
		p1, q1 := new(big.Int).Sub(p, one), new(big.Int).Sub(q, one)
		g := new(big.Int).GCD(nil, nil, p1, q1)
		lambda := new(big.Int).Div(new(big.Int).Mul(p1, q1), g)
		d := new(big.Int).ModInverse(e, lambda)
		if d == nil {
			continue
		}
		// Not key.Precompute or Validate: they link crypto/rsa's FIPS module into the wasm,
		// and engine/pki signs and writes keys in math/big.
		return &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: n, E: rsaExponent}, D: d, Primes: []*big.Int{p, q}}, nil
	}
}

// GenerateEC makes a key on curve: a scalar drawn from r, below the curve's order.
func GenerateEC(r io.Reader, curve elliptic.Curve) (*ecdsa.PrivateKey, error) {
	n := curve.Params().N
	buf := make([]byte, (n.BitLen()+7)/8)
	for {
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, err
		}
		if extra := uint(len(buf)*8 - n.BitLen()); extra > 0 {
			buf[0] &= byte(0xff >> extra)
		}
		d := new(big.Int).SetBytes(buf)
		if d.Sign() == 0 || d.Cmp(n) >= 0 {
			continue
		}
		return ecdsa.ParseRawPrivateKey(curve, buf)
	}
}
