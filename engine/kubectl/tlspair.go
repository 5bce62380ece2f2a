package kubectl

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"errors"

	"github.com/kubetab/kubetab/engine/pki"
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
	default:
		return errors.New("tls: unknown public key algorithm")
	}
	if !pub.(publicKey).Equal(cert.PublicKey) {
		return errors.New("tls: private key does not match public key")
	}
	return nil
}

// parsePrivateKey reads PKCS #1, PKCS #8 or SEC 1, as crypto/tls does (RSA and ECDSA keys:
// kubetab links no other).
func parsePrivateKey(der []byte) (crypto.PrivateKey, error) {
	key, err := pki.ParsePrivateKey(der)
	if err != nil {
		return nil, errors.New("tls: failed to parse private key")
	}
	return key, nil
}
