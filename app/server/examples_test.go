//go:build !wasm

package server

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// The bundled examples are served below /examples/ and listed for the service worker.
func TestServeExamples(t *testing.T) {
	pub := t.TempDir()
	os.MkdirAll(filepath.Join(pub, "web"), 0o755)
	os.MkdirAll(filepath.Join(pub, "examples", "kubernetes-website", "application"), 0o755)
	os.WriteFile(filepath.Join(pub, "examples", "kubernetes-website", "application", "deployment.yaml"), []byte("kind: Deployment\n"), 0o644)
	defer func(old string) { PublicDir = old }(PublicDir)
	PublicDir = pub
	srv := httptest.NewServer(New())
	defer srv.Close()
	for path, want := range map[string]int{
		"/examples/kubernetes-website/application/deployment.yaml": 200,
		"/examples/kubernetes-website/application/nope.yaml":       404,
		"/examples/../web/x": 404,
	} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, want)
		}
	}
	res := exampleResources(examplesDir())
	if !slices.Contains(res, "/examples/kubernetes-website/application/deployment.yaml") {
		t.Errorf("service worker resources: %v", res)
	}
}
