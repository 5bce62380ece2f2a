//go:build !wasm

package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kubetab/kubetab/engine/tutorial"
)

// tutorialsDir holds the lessons (public/tutorials).
func tutorialsDir() string { return filepath.Join(publicDir, "tutorials") }

// lessonFiles lists the lessons that can be served, by name (the file name without .md),
// sorted; files whose names would not make a clean path are left out.
func lessonFiles(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".md")
		if ok && e.Type().IsRegular() && lessonName.MatchString(name) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// lessonIndexJSON is index.json: each lesson's name and title. A lesson that does not
// parse is listed under its name (its page shows the error).
func lessonIndexJSON(dir string) []byte {
	list := []lessonInfo{}
	for _, name := range lessonFiles(dir) {
		info := lessonInfo{Name: name, Title: name}
		if src, err := os.ReadFile(filepath.Join(dir, name+".md")); err == nil {
			if l, err := tutorial.Parse(name+".md", src); err == nil && l.Title != "" {
				info.Title = l.Title
			}
		}
		list = append(list, info)
	}
	b, _ := json.MarshalIndent(list, "", "  ")
	return append(b, '\n')
}

// tutorialResources are the paths the service worker caches so that the tutorial works
// offline after a first visit: its pages and the lessons.
func tutorialResources(dir string) []string {
	res := []string{"/tutorial", tutorialsPath + lessonIndex}
	for _, name := range lessonFiles(dir) {
		res = append(res, "/tutorial/"+name, tutorialsPath+name+".md")
	}
	return res
}

// tutorialPages are the lesson pages a static site pre-renders.
func tutorialPages(dir string) []string {
	pages := []string{"/tutorial"}
	for _, name := range lessonFiles(dir) {
		pages = append(pages, "/tutorial/"+name)
	}
	return pages
}

// serveTutorials serves /tutorials/NAME.md and /tutorials/index.json from dir, revalidated
// on every request (the service worker keeps its own copy, keyed by the app's version).
func serveTutorials(w http.ResponseWriter, r *http.Request, dir string) {
	rest := strings.TrimPrefix(r.URL.Path, tutorialsPath)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	if rest == lessonIndex {
		w.Header().Set("Content-Type", "application/json")
		w.Write(lessonIndexJSON(dir))
		return
	}
	name, ok := strings.CutSuffix(rest, ".md")
	if !ok || !lessonName.MatchString(name) {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
	serveAsset(w, r, dir, name+".md", false)
}

// writeTutorials copies the lessons and their index into a static site's tutorials/.
func writeTutorials(dir, out string) error {
	to := filepath.Join(out, "tutorials")
	if err := os.MkdirAll(to, 0o755); err != nil {
		return err
	}
	for _, name := range lessonFiles(dir) {
		b, err := os.ReadFile(filepath.Join(dir, name+".md"))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(to, name+".md"), b, 0o644); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(to, lessonIndex), lessonIndexJSON(dir), 0o644)
}
