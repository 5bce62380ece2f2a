// Package samples holds the manifests the editor's samples menu offers, built into the
// binary so that the menu works offline and in the static site without a fetch:
//
//	book/  Kubernetes in Action, chapter 4, byte for byte
//	       (shared/reference/kubernetes-in-action/Chapter04)
//	docs/  the kubernetes.io examples the docs' controller and probe pages use
//	       (shared/reference/k8s-docs-examples, main files, not the _variants)
//
// They live under app/ rather than public/ because go:embed cannot reach outside the
// package directory; public/ only holds what the browser fetches by URL. engine/api's
// position scanner tests read them too. It imports nothing of kubetab's.
package samples

import (
	"embed"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
)

//go:embed book/*.yaml docs/*.yaml
var files embed.FS

// Sample is one entry of the samples menu.
type Sample struct {
	Group string // "Kubernetes in Action, ch. 4" or "Kubernetes docs"
	Name  string // the file name, used as the workspace file name when loaded
	Path  string // what Read takes: "samples/book/kubia-rc.yaml"
	// Title says what it is, for the menu: "CronJob hello (cronjob.yaml)", so that two
	// files of the same name are told apart.
	Title string
}

// pathPrefix starts every Path: the menu's values and the editor's "Loaded book/..." note
// name a sample by its place in app/.
const pathPrefix = "samples/"

var groups = []struct{ dir, title string }{
	{"book", "Kubernetes in Action, ch. 4"},
	{"docs", "Kubernetes docs"},
}

// Titles are the menu's groups, in order.
func Titles() []string {
	out := make([]string, len(groups))
	for i, g := range groups {
		out[i] = g.title
	}
	return out
}

var (
	listOnce sync.Once
	list     []Sample
)

// List lists the menu in a stable order: the book first, then the docs, by file name.
func List() []Sample {
	listOnce.Do(func() { list = readList() })
	return list
}

func readList() []Sample {
	var out []Sample
	for _, g := range groups {
		entries, err := fs.ReadDir(files, g.dir)
		if err != nil {
			continue
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		sort.Strings(names)
		for _, n := range names {
			p := path.Join(g.dir, n)
			b, _ := files.ReadFile(p)
			out = append(out, Sample{Group: g.title, Name: n, Path: pathPrefix + p, Title: title(string(b)) + " (" + n + ")"})
		}
	}
	return out
}

// Read returns a sample's text; an unknown path gives "".
func Read(p string) string {
	rel, ok := strings.CutPrefix(p, pathPrefix)
	if !ok {
		return ""
	}
	b, err := files.ReadFile(rel)
	if err != nil {
		return ""
	}
	return string(b)
}

// title says what a manifest holds, in block YAML or KYAML: the first object's kind and
// name, and how many objects follow ("Deployment nginx-deployment", "Pod pod1 and 2 more").
// The expressions are compiled when the menu is first listed, not when the page starts, and
// once, not once per sample.
func title(text string) string {
	kindLine, nameLine := titleLines()
	kinds := kindLine.FindAllStringSubmatch(text, -1)
	if len(kinds) == 0 {
		return "manifest"
	}
	t := kinds[0][1]
	if m := nameLine.FindStringSubmatch(text); m != nil {
		t += " " + m[1]
	}
	if n := len(kinds) - 1; n > 0 {
		t += " and " + strconv.Itoa(n) + " more"
	}
	return t
}

var titleLines = sync.OnceValues(func() (kind, name *regexp.Regexp) {
	return regexp.MustCompile(`(?m)^ {0,2}kind: *"?([A-Za-z]+)"?,?$`), regexp.MustCompile(`(?m)^ {2,4}name: *"?([a-z0-9.-]+)"?,?$`)
})
