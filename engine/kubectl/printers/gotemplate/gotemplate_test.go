package gotemplate

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"text/template"
	"unicode/utf8"
)

// Objects as kubectl hands them to its template: JSON decoded into map[string]any.
var objects = []string{
	`{"apiVersion":"v1","kind":"List","metadata":{"resourceVersion":""},"items":[
	  {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-7d4b9c-x2x9k","namespace":"default","labels":{"app":"web","tier":"front"},"creationTimestamp":"2026-01-01T09:00:00Z"},
	   "spec":{"nodeName":"kubetab-worker","containers":[{"name":"web","image":"nginx:1.25","ports":[{"containerPort":80,"protocol":"TCP"}]}]},
	   "status":{"phase":"Running","podIP":"10.244.1.2","containerStatuses":[{"name":"web","ready":true,"restartCount":0}]}},
	  {"apiVersion":"v1","kind":"Pod","metadata":{"name":"db-0","namespace":"default","labels":{"app":"db"},"annotations":{"a.b/c":"d"}},
	   "spec":{"containers":[{"name":"db","image":"redis"},{"name":"side","image":"busybox","command":["sh","-c","sleep 3600"]}]},
	   "status":{"phase":"Pending","containerStatuses":[{"name":"db","ready":false,"restartCount":3}]}}]}`,
	`{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","generation":2,"labels":{"app":"web"}},
	  "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}}},
	  "status":{"replicas":3,"readyReplicas":2,"availableReplicas":2,"conditions":[{"type":"Available","status":"True"},{"type":"Progressing","status":"True"}]}}`,
	`{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":{"pw":"czNjcjN0","user":"YWRtaW4=","bad":"!!"},"type":"Opaque"}`,
	`{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"type":"NodePort","clusterIP":"10.96.0.12","ports":[{"port":80,"targetPort":8080,"nodePort":30080,"protocol":"TCP"}]}}`,
	`{"apiVersion":"v1","kind":"List","metadata":{"resourceVersion":""},"items":[]}`,
	`{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"},"status":{"capacity":{"cpu":"4","memory":"8Gi","pods":"110"},"addresses":[{"type":"InternalIP","address":"172.18.0.2"},{"type":"Hostname","address":"n1"}]}}`,
}

var templates = []string{
	// The docs' own.
	`{{range .items}}{{.metadata.name}}{{"\n"}}{{end}}`,
	`{{range .items}}{{.metadata.name}}:{{range .spec.containers}}{{.image}} {{end}}{{"\n"}}{{end}}`,
	`{{.spec.ports}}`,
	`{{(index .spec.ports 0).nodePort}}`,
	`{{.data.pw | base64decode}}`,
	`{{index .data "pw"}}`,
	`{{range $k, $v := .data}}{{$k}}={{$v | base64decode}}{{"\n"}}{{end}}`,
	`{{range .status.addresses}}{{if eq .type "InternalIP"}}{{.address}}{{end}}{{end}}`,
	`{{.status.capacity.cpu}}`,
	`{{index .metadata.annotations "a.b/c"}}`,
	`{{range .items}}{{index .metadata.annotations "a.b/c"}}{{end}}`,
	// Fields, missing and null.
	`{{.metadata.name}}`,
	`{{.metadata.nope}}`,
	`{{.metadata.nope.deeper}}`,
	`{{.spec.template.metadata.creationTimestamp}}`,
	`{{.spec.template.metadata.creationTimestamp.x}}`,
	`{{.kind.x}}`,
	`{{.}}`,
	`{{.metadata}}`,
	`{{.spec.replicas}}`,
	`{{.status.conditions}}`,
	`x{{/* a comment */}}y`,
	`a {{- .kind -}} b`,
	"{{range .items -}}\n  {{.metadata.name}}\n{{- end}}",
	"{{- range .items }}\n{{ .metadata.name }}\n{{ end -}}",
	// Control structures.
	`{{if .spec}}spec{{else}}none{{end}}`,
	`{{if .nope}}yes{{else if .kind}}{{.kind}}{{else}}no{{end}}`,
	`{{with .metadata.labels}}{{.app}}{{else}}nolabels{{end}}`,
	`{{with .nope}}x{{end}}`,
	`{{range .items}}{{else}}empty{{end}}`,
	`{{range $i, $p := .items}}{{$i}}:{{$p.metadata.name}} {{end}}`,
	`{{range .items}}{{if eq .status.phase "Pending"}}{{break}}{{end}}{{.metadata.name}}{{end}}`,
	`{{range .items}}{{if eq .status.phase "Running"}}{{continue}}{{end}}{{.metadata.name}}{{end}}`,
	`{{range 3}}{{.}}{{end}}`,
	`{{range .kind}}{{.}}{{end}}`,
	`{{range .nope}}x{{end}}`,
	`{{range .metadata.labels}}{{.}},{{end}}`,
	`{{$n := .metadata.name}}{{$n}}-{{$n}}`,
	`{{$n := 1}}{{$n = 2}}{{$n}}`,
	`{{range .items}}{{$.kind}}{{end}}`,
	// Functions.
	`{{len .items}}`,
	`{{len .metadata.name}}`,
	`{{len .spec.replicas}}`,
	`{{len .nope}}`,
	`{{printf "%s has %d" .metadata.name 3}}`,
	`{{printf "%d" .spec.replicas}}`,
	`{{printf "%v" .spec.replicas}}`,
	`{{printf "%.0f" .spec.replicas}}`,
	`{{printf "%s" .nope}}`,
	`{{.metadata.name | printf "%s!"}}`,
	`{{print "a" 1 2 "b"}}`,
	`{{println .kind}}`,
	`{{eq .kind "Deployment"}}`,
	`{{eq .kind "Pod" "Deployment"}}`,
	`{{eq .spec.replicas 3}}`,
	`{{eq .spec.replicas 3.0}}`,
	`{{ne .kind "x"}}`,
	`{{lt .spec.replicas 5.0}}`,
	`{{gt .status.readyReplicas .status.replicas}}`,
	`{{le "a" "b"}} {{ge 2 2}} {{gt 1 2}}`,
	`{{eq .nope "x"}}`,
	`{{eq .nope .nada}}`,
	`{{lt .kind 3}}`,
	`{{and .kind .metadata}}`,
	`{{or .nope "default"}}`,
	`{{not .nope}}`,
	`{{if and .spec (eq .kind "Deployment")}}ok{{end}}`,
	`{{index .items 0}}`,
	`{{(index .items 1).metadata.name}}`,
	`{{index .items 5}}`,
	`{{index .metadata.labels "nope"}}`,
	`{{index .metadata "labels" "app"}}`,
	`{{exists . "metadata" "labels"}} {{exists . "nope"}}`,
	`{{.data.bad | base64decode}}`,
	`{{"a\tb"}} {{` + "`raw\\n`" + `}} {{'x'}} {{1.5}} {{true}} {{-3}}`,
	`{{ .metadata.name | len }}`,
	`{{.kind | eq "Service"}}`,
	// Errors.
	`{{.metadata.name}`,
	`{{range .items}}`,
	`{{end}}`,
	`{{nofunc .x}}`,
	`{{$undefined}}`,
	`{{else}}`,
	`{{.kind "arg"}}`,
	`{{"unterminated}}`,
	`{{if}}{{end}}`,
	`{{(.kind}}`,
	`{{range .items}}{{break}}{{end}}{{break}}`,
	`{{printf}}`,
	`{{index}}`,
	`{{.kind | .metadata}}`,
	`{{3 | printf "%d"}}`,
}

// kubectlFuncs are the functions kubectl adds to text/template.
var kubectlFuncs = template.FuncMap{
	"base64decode": func(v string) (string, error) {
		data, err := base64.StdEncoding.DecodeString(v)
		if err != nil {
			return "", fmt.Errorf("base64 decode failed: %v", err)
		}
		return string(data), nil
	},
	"exists": func(item any, indices ...any) bool {
		v := item
		for _, i := range indices {
			switch x := v.(type) {
			case map[string]any:
				k, ok := i.(string)
				if !ok {
					return false
				}
				e, found := x[k]
				if !found {
					return false
				}
				v = e
			case []any:
				n, ok := i.(int)
				if !ok || n < 0 || n >= len(x) {
					return false
				}
				v = x[n]
			default:
				return false
			}
		}
		return true
	},
}

// compare runs src on the JSON object obj with text/template and with this package and
// says how they differ ("" when they do not); printed and failed count what was compared.
// With anyParse, a template only one of them parses is not a difference (the fuzzer's
// malformed templates: where the two draw the line of what parses does not matter).
func compare(src, obj string, strict, anyParse bool) (diff string, printed, failed bool) {
	defer func() {
		if recover() != nil {
			diff, printed, failed = "", false, false // text/template itself panicked: no reference
		}
	}()
	want, wantErr := template.New("output").Funcs(kubectlFuncs).Parse(src)
	got, gotErr := Parse("output", src)
	if (wantErr != nil) != (gotErr != nil) && !anyParse {
		return fmt.Sprintf("parse error %v, want %v", gotErr, wantErr), false, true
	}
	if wantErr != nil || gotErr != nil {
		return "", false, true
	}
	if strict {
		want.Option("missingkey=error")
	}
	var data map[string]any
	if err := json.Unmarshal([]byte(obj), &data); err != nil {
		panic(err)
	}
	var wb, gb strings.Builder
	werr := want.Execute(&wb, data)
	gerr := got.Execute(&gb, data, Options{MissingKeyError: strict})
	if wb.String() != gb.String() || (werr != nil) != (gerr != nil) {
		return fmt.Sprintf("got %q, %v\nwant %q, %v", gb.String(), gerr, wb.String(), werr), false, false
	}
	return "", wb.Len() > 0, werr != nil
}

// TestDifferential runs every template on every object with text/template (kubectl's
// functions added) and with this package: the output, and whether there is an error,
// must be the same.
func TestDifferential(t *testing.T) {
	printed, failed := 0, 0
	for _, strict := range []bool{false, true} {
		for ti, src := range templates {
			for oi, obj := range objects {
				diff, p, f := compare(src, obj, strict, false)
				if diff != "" {
					t.Errorf("template %d %q on object %d (strict %v):\n%s", ti, src, oi, strict, diff)
				}
				if p {
					printed++
				}
				if f {
					failed++
				}
			}
		}
	}
	if printed < len(templates) || failed < len(templates)/2 {
		t.Errorf("only %d runs printed something and %d failed: the corpus lost its teeth", printed, failed)
	}
}

// FuzzDifferential holds the package to text/template on any template.
func FuzzDifferential(f *testing.F) {
	for _, src := range templates {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if !utf8.ValidString(src) || strings.Contains(src, "range") && strings.ContainsAny(src, "0123456789") {
			t.Skip("a range over a big integer would only take long")
		}
		for _, obj := range objects[1:3] {
			if diff, _, _ := compare(src, obj, false, true); diff != "" {
				t.Fatalf("%q: %s", src, diff)
			}
		}
	})
}

// The messages that matter most read as text/template's.
func TestMessages(t *testing.T) {
	var data map[string]any
	_ = json.Unmarshal([]byte(objects[1]), &data)
	for _, tc := range []struct{ src, want string }{
		{`{{.metadata.name}`, `template: output:1: unexpected "}" in operand`},
		{`{{nofunc .x}}`, `template: output:1: function "nofunc" not defined`},
		{`{{range .items}}`, `template: output:1: unexpected EOF`},
		{`{{eq .spec.replicas 3}}`, `template: output:1:2: executing "output" at <eq .spec.replicas 3>: error calling eq: incompatible types for comparison`},
		{`{{.spec.template.metadata.creationTimestamp.x}}`, `template: output:1:2: executing "output" at <.spec.template.metadata.creationTimestamp.x>: nil pointer evaluating interface {}.x`},
	} {
		tmpl, err := Parse("output", tc.src)
		if err == nil {
			err = tmpl.Execute(&strings.Builder{}, data, Options{})
		}
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: %v\nwant %s", tc.src, err, tc.want)
		}
	}
}
