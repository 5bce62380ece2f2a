// Package openssl is the `openssl` command of kubetab's terminal, for the docs pages that
// make a self-signed certificate (Connecting Applications with Services): `req -x509`,
// `x509` (-text, -subject, -dates ...), `genrsa`,
// `rand` and `version`, as OpenSSL 3.0 prints them and with its errors for bad usage.
//
// Keys and certificates are real: PKCS #8 PEM keys and self-signed X.509 certificates
// signed by them (engine/pki writes them), which crypto/x509 parses. They are
// deterministic: every random byte comes from the Env's Rand (a stream of the session's
// seed), and times from its virtual Now. Go 1.26's rsa.GenerateKey and ecdsa.GenerateKey
// ignore the reader they are given (they always read crypto/rand), so RSA primes are
// searched here with math/big and an EC key is its scalar read from the stream.
// Certificate requests (req without -x509) are not made.
//
// The package imports the standard library, package filters (its Call) and engine/pki; it
// must not import crypto/rand, syscall/js, call time.Now, use global math/rand or start
// goroutines.
package openssl
