// Package openssl is the `openssl` command of kubetab's terminal, for the docs pages that
// make a self-signed certificate (Connecting Applications with Services): `req -x509`
// (and a certificate request without it), `x509` (-text, -subject, -dates ...), `genrsa`,
// `rand` and `version`, as OpenSSL 3.0 prints them and with its errors for bad usage.
//
// Keys, certificates and requests are real: PKCS#8 PEM keys, DER certificates signed by
// them, parsed by crypto/x509. They are deterministic: every random byte comes from the
// Env's Rand (the cluster's "openssl" stream), and times from its virtual Now. Go 1.26's
// rsa.GenerateKey and ecdsa.GenerateKey ignore the reader they are given (they always
// read crypto/rand), so RSA primes are searched here with math/big and an EC key is its
// scalar read from the stream; ECDSA signatures are RFC 6979's deterministic ones (a nil
// reader), RSA PKCS #1 v1.5 signatures are deterministic by nature.
//
// The package imports the standard library and package filters (its Call); it must not
// import crypto/rand, syscall/js, call time.Now, use global math/rand or start goroutines.
package openssl
