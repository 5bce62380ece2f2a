package kubectl

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/yaml"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/examples"
)

// Reading -f: files, directories (-R: with their subdirectories) and stdin, decoded into
// objects. apply, create and replace take the objects as what the user wants; the resource
// builder takes them as names of stored objects.

// source is one input of -f: a file, a file of a directory, or stdin.
type source struct {
	name string
	data []byte
	// stream is stdin; fromDir a file found by listing a directory.
	stream, fromDir bool
}

// filenameFlags are -f, -k and -R (kubectl's FilenameOptions).
type filenameFlags struct {
	Filenames []string
	Recursive bool
	// Kustomize is -k: a directory with a kustomization (kustomize.go).
	Kustomize string
}

func (f *filenameFlags) add(fs *flagSet) {
	fs.StringSlice(&f.Filenames, "filename", "f")
	fs.String(&f.Kustomize, "kustomize", "k", "")
	fs.Bool(&f.Recursive, "recursive", "R", false)
}

// given tells whether -f or -k names any input.
func (f *filenameFlags) given() bool { return len(f.Filenames) > 0 || f.Kustomize != "" }

// readInputs reads the objects -f or -k names: -k's as kustomize builds them, one source
// named by its directory.
func (e *env) readInputs(f filenameFlags) ([]source, error) {
	if f.Kustomize == "" {
		return e.readSources(f.Filenames, f.Recursive)
	}
	switch {
	case len(f.Filenames) > 0:
		return nil, errors.New("only one of -f or -k can be specified")
	case f.Recursive:
		return nil, errors.New("the -k flag can't be used with -f or -R")
	}
	data, err := e.kustomizeYAML(f.Kustomize)
	if err != nil {
		return nil, err
	}
	return []source{{name: f.Kustomize, data: data, fromDir: true}}, nil
}

// manifestExtensions are the files of a directory that -f reads (the builder's
// FileExtensions).
var manifestExtensions = []string{".json", ".yaml", ".yml"}

// readSources reads every -f argument; a missing path fails the whole command before
// anything is applied, as kubectl's builder does.
func (e *env) readSources(paths []string, recursive bool) ([]source, error) {
	var out []source
	stdin := false
	for _, p := range paths {
		if p == "-" {
			if stdin {
				return nil, errors.New("standard input cannot be used for multiple arguments")
			}
			stdin = true
			s := ""
			if e.io.Stdin != nil {
				s = *e.io.Stdin
			}
			if len(s) > MaxFileSize {
				return nil, ErrStdinTooLarge
			}
			out = append(out, source{name: "STDIN", data: []byte(s), stream: true})
			continue
		}
		if e.io.ListDir != nil && !examples.IsURL(p) {
			if names, err := e.io.ListDir(p); err == nil {
				files, err := e.readDir(p, names, recursive)
				if err != nil {
					return nil, err
				}
				if len(files) == 0 && len(out) == 0 {
					return nil, fmt.Errorf("error reading %v: recognized file extensions are %v", []string{p}, manifestExtensions)
				}
				out = append(out, files...)
				continue
			}
		}
		s, err := e.readFile(p)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// readDir reads the manifests of a directory whose entries are names, in name order, and with
// recursive those of its subdirectories where they come in that order.
func (e *env) readDir(dir string, names []string, recursive bool) ([]source, error) {
	sort.Strings(names)
	var out []source
	for _, n := range names {
		full := n
		if !strings.HasPrefix(n, dir) {
			full = strings.TrimSuffix(dir, "/") + "/" + n
		}
		if !slices.Contains(manifestExtensions, path.Ext(n)) {
			if !recursive {
				continue
			}
			// An entry that lists is a subdirectory; any other is a file -f ignores.
			sub, err := e.io.ListDir(full)
			if err != nil {
				continue
			}
			files, err := e.readDir(full, sub, true)
			if err != nil {
				return nil, err
			}
			out = append(out, files...)
			continue
		}
		s, err := e.readFile(full)
		if err != nil {
			return nil, err
		}
		s.fromDir = true
		out = append(out, s)
	}
	return out, nil
}

func (e *env) readFile(p string) (source, error) {
	if e.io.ReadFile == nil {
		return source{}, fmt.Errorf("the path %q does not exist", p)
	}
	data, err := e.io.ReadFile(p)
	if errors.Is(err, ErrFileTooLarge) {
		return source{}, err
	}
	if err != nil {
		if examples.IsURL(p) {
			// The host words it as kubectl does (engine/examples: a 404, or offline).
			return source{}, err
		}
		return source{}, fmt.Errorf("the path %q does not exist", p)
	}
	if len(data) > MaxFileSize {
		return source{}, fmt.Errorf("the file %q is larger than kubetab's limit of 1 MiB (%d bytes)", p, len(data))
	}
	return source{name: p, data: data}, nil
}

// fileObject is one document of a -f input: the object it holds, or why it holds none.
type fileObject struct {
	obj    api.Object
	res    *api.Resource
	source string
	err    error
}

// decodeSources calls fn for each document of the sources in order, once its warnings are
// printed; validation is the API server's fieldValidation for unknown fields. A namespaced
// object without a namespace gets -n's (or default); one that names another namespace than
// an explicit -n is an error (kubectl's enforceNamespace).
func (e *env) decodeSources(sources []source, validation string, fn func(fileObject)) {
	opts := api.DecodeOptions{FieldValidation: validation, Strict: e.strict()}
	for _, s := range sources {
		for _, d := range api.DecodeWith(s.data, opts) {
			for _, w := range d.Warnings {
				if !strings.HasPrefix(w, "Warning: ") {
					w = "Warning: " + w
				}
				e.errf("%s\n", w)
			}
			if d.Err != nil {
				fn(fileObject{source: s.name, err: documentError(d, s)})
				continue
			}
			obj := d.Object
			if d.Resource.Namespaced {
				ns := obj.GetNamespace()
				if e.nsSet && ns != "" && ns != e.ns {
					//lint:ignore ST1005 kubectl's own message, as it prints it
					fn(fileObject{source: s.name, err: fmt.Errorf("the namespace from the provided object %q does not match the namespace %q. You must pass '--namespace=%s' to perform this operation.", ns, e.ns, ns)})
					continue
				}
				if ns == "" {
					obj.SetNamespace(e.ns)
				}
			}
			fn(fileObject{obj: obj, res: d.Resource, source: s.name})
		}
	}
}

// eachObject decodes every document of the -f inputs and calls fn for each object that
// decoded. Errors of single documents are collected and returned with fn's errors, so one bad
// document does not stop the others.
func (e *env) eachObject(verb string, m *manifestFlags, fn func(obj api.Object, res *api.Resource, src string) error) error {
	validation, err := fieldValidation(m.Validate)
	if err != nil {
		return err
	}
	if !m.given() {
		return fmt.Errorf("must specify one of -f and -k")
	}
	sources, err := e.readInputs(m.filenameFlags)
	if err != nil {
		return err
	}
	var errs []error
	seen := 0
	e.decodeSources(sources, validation, func(f fileObject) {
		seen++
		if f.err != nil {
			errs = append(errs, f.err)
			return
		}
		if err := fn(f.obj, f.res, f.source); err != nil {
			errs = append(errs, err)
		}
	})
	if seen == 0 && len(errs) == 0 {
		return fmt.Errorf("no objects passed to %s", verb)
	}
	return asError(errs)
}

// documentError words a document that could not be decoded as kubectl does for each kind
// of failure.
func documentError(d api.Document, s source) error {
	var syn *api.SyntaxError
	var missing *api.MissingTypeError
	var nomatch *api.NoMatchError
	var field *api.FieldError
	switch {
	case errors.As(d.Err, &syn):
		return fmt.Errorf("error parsing %s: %v", s.name, d.Err)
	case errors.As(d.Err, &missing):
		return fmt.Errorf("error validating %q: %v; if you choose to ignore these errors, turn validation off with --validate=false", s.name, d.Err)
	case errors.As(d.Err, &nomatch):
		name, ns := documentMeta(s.data, d.Line)
		return fmt.Errorf("resource mapping not found for name: %q namespace: %q from %q: %v\nensure CRDs are installed first", name, ns, s.name, d.Err)
	case errors.As(d.Err, &field):
		return addSource("creating", s.name, apierrors.NewBadRequest(d.Err.Error()))
	}
	return fmt.Errorf("error parsing %s: %v", s.name, d.Err)
}

// documentMeta reads metadata.name and namespace of the document starting at line, for
// messages about documents whose kind is unknown.
func documentMeta(data []byte, line int) (name, namespace string) {
	lines := strings.Split(string(data), "\n")
	if line < 1 || line > len(lines) {
		return "", ""
	}
	var doc []string
	for _, l := range lines[line-1:] {
		if strings.HasPrefix(l, "---") {
			break
		}
		doc = append(doc, l)
	}
	var m struct {
		Metadata struct {
			Name      string `json:"name"`
			Namespace string `json:"namespace"`
		} `json:"metadata"`
	}
	if yaml.Unmarshal([]byte(strings.Join(doc, "\n")), &m) != nil {
		return "", ""
	}
	return m.Metadata.Name, m.Metadata.Namespace
}
