package kubectl

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kubetab/kubetab/engine/api"
)

// kubectl create configmap and create secret generic|tls|docker-registry
// (k8s.io/kubectl pkg/cmd/create): objects built from literals, files, directories and env
// files, then created through the API server, or printed with --dry-run=client.

// createSubcommandFlags are the flags every create subcommand has (its PrintFlags, the apply
// annotation, validation and dry-run flags, --append-hash).
type createSubcommandFlags struct {
	Output, DryRun, Validate, FieldManager string
	SaveConfig, AppendHash                 bool
	name                                   string // the NAME argument
}

func (f *createSubcommandFlags) add(fs *flagSet) {
	fs.String(&f.Output, "output", "o", "")
	addDryRun(fs, &f.DryRun)
	fs.String(&f.Validate, "validate", "", "strict").noOpt("true")
	fs.String(&f.FieldManager, "field-manager", "", "kubectl-create")
	fs.Bool(&f.SaveConfig, "save-config", "", false)
	fs.Bool(&f.AppendHash, "append-hash", "", false)
}

func (f *createSubcommandFlags) readOnly() bool { return !dryRunWrites(f.DryRun) }

// complete is NameFromCommandArgs: exactly one NAME.
func (f *createSubcommandFlags) complete(e *env, args []string) error {
	if len(args) != 1 {
		return e.usageError("exactly one NAME is required, got %d", len(args))
	}
	f.name = args[0]
	return nil
}

// create sends the object kubectl built, or prints it for --dry-run=client. An error of the
// API server is wrapped as the command wraps it (`failed to create configmap: ...`,
// `failed to create secret ...`), which kubectl then prints as a plain error.
func (f *createSubcommandFlags) create(e *env, obj api.Object, wrap string) error {
	if f.SaveConfig {
		api.SetTypeMeta(obj)
		if _, err := setLastApplied(obj); err != nil {
			return err
		}
	}
	dry, err := dryRunClient(f.DryRun)
	if err != nil {
		return err
	}
	api.SetTypeMeta(obj)
	if dry {
		if e.nsSet {
			obj.SetNamespace(e.ns)
		}
		return e.printResult(f.Output, obj, "created (dry run)")
	}
	created, err := e.createObject(obj)
	if err != nil {
		return errors.New(wrap + err.Error())
	}
	return e.printResult(f.Output, created, "created")
}

// configSourceFlags are --from-file, --from-literal and --from-env-file.
type configSourceFlags struct {
	FileSources, LiteralSources, EnvFileSources []string
}

func (s *configSourceFlags) add(fs *flagSet) {
	fs.StringSlice(&s.FileSources, "from-file", "")
	fs.StringArray(&s.LiteralSources, "from-literal", "")
	fs.StringSlice(&s.EnvFileSources, "from-env-file", "")
}

func (s *configSourceFlags) validate() error {
	if len(s.EnvFileSources) > 0 && (len(s.FileSources) > 0 || len(s.LiteralSources) > 0) {
		return errors.New("from-env-file cannot be combined with from-file or from-literal")
	}
	return nil
}

type createConfigMapOptions struct {
	createSubcommandFlags
	configSourceFlags
}

var createConfigMapCommand = &command{
	name:    "configmap",
	aliases: []string{"cm"},
	short:   "Create a config map from a local file, directory or literal value",
	usage:   "create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none]",
	options: func(fs *flagSet) commandOptions {
		o := &createConfigMapOptions{}
		o.createSubcommandFlags.add(fs)
		o.configSourceFlags.add(fs)
		return o
	},
}

func (o *createConfigMapOptions) validate(*env) error { return o.configSourceFlags.validate() }

func (o *createConfigMapOptions) run(e *env) error {
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: o.name}, Data: map[string]string{}, BinaryData: map[string][]byte{}}
	add := func(key string, data []byte) error {
		if errs := validation.IsConfigMapKey(key); len(errs) > 0 {
			return fmt.Errorf("%q is not a valid key name for a ConfigMap: %s", key, strings.Join(errs, ","))
		}
		if _, ok := cm.Data[key]; ok {
			return fmt.Errorf("cannot add key %q, another key by that name already exists in Data for ConfigMap %q", key, cm.Name)
		}
		if _, ok := cm.BinaryData[key]; ok {
			return fmt.Errorf("cannot add key %q, another key by that name already exists in BinaryData for ConfigMap %q", key, cm.Name)
		}
		// What is not UTF-8 goes to binaryData.
		if utf8.Valid(data) {
			cm.Data[key] = string(data)
		} else {
			cm.BinaryData[key] = data
		}
		return nil
	}
	if err := e.readConfigSources(o.configSourceFlags, "env config file cannot be a directory", add); err != nil {
		return err
	}
	if o.AppendHash {
		cm.Name += "-" + configHash(map[string]any{"kind": "ConfigMap", "name": cm.Name, "data": cm.Data}, len(cm.BinaryData) > 0, "binaryData", cm.BinaryData)
	}
	return o.create(e, cm, "failed to create configmap: ")
}

// readConfigSources reads the files, literals and env files of a create configmap or create
// secret generic, in kubectl's order for that command, and adds each key.
func (e *env) readConfigSources(s configSourceFlags, envDirError string, add func(key string, data []byte) error) error {
	for _, src := range s.FileSources {
		if err := e.addFileSource(src, add); err != nil {
			return err
		}
	}
	for _, src := range s.LiteralSources {
		key, value, err := parseLiteralSource(src)
		if err != nil {
			return err
		}
		if err := add(key, []byte(value)); err != nil {
			return err
		}
	}
	for _, p := range s.EnvFileSources {
		if err := e.addEnvFile(p, envDirError, add); err != nil {
			return err
		}
	}
	return nil
}

// parseLiteralSource is kubectl's ParseLiteralSource: key=value, split at the first '='.
func parseLiteralSource(src string) (string, string, error) {
	key, value, ok := strings.Cut(src, "=")
	if !ok || key == "" {
		return "", "", fmt.Errorf("invalid literal source %v, expected key=value", src)
	}
	return key, value, nil
}

// parseFileSource is kubectl's ParseFileSource: path, or key=path.
func parseFileSource(src string) (key, filePath string, err error) {
	switch n := strings.Count(src, "="); {
	case n == 0:
		return path.Base(src), src, nil
	case n == 1 && strings.HasPrefix(src, "="):
		return "", "", fmt.Errorf("key name for file path %v missing", strings.TrimPrefix(src, "="))
	case n == 1 && strings.HasSuffix(src, "="):
		return "", "", fmt.Errorf("file path for key name %v missing", strings.TrimSuffix(src, "="))
	case n > 1:
		return "", "", errors.New("key names or file paths cannot contain '='")
	}
	key, filePath, _ = strings.Cut(src, "=")
	return key, filePath, nil
}

// isDir tells whether a path names a directory of the user's files, and its files if so.
func (e *env) isDir(p string) ([]string, bool) {
	if e.io.ListDir == nil {
		return nil, false
	}
	names, err := e.io.ListDir(p)
	return names, err == nil
}

// readUserFile reads one of the user's files with kubectl's error for a missing one.
func (e *env) readUserFile(p string) ([]byte, error) {
	if e.io.ReadFile == nil {
		return nil, fmt.Errorf("error reading %s: no such file or directory", p)
	}
	data, err := e.io.ReadFile(p)
	if errors.Is(err, ErrFileTooLarge) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("error reading %s: no such file or directory", p)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("the file %q is larger than kubetab's limit of 1 MiB (%d bytes)", p, len(data))
	}
	return data, nil
}

// addFileSource adds a file (its base name or the given key) or each regular file of a
// directory (by name, in name order).
func (e *env) addFileSource(src string, add func(string, []byte) error) error {
	key, p, err := parseFileSource(src)
	if err != nil {
		return err
	}
	if names, ok := e.isDir(p); ok {
		if strings.Contains(src, "=") {
			return errors.New("cannot give a key name for a directory path")
		}
		sort.Strings(names)
		for _, n := range names {
			full := strings.TrimSuffix(p, "/") + "/" + path.Base(n)
			if _, sub := e.isDir(full); sub {
				continue // only regular files are taken
			}
			data, err := e.readUserFile(full)
			if err != nil {
				return err
			}
			if err := add(path.Base(n), data); err != nil {
				return err
			}
		}
		return nil
	}
	data, err := e.readUserFile(p)
	if err != nil {
		return err
	}
	return add(key, data)
}

// addEnvFile adds the KEY=value lines of an env file (kubectl's AddFromEnvFile): blank lines
// and # comments are skipped, leading blanks trimmed, a BOM on the first line dropped; a
// line without '=' would take the variable from kubectl's own environment, which here is
// empty.
func (e *env) addEnvFile(p, dirError string, add func(string, []byte) error) error {
	return e.readEnvFile(p, dirError, true, add)
}

// readEnvFile is addEnvFile, with or without its check of the keys (kustomize has none).
func (e *env) readEnvFile(p, dirError string, checkKeys bool, add func(string, []byte) error) error {
	if _, ok := e.isDir(p); ok {
		return errors.New(dirError)
	}
	data, err := e.readUserFile(p)
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 0; sc.Scan(); n++ {
		line := sc.Bytes()
		if !utf8.Valid(line) {
			return fmt.Errorf("env file %s contains invalid utf8 bytes at line %d: %v", p, n+1, line)
		}
		if n == 0 {
			line = bytes.TrimPrefix(line, []byte("\xEF\xBB\xBF"))
		}
		line = bytes.TrimLeftFunc(line, unicode.IsSpace)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		key, value, _ := strings.Cut(string(line), "=")
		if errs := validation.IsEnvVarName(key); checkKeys && len(errs) > 0 {
			return fmt.Errorf("%q is not a valid key name: %s", key, strings.Join(errs, ";"))
		}
		if err := add(key, []byte(value)); err != nil {
			return err
		}
	}
	return nil
}

// configHash is kubectl's --append-hash suffix (pkg/util/hash): the first ten hex digits of
// the SHA-256 of the object's JSON, with 0, 1, 3, a and e mapped to consonants.
func configHash(m map[string]any, withExtra bool, extraKey string, extra any) string {
	if withExtra {
		m[extraKey] = extra
	}
	b, _ := json.Marshal(m)
	sum := sha256.Sum256(b)
	return hashSuffix(hex.EncodeToString(sum[:]))
}

// hashSuffix is kubectl's (and kustomize's) encoding of a SHA-256 in hex as a name suffix:
// its first ten digits, with 0, 1, 3, a and e mapped to consonants.
func hashSuffix(hexSum string) string {
	h := []byte(hexSum[:10])
	for i, c := range h {
		switch c {
		case '0':
			h[i] = 'g'
		case '1':
			h[i] = 'h'
		case '3':
			h[i] = 'k'
		case 'a':
			h[i] = 'm'
		case 'e':
			h[i] = 't'
		}
	}
	return string(h)
}

// createSecretCommand is `kubectl create secret`, which only names its subcommands.
var createSecretCommand = &command{
	name:        "secret",
	short:       "Create a secret using a specified subcommand",
	usage:       "create secret (docker-registry | generic | tls) [options]",
	options:     func(*flagSet) commandOptions { return &createSecretOptions{} },
	subcommands: []*command{createSecretGenericCommand, createSecretTLSCommand, createSecretDockerRegistryCommand},
}

type createSecretOptions struct{ plainArgs }

func (o *createSecretOptions) readOnly() bool { return true }

// run is cobra's DefaultSubCommandRun: an unknown subcommand is a usage error; none prints
// the help to stderr and fails.
func (o *createSecretOptions) run(e *env) error {
	if len(o.args) > 0 {
		return e.usageError("unknown command %q", strings.Join(o.args, " "))
	}
	e.errf("Create a secret with specified type.\n\n" +
		" A docker-registry type secret is for accessing a container registry.\n\n" +
		" A generic type secret indicate an Opaque secret type.\n\n" +
		" A tls type secret holds TLS certificate and its associated key.\n\n" +
		"Available Commands:\n" +
		"  docker-registry   Create a secret for use with a Docker registry\n" +
		"  generic           Create a secret from a local file, directory, or literal value\n" +
		"  tls               Create a TLS secret\n\n" +
		"Usage:\n  kubectl create secret (docker-registry | generic | tls) [options]\n\n" +
		"Use \"kubectl create secret <command> --help\" for more information about a given command.\n")
	return errSilent
}

// newSecret is kubectl's newSecretObj.
func newSecret(name string, t corev1.SecretType) *corev1.Secret {
	return &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: name}, Type: t, Data: map[string][]byte{}}
}

// addSecretKey is kubectl's addKeyFromLiteralToSecret.
func addSecretKey(s *corev1.Secret) func(string, []byte) error {
	return func(key string, data []byte) error {
		if errs := validation.IsConfigMapKey(key); len(errs) > 0 {
			return fmt.Errorf("%q is not valid key name for a Secret %s", key, strings.Join(errs, ";"))
		}
		if _, ok := s.Data[key]; ok {
			return fmt.Errorf("cannot add key %s, another key by that name already exists", key)
		}
		s.Data[key] = data
		return nil
	}
}

func (o *createSubcommandFlags) createSecret(e *env, s *corev1.Secret) error {
	if o.AppendHash {
		s.Name += "-" + configHash(map[string]any{"kind": "Secret", "type": s.Type, "name": s.Name, "data": s.Data}, false, "", nil)
	}
	return o.create(e, s, "failed to create secret ")
}

type createSecretGenericOptions struct {
	createSubcommandFlags
	configSourceFlags
	Type string
}

var createSecretGenericCommand = &command{
	name:  "generic",
	short: "Create a secret from a local file, directory, or literal value",
	usage: "create secret generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none]",
	options: func(fs *flagSet) commandOptions {
		o := &createSecretGenericOptions{}
		o.createSubcommandFlags.add(fs)
		o.configSourceFlags.add(fs)
		fs.String(&o.Type, "type", "", "")
		return o
	},
}

func (o *createSecretGenericOptions) validate(*env) error { return o.configSourceFlags.validate() }

func (o *createSecretGenericOptions) run(e *env) error {
	s := newSecret(o.name, corev1.SecretType(o.Type))
	add := addSecretKey(s)
	// A secret takes its literals before its files (createSecret's order).
	lits := configSourceFlags{LiteralSources: o.LiteralSources}
	files := configSourceFlags{FileSources: o.FileSources, EnvFileSources: o.EnvFileSources}
	for _, src := range []configSourceFlags{lits, files} {
		if err := e.readConfigSources(src, "env secret file cannot be a directory", add); err != nil {
			return err
		}
	}
	return o.createSecret(e, s)
}

type createSecretTLSOptions struct {
	createSubcommandFlags
	Cert, Key string
}

var createSecretTLSCommand = &command{
	name:  "tls",
	short: "Create a TLS secret",
	usage: "create secret tls NAME --cert=path/to/cert/file --key=path/to/key/file [--dry-run=server|client|none]",
	options: func(fs *flagSet) commandOptions {
		o := &createSecretTLSOptions{}
		o.createSubcommandFlags.add(fs)
		fs.String(&o.Cert, "cert", "", "")
		fs.String(&o.Key, "key", "", "")
		return o
	},
}

func (o *createSecretTLSOptions) validate(*env) error {
	if o.Key == "" || o.Cert == "" {
		return errors.New("key and cert must be specified")
	}
	return nil
}

func (o *createSecretTLSOptions) run(e *env) error {
	read := func(p string) ([]byte, error) {
		if e.io.ReadFile != nil {
			if b, err := e.io.ReadFile(p); err == nil {
				return b, nil
			}
		}
		//lint:ignore ST1005 kubectl's own message, as it prints it
		return nil, fmt.Errorf("Cannot read file %v, open %v: no such file or directory", p, p)
	}
	cert, err := read(o.Cert)
	if err != nil {
		return err
	}
	key, err := read(o.Key)
	if err != nil {
		return err
	}
	if err := checkKeyPair(cert, key); err != nil {
		return err
	}
	s := newSecret(o.name, corev1.SecretTypeTLS)
	s.Data[corev1.TLSCertKey] = cert
	s.Data[corev1.TLSPrivateKeyKey] = key
	return o.createSecret(e, s)
}

type createSecretDockerRegistryOptions struct {
	createSubcommandFlags
	Username, Password, Email, Server string
	FileSources                       []string
}

var createSecretDockerRegistryCommand = &command{
	name:  "docker-registry",
	short: "Create a secret for use with a Docker registry",
	usage: "create secret docker-registry NAME --docker-username=user --docker-password=password --docker-email=email [--docker-server=string] [--from-file=[key=]source] [--dry-run=server|client|none]",
	options: func(fs *flagSet) commandOptions {
		o := &createSecretDockerRegistryOptions{}
		o.createSubcommandFlags.add(fs)
		fs.String(&o.Username, "docker-username", "", "")
		fs.String(&o.Password, "docker-password", "", "")
		fs.String(&o.Email, "docker-email", "", "")
		fs.String(&o.Server, "docker-server", "", "https://index.docker.io/v1/")
		fs.StringSlice(&o.FileSources, "from-file", "")
		return o
	},
}

func (o *createSecretDockerRegistryOptions) complete(e *env, args []string) error {
	if err := o.createSubcommandFlags.complete(e, args); err != nil {
		return err
	}
	// A file without a key is the .dockerconfigjson.
	for i, src := range o.FileSources {
		if !strings.Contains(src, "=") {
			o.FileSources[i] = corev1.DockerConfigJsonKey + "=" + src
		}
	}
	return nil
}

func (o *createSecretDockerRegistryOptions) validate(*env) error {
	if len(o.FileSources) == 0 && (o.Username == "" || o.Password == "" || o.Server == "") {
		return errors.New("either --from-file or the combination of --docker-username, --docker-password and --docker-server is required")
	}
	return nil
}

// dockerConfigEntry is one registry of a ~/.docker/config.json.
type dockerConfigEntry struct {
	Username string `json:"username,omitempty"`
	Password string `json:"password,omitempty"`
	Email    string `json:"email,omitempty"`
	Auth     string `json:"auth,omitempty"`
}

func (o *createSecretDockerRegistryOptions) run(e *env) error {
	s := newSecret(o.name, corev1.SecretTypeDockerConfigJson)
	if len(o.FileSources) > 0 {
		if err := e.readConfigSources(configSourceFlags{FileSources: o.FileSources}, "", addSecretKey(s)); err != nil {
			return err
		}
		return o.createSecret(e, s)
	}
	auth := base64.StdEncoding.EncodeToString([]byte(o.Username + ":" + o.Password))
	b, err := json.Marshal(map[string]any{"auths": map[string]dockerConfigEntry{
		o.Server: {Username: o.Username, Password: o.Password, Email: o.Email, Auth: auth},
	}})
	if err != nil {
		return err
	}
	s.Data[corev1.DockerConfigJsonKey] = b
	return o.createSecret(e, s)
}

// checkKeyPair is the part of tls.X509KeyPair (which kubectl calls) that kubetab does, with
// its messages: PEM data of a certificate that parses and of a private key. Whether the
// key matches the certificate is not checked: parsing keys would cost the browser's
// download more than it is worth here.
func checkKeyPair(certPEM, keyPEM []byte) error {
	var cert []byte
	var skipped []string
	for rest := certPEM; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		if b.Type == "CERTIFICATE" {
			cert = b.Bytes
			break
		}
		skipped = append(skipped, b.Type)
	}
	if cert == nil {
		if len(skipped) == 0 {
			return errors.New("tls: failed to find any PEM data in certificate input")
		}
		return fmt.Errorf("tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping PEM blocks of the following types: %v", skipped)
	}
	skipped = nil
	for rest := keyPEM; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		if b.Type == "PRIVATE KEY" || strings.HasSuffix(b.Type, " PRIVATE KEY") {
			return keyMatchesCert(cert, b.Bytes) // tlspair.go
		}
		skipped = append(skipped, b.Type)
	}
	switch {
	case len(skipped) == 0:
		return errors.New("tls: failed to find any PEM data in key input")
	case len(skipped) == 1 && skipped[0] == "CERTIFICATE":
		return errors.New("tls: found a certificate rather than a key in the PEM for the private key")
	}
	return fmt.Errorf("tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input after skipping PEM blocks of the following types: %v", skipped)
}
