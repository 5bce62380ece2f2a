package public

import (
	"errors"
	"io/fs"
	"path"
	"strings"
	"testing"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/examples"
)

// undecodable are the bundled manifests kubetab cannot take, and why: the real API server
// refuses them too (or kubetab has no such kind yet).
var undecodable = map[string]string{
	"kubernetes-in-action/Chapter05/kubia-ingress-tls.yaml":           "extensions/v1beta1 Ingress: removed in Kubernetes 1.22, and kubetab has no Ingress",
	"kubernetes-in-action/Chapter05/kubia-ingress.yaml":               "extensions/v1beta1 Ingress: removed in Kubernetes 1.22, and kubetab has no Ingress",
	"kubernetes-in-action/Chapter05/kubia-svc-publish-not-ready.yaml": "the book's annotation-era field spec.publishNotReadyEndpoints: strict decoding refuses it, as kubectl does",
}

// Every manifest of the bundle decodes into objects kubetab knows, with no error.
func TestExampleManifestsDecode(t *testing.T) {
	files := ExampleFiles()
	if len(files) < 60 {
		t.Fatalf("only %d bundled files", len(files))
	}
	for _, f := range files {
		if ext := path.Ext(f); ext != ".yaml" && ext != ".yml" && ext != ".json" {
			continue
		}
		data, err := Examples(f)
		if err != nil {
			t.Fatal(err)
		}
		docs := api.Decode(data)
		if len(docs) == 0 {
			t.Errorf("%s: no documents", f)
		}
		for _, d := range docs {
			if d.Err != nil && undecodable[f] == "" {
				t.Errorf("%s: %v", f, d.Err)
			}
		}
	}
}

// The URLs the pages of the conformance suite name are in the bundle.
func TestExampleURLsResolve(t *testing.T) {
	for _, u := range []string{
		"https://k8s.io/examples/application/deployment.yaml",
		"https://k8s.io/examples/application/deployment-update.yaml",
		"https://k8s.io/examples/application/deployment-scale.yaml",
		"https://k8s.io/examples/controllers/nginx-deployment.yaml",
		"https://kubernetes.io/examples/service/networking/run-my-nginx.yaml",
		"https://kubernetes.io/examples/configmap/game.properties",
		"https://kubernetes.io/examples/configmap/ui-env-file.properties",
		"https://kubernetes.io/examples/pods/pod-configmap-volume.yaml",
		"https://k8s.io/examples/pods/inject/secret.yaml",
		"https://k8s.io/examples/service/networking/nginx-secure-app.yaml",
		"https://k8s.io/examples/service/networking/curlpod.yaml",
		"https://raw.githubusercontent.com/kubernetes/examples/master/_archived/https-nginx/Makefile",
		"https://raw.githubusercontent.com/kubernetes/examples/master/_archived/https-nginx/default.conf",
		"https://raw.githubusercontent.com/luksa/kubernetes-in-action/master/Chapter04/kubia-rc.yaml",
		"https://raw.githubusercontent.com/luksa/kubernetes-in-action/master/Chapter09/kubia-deployment-v1.yaml",
	} {
		if data, err := examples.Get(Examples, u); err != nil || len(data) == 0 {
			t.Errorf("%s: %v", u, err)
		}
	}
	if _, err := Examples("kubernetes-website/../../etc/passwd"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a path outside the bundle: %v", err)
	}
	if readme, _ := Examples("README.md"); !strings.Contains(string(readme), "CC BY 4.0") {
		t.Error("the bundle's README does not state the docs' licence")
	}
}
