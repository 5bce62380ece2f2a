package terminal

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
)

// fakeExamples is a bundle of two files, as a host supplies it.
func fakeExamples(p string) ([]byte, error) {
	switch p {
	case "kubernetes-website/application/deployment.yaml":
		return []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nginx-deployment\nspec:\n  selector:\n    matchLabels:\n      app: nginx\n  replicas: 2\n  template:\n    metadata:\n      labels:\n        app: nginx\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.14.2\n"), nil
	case "kubernetes-website/configmap/ui.properties":
		return []byte("color.good=purple\n"), nil
	}
	return nil, fmt.Errorf("open %s: %w", p, fs.ErrNotExist)
}

func TestApplyExampleURL(t *testing.T) {
	files := map[string][]byte{}
	s := MustSession(t, Options{
		Examples:  fakeExamples,
		ReadFile:  func(p string) ([]byte, error) { return mapRead(files, p) },
		WriteFile: func(p string, data []byte) error { files[p] = data; return nil },
	})
	for _, tc := range []struct {
		line, want string
		code       int
	}{
		{"kubectl apply -f https://k8s.io/examples/application/deployment.yaml", "deployment.apps/nginx-deployment created\n", 0},
		{"kubectl create -f https://kubernetes.io/examples/application/deployment.yaml", `Error from server (AlreadyExists): error when creating "https://kubernetes.io/examples/application/deployment.yaml": deployments.apps "nginx-deployment" already exists` + "\n", 1},
		{"kubectl apply -f https://k8s.io/examples/application/nope.yaml", `error: unable to read URL "https://k8s.io/examples/application/nope.yaml", server reported 404 Not Found, status code=404` + "\n", 1},
		{"kubectl apply -f https://example.com/app.yaml", `error: Get "https://example.com/app.yaml": dial tcp: lookup example.com: no such host` + "\nkubetab is offline: only", 1},
		{"wget -q https://kubernetes.io/examples/configmap/ui.properties -O ui.properties", "", 0},
		{"cat ui.properties", "color.good=purple\n", 0},
		{"wget -q https://kubernetes.io/examples/configmap/nope", "wget: server returned error: HTTP/1.1 404 Not Found\n", 1},
		{"curl -s https://k8s.io/examples/configmap/ui.properties", "color.good=purple\n", 0},
		{"curl -sS https://example.com/", "curl: (28) Failed to connect to example.com port 443", 1},
	} {
		out, code := run(t, s, tc.line)
		_, out, _ = strings.Cut(out, "\n") // the echoed line
		if code != tc.code || !strings.HasPrefix(out, tc.want) {
			t.Errorf("%s: exit %d, output\n%s\nwant exit %d, output starting\n%s", tc.line, code, out, tc.code, tc.want)
		}
	}
	// The journal holds what apply read: a replay needs no bundle.
	checkReplay(t, s)
}

func mapRead(files map[string][]byte, p string) ([]byte, error) {
	if d, ok := files[p]; ok {
		return d, nil
	}
	return nil, fmt.Errorf("open %s: %w", p, fs.ErrNotExist)
}
