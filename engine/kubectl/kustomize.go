package kubectl

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"
	"unicode/utf8"

	"sigs.k8s.io/yaml"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/examples"
)

// kubectl's built-in kustomize (sigs.k8s.io/kustomize v5, which kubectl v1.37 embeds),
// written again for the subset the Kubernetes docs use: sigs.k8s.io/kustomize itself would
// cost the browser's download several hundred kilobytes. A kustomization.yaml's resources
// (files, URLs of the bundled examples, directories with their own kustomization),
// configMapGenerator and secretGenerator (files, literals, envs; behavior, options),
// generatorOptions, namespace, namePrefix and nameSuffix, commonLabels and labels,
// commonAnnotations, images and replicas. Objects are kept as kustomize keeps them, as
// written (maps), not decoded into types, and printed with their keys in order as kustomize
// prints them. The other fields kustomize has are refused by name.

// kustomizationFileNames are the names kustomize looks for in a directory, in its order.
var kustomizationFileNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// kustomizeMaxDepth bounds how deep directories of resources may nest.
const kustomizeMaxDepth = 8

// kustomization is the part of kustomize's Kustomization type kubetab reads.
type kustomization struct {
	APIVersion         string               `json:"apiVersion"`
	Kind               string               `json:"kind"`
	Resources          []string             `json:"resources"`
	Bases              []string             `json:"bases"`
	Namespace          string               `json:"namespace"`
	NamePrefix         string               `json:"namePrefix"`
	NameSuffix         string               `json:"nameSuffix"`
	CommonLabels       map[string]string    `json:"commonLabels"`
	Labels             []kustomizeLabel     `json:"labels"`
	CommonAnnotations  map[string]string    `json:"commonAnnotations"`
	Images             []kustomizeImage     `json:"images"`
	Replicas           []kustomizeReplica   `json:"replicas"`
	ConfigMapGenerator []kustomizeGenerator `json:"configMapGenerator"`
	SecretGenerator    []kustomizeGenerator `json:"secretGenerator"`
	GeneratorOptions   *kustomizeGenOptions `json:"generatorOptions"`
	kustomizeUnsupported
}

// kustomizeUnsupported are fields of a Kustomization that kubetab does not do: known, so
// that they are refused as such rather than as unknown fields.
type kustomizeUnsupported struct {
	Patches               json.RawMessage `json:"patches"`
	PatchesStrategicMerge json.RawMessage `json:"patchesStrategicMerge"`
	PatchesJSON6902       json.RawMessage `json:"patchesJson6902"`
	Components            json.RawMessage `json:"components"`
	Crds                  json.RawMessage `json:"crds"`
	Vars                  json.RawMessage `json:"vars"`
	Replacements          json.RawMessage `json:"replacements"`
	Generators            json.RawMessage `json:"generators"`
	Transformers          json.RawMessage `json:"transformers"`
	Validators            json.RawMessage `json:"validators"`
	HelmCharts            json.RawMessage `json:"helmCharts"`
	HelmGlobals           json.RawMessage `json:"helmGlobals"`
	OpenAPI               json.RawMessage `json:"openapi"`
	Configurations        json.RawMessage `json:"configurations"`
	SortOptions           json.RawMessage `json:"sortOptions"`
	BuildMetadata         json.RawMessage `json:"buildMetadata"`
}

// unsupportedField names the first field of u that is set.
func (u *kustomizeUnsupported) unsupportedField() string {
	fields := []struct {
		name string
		v    json.RawMessage
	}{
		{"patches", u.Patches}, {"patchesStrategicMerge", u.PatchesStrategicMerge}, {"patchesJson6902", u.PatchesJSON6902},
		{"components", u.Components}, {"crds", u.Crds}, {"vars", u.Vars}, {"replacements", u.Replacements},
		{"generators", u.Generators}, {"transformers", u.Transformers}, {"validators", u.Validators},
		{"helmCharts", u.HelmCharts}, {"helmGlobals", u.HelmGlobals}, {"openapi", u.OpenAPI},
		{"configurations", u.Configurations}, {"sortOptions", u.SortOptions}, {"buildMetadata", u.BuildMetadata},
	}
	for _, f := range fields {
		if v := string(f.v); v != "" && v != "null" && v != "[]" && v != "{}" {
			return f.name
		}
	}
	return ""
}

type kustomizeLabel struct {
	Pairs            map[string]string `json:"pairs"`
	IncludeSelectors bool              `json:"includeSelectors"`
	IncludeTemplates bool              `json:"includeTemplates"`
}

type kustomizeImage struct {
	Name    string `json:"name"`
	NewName string `json:"newName"`
	NewTag  string `json:"newTag"`
	Digest  string `json:"digest"`
}

type kustomizeReplica struct {
	Name  string `json:"name"`
	Count int64  `json:"count"`
}

type kustomizeGenerator struct {
	Name      string               `json:"name"`
	Namespace string               `json:"namespace"`
	Behavior  string               `json:"behavior"`
	Files     []string             `json:"files"`
	Literals  []string             `json:"literals"`
	Envs      []string             `json:"envs"`
	Env       string               `json:"env"`
	Type      string               `json:"type"`
	Options   *kustomizeGenOptions `json:"options"`
}

type kustomizeGenOptions struct {
	Labels                map[string]string `json:"labels"`
	Annotations           map[string]string `json:"annotations"`
	DisableNameSuffixHash bool              `json:"disableNameSuffixHash"`
	Immutable             bool              `json:"immutable"`
}

// merged is kustomize's MergeGlobalOptionsIntoLocal: the generator's own labels and
// annotations win over the global ones; either may disable the hash or make it immutable.
func (local *kustomizeGenOptions) merged(global *kustomizeGenOptions) kustomizeGenOptions {
	var out kustomizeGenOptions
	if local != nil {
		out = *local
	}
	if global == nil {
		return out
	}
	out.Labels = mergeStrings(global.Labels, out.Labels)
	out.Annotations = mergeStrings(global.Annotations, out.Annotations)
	out.DisableNameSuffixHash = out.DisableNameSuffixHash || global.DisableNameSuffixHash
	out.Immutable = out.Immutable || global.Immutable
	return out
}

// mergeStrings is base with over's entries on top, nil when both are empty.
func mergeStrings(base, over map[string]string) map[string]string {
	if len(base) == 0 && len(over) == 0 {
		return nil
	}
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}

// kobj is one object of a kustomization as it is built.
type kobj struct {
	m map[string]any
	// orgName is the name it was first read or generated with: references to it in other
	// objects use that name, and are renamed with it.
	orgName string
	// hash: a generated object whose name gets kustomize's content hash.
	hash bool
}

func (o *kobj) kind() string       { s, _ := o.m["kind"].(string); return s }
func (o *kobj) apiVersion() string { s, _ := o.m["apiVersion"].(string); return s }
func (o *kobj) name() string       { s, _ := valueAt(o.m, "metadata", "name").(string); return s }
func (o *kobj) namespace() string  { s, _ := valueAt(o.m, "metadata", "namespace").(string); return s }

// kustomizer builds one kustomization, its directories of resources included.
type kustomizer struct {
	e *env
	// visiting are the directories being built, for cycles.
	visiting []string
}

// kustomize builds the kustomization in dir: its objects in kustomize's order.
func (e *env) kustomize(dir string) ([]map[string]any, error) {
	k := &kustomizer{e: e}
	objs, err := k.accumulate(dir)
	if err != nil {
		return nil, err
	}
	nameHashes(objs)
	fixReferences(objs)
	sortLegacy(objs)
	out := make([]map[string]any, len(objs))
	for i, o := range objs {
		out[i] = o.m
	}
	return out, nil
}

// kustomizeYAML is `kubectl kustomize DIR`'s output: the objects as YAML documents.
func (e *env) kustomizeYAML(dir string) ([]byte, error) {
	objs, err := e.kustomize(dir)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	for i, m := range objs {
		y, err := yaml.Marshal(m)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteString("---\n")
		}
		b.Write(y)
	}
	return b.Bytes(), nil
}

// abs is a path as kustomize names it in messages: in full.
func (k *kustomizer) abs(p string) string {
	if strings.HasPrefix(p, "/") || k.e.io.Dir == "" {
		return path.Clean(p)
	}
	return path.Join(k.e.io.Dir, p)
}

// missing is kustomize's message for a path that is not there.
func (k *kustomizer) missing(p string) string {
	return fmt.Sprintf("evalsymlink failure on '%s' : lstat %s: no such file or directory", k.abs(p), k.abs(p))
}

// isDir tells whether p names a directory of the user's files ("." always does).
func (k *kustomizer) isDir(p string) bool {
	if p == "." || p == "" {
		return true
	}
	_, ok := k.e.isDir(p)
	return ok
}

// readKustomization reads and parses the kustomization file of dir.
func (k *kustomizer) readKustomization(dir string) (*kustomization, error) {
	var data []byte
	found := false
	for _, n := range kustomizationFileNames {
		if k.e.io.ReadFile == nil {
			break
		}
		b, err := k.e.io.ReadFile(path.Join(dir, n))
		if errors.Is(err, ErrFileTooLarge) {
			return nil, err
		}
		if err == nil {
			data, found = b, true
			break
		}
	}
	if !found {
		if !k.isDir(dir) {
			return nil, fmt.Errorf("must build at directory: not a valid directory: evalsymlink failure on '%s' : lstat %s: no such file or directory", dir, k.abs(dir))
		}
		return nil, fmt.Errorf("unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '%s'", k.abs(dir))
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("the file %q is larger than kubetab's limit of 1 MiB (%d bytes)", dir, len(data))
	}
	j, err := yaml.YAMLToJSON(data)
	if err != nil {
		return nil, fmt.Errorf("invalid Kustomization: %s", strings.TrimPrefix(err.Error(), "error converting YAML to JSON: "))
	}
	kz := &kustomization{}
	if string(bytes.TrimSpace(j)) == "null" {
		return kz, nil
	}
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.DisallowUnknownFields()
	if err := dec.Decode(kz); err != nil {
		return nil, fmt.Errorf("invalid Kustomization: %v", err)
	}
	if f := kz.unsupportedField(); f != "" {
		return nil, fmt.Errorf("kubetab's kustomize does not support %q yet: it reads resources, configMapGenerator, secretGenerator, generatorOptions, namespace, namePrefix, nameSuffix, commonLabels, labels, commonAnnotations, images and replicas", f)
	}
	if kz.Kind != "" && kz.Kind != "Kustomization" {
		return nil, fmt.Errorf("kind %s is not Kustomization; kubetab's kustomize builds no Component", kz.Kind)
	}
	return kz, nil
}

// deprecated prints kustomize's warning for a deprecated field.
func (k *kustomizer) deprecated(field, instead string) {
	k.e.errf("# Warning: '%s' is deprecated. Please use '%s' instead. Run 'kustomize edit fix' to update your Kustomization automatically.\n", field, instead)
}

// accumulate builds the kustomization in dir without the final steps (hashes, references,
// order), which kustomize runs once for the whole tree.
func (k *kustomizer) accumulate(dir string) ([]*kobj, error) {
	dir = path.Clean(dir)
	if err := k.enter(dir); err != nil {
		return nil, err
	}
	defer k.leave()
	kz, err := k.readKustomization(dir)
	if err != nil {
		return nil, err
	}
	return k.build(dir, kz)
}

// enter notes that dir is being built, refusing a cycle (a directory that contains one
// being built, itself included) and too deep a tree.
func (k *kustomizer) enter(dir string) error {
	a := k.abs(dir)
	for i := len(k.visiting) - 1; i >= 0; i-- {
		if v := k.abs(k.visiting[i]); v == a || strings.HasPrefix(v, strings.TrimSuffix(a, "/")+"/") || a == "." {
			return fmt.Errorf("cycle detected: candidate root '%s' contains visited root '%s'", a, v)
		}
	}
	if len(k.visiting) >= kustomizeMaxDepth {
		return fmt.Errorf("kubetab's kustomize builds at most %d levels of directories: '%s'", kustomizeMaxDepth, a)
	}
	k.visiting = append(k.visiting, dir)
	return nil
}

func (k *kustomizer) leave() { k.visiting = k.visiting[:len(k.visiting)-1] }

// build makes the objects of the kustomization kz read in dir.
func (k *kustomizer) build(dir string, kz *kustomization) ([]*kobj, error) {
	var err error
	if len(kz.CommonLabels) > 0 {
		k.deprecated("commonLabels", "labels")
	}
	if len(kz.Bases) > 0 {
		k.deprecated("bases", "resources")
	}
	var objs []*kobj
	for _, r := range append(append([]string{}, kz.Bases...), kz.Resources...) {
		more, err := k.resource(dir, r)
		if err != nil {
			return nil, fmt.Errorf("accumulating resources: %w", err)
		}
		for _, o := range more {
			if err := addUnique(objs, o); err != nil {
				return nil, fmt.Errorf("accumulating resources: %w", err)
			}
			objs = append(objs, o)
		}
	}
	for _, g := range kz.ConfigMapGenerator {
		if objs, err = k.generate(dir, objs, g, false, kz.GeneratorOptions); err != nil {
			return nil, err
		}
	}
	for _, g := range kz.SecretGenerator {
		if objs, err = k.generate(dir, objs, g, true, kz.GeneratorOptions); err != nil {
			return nil, err
		}
	}
	k.transform(kz, objs)
	return objs, nil
}

// addUnique refuses an object whose kind, namespace and name another already has.
func addUnique(objs []*kobj, o *kobj) error {
	for _, p := range objs {
		if p.kind() == o.kind() && p.name() == o.name() && p.namespace() == o.namespace() {
			return fmt.Errorf("may not add resource with an already registered id: %s", resID(o))
		}
	}
	return nil
}

// resID writes an object's id as kustomize's messages do.
func resID(o *kobj) string {
	ns := o.namespace()
	if ns == "" {
		ns = "[noNs]"
	}
	gv := o.apiVersion()
	if !strings.Contains(gv, "/") {
		gv = "[noGrp]/" + gv
	}
	return fmt.Sprintf("%s.%s/%s.%s", o.kind(), strings.Replace(gv, "/", ".", 1), o.name(), ns)
}

// resource reads one entry of resources: a directory with its own kustomization, or a file
// (or URL) of objects.
func (k *kustomizer) resource(dir, r string) ([]*kobj, error) {
	full := r
	if !examples.IsURL(r) && !strings.HasPrefix(r, "/") {
		full = path.Join(dir, r)
	}
	if !examples.IsURL(r) && k.isDir(full) {
		full = path.Clean(full)
		// kustomize tries the path as a file first, then as a directory: its message says both.
		prefix := fmt.Sprintf("accumulation err='accumulating resources from '%s': '%s' must resolve to a file': ", r, k.abs(full))
		if err := k.enter(full); err != nil {
			return nil, errors.New(prefix + err.Error())
		}
		defer k.leave()
		kz, err := k.readKustomization(full)
		if err != nil {
			return nil, fmt.Errorf("%scouldn't make target for path '%s': %v", prefix, k.abs(full), err)
		}
		objs, err := k.build(full, kz)
		if err != nil {
			return nil, fmt.Errorf("%srecursed accumulation of path '%s': %v", prefix, k.abs(full), err)
		}
		return objs, nil
	}
	var data []byte
	var err error
	if k.e.io.ReadFile != nil {
		data, err = k.e.io.ReadFile(full)
	}
	if errors.Is(err, ErrFileTooLarge) {
		return nil, err
	}
	if k.e.io.ReadFile == nil || err != nil {
		if examples.IsURL(r) {
			return nil, fmt.Errorf("accumulation err='accumulating resources from '%s': %v'", r, err)
		}
		m := k.missing(full)
		return nil, fmt.Errorf("accumulation err='accumulating resources from '%s': %s': must build at directory: not a valid directory: %s", r, m, m)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("the file %q is larger than kubetab's limit of 1 MiB (%d bytes)", full, len(data))
	}
	if !examples.IsURL(r) {
		if _, err := k.within(dir, r); err != nil {
			return nil, fmt.Errorf("accumulation err='accumulating resources from '%s': %v': must build at directory: '%s': file is not directory", r, err, k.abs(full))
		}
	}
	var out []*kobj
	for _, doc := range api.Documents(data) {
		j, err := yaml.YAMLToJSON(doc)
		if err != nil {
			return nil, fmt.Errorf("accumulating resources from '%s': %v", r, err)
		}
		var v any
		d := json.NewDecoder(bytes.NewReader(j))
		d.UseNumber()
		if err := d.Decode(&v); err != nil {
			return nil, fmt.Errorf("accumulating resources from '%s': %v", r, err)
		}
		if v == nil {
			continue
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("accumulating resources from '%s': expected an object, got %s", r, j)
		}
		items := []map[string]any{m}
		if m["kind"] == "List" {
			items = nil
			list, _ := m["items"].([]any)
			for _, it := range list {
				if im, ok := it.(map[string]any); ok {
					items = append(items, im)
				}
			}
		}
		for _, im := range items {
			o := &kobj{m: im}
			if o.kind() == "" {
				return nil, fmt.Errorf("accumulating resources from '%s': missing Resource metadata: kind is required", r)
			}
			if o.name() == "" {
				return nil, fmt.Errorf("accumulating resources from '%s': missing metadata.name in object %v", r, o.kind())
			}
			o.orgName = o.name()
			out = append(out, o)
		}
	}
	return out, nil
}

// generate makes the ConfigMap or Secret of one generator and adds it to objs, or merges it
// into the one of the same name there (behavior merge or replace).
func (k *kustomizer) generate(dir string, objs []*kobj, g kustomizeGenerator, secret bool, global *kustomizeGenOptions) ([]*kobj, error) {
	kind, what := "ConfigMap", "configmap"
	if secret {
		kind, what = "Secret", "secret"
	}
	if g.Name == "" {
		return nil, fmt.Errorf("a %s must have a name", what)
	}
	opts := g.Options.merged(global)
	data, binary, err := k.generatorData(dir, g, what, secret)
	if err != nil {
		return nil, err
	}
	meta := map[string]any{"name": g.Name}
	if g.Namespace != "" {
		meta["namespace"] = g.Namespace
	}
	if len(opts.Labels) > 0 {
		meta["labels"] = stringMap(opts.Labels)
	}
	if len(opts.Annotations) > 0 {
		meta["annotations"] = stringMap(opts.Annotations)
	}
	m := map[string]any{"apiVersion": "v1", "kind": kind, "metadata": meta}
	if len(data) > 0 {
		m["data"] = data
	}
	if len(binary) > 0 {
		m["binaryData"] = binary
	}
	if secret {
		t := g.Type
		if t == "" {
			t = "Opaque"
		}
		m["type"] = t
	}
	if opts.Immutable {
		m["immutable"] = true
	}
	o := &kobj{m: m, orgName: g.Name, hash: !opts.DisableNameSuffixHash}

	// The object of the same kind and name from a base: in the generator's namespace, or the
	// only one when the generator names none (the base's namespace may have been set since).
	var existing *kobj
	same := 0
	for _, p := range objs {
		if p.kind() == kind && p.orgName == g.Name {
			same++
			if p.namespace() == g.Namespace || existing == nil {
				existing = p
			}
		}
	}
	if existing != nil && existing.namespace() != g.Namespace && (g.Namespace != "" || same > 1) {
		existing = nil
	}
	id := fmt.Sprintf("resid.ResId{Gvk:resid.Gvk{Group:\"\", Version:\"v1\", Kind:%q, isClusterScoped:false}, Name:%q, Namespace:%q}", kind, g.Name, g.Namespace)
	switch {
	case g.Behavior == "merge" || g.Behavior == "replace":
		if existing == nil {
			return nil, fmt.Errorf("merging from generator: id %s does not exist; cannot merge or replace", id)
		}
		mergeGenerated(existing, o, g.Behavior == "replace")
		return objs, nil
	case existing != nil:
		b := g.Behavior
		if b == "" {
			b = "unspecified"
		}
		return nil, fmt.Errorf("merging from generator: id %s exists; can not use behavior: '%s', behavior must be merge or replace", id, b)
	}
	return append(objs, o), nil
}

// mergeGenerated puts a generator's data into the object of the same name from a base:
// merge adds and overrides keys, replace takes the data whole; labels and annotations merge.
func mergeGenerated(into, from *kobj, replace bool) {
	for _, key := range []string{"data", "binaryData"} {
		fm, _ := from.m[key].(map[string]any)
		im, _ := into.m[key].(map[string]any)
		if replace || im == nil {
			im = map[string]any{}
		}
		for k, v := range fm {
			im[k] = v
		}
		if len(im) > 0 {
			into.m[key] = im
		} else {
			delete(into.m, key)
		}
	}
	for _, key := range []string{"labels", "annotations"} {
		fm, _ := valueAt(from.m, "metadata", key).(map[string]any)
		for k, v := range fm {
			setField(into.m, v, "metadata", key, k)
		}
	}
	into.hash = into.hash || from.hash
}

// generatorData reads a generator's sources in kustomize's order (env files, literals,
// files): string data, and for a ConfigMap the values that are not UTF-8 as binary data.
// A Secret's values are base64, as in the object.
func (k *kustomizer) generatorData(dir string, g kustomizeGenerator, what string, secret bool) (data, binary map[string]any, err error) {
	data, binary = map[string]any{}, map[string]any{}
	// kustomize checks no key: the API server refuses the invalid ones.
	add := func(key string, value []byte) error {
		_, inData := data[key]
		_, inBinary := binary[key]
		if inData || inBinary {
			return fmt.Errorf("%s %s illegally repeats the key `%s`", what, g.Name, key)
		}
		switch {
		case secret:
			data[key] = base64.StdEncoding.EncodeToString(value)
		case utf8.Valid(value):
			data[key] = string(value)
		default:
			binary[key] = base64.StdEncoding.EncodeToString(value)
		}
		return nil
	}
	envs := g.Envs
	if g.Env != "" {
		envs = append([]string{g.Env}, envs...)
	}
	for _, p := range envs {
		full, err := k.within(dir, p)
		if err == nil {
			err = k.e.readEnvFile(full, "env source file cannot be a directory", false, add)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("loading KV pairs: env source files: %v: %v", envs, k.readError(full, err))
		}
	}
	for _, l := range g.Literals {
		key, value, ok := strings.Cut(l, "=")
		if !ok {
			return nil, nil, fmt.Errorf("loading KV pairs: literal sources %v: invalid literal source %v, expected key=value", g.Literals, l)
		}
		if err := add(key, []byte(unquote(value))); err != nil {
			return nil, nil, err
		}
	}
	for _, src := range g.Files {
		key, p, err := parseFileSource(src)
		if err != nil {
			return nil, nil, fmt.Errorf("loading KV pairs: file sources: %v: %v", g.Files, err)
		}
		full, err := k.within(dir, p)
		var b []byte
		if err == nil {
			b, err = k.e.readUserFile(full)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("loading KV pairs: file sources: %v: %v", g.Files, k.readError(full, err))
		}
		if err := add(key, b); err != nil {
			return nil, nil, err
		}
	}
	return data, binary, nil
}

// readError words a file that could not be read as kustomize does.
func (k *kustomizer) readError(full string, err error) error {
	if strings.HasSuffix(err.Error(), ": no such file or directory") && !strings.HasPrefix(err.Error(), "security;") {
		return errors.New(k.missing(full))
	}
	return err
}

// within joins a generator's path to its kustomization's directory, refusing one outside it
// (kustomize's default load restrictions).
func (k *kustomizer) within(dir, p string) (string, error) {
	full := path.Join(dir, p)
	if strings.HasPrefix(p, "/") {
		full = path.Clean(p)
	}
	root, a := k.abs(dir), k.abs(full)
	inside := a == root || strings.HasPrefix(a, strings.TrimSuffix(root, "/")+"/")
	if root == "." {
		inside = a != ".." && !strings.HasPrefix(a, "../") && !strings.HasPrefix(a, "/")
	}
	if !inside {
		return "", fmt.Errorf("security; file '%s' is not in or below '%s'", a, root)
	}
	return full, nil
}

// unquote is kustomize's removeQuotes for a literal's value: quotes around the whole value go.
func unquote(s string) string {
	if len(s) >= 2 && s[0] == s[len(s)-1] && (s[0] == '"' || s[0] == '\'') {
		return s[1 : len(s)-1]
	}
	return s
}

func stringMap(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
