package rest

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/kubetab/kubetab/engine/cluster"
)

func TestGet(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var asked string
	s := &Server{Store: c.Store, Address: "172.18.0.2:6443",
		HTTPGet: func(ip string, port int, path string) (int, string, error) {
			asked = path
			return 0, "", errors.New("dial tcp " + ip + ": connect: connection refused")
		}}
	for _, tc := range []struct {
		path   string
		status int
		want   string // a line of the body
	}{
		{"/version", 200, `"major": "`},
		{"/healthz", 200, "ok"},
		{"/api", 200, `"serverAddress": "172.18.0.2:6443"`},
		{"/api/v1", 200, `"name": "pods"`},
		{"/apis", 200, `"name": "apps"`},
		{"/apis/apps", 200, `"groupVersion": "apps/v1"`},
		{"/apis/apps/v1", 200, `"kind": "Deployment"`},
		{"/api/v1/nodes", 200, `"kind": "NodeList"`},
		{"/api/v1/nodes/kubetab-control-plane", 200, `"kind": "Node"`},
		{"/api/v1/namespaces", 200, `"name": "kube-system"`},
		{"/api/v1/namespaces/default", 200, `"kind": "Namespace"`},
		{"/api/v1/namespaces/default/pods", 200, `"items": []`},
		{"/api/v1/namespaces/default/services/kubernetes", 200, `"kind": "Service"`},
		{"/api/v1/namespaces/default/services/kubernetes:443/proxy/x", 503, `"message": "error trying to reach service: dial tcp`},
		{"/api/v1/namespaces/default/pods?labelSelector=app%3Dx", 200, `"kind": "PodList"`},
		{"/api/v1/namespaces/default/pods/nope", 404, `"message": "pods \"nope\" not found"`},
		{"/apis/apps/v1/namespaces/default/deployments/nope", 404, `"group": "apps"`},
		{"/api/v1/namespaces/default/pods/nope/proxy/", 404, `"reason": "NotFound"`},
		{"/api/v1/nodes/kubetab-control-plane/nope", 404, `"message": "the server could not find the requested resource"`},
		{"/api/v2", 404, `"code": 404`},
		{"/apis/nope/v1", 404, `"code": 404`},
		{"/api/v1/namespaces/default/nodes", 404, `"code": 404`},
		{"/nope", 404, `"code": 404`},
	} {
		res := s.Get(tc.path)
		if res.Status != tc.status || !strings.Contains(res.Body, tc.want) {
			t.Errorf("GET %s: %d\n%s\nwant %d with %q", tc.path, res.Status, res.Body, tc.status, tc.want)
		}
		if res.ContentType == contentJSON && !json.Valid([]byte(res.Body)) {
			t.Errorf("GET %s: invalid JSON", tc.path)
		}
	}
	if asked != "/x" {
		t.Errorf("the service proxy asked for %q", asked)
	}
}
