// Package pki writes and reads the few DER structures kubetab's openssl and kubectl need:
// PKCS #8 private keys (RSA and ECDSA, and PKCS #1 and SEC 1 when reading), public keys
// (SubjectPublicKeyInfo) and self-signed X.509 certificates, as OpenSSL writes them.
//
// crypto/x509 can do all of it, but its writers (CreateCertificate, MarshalPKCS8PrivateKey,
// encoding/asn1's reflection-based Marshal) and key parsers cost the wasm about 600 KB
// (90 KB brotli) that kubetab does not have; x509.ParseCertificate, which kubectl already
// links, reads what this package writes. Signatures are deterministic: RSA PKCS #1 v1.5, and
// ECDSA computed here with a nonce derived from the key and the digest (ecsign.go).
//
// It imports only the standard library; like the rest of the engine it must not import
// crypto/rand, call time.Now, use global math/rand or start goroutines.
package pki
