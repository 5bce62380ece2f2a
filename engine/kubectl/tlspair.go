package kubectl

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"errors"
)

// keyMatchesCert checks a certificate (DER) against a private key (DER) as crypto/tls's
// X509KeyPair does for kubectl create secret tls, with its errors.
func keyMatchesCert(certDER, keyDER []byte) error {
	cert, err := x509.ParseCertificate(certDER)
	if err != nil {
		return err
	}
	key, err := parsePrivateKey(keyDER)
	if err != nil {
		return err
	}
	type publicKey interface{ Equal(crypto.PublicKey) bool }
	var pub crypto.PublicKey
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if _, ok := cert.PublicKey.(*rsa.PublicKey); !ok {
			return errors.New("tls: private key type does not match public key type")
		}
		pub = &k.PublicKey
	case *ecdsa.PrivateKey:
		if _, ok := cert.PublicKey.(*ecdsa.PublicKey); !ok {
			return errors.New("tls: private key type does not match public key type")
		}
		pub = &k.PublicKey
	case ed25519.PrivateKey:
		if _, ok := cert.PublicKey.(ed25519.PublicKey); !ok {
			return errors.New("tls: private key type does not match public key type")
		}
		pub = k.Public()
	default:
		return errors.New("tls: unknown public key algorithm")
	}
	if !pub.(publicKey).Equal(cert.PublicKey) {
		return errors.New("tls: private key does not match public key")
	}
	return nil
}

// parsePrivateKey reads PKCS #1, PKCS #8 or SEC 1, as crypto/tls does.
func parsePrivateKey(der []byte) (crypto.PrivateKey, error) {
	if key, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return key, nil
	}
	if key, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		switch key := key.(type) {
		case *rsa.PrivateKey, *ecdsa.PrivateKey, ed25519.PrivateKey:
			return key, nil
		}
		return nil, errors.New("tls: found unknown private key type in PKCS#8 wrapping")
	}
	if key, err := x509.ParseECPrivateKey(der); err == nil {
		return key, nil
	}
	return nil, errors.New("tls: failed to parse private key")
}
