package examples

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
)

func TestLocate(t *testing.T) {
	for _, tc := range []struct{ url, want string }{
		{"https://k8s.io/examples/application/deployment.yaml", "kubernetes-website/application/deployment.yaml"},
		{"https://kubernetes.io/examples/configmap/game.properties", "kubernetes-website/configmap/game.properties"},
		{"http://www.kubernetes.io/examples/pods/inject/secret.yaml", "kubernetes-website/pods/inject/secret.yaml"},
		{"https://K8S.IO/examples/a/../application/deployment.yaml", "kubernetes-website/application/deployment.yaml"},
		{"https://raw.githubusercontent.com/luksa/kubernetes-in-action/master/Chapter04/kubia-rc.yaml", "kubernetes-in-action/Chapter04/kubia-rc.yaml"},
		{"https://raw.githubusercontent.com/luksa/kubernetes-in-action/d15844a/Chapter02/kubia.yaml", "kubernetes-in-action/Chapter02/kubia.yaml"},
		{"https://github.com/luksa/kubernetes-in-action/raw/master/Chapter09/kubia-deployment-v1.yaml", "kubernetes-in-action/Chapter09/kubia-deployment-v1.yaml"},
		{"https://raw.githubusercontent.com/kubernetes/examples/master/_archived/https-nginx/Makefile", "kubernetes-examples/https-nginx/Makefile"},
		{"https://raw.githubusercontent.com/kubernetes/examples/bc9ca4ca32bb28762ef216386934bef20f1f9930/staging/https-nginx/default.conf", "kubernetes-examples/https-nginx/default.conf"},
		{"https://github.com/kubernetes/examples/raw/master/_archived/https-nginx/default.conf", "kubernetes-examples/https-nginx/default.conf"},
		{"https://k8s.io/docs/home/", ""},
		{"https://k8s.io/examples/../../etc/passwd", ""},
		{"https://raw.githubusercontent.com/luksa/kubernetes-in-action/master", ""},
		{"https://raw.githubusercontent.com/someone/else/master/x.yaml", ""},
		{"https://example.com/examples/x.yaml", ""},
		{"ftp://k8s.io/examples/x.yaml", ""},
		{"https://k8s.io/examples/x.yaml?v=1", ""},
	} {
		got, ok := Locate(tc.url)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("Locate(%q) = %q, %v; want %q", tc.url, got, ok, tc.want)
		}
	}
}

func TestGet(t *testing.T) {
	bundle := func(p string) ([]byte, error) {
		if p == "kubernetes-website/application/deployment.yaml" {
			return []byte("kind: Deployment\n"), nil
		}
		return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
	}
	data, err := Get(bundle, "https://k8s.io/examples/application/deployment.yaml")
	if err != nil || string(data) != "kind: Deployment\n" {
		t.Fatalf("Get = %q, %v", data, err)
	}
	_, err = Get(bundle, "https://k8s.io/examples/application/nope.yaml")
	var httpErr *HTTPError
	if !errors.As(err, &httpErr) || err.Error() != `unable to read URL "https://k8s.io/examples/application/nope.yaml", server reported 404 Not Found, status code=404` {
		t.Errorf("missing file: %v", err)
	}
	_, err = Get(bundle, "https://example.com/x.yaml")
	var off *OfflineError
	if !errors.As(err, &off) || !strings.HasPrefix(err.Error(), `Get "https://example.com/x.yaml": dial tcp: lookup example.com: no such host`+"\nkubetab is offline") {
		t.Errorf("other URL: %v", err)
	}
	_, err = Get(nil, "https://k8s.io/examples/application/deployment.yaml")
	if !errors.As(err, &off) || !off.NoBundle {
		t.Errorf("no bundle: %v", err)
	}
}
