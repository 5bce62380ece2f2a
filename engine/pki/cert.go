package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/big"
	"net/netip"
	"strings"
	"time"
)

// Attribute is one attribute of a distinguished name, by OpenSSL's short name (CN, O ...).
type Attribute struct{ Type, Value string }

// attributeArcs are the short names -subj takes.
var attributeArcs = map[string][]int{
	"C": {2, 5, 4, 6}, "ST": {2, 5, 4, 8}, "L": {2, 5, 4, 7}, "O": {2, 5, 4, 10}, "OU": {2, 5, 4, 11},
	"CN": {2, 5, 4, 3}, "emailAddress": {1, 2, 840, 113549, 1, 9, 1}, "serialNumber": {2, 5, 4, 5},
	"DC": {0, 9, 2342, 19200300, 100, 1, 25}, "UID": {0, 9, 2342, 19200300, 100, 1, 1},
}

// KnownAttribute tells whether a short name is one Name writes.
func KnownAttribute(t string) bool { _, ok := attributeArcs[t]; return ok }

// Name is a distinguished name in the order given, one attribute per RDN, values as
// UTF8String (a country as PrintableString, as OpenSSL writes them).
func Name(attrs []Attribute) ([]byte, error) {
	var rdns [][]byte
	for _, a := range attrs {
		arcs, ok := attributeArcs[a.Type]
		if !ok {
			return nil, fmt.Errorf("unknown attribute %q", a.Type)
		}
		tag := byte(tagUTF8String)
		if a.Type == "C" {
			tag = tagPrintable
		}
		rdns = append(rdns, set(sequence(oid(arcs...), tlv(tag, []byte(a.Value)))))
	}
	return sequence(rdns...), nil
}

// Certificate is what a self-signed certificate says.
type Certificate struct {
	Serial              *big.Int
	Subject             []byte // a Name
	NotBefore, NotAfter time.Time
	DNSNames, Emails    []string
	IPs                 []netip.Addr
}

// SubjectKeyID is OpenSSL's subjectKeyIdentifier=hash: the SHA-1 of the public key bits.
func SubjectKeyID(pub crypto.PublicKey) ([]byte, error) {
	_, bits, err := algorithmAndKey(pub)
	if err != nil {
		return nil, err
	}
	sum := sha1.Sum(bits)
	return sum[:], nil
}

func extension(arcs []int, critical bool, value []byte) []byte {
	if critical {
		return sequence(oid(arcs...), boolean(true), octets(value))
	}
	return sequence(oid(arcs...), octets(value))
}

// SelfSigned makes c's certificate (DER) for key, signed by key with SHA-256, with the
// extensions of OpenSSL's req -x509 (subject and authority key identifiers, CA:TRUE
// critical) and the subjectAltName of c's names.
func SelfSigned(c Certificate, key crypto.Signer) ([]byte, error) {
	alg, bits, err := algorithmAndKey(key.Public())
	if err != nil {
		return nil, err
	}
	sigAlg := sequence(oidSHA256RSA, null())
	if _, ec := key.(*ecdsa.PrivateKey); ec {
		sigAlg = sequence(oidSHA256EC)
	}
	ski, _ := SubjectKeyID(key.Public())
	exts := [][]byte{
		extension([]int{2, 5, 29, 14}, false, octets(ski)),
		extension([]int{2, 5, 29, 35}, false, sequence(tlv(0x80, ski))),
		extension([]int{2, 5, 29, 19}, true, sequence(boolean(true))),
	}
	var san [][]byte
	for _, d := range c.DNSNames {
		san = append(san, tlv(0x82, []byte(d)))
	}
	for _, ip := range c.IPs {
		san = append(san, tlv(0x87, ip.AsSlice()))
	}
	for _, m := range c.Emails {
		san = append(san, tlv(0x81, []byte(m)))
	}
	if len(san) > 0 {
		exts = append(exts, extension([]int{2, 5, 29, 17}, false, sequence(san...)))
	}
	tbs := sequence(
		explicit(0, smallInt(2)), integer(c.Serial), sigAlg, c.Subject,
		sequence(timeDER(c.NotBefore), timeDER(c.NotAfter)), c.Subject,
		sequence(alg, bitString(bits)), explicit(3, sequence(exts...)))
	digest := sha256.Sum256(tbs)
	var sig []byte
	switch k := key.(type) {
	case *rsa.PrivateKey:
		sig, err = signRSA(k, digest[:]) // rsa.go
	case *ecdsa.PrivateKey:
		sig, err = signECDSA(k, digest[:]) // ecsign.go
	default:
		err = errKeyType
	}
	if err != nil {
		return nil, err
	}
	return sequence(tbs, sigAlg, bitString(sig)), nil
}

// ParseSAN reads OpenSSL's subjectAltName=DNS:a,IP:b,email:c into c.
func ParseSAN(c *Certificate, value string) error {
	for _, e := range strings.Split(value, ",") {
		kind, v, _ := strings.Cut(strings.TrimSpace(e), ":")
		switch kind {
		case "DNS":
			c.DNSNames = append(c.DNSNames, v)
		case "IP":
			ip, err := netip.ParseAddr(v)
			if err != nil {
				return fmt.Errorf("bad IP address %q", v)
			}
			c.IPs = append(c.IPs, ip)
		case "email":
			c.Emails = append(c.Emails, v)
		default:
			return errors.New("unknown subjectAltName type " + kind)
		}
	}
	return nil
}
