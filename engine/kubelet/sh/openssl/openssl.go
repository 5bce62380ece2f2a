package openssl

import (
	"crypto"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/kubetab/kubetab/engine/kubelet/sh/filters"
	"github.com/kubetab/kubetab/engine/pki"
)

// Env is what openssl draws on besides its Call: random bytes and the time.
type Env struct {
	Rand io.Reader
	Now  time.Time
}

// Version is the OpenSSL kubetab's openssl speaks as (Debian bookworm's, a kind node's).
const Version = "OpenSSL 3.0.15 3 Sep 2024 (Library: OpenSSL 3.0.15 3 Sep 2024)"

// Run runs `openssl SUBCOMMAND ...`.
func Run(c *filters.Call, env Env) int {
	if len(c.Args) < 2 {
		c.Err("openssl: kubetab's openssl runs one command at a time: openssl req|x509|genrsa|rand|version ...")
		return 1
	}
	cmd := &command{Call: c, env: env, name: c.Args[1], args: c.Args[2:]}
	switch cmd.name {
	case "req":
		return cmd.req()
	case "x509":
		return cmd.x509()
	case "genrsa":
		return cmd.genrsa()
	case "rand":
		return cmd.rand()
	case "version":
		c.Out(strings.TrimSuffix(Version, " (Library: OpenSSL 3.0.15 3 Sep 2024)") + "\n")
		return 0
	case "help", "-help", "--help":
		c.Out("help:\n\nStandard commands\ngenrsa            rand              req               version\nx509\n\n(kubetab's openssl has these; a real one has many more)\n")
		return 0
	}
	c.Err(fmt.Sprintf("Invalid command '%s'; type \"help\" for a list.", cmd.name))
	return 1
}

// command is one subcommand run: its options read in order.
type command struct {
	*filters.Call
	env  Env
	name string
	args []string
}

func (c *command) errf(format string, a ...any) { c.Err(fmt.Sprintf(format, a...)) }

// usage reports a bad option as OpenSSL 3's option parser does, and returns 1.
func (c *command) usage(format string, a ...any) int {
	c.errf("%s: %s", c.name, fmt.Sprintf(format, a...))
	c.errf("%s: Use -help for summary.", c.name)
	return 1
}

// option is one option a subcommand takes; value tells whether a word follows it.
type option struct {
	value bool
	set   func(v string) bool // false: the value is invalid
}

// parse reads the options (a leading - or --), calling each one's set in order; the words
// that are not options are returned. ok is false after a usage error was reported.
func (c *command) parse(opts map[string]option) (rest []string, ok bool) {
	for i := 0; i < len(c.args); i++ {
		a := c.args[i]
		if !strings.HasPrefix(a, "-") || a == "-" {
			rest = append(rest, a)
			continue
		}
		name := strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		o, known := opts[name]
		if !known {
			c.usage("Unknown option: -%s", name)
			return nil, false
		}
		v := ""
		if o.value {
			if i+1 >= len(c.args) {
				c.usage("Option -%s needs a value", name)
				return nil, false
			}
			i++
			v = c.args[i]
		}
		if !o.set(v) {
			return nil, false
		}
	}
	return rest, true
}

func flag(p *bool) option { return option{set: func(string) bool { *p = true; return true }} }
func value(p *string) option {
	return option{value: true, set: func(v string) bool { *p = v; return true }}
}
func ignoredValue() option { return option{value: true, set: func(string) bool { return true }} }
func ignored() option      { return option{set: func(string) bool { return true }} }
func (c *command) number(p *int, name string) option {
	return option{value: true, set: func(v string) bool {
		n, err := strconv.Atoi(v)
		if err != nil {
			c.usage("Invalid number \"%s\" for option -%s", v, name)
			return false
		}
		*p = n
		return true
	}}
}

// writeOut writes data to file, or standard output for "".
func (c *command) writeOut(file, data string) bool {
	if file == "" {
		c.Out(data)
		return true
	}
	if err := c.WriteFile(file, data, false); err != nil {
		c.errf("Could not open file or uri for loading: %s", file)
		c.errf("%s: Can't open \"%s\" for writing, %s", c.name, file, c.ErrText(err))
		return false
	}
	return true
}

// readIn reads file, or standard input for "" or "-".
func (c *command) readIn(file string) (string, error) {
	if file == "" || file == "-" {
		in, _ := c.Inputs(nil)
		return in[0], nil
	}
	return c.ReadFile(file)
}

// progress prints OpenSSL's key generation symbols to standard error, one line for the key
// as OpenSSL's callback writes it (the terminal wraps it).
type progress struct {
	c    *command
	line []byte
}

func (p *progress) add(b byte) { p.line = append(p.line, b) }

func (p *progress) flush() {
	if len(p.line) > 0 {
		p.c.Err(string(p.line))
		p.line = p.line[:0]
	}
}

// newKey makes the key `-newkey ALG` names: rsa:BITS (rsa alone: 2048), ec (P-256, or the
// curve of -pkeyopt ec_paramgen_curve:NAME).
func (c *command) newKey(alg, curveName string) (crypto.Signer, bool) {
	kind, param, _ := strings.Cut(alg, ":")
	switch kind {
	case "rsa":
		bits := 2048
		if param != "" {
			n, err := strconv.Atoi(param)
			if err != nil || n < 512 || n > 16384 {
				c.errf("Invalid RSA key length \"%s\"", param)
				c.errf("Error generating a rsa key")
				return nil, false
			}
			bits = n
		}
		p := &progress{c: c}
		key, err := GenerateRSA(c.env.Rand, bits, p.add)
		p.flush()
		if err != nil {
			c.errf("Error generating a rsa key: %v", err)
			return nil, false
		}
		return key, true
	case "ec":
		name := curveName
		if name == "" {
			name = param
		}
		curve, ok := curveByName(name)
		if !ok {
			c.errf("%s: Unknown curve name \"%s\" (kubetab's openssl knows prime256v1 (P-256), secp384r1 (P-384), secp521r1 (P-521))", c.name, name)
			return nil, false
		}
		key, err := GenerateEC(c.env.Rand, curve)
		if err != nil {
			c.errf("Error generating an ec key: %v", err)
			return nil, false
		}
		return key, true
	}
	c.errf("Unknown algorithm %s", kind)
	c.errf("Error generating a %s key", kind)
	return nil, false
}

// curveByName knows OpenSSL's and NIST's names of the curves Go has; "" is P-256.
func curveByName(name string) (elliptic.Curve, bool) {
	switch name {
	case "", "prime256v1", "P-256", "secp256r1":
		return elliptic.P256(), true
	case "secp384r1", "P-384":
		return elliptic.P384(), true
	case "secp521r1", "P-521":
		return elliptic.P521(), true
	}
	return nil, false
}

// keyPEM is a key as OpenSSL 3 writes it: PKCS #8, unencrypted.
func keyPEM(key crypto.Signer) string {
	der, err := pki.MarshalPrivateKey(key)
	if err != nil {
		return ""
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// readKey reads a PEM private key (PKCS #8, PKCS #1 or SEC 1).
func readKey(data string) (crypto.Signer, error) {
	rest := []byte(data)
	for {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			return nil, errors.New("no private key")
		}
		switch b.Type {
		case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY":
			return pki.ParsePrivateKey(b.Bytes)
		}
	}
}

// parseSubject reads -subj /TYPE=value/TYPE=value into a name in the order given (Go's
// pkix.Name would reorder it), \/ escaping a slash in a value.
func parseSubject(s string) ([]pki.Attribute, error) {
	if !strings.HasPrefix(s, "/") {
		return nil, fmt.Errorf("name is expected to be in the format /type0=value0/type1=value1/type2=... where characters may be escaped by \\. This name is not in that format: '%s'", s)
	}
	var attrs []pki.Attribute
	var parts []string
	var cur strings.Builder
	for i := 1; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
		case s[i] == '/':
			parts = append(parts, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(s[i])
		}
	}
	parts = append(parts, cur.String())
	for _, p := range parts {
		if p == "" {
			continue
		}
		typ, val, ok := strings.Cut(p, "=")
		if !ok {
			//lint:ignore ST1005 OpenSSL's own message, as it prints it
			return nil, errors.New("Hit end of string before finding the '='")
		}
		if !pki.KnownAttribute(typ) {
			//lint:ignore ST1005 OpenSSL's own message, as it prints it
			return nil, fmt.Errorf("Skipping unknown attribute \"%s\"", typ)
		}
		if val == "" {
			continue // OpenSSL leaves out an attribute with no value
		}
		attrs = append(attrs, pki.Attribute{Type: typ, Value: val})
	}
	return attrs, nil
}

// addSAN reads -addext subjectAltName=DNS:a,IP:b into the certificate.
func addSAN(c *pki.Certificate, ext string) error {
	name, val, ok := strings.Cut(ext, "=")
	if !ok || strings.TrimSpace(name) != "subjectAltName" {
		return fmt.Errorf("kubetab's openssl takes only -addext subjectAltName=DNS:NAME,IP:ADDRESS, not %q", ext)
	}
	return pki.ParseSAN(c, val)
}

func (c *command) req() int {
	var x509Out, nodes, newReq, text, noout bool
	var days = 30
	var newkey, keyout, out, subj, keyFile, in, curve string
	var addext []string
	opts := map[string]option{
		"x509": flag(&x509Out), "nodes": flag(&nodes), "noenc": flag(&nodes), "new": flag(&newReq),
		"text": flag(&text), "noout": flag(&noout), "days": c.number(&days, "days"),
		"newkey": value(&newkey), "keyout": value(&keyout), "out": value(&out), "subj": value(&subj),
		"key": value(&keyFile), "in": value(&in), "batch": ignored(), "verbose": ignored(),
		"sha256": ignored(), "sha384": ignored(), "sha512": ignored(), "sha1": ignored(), "utf8": ignored(),
		"config": ignoredValue(), "reqexts": ignoredValue(), "extensions": ignoredValue(),
		"pkeyopt": {value: true, set: func(v string) bool {
			if n, ok := strings.CutPrefix(v, "ec_paramgen_curve:"); ok {
				curve = n
			}
			return true
		}},
		"addext": {value: true, set: func(v string) bool { addext = append(addext, v); return true }},
	}
	rest, ok := c.parse(opts)
	if !ok {
		return 1
	}
	if len(rest) > 0 {
		return c.usage("Extra option: \"%s\"", rest[0])
	}
	if in != "" {
		c.errf("req: kubetab's openssl makes requests and certificates; it does not read them back (-in)")
		return 1
	}
	if newkey == "" && keyFile == "" {
		if !newReq && !x509Out {
			c.errf("req: kubetab's openssl needs -new or -x509 with -newkey ALG or -key FILE")
			return 1
		}
		newkey = "rsa:2048" // OpenSSL makes a key of its config's default_bits
	}
	if newkey != "" && !nodes {
		c.errf("req: kubetab's openssl writes only unencrypted keys, and asks for no pass phrase: add -nodes (-noenc)")
		return 1
	}
	if subj == "" {
		c.errf("req: kubetab's openssl asks no questions for the subject: give it as -subj \"/CN=NAME/O=ORG\"")
		return 1
	}
	attrs, err := parseSubject(subj)
	if err != nil {
		c.errf("%s", err)
		c.errf("Error making certificate request")
		return 1
	}
	rawName, err := pki.Name(attrs)
	if err != nil {
		c.errf("req: %v", err)
		return 1
	}
	if !x509Out {
		c.errf("req: kubetab's openssl makes self-signed certificates (-x509), not certificate requests")
		return 1
	}
	if days <= 0 {
		return c.usage("Invalid number \"%d\" for option -days", days)
	}
	var key crypto.Signer
	if keyFile != "" {
		data, err := c.ReadFile(keyFile)
		if err != nil {
			c.errf("Could not open file or uri for loading private key from %s", keyFile)
			return 1
		}
		if key, err = readKey(data); err != nil {
			c.errf("Could not read private key from %s", keyFile)
			return 1
		}
	} else {
		var ok bool
		if key, ok = c.newKey(newkey, curve); !ok {
			return 1
		}
		c.Err("-----")
		if keyout == "" {
			keyout = "privkey.pem" // OpenSSL's default
		}
		if !c.writeOut(keyout, keyPEM(key)) {
			return 1
		}
	}
	serial := make([]byte, 20)
	io.ReadFull(c.env.Rand, serial)
	serial[0] &= 0x7f
	now := c.env.Now.UTC().Truncate(time.Second)
	t := pki.Certificate{Serial: new(big.Int).SetBytes(serial), Subject: rawName,
		NotBefore: now, NotAfter: now.Add(time.Duration(days) * 24 * time.Hour)}
	for _, e := range addext {
		if err := addSAN(&t, e); err != nil {
			c.errf("req: %v", err)
			return 1
		}
	}
	der, err := pki.SelfSigned(t, key)
	if err != nil {
		c.errf("req: %v", err)
		return 1
	}
	var b strings.Builder
	if text {
		if cert, err := x509.ParseCertificate(der); err == nil {
			b.WriteString(certText(cert))
		}
	}
	if !noout {
		b.Write(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	}
	if !c.writeOut(out, b.String()) {
		return 1
	}
	return 0
}

func (c *command) genrsa() int {
	var out string
	opts := map[string]option{"out": value(&out), "verbose": ignored(), "quiet": ignored(), "traditional": ignored(), "f4": ignored(), "3": ignored()}
	rest, ok := c.parse(opts)
	if !ok {
		return 1
	}
	bits := 2048
	if len(rest) > 1 {
		return c.usage("Extra arguments given.")
	}
	if len(rest) == 1 {
		n, err := strconv.Atoi(rest[0])
		if err != nil || n <= 0 {
			return c.usage("Invalid number \"%s\" for option -numbits", rest[0])
		}
		bits = n
	}
	if bits < 512 || bits > 16384 {
		c.errf("Error generating RSA key")
		return 1
	}
	p := &progress{c: c}
	key, err := GenerateRSA(c.env.Rand, bits, p.add)
	p.flush()
	if err != nil {
		c.errf("Error generating RSA key: %v", err)
		return 1
	}
	if !c.writeOut(out, keyPEM(key)) {
		return 1
	}
	return 0
}

// maxRandBytes bounds `openssl rand`, as the shell bounds a value.
const maxRandBytes = filters.MaxValueBytes / 2

func (c *command) rand() int {
	var b64, hexOut bool
	var out string
	opts := map[string]option{"base64": flag(&b64), "hex": flag(&hexOut), "out": value(&out)}
	rest, ok := c.parse(opts)
	if !ok {
		return 1
	}
	if len(rest) != 1 {
		if len(rest) == 0 {
			return c.usage("No number given.")
		}
		return c.usage("Extra arguments given.")
	}
	n, err := strconv.Atoi(rest[0])
	if err != nil || n < 0 {
		return c.usage("Invalid number \"%s\" for option -num", rest[0])
	}
	if n > maxRandBytes {
		c.errf("rand: kubetab's openssl writes at most %d bytes", maxRandBytes)
		return 1
	}
	buf := make([]byte, n)
	io.ReadFull(c.env.Rand, buf)
	var s string
	switch {
	case b64:
		enc := base64.StdEncoding.EncodeToString(buf)
		var b strings.Builder
		for len(enc) > 64 {
			b.WriteString(enc[:64] + "\n")
			enc = enc[64:]
		}
		if enc != "" {
			b.WriteString(enc + "\n")
		}
		s = b.String()
	case hexOut:
		s = hex.EncodeToString(buf) + "\n"
	default:
		s = string(buf)
	}
	if !c.writeOut(out, s) {
		return 1
	}
	return 0
}

func (c *command) x509() int {
	var in, out string
	var noout bool
	var prints []string // -text, -subject ... in the order given, as OpenSSL prints them
	pr := func(name string) option {
		return option{set: func(string) bool { prints = append(prints, name); return true }}
	}
	opts := map[string]option{
		"in": value(&in), "out": value(&out), "noout": flag(&noout), "inform": ignoredValue(), "outform": ignoredValue(),
		"text": pr("text"), "subject": pr("subject"), "issuer": pr("issuer"), "dates": pr("dates"),
		"startdate": pr("startdate"), "enddate": pr("enddate"), "serial": pr("serial"),
		"fingerprint": pr("fingerprint"), "pubkey": pr("pubkey"), "modulus": pr("modulus"),
		"ext":  {value: true, set: func(v string) bool { prints = append(prints, "ext:"+v); return true }},
		"sha1": ignored(), "sha256": {set: func(string) bool { prints = append(prints, "sha256"); return true }},
		"nameopt": ignoredValue(),
	}
	rest, ok := c.parse(opts)
	if !ok {
		return 1
	}
	if len(rest) > 0 {
		return c.usage("Extra option: \"%s\"", rest[0])
	}
	data, err := c.readIn(in)
	if err != nil {
		c.errf("Could not open file or uri for loading certificate from %s", in)
		c.errf("error:80000002:system library::%s", c.ErrText(err))
		c.errf("Unable to load certificate")
		return 1
	}
	var block *pem.Block
	for rest := []byte(data); ; {
		if block, rest = pem.Decode(rest); block == nil || block.Type == "CERTIFICATE" {
			break
		}
	}
	var cert *x509.Certificate
	if block != nil {
		cert, err = x509.ParseCertificate(block.Bytes)
	}
	if block == nil || err != nil {
		from := in
		if from == "" || from == "-" {
			from = "<stdin>"
		}
		c.errf("Could not read certificate from %s", from)
		c.errf("Unable to load certificate")
		return 1
	}
	fpHash := "sha1"
	var b strings.Builder
	for _, p := range prints {
		switch {
		case p == "sha256":
			fpHash = "sha256"
		case p == "text":
			b.WriteString(certText(cert))
		case p == "subject":
			b.WriteString("subject=" + nameText(cert.Subject) + "\n")
		case p == "issuer":
			b.WriteString("issuer=" + nameText(cert.Issuer) + "\n")
		case p == "dates":
			b.WriteString("notBefore=" + asn1Time(cert.NotBefore) + "\nnotAfter=" + asn1Time(cert.NotAfter) + "\n")
		case p == "startdate":
			b.WriteString("notBefore=" + asn1Time(cert.NotBefore) + "\n")
		case p == "enddate":
			b.WriteString("notAfter=" + asn1Time(cert.NotAfter) + "\n")
		case p == "serial":
			b.WriteString("serial=" + strings.ToUpper(cert.SerialNumber.Text(16)) + "\n")
		case p == "fingerprint":
			b.WriteString(fingerprint(cert.Raw, fpHash) + "\n")
		case p == "pubkey":
			if der, err := pki.MarshalPublicKey(cert.PublicKey); err == nil {
				b.Write(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
			}
		case p == "modulus":
			if k, ok := cert.PublicKey.(*rsa.PublicKey); ok {
				b.WriteString("Modulus=" + strings.ToUpper(k.N.Text(16)) + "\n")
			} else {
				b.WriteString("Modulus=No modulus for this public key type\n")
			}
		case strings.HasPrefix(p, "ext:"):
			b.WriteString(extensionsText(cert, strings.Split(p[4:], ","), ""))
		}
	}
	if !noout {
		b.Write(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}))
	}
	if !c.writeOut(out, b.String()) {
		return 1
	}
	return 0
}
