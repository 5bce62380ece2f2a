package highlight

import (
	"strings"
	"testing"

	"github.com/kubetab/kubetab/app/samples"
)

func TestHighlightYAMLRebuildsEveryLine(t *testing.T) {
	for _, s := range samples.List() {
		text := samples.Read(s.Path)
		lines := strings.Split(text, "\n")
		for i, toks := range YAML(text) {
			var b strings.Builder
			for _, tk := range toks {
				b.WriteString(tk.Text)
			}
			if b.String() != lines[i] {
				t.Fatalf("%s line %d: tokens %q rebuild %q", s.Path, i+1, b.String(), lines[i])
			}
		}
	}
}

func TestHighlightYAMLKinds(t *testing.T) {
	tests := []struct {
		name string
		text string
		line int
		want []Token
	}{
		{"key and value", "  image: luksa/kubia", 0, []Token{{Plain, "  "}, {Key, "image"}, {Punct, ":"}, {Plain, " "}, {Value, "luksa/kubia"}}},
		{"number", "replicas: 3", 0, []Token{{Key, "replicas"}, {Punct, ":"}, {Plain, " "}, {Number, "3"}}},
		{"literal and comment", "hostNetwork: true # yes", 0, []Token{{Key, "hostNetwork"}, {Punct, ":"}, {Plain, " "}, {Literal, "true"}, {Plain, " "}, {Comment, "# yes"}}},
		{"sequence entry", "- name: kubia", 0, []Token{{Punct, "-"}, {Plain, " "}, {Key, "name"}, {Punct, ":"}, {Plain, " "}, {Value, "kubia"}}},
		{"document", "---", 0, []Token{{Document, "---"}}},
		{"url is a value", "url: http://x:80/y", 0, []Token{{Key, "url"}, {Punct, ":"}, {Plain, " "}, {Value, "http://x:80/y"}}},
		{"quoted key and string", `"a": "b c"`, 0, []Token{{Key, `"a"`}, {Punct, ":"}, {Plain, " "}, {String, `"b c"`}}},
		{"kyaml flow", `  metadata: { name: "nginx", },`, 0, []Token{{Plain, "  "}, {Key, "metadata"}, {Punct, ":"}, {Plain, " "}, {Punct, "{"}, {Plain, " "}, {Key, "name"}, {Punct, ":"}, {Plain, " "}, {String, `"nginx"`}, {Punct, ","}, {Plain, " "}, {Punct, "},"}}},
		{"block scalar content", "args: |\n  echo hi: there\nnext: 1", 1, []Token{{String, "  echo hi: there"}}},
		{"block scalar ends", "args: |\n  echo hi\nnext: 1", 2, []Token{{Key, "next"}, {Punct, ":"}, {Plain, " "}, {Number, "1"}}},
		{"string over lines", "command: \"a \\\n  b\"\nx: y", 1, []Token{{String, "  b\""}}},
		{"anchor", "a: &x 1", 0, []Token{{Key, "a"}, {Punct, ":"}, {Plain, " "}, {Anchor, "&x"}, {Plain, " "}, {Number, "1"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := YAML(tc.text)[tc.line]
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("token %d: got %+v, want %+v (all: %+v)", i, got[i], tc.want[i], got)
				}
			}
		})
	}
}

func TestManifestProblemsPlacement(t *testing.T) {
	rc := samples.Read("samples/book/kubia-rc.yaml")
	tests := []struct {
		name     string
		text     string
		wantLine int
		wantMsg  string
	}{
		{"syntax error", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n   bad: [\n", 5, "yaml"},
		{"unknown field", strings.Replace(rc, "image: luksa/kubia", "imagee: luksa/kubia", 1), 16, `unknown field "spec.template.spec.containers[0].imagee"`},
		{"validation: selector mismatch", strings.Replace(rc, "        app: kubia", "        app: other", 1), 11, `The ReplicationController "kubia" is invalid: spec.template.metadata.labels`},
		{"validation: second document", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ok\n---\n" + strings.Replace(rc, "replicas: 3", "replicas: -1", 1), 11, "spec.replicas: Invalid value: -1"},
		{"missing kind", "apiVersion: v1\nmetadata:\n  name: x\n", 1, "kind not set"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps := Problems(tc.text)
			if len(ps) == 0 {
				t.Fatalf("no problems")
			}
			p := ps[0]
			if p.Line != tc.wantLine || !strings.Contains(p.Msg, tc.wantMsg) {
				t.Fatalf("got line %d %q, want line %d containing %q (all %+v)", p.Line, p.Msg, tc.wantLine, tc.wantMsg, ps)
			}
		})
	}
	if ps := Problems(rc); len(ps) != 0 {
		t.Fatalf("kubia-rc.yaml: %+v", ps)
	}
	if ps := Problems("  \n"); ps != nil {
		t.Fatalf("empty text: %+v", ps)
	}
}

func TestSamplesDecodeCleanly(t *testing.T) {
	list := samples.List()
	if len(list) < 20 {
		t.Fatalf("only %d samples", len(list))
	}
	for _, s := range list {
		if s.Group == samples.Titles()[0] || strings.Contains(s.Name, "rc") || strings.Contains(s.Name, "replication") {
			if ps := Problems(samples.Read(s.Path)); len(ps) != 0 {
				t.Errorf("%s: %+v", s.Path, ps)
			}
		}
	}
}

func TestFieldPathSegments(t *testing.T) {
	got := strings.Join(fieldPathSegments("spec.template.spec.containers[0].ports[1].containerPort"), ",")
	if got != "spec,template,spec,containers,ports,containerPort" {
		t.Fatal(got)
	}
	got = strings.Join(fieldPathSegments("metadata.labels[app]"), ",")
	if got != "metadata,labels,app" {
		t.Fatal(got)
	}
}

// Errors are marked on the line at fault: a misspelt kind on its kind: line, with the
// nearest served kind; a line whose indentation fits no mapping on that line, whichever
// way the YAML library counts it.
func TestProblemLines(t *testing.T) {
	for _, c := range []struct {
		src  string
		line int
		msg  string
	}{
		{"apiVersion: apps/v1\nkind: Deploymnet\nmetadata:\n  name: web\n", 2, `(did you mean "Deployment"?)`},
		{"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n   ports: []\n", 9, "did not find expected key"},
		{"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n labels:\n    a: b\n", 5, "did not find expected key"},
		{"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n     ports:\n", 9, "mapping values are not allowed"},
	} {
		ps := Problems(c.src)
		if len(ps) != 1 || ps[0].Line != c.line || !strings.Contains(ps[0].Msg, c.msg) {
			t.Errorf("%q: %+v, want line %d with %q", c.src, ps, c.line, c.msg)
		}
	}
}
