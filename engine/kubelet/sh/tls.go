package sh

import (
	"crypto/x509"
	"encoding/pem"
	"strings"
	"time"
)

// What curl does with https:// (a simulated handshake, no TLS bytes): the server's Env
// says which certificate it presented, and curl checks it as curl with OpenSSL does,
// against --cacert (the node's and the images' trust stores hold no certificate of the
// cluster's: a self-signed one fails) and against the URL's host name, unless -k.

// TLS is what a server said in the handshake of an https request.
type TLS struct {
	// Cert is the server's certificate chain, PEM, its own certificate first.
	Cert string
	// Plain is set when the port speaks plain HTTP: the handshake fails.
	Plain bool
}

// TLSEnv may be implemented by an Env whose servers take part in an https handshake:
// HTTPSGet is HTTPGet for an https URL, with the handshake (nil when the server is not
// simulated to that depth: curl then takes its answer as it is).
type TLSEnv interface {
	HTTPSGet(url, ip string) (status int, body string, tls *TLS, err error)
}

// tlsProblem is the error curl reports for a handshake (its exit status and message), or
// code 0 when the connection is trusted. caPEM is --cacert's file ("" for none).
func tlsProblem(t *TLS, host, caPEM string, now time.Time) (int, string) {
	if t.Plain {
		return 35, "OpenSSL/3.0.15: error:0A00010B:SSL routines::wrong version number"
	}
	certs := parseCerts(t.Cert)
	if len(certs) == 0 {
		return 35, "OpenSSL/3.0.15: error:0A000126:SSL routines::unexpected eof while reading"
	}
	leaf := certs[0]
	roots := parseCerts(caPEM)
	trusted := false
	for _, r := range roots {
		if r.Equal(leaf) || issuedBy(leaf, r) {
			trusted = true
			break
		}
	}
	switch {
	case !trusted && issuedBy(leaf, leaf):
		return 60, "SSL certificate problem: self-signed certificate"
	case !trusted:
		return 60, "SSL certificate problem: unable to get local issuer certificate"
	case now.After(leaf.NotAfter):
		return 60, "SSL certificate problem: certificate has expired"
	case now.Before(leaf.NotBefore):
		return 60, "SSL certificate problem: certificate is not yet valid"
	}
	if len(leaf.DNSNames) > 0 || len(leaf.IPAddresses) > 0 {
		for _, d := range leaf.DNSNames {
			if hostMatches(d, host) {
				return 0, ""
			}
		}
		for _, ip := range leaf.IPAddresses {
			if ip.String() == host {
				return 0, ""
			}
		}
		return 60, "SSL: no alternative certificate subject name matches target host name '" + host + "'"
	}
	// No subjectAltName: OpenSSL (and so curl) falls back to the subject's common name.
	if hostMatches(leaf.Subject.CommonName, host) {
		return 0, ""
	}
	return 60, "SSL: certificate subject name '" + leaf.Subject.CommonName + "' does not match target host name '" + host + "'"
}

// issuedBy tells whether ca issued cert: its issuer is ca's subject and, when both say
// them, its authority key identifier is ca's subject key identifier (a self-issued
// certificate without them: ca has its public key). Signatures are not
// checked: verifying them would link every signature algorithm of crypto/x509 into the
// wasm (160 KB), and every certificate in kubetab is made by its own openssl.
func issuedBy(cert, ca *x509.Certificate) bool {
	switch {
	case string(cert.RawIssuer) != string(ca.RawSubject):
		return false
	case len(cert.AuthorityKeyId) > 0 && len(ca.SubjectKeyId) > 0:
		return string(cert.AuthorityKeyId) == string(ca.SubjectKeyId)
	case string(cert.RawIssuer) == string(cert.RawSubject):
		// Self-issued without key identifiers: its own key signed it.
		return string(cert.RawSubjectPublicKeyInfo) == string(ca.RawSubjectPublicKeyInfo)
	}
	return true
}

// hostMatches compares a certificate's name with a host, a leading *. matching one label.
func hostMatches(pattern, host string) bool {
	pattern, host = strings.ToLower(strings.TrimSuffix(pattern, ".")), strings.ToLower(strings.TrimSuffix(host, "."))
	if rest, ok := strings.CutPrefix(pattern, "*."); ok {
		_, hostRest, found := strings.Cut(host, ".")
		return found && hostRest == rest
	}
	return pattern == host
}

func parseCerts(data string) []*x509.Certificate {
	var out []*x509.Certificate
	rest := []byte(data)
	for {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			return out
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		if c, err := x509.ParseCertificate(b.Bytes); err == nil {
			out = append(out, c)
		}
	}
}

// curlSSLHelp is what curl adds after a certificate it could not verify.
const curlSSLHelp = `More details here: https://curl.se/docs/sslcerts.html

curl failed to verify the legitimacy of the server and therefore could not
establish a secure connection to it. To learn more about this situation and
how to fix it, please visit the web page mentioned above.`

// tlsCheck is how curl checks a handshake: -k, or the --cacert file's content.
type tlsCheck struct {
	insecure bool
	ca       string
}

// tlsError is a failed handshake, with curl's exit status.
type tlsError struct {
	code int
	msg  string
}

func (e *tlsError) Error() string { return e.msg }

// httpsGet is httpGet with the handshake of an https URL checked first.
func (c *cmdCtx) httpsGet(u, host string, check tlsCheck) (int, string, error) {
	env, ok := c.v.env.(TLSEnv)
	if !ok || !strings.HasPrefix(u, "https://") {
		return c.httpGet(u, host)
	}
	addrs, _, err := c.v.hostAddrs(host)
	if err != nil {
		return c.httpGet(u, host)
	}
	status, body, t, err := env.HTTPSGet(u, addrs[0])
	if err != nil || t == nil {
		return status, body, err
	}
	if code, msg := tlsProblem(t, host, check.ca, c.v.env.Now()); code != 0 && (!check.insecure || t.Plain || code == 35) {
		return 0, "", &tlsError{code: code, msg: msg}
	}
	return status, body, nil
}
