package printers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strings"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/kubectl/printers/gotemplate"
	"k8s.io/client-go/util/jsonpath"
	"sigs.k8s.io/yaml"
)

// AllowedOutputFormats is the list kubectl prints when -o names no printer it knows.
var AllowedOutputFormats = []string{
	"custom-columns", "custom-columns-file", "go-template", "go-template-file", "json", "jsonpath",
	"jsonpath-as-json", "jsonpath-file", "kyaml", "name", "template", "templatefile", "wide", "yaml",
}

// NoCompatiblePrinterError is returned for an -o value kubectl would not accept. Its text
// is what kubectl prints after "error: ".
type NoCompatiblePrinterError struct {
	Format string
}

func (e *NoCompatiblePrinterError) Error() string {
	return fmt.Sprintf("unable to match a printer suitable for the output format %q, allowed formats are: %s",
		e.Format, strings.Join(AllowedOutputFormats, ","))
}

// UnsupportedFormatError is returned for formats kubectl knows but kubetab does not print
// (*-file, kyaml).
type UnsupportedFormatError struct {
	Format string
}

func (e *UnsupportedFormatError) Error() string {
	return fmt.Sprintf("output format %q is not supported by kubetab", e.Format)
}

// IsTableFormat reports whether -o asks for the human-readable table (PrintTable), i.e. no
// -o at all or -o wide.
func IsTableFormat(format string) bool {
	return format == "" || format == "wide"
}

// OutputOptions tune PrintObjectsWithOptions.
type OutputOptions struct {
	// DisallowMissingTemplateKeys is --allow-missing-template-keys=false: a jsonpath that
	// names a missing field fails instead of printing nothing.
	DisallowMissingTemplateKeys bool
	// NoHeaders drops the custom-columns header line.
	NoHeaders bool
}

// PrintObjects writes objs in a non-table -o format: yaml, json, name, jsonpath=...,
// jsonpath-as-json=..., custom-columns=.... single means the user named exactly one object
// (`kubectl get pod x`), which prints the object itself instead of a List.
func PrintObjects(w io.Writer, objs []api.Object, format string, single bool) error {
	return PrintObjectsWithOptions(w, objs, format, single, OutputOptions{})
}

// PrintObjectsWithOptions is PrintObjects with kubectl's template flags.
func PrintObjectsWithOptions(w io.Writer, objs []api.Object, format string, single bool, opts OutputOptions) error {
	name, arg, hasArg := strings.Cut(format, "=")
	arg = unquote(arg)
	switch name {
	case "yaml", "json", "name":
		if hasArg {
			return &NoCompatiblePrinterError{Format: format}
		}
	}
	switch name {
	case "yaml":
		data, err := outputData(objs, single)
		if err != nil {
			return err
		}
		out, err := yaml.Marshal(data)
		if err != nil {
			return err
		}
		_, err = w.Write(out)
		return err
	case "json":
		data, err := outputData(objs, single)
		if err != nil {
			return err
		}
		out, err := json.MarshalIndent(data, "", "    ")
		if err != nil {
			return err
		}
		_, err = w.Write(append(out, '\n'))
		return err
	case "name":
		for _, obj := range objs {
			res := api.ResourceFor(obj)
			if res == nil {
				return fmt.Errorf("printers: unknown type %T", obj)
			}
			if _, err := fmt.Fprintf(w, "%s/%s\n", res.FullName(), obj.GetName()); err != nil {
				return err
			}
		}
		return nil
	case "jsonpath", "jsonpath-as-json":
		if !hasArg {
			return fmt.Errorf("template format specified but no template given")
		}
		return printJSONPath(w, objs, single, arg, name == "jsonpath-as-json", !opts.DisallowMissingTemplateKeys)
	case "custom-columns":
		if !hasArg {
			return fmt.Errorf("custom-columns format specified but no custom columns given")
		}
		return printCustomColumns(w, objs, arg, opts.NoHeaders)
	case "go-template", "template":
		if !hasArg {
			return fmt.Errorf("template format specified but no template given")
		}
		return printGoTemplate(w, objs, single, arg, opts.DisallowMissingTemplateKeys)
	case "go-template-file", "templatefile", "jsonpath-file", "custom-columns-file", "kyaml":
		return &UnsupportedFormatError{Format: name}
	}
	return &NoCompatiblePrinterError{Format: format}
}

// WithTemplate folds kubectl's --template into the -o value: --template alone means
// -o go-template, and it gives a template format (go-template, template, jsonpath,
// jsonpath-as-json) its template; other formats ignore it.
func WithTemplate(output, template string) string {
	if template == "" {
		return output
	}
	name, _, _ := strings.Cut(output, "=")
	switch name {
	case "":
		return "go-template=" + template
	case "go-template", "template", "jsonpath", "jsonpath-as-json":
		return name + "=" + template
	}
	return output
}

// printGoTemplate is kubectl's go-template printer: the object (or the List) as JSON
// decodes it, numbers as float64, given to the template; a failure prints what kubectl
// prints to help debug it, after what the template wrote.
func printGoTemplate(w io.Writer, objs []api.Object, single bool, text string, missingKeyError bool) error {
	t, err := gotemplate.Parse("output", text)
	if err != nil {
		//lint:ignore ST1005 kubectl's own message, as it prints it
		return fmt.Errorf("error parsing template %s, %v\n", text, err)
	}
	obj, err := outputData(objs, single)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	var data map[string]any
	if err := json.Unmarshal(raw, &data); err != nil {
		return err
	}
	if err := t.Execute(w, data, gotemplate.Options{MissingKeyError: missingKeyError}); err != nil {
		fmt.Fprintf(w, "Error executing template: %v. Printing more information for debugging the template:\n", err)
		fmt.Fprintf(w, "\ttemplate was:\n\t\t%v\n", text)
		fmt.Fprintf(w, "\traw data was:\n\t\t%v\n", string(raw))
		fmt.Fprintf(w, "\tobject given to template engine was:\n\t\t%+v\n\n", data)
		return fmt.Errorf("error executing template %q: %v", text, err)
	}
	return nil
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// toUnstructured turns a typed object into the map kubectl would have decoded from the API
// server: JSON field names, integers as int64, managedFields dropped.
func toUnstructured(obj api.Object) (map[string]any, error) {
	if obj.GetObjectKind().GroupVersionKind().Empty() {
		cp, ok := obj.DeepCopyObject().(api.Object)
		if ok {
			api.SetTypeMeta(cp)
			obj = cp
		}
	}
	raw, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if md, ok := m["metadata"].(map[string]any); ok {
		delete(md, "managedFields")
	}
	return convertNumbers(m).(map[string]any), nil
}

func convertNumbers(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = convertNumbers(e)
		}
		return t
	case []any:
		for i, e := range t {
			t[i] = convertNumbers(e)
		}
		return t
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return i
		}
		f, _ := t.Float64()
		return f
	}
	return v
}

// outputData is the single object, or the v1 List kubectl builds for several.
func outputData(objs []api.Object, single bool) (map[string]any, error) {
	if single && len(objs) == 1 {
		return toUnstructured(objs[0])
	}
	items := make([]any, 0, len(objs))
	for _, obj := range objs {
		m, err := toUnstructured(obj)
		if err != nil {
			return nil, err
		}
		items = append(items, m)
	}
	return map[string]any{
		"apiVersion": "v1",
		"items":      items,
		"kind":       "List",
		"metadata":   map[string]any{"resourceVersion": ""},
	}, nil
}

func printJSONPath(w io.Writer, objs []api.Object, single bool, template string, asJSON, allowMissing bool) error {
	data, err := outputData(objs, single)
	if err != nil {
		return err
	}
	return executeJSONPath(w, data, template, asJSON, allowMissing)
}

// PrintDataJSONPath writes what a -o jsonpath=TEMPLATE (or jsonpath-as-json=...) format
// makes of data that is not an API object (kubectl config view's kubeconfig), decoded from
// JSON; any other format is an error.
func PrintDataJSONPath(w io.Writer, data any, format string) error {
	name, arg, hasArg := strings.Cut(format, "=")
	switch {
	case name != "jsonpath" && name != "jsonpath-as-json":
		return &NoCompatiblePrinterError{Format: format}
	case !hasArg:
		return fmt.Errorf("template format specified but no template given")
	}
	return executeJSONPath(w, data, unquote(arg), name == "jsonpath-as-json", true)
}

func executeJSONPath(w io.Writer, data any, template string, asJSON, allowMissing bool) error {
	j := jsonpath.New("out")
	if err := j.Parse(template); err != nil {
		return fmt.Errorf("error parsing jsonpath %s, %v", template, err)
	}
	j.AllowMissingKeys(allowMissing)
	j.EnableJSONOutput(asJSON)
	var buf bytes.Buffer
	if err := j.Execute(&buf, data); err != nil {
		var msg bytes.Buffer
		fmt.Fprintf(&msg, "Error executing template: %v. Printing more information for debugging the template:\n", err)
		fmt.Fprintf(&msg, "\ttemplate was:\n\t\t%v\n", template)
		fmt.Fprintf(&msg, "\tobject given to jsonpath engine was:\n\t\t%#v\n\n", data)
		//lint:ignore ST1005 kubectl's own message, as it prints it
		return fmt.Errorf("error executing jsonpath %q: %v\n", template, msg.String())
	}
	_, err := w.Write(buf.Bytes())
	return err
}

var jsonRegexp = regexp.MustCompile(`^\{\.?([^{}]+)\}$|^\.?([^{}]+)$`)

// relaxedJSONPath accepts `.metadata.name`, `metadata.name` or `{.metadata.name}`.
func relaxedJSONPath(path string) (string, error) {
	if len(path) == 0 {
		return path, nil
	}
	sub := jsonRegexp.FindStringSubmatch(path)
	if sub == nil {
		return "", fmt.Errorf("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'")
	}
	if sub[1] != "" {
		return "{." + sub[1] + "}", nil
	}
	return "{." + sub[2] + "}", nil
}

func printCustomColumns(w io.Writer, objs []api.Object, spec string, noHeaders bool) error {
	var headers []string
	var parsers []*jsonpath.JSONPath
	for _, part := range strings.Split(spec, ",") {
		colSpec := strings.SplitN(part, ":", 2)
		if len(colSpec) != 2 {
			return fmt.Errorf("unexpected custom-columns spec: %s, expected <header>:<json-path-expr>", part)
		}
		expr, err := relaxedJSONPath(colSpec[1])
		if err != nil {
			return err
		}
		p := jsonpath.New(colSpec[0]).AllowMissingKeys(true)
		if err := p.Parse(expr); err != nil {
			return err
		}
		headers = append(headers, colSpec[0])
		parsers = append(parsers, p)
	}
	tw := newTableWriter(w)
	if !noHeaders {
		fmt.Fprintln(tw, strings.Join(headers, "\t"))
	}
	for _, obj := range objs {
		data, err := toUnstructured(obj)
		if err != nil {
			return err
		}
		cols := make([]string, len(parsers))
		for i, p := range parsers {
			results, err := p.FindResults(data)
			if err != nil {
				return err
			}
			var values []string
			if len(results) == 0 || len(results[0]) == 0 {
				values = append(values, "<none>")
			}
			for _, arr := range results {
				for _, v := range arr {
					values = append(values, fmt.Sprintf("%v", valueInterface(v)))
				}
			}
			cols[i] = strings.Join(values, ",")
		}
		fmt.Fprintln(tw, strings.Join(cols, "\t"))
	}
	return tw.Flush()
}

func valueInterface(v reflect.Value) any {
	if !v.IsValid() || !v.CanInterface() {
		return nil
	}
	return v.Interface()
}
