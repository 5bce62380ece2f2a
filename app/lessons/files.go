//go:build !wasm

package lessons

import (
	"cmp"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kubetab/kubetab/engine/tutorial"
)

// List lists the lessons that can be served, by name (the file name without .md),
// sorted; files whose names would not make a clean path are left out.
func List(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".md")
		if ok && e.Type().IsRegular() && ValidName(name) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// Index is index.json for the lessons in dir: each lesson's name, title and track. A lesson
// that does not parse is listed under its name (its page shows the error).
func Index(dir string) []byte {
	list := []Info{}
	for _, name := range List(dir) {
		info := Info{Name: name, Title: name}
		if src, err := os.ReadFile(filepath.Join(dir, name+".md")); err == nil {
			if l, err := tutorial.Parse(name+".md", src); err == nil {
				info.Title, info.Track = cmp.Or(l.Title, info.Title), l.Track
			}
		}
		list = append(list, info)
	}
	b, _ := json.MarshalIndent(list, "", "  ")
	return append(b, '\n')
}
