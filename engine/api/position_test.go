package api

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	yamlv3 "go.yaml.in/yaml/v3"
)

// The scanner of position.go is checked against yaml.v3's node positions (a test-only
// dependency): on every path of the reference manifests and the editor's samples, on the
// table below, and under fuzzing (FuzzPositions: never a line that differs from yaml.v3's,
// at most none).

// v3Line is the line lookup kubetab had on yaml.v3, the reference for the scanner.
func v3Line(root *yamlv3.Node, path []seg) int {
	n := root
	if n == nil {
		return 0
	}
	line := n.Line
	for _, s := range path {
		for n.Kind == yamlv3.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		var next *yamlv3.Node
		if s.isIdx {
			if n.Kind != yamlv3.SequenceNode || s.index >= len(n.Content) {
				return 0
			}
			next = n.Content[s.index]
			line = next.Line
		} else {
			if n.Kind != yamlv3.MappingNode {
				return 0
			}
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == s.key {
					next = n.Content[i+1]
					line = n.Content[i].Line
				}
			}
			if next == nil {
				return 0
			}
		}
		n = next
	}
	return line
}

func parseV3(t testing.TB, src []byte) *yamlv3.Node {
	t.Helper()
	var n yamlv3.Node
	if err := yamlv3.Unmarshal(src, &n); err != nil || len(n.Content) == 0 {
		return nil
	}
	return n.Content[0]
}

// v3Paths lists every path to a key or an item of the tree, and one past the end of each
// collection (a path that does not exist).
func v3Paths(n *yamlv3.Node, prefix []seg, out *[][]seg, depth int) {
	if n == nil || depth > 50 {
		return
	}
	at := func(s seg) []seg { return append(append([]seg(nil), prefix...), s) }
	switch n.Kind {
	case yamlv3.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := at(seg{key: n.Content[i].Value})
			*out = append(*out, p)
			v3Paths(n.Content[i+1], p, out, depth+1)
		}
		*out = append(*out, at(seg{key: "no-such-field"}))
	case yamlv3.SequenceNode:
		for i, c := range n.Content {
			p := at(seg{index: i, isIdx: true})
			*out = append(*out, p)
			v3Paths(c, p, out, depth+1)
		}
		*out = append(*out, at(seg{index: len(n.Content), isIdx: true}))
	}
}

// comparePositions checks every path of src; exact says that every line must be found.
func comparePositions(t *testing.T, name string, src []byte, exact bool) {
	t.Helper()
	ref := parseV3(t, src)
	if ref == nil {
		return
	}
	root := parsePositions(src)
	if root == nil && exact {
		t.Errorf("%s: the scanner cannot read the document", name)
		return
	}
	paths := [][]seg{nil}
	v3Paths(ref, nil, &paths, 0)
	for _, p := range paths {
		want, got := v3Line(ref, p), root.lookup(p)
		if got != want && (exact || got != 0) {
			t.Errorf("%s: line of %q = %d, yaml.v3 says %d", name, pathString(p), got, want)
		}
	}
}

func TestPositionsOfReferenceManifests(t *testing.T) {
	n := 0
	for _, dir := range []string{"../../testdata/manifests", "../../app/samples", "../controller/daemonset/testdata"} {
		err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() || !(strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for i, d := range splitDocuments(b) {
				comparePositions(t, p+"#"+string(rune('0'+i)), d.data, true)
				n++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n < 40 {
		t.Fatalf("only %d documents", n)
	}
}

var positionCases = []struct{ name, src string }{
	{"block", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels:\n    app: a\nspec:\n  containers:\n  - name: a\n    image: b\n    args:\n    - one\n    -   two\n  - name: c\n"},
	{"sequence at the key's indent", "items:\n- a: 1\n  b: 2\n-\n  c: 3\n- - x\n  - y\nafter: 1\n"},
	{"comments and blank lines", "# head\n\na: 1 # trailing\n# between\n\nb:\n  # inside\n  c: 2\n"},
	{"block scalars", "a: |\n  line\n\n  more: not a key\nb: >-\n    folded\n    text\nc:\n- |\n  x\n- y\nd: 1\n"},
	{"multi-line plain and quoted", "a: one\n  two\n  three\nb: \"x\n  y\"\nc: 'it''s\n  z'\nd: 4\n"},
	{"quoted keys", "\"a b\": 1\n'c': 2\n\"d\\\"e\": 3\nf: 4\n"},
	{"anchors and aliases", "base: &b\n  x: 1\n  y: 2\nother: *b\nlist: &l\n- 1\nmore: !!map\n  z: 3\n"},
	{"flow", "a: {b: 1, c: [1, 2,\n  3], d: {e: f}}\ng: [x, {h: i}]\nj: 2\n"},
	{"KYAML", "{\n  apiVersion: \"v1\",\n  kind: \"Pod\", # a pod\n  metadata: {name: \"k\",},\n  spec: {containers: [{name: \"c\", image: \"busybox\", args: [\"\\\n     a\\n\\\n    \\  b\",],},],},\n}\n"},
	{"KYAML block", "{\n  apiVersion: \"apps/v1\",\n  kind: \"DaemonSet\",\n  spec: {\n    template: {\n      spec: {\n        containers: [\n          {\n            name: \"a\",\n            image: \"b\",\n          },\n        ],\n      },\n    },\n  },\n}\n"},
	{"JSON", "{\n\t\"apiVersion\": \"v1\",\n\t\"kind\": \"Namespace\",\n\t\"metadata\": {\"name\": \"j\", \"labels\": {\"a\":\"b\"}},\n\t\"list\": [1,\n\t\t{\"x\": [\"y\"]}]\n}\n"},
	{"CRLF", "a: 1\r\nb:\r\n  c: 2\r\n  d:\r\n  - e\r\n"},
	{"values with colons", "image: registry.example/x:1.0\nurl: http://a:80/b\ncmd: echo a:b\nk: v\n"},
	{"empty values", "a:\nb: ~\nc: []\nd: {}\ne:\n  f:\ng: 1\n"},
	{"top-level sequence", "- a: 1\n- b: 2\n"},
	{"scalar document", "just text\n"},
	{"comment only", "# nothing\n"},
	{"indented mapping in sequence", "containers:\n  - name: a\n    ports:\n      - containerPort: 8080\n        protocol: TCP\n  - name: b\n"},
	{"deep indentation change", "a:\n    b:\n        c: 1\n    d: 2\ne: 3\n"},
	{"tabs in values", "a: \"x\ty\"\nb:\tc\n"},
	{"byte order mark", "\ufeffa: 1\nb: 2\n"},
}

func TestPositionsMatchYAMLv3(t *testing.T) {
	for _, tc := range positionCases {
		t.Run(tc.name, func(t *testing.T) {
			comparePositions(t, tc.name, []byte(tc.src), true)
		})
	}
}

// The scanner gives up (no line) on what it does not follow, instead of guessing.
func TestPositionsUnsupported(t *testing.T) {
	for _, src := range []string{
		"? complex\n: key\n",
		"%YAML 1.2\n---\na: 1\n",
		"{[a]: b}\n",
		"a: {b: 1\n",
		strings.Repeat("[", 5000),
	} {
		if root := parsePositions([]byte(src)); root != nil && root.lookup([]seg{{key: "a"}}) != 0 {
			t.Errorf("%q: a line for a", src)
		}
	}
}

func FuzzPositions(f *testing.F) {
	for _, tc := range positionCases {
		f.Add(tc.src)
	}
	f.Add("a:\n- b\n-\n - c\n")
	f.Add("- |\n text\n- x\n")
	f.Fuzz(func(t *testing.T, src string) {
		// A lone CR is a line break to yaml.v3; kubetab counts lines by LF (the stream's
		// lines, splitDocuments), so the two numberings differ there by design.
		// Only UTF-8 text: the decoder refuses other bytes before lines are asked for.
		if len(src) > 4096 || strings.Contains(strings.ReplaceAll(src, "\r\n", ""), "\r") || !utf8.ValidString(src) {
			return
		}
		comparePositions(t, "fuzz", []byte(src), false)
	})
}
