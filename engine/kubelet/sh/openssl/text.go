package openssl

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"strings"
	"time"
)

// What `openssl x509 -text` prints, as OpenSSL 3.0 lays it out.

var attributeNames = map[string]string{
	"2.5.4.6": "C", "2.5.4.8": "ST", "2.5.4.7": "L", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.3": "CN",
	"1.2.840.113549.1.9.1": "emailAddress", "2.5.4.5": "serialNumber",
	"0.9.2342.19200300.100.1.25": "DC", "0.9.2342.19200300.100.1.1": "UID",
}

// nameText is a name as OpenSSL 3 prints it by default: "CN = my-nginx, O = my-nginx", in
// the certificate's own order.
func nameText(n pkix.Name) string {
	var parts []string
	for _, atv := range n.Names {
		t := attributeNames[atv.Type.String()]
		if t == "" {
			t = atv.Type.String()
		}
		parts = append(parts, fmt.Sprintf("%s = %v", t, atv.Value))
	}
	return strings.Join(parts, ", ")
}

// asn1Time is a time as OpenSSL prints it: "Dec  6 06:05:38 2026 GMT".
func asn1Time(t time.Time) string { return t.UTC().Format("Jan _2 15:04:05 2006 GMT") }

// hexBytes writes b as colon-separated hex, perLine bytes a line, each line indented.
func hexBytes(b []byte, perLine int, indent string, upper bool) string {
	var sb strings.Builder
	for i, x := range b {
		if i%perLine == 0 {
			sb.WriteString(indent)
		}
		if upper {
			fmt.Fprintf(&sb, "%02X", x)
		} else {
			fmt.Fprintf(&sb, "%02x", x)
		}
		if i < len(b)-1 {
			sb.WriteByte(':')
		}
		if i%perLine == perLine-1 || i == len(b)-1 {
			sb.WriteByte('\n')
		}
	}
	return sb.String()
}

func fingerprint(der []byte, hash string) string {
	if hash == "sha256" {
		sum := sha256.Sum256(der)
		return "sha256 Fingerprint=" + strings.TrimSuffix(hexBytes(sum[:], len(sum), "", true), "\n")
	}
	sum := sha1.Sum(der)
	return "sha1 Fingerprint=" + strings.TrimSuffix(hexBytes(sum[:], len(sum), "", true), "\n")
}

func signatureName(a x509.SignatureAlgorithm) string {
	switch a {
	case x509.SHA256WithRSA:
		return "sha256WithRSAEncryption"
	case x509.SHA384WithRSA:
		return "sha384WithRSAEncryption"
	case x509.SHA512WithRSA:
		return "sha512WithRSAEncryption"
	case x509.SHA1WithRSA:
		return "sha1WithRSAEncryption"
	case x509.ECDSAWithSHA256:
		return "ecdsa-with-SHA256"
	case x509.ECDSAWithSHA384:
		return "ecdsa-with-SHA384"
	case x509.ECDSAWithSHA512:
		return "ecdsa-with-SHA512"
	case x509.PureEd25519:
		return "ED25519"
	}
	return a.String()
}

// certText is `openssl x509 -text -noout`.
func certText(c *x509.Certificate) string {
	var b strings.Builder
	b.WriteString("Certificate:\n    Data:\n")
	fmt.Fprintf(&b, "        Version: %d (0x%x)\n", c.Version, c.Version-1)
	if c.SerialNumber.IsInt64() && c.SerialNumber.Sign() >= 0 {
		fmt.Fprintf(&b, "        Serial Number: %d (0x%x)\n", c.SerialNumber.Int64(), c.SerialNumber.Int64())
	} else {
		b.WriteString("        Serial Number:\n" + hexBytes(c.SerialNumber.Bytes(), 1<<20, "            ", false))
	}
	fmt.Fprintf(&b, "        Signature Algorithm: %s\n", signatureName(c.SignatureAlgorithm))
	fmt.Fprintf(&b, "        Issuer: %s\n", nameText(c.Issuer))
	fmt.Fprintf(&b, "        Validity\n            Not Before: %s\n            Not After : %s\n", asn1Time(c.NotBefore), asn1Time(c.NotAfter))
	fmt.Fprintf(&b, "        Subject: %s\n", nameText(c.Subject))
	b.WriteString("        Subject Public Key Info:\n")
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		mod := k.N.Bytes()
		if mod[0]&0x80 != 0 {
			mod = append([]byte{0}, mod...)
		}
		fmt.Fprintf(&b, "            Public Key Algorithm: rsaEncryption\n                Public-Key: (%d bit)\n                Modulus:\n", k.N.BitLen())
		b.WriteString(hexBytes(mod, 15, "                    ", false))
		fmt.Fprintf(&b, "                Exponent: %d (0x%x)\n", k.E, k.E)
	case *ecdsa.PublicKey:
		pub, _ := k.Bytes()
		name := k.Curve.Params().Name
		oid := map[string]string{"P-256": "prime256v1", "P-384": "secp384r1", "P-521": "secp521r1"}[name]
		fmt.Fprintf(&b, "            Public Key Algorithm: id-ecPublicKey\n                Public-Key: (%d bit)\n                pub:\n", k.Curve.Params().BitSize)
		b.WriteString(hexBytes(pub, 15, "                    ", false))
		fmt.Fprintf(&b, "                ASN1 OID: %s\n                NIST CURVE: %s\n", oid, name)
	default:
		fmt.Fprintf(&b, "            Public Key Algorithm: %s\n", c.PublicKeyAlgorithm)
	}
	if len(c.Extensions) > 0 {
		b.WriteString("        X509v3 extensions:\n")
		b.WriteString(extensionsText(c, nil, "            "))
	}
	fmt.Fprintf(&b, "    Signature Algorithm: %s\n    Signature Value:\n", signatureName(c.SignatureAlgorithm))
	b.WriteString(hexBytes(c.Signature, 18, "        ", false))
	return b.String()
}

// extensionsText prints the certificate's extensions (only those named in only, by
// OpenSSL's short names, when only is set), each at indent and its value four further.
func extensionsText(c *x509.Certificate, only []string, indent string) string {
	want := func(short string) bool {
		if only == nil {
			return true
		}
		for _, o := range only {
			if o == short {
				return true
			}
		}
		return false
	}
	var b strings.Builder
	for _, e := range c.Extensions {
		crit := "" // OpenSSL writes ": " and the word, so a non-critical title ends in a space
		if e.Critical {
			crit = "critical"
		}
		var title, short, val string
		switch e.Id.String() {
		case "2.5.29.14":
			title, short, val = "X509v3 Subject Key Identifier", "subjectKeyIdentifier", strings.TrimSuffix(hexBytes(c.SubjectKeyId, 1<<20, "", true), "\n")
		case "2.5.29.35":
			title, short, val = "X509v3 Authority Key Identifier", "authorityKeyIdentifier", strings.TrimSuffix(hexBytes(c.AuthorityKeyId, 1<<20, "", true), "\n")
		case "2.5.29.19":
			title, short, val = "X509v3 Basic Constraints", "basicConstraints", "CA:FALSE"
			if c.IsCA {
				val = "CA:TRUE"
				if c.MaxPathLen > 0 || c.MaxPathLenZero {
					val += fmt.Sprintf(", pathlen:%d", c.MaxPathLen)
				}
			}
		case "2.5.29.17":
			title, short = "X509v3 Subject Alternative Name", "subjectAltName"
			var names []string
			for _, d := range c.DNSNames {
				names = append(names, "DNS:"+d)
			}
			for _, ip := range c.IPAddresses {
				names = append(names, "IP Address:"+ip.String())
			}
			for _, m := range c.EmailAddresses {
				names = append(names, "email:"+m)
			}
			val = strings.Join(names, ", ")
		case "2.5.29.15":
			title, short = "X509v3 Key Usage", "keyUsage"
			val = keyUsageText(c.KeyUsage)
		default:
			title, short, val = e.Id.String(), e.Id.String(), strings.TrimSuffix(hexBytes(e.Value, 1<<20, "", true), "\n")
		}
		if !want(short) {
			continue
		}
		fmt.Fprintf(&b, "%s%s: %s\n%s    %s\n", indent, title, crit, indent, val)
	}
	return b.String()
}

func keyUsageText(u x509.KeyUsage) string {
	names := []string{"Digital Signature", "Non Repudiation", "Key Encipherment", "Data Encipherment", "Key Agreement", "Certificate Sign", "CRL Sign", "Encipher Only", "Decipher Only"}
	var out []string
	for i, n := range names {
		if u&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return strings.Join(out, ", ")
}
