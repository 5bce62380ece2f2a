//go:build !wasm

package server

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/kubetab/kubetab/app/lessons"
)

// tutorialsDir holds the lessons (public/tutorials).
func tutorialsDir() string { return filepath.Join(PublicDir, "tutorials") }

// tutorialResources are the paths the service worker caches so that the tutorial works
// offline after a first visit: its pages and the lessons.
func tutorialResources(dir string) []string {
	res := []string{"/tutorial", lessons.Path + lessons.IndexFile}
	for _, name := range lessons.List(dir) {
		res = append(res, "/tutorial/"+name, lessons.Path+name+".md")
	}
	return res
}

// tutorialPages are the lesson pages a static site pre-renders.
func tutorialPages(dir string) []string {
	pages := []string{"/tutorial"}
	for _, name := range lessons.List(dir) {
		pages = append(pages, "/tutorial/"+name)
	}
	return pages
}

// serveTutorials serves /tutorials/NAME.md and /tutorials/index.json from dir, revalidated
// on every request (the service worker keeps its own copy, keyed by the app's version).
func serveTutorials(w http.ResponseWriter, r *http.Request, dir string) {
	rest := strings.TrimPrefix(r.URL.Path, lessons.Path)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	if rest == lessons.IndexFile {
		w.Header().Set("Content-Type", "application/json")
		w.Write(lessons.Index(dir))
		return
	}
	name, ok := strings.CutSuffix(rest, ".md")
	if !ok || !lessons.ValidName(name) {
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
	for _, name := range lessons.List(dir) {
		b, err := os.ReadFile(filepath.Join(dir, name+".md"))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(to, name+".md"), b, 0o644); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(to, lessons.IndexFile), lessons.Index(dir), 0o644)
}
