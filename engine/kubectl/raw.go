package kubectl

import (
	"encoding/json"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubetab/kubetab/engine/apiserver/rest"
)

// getRaw is `kubectl get --raw PATH`: the API server's body for the path, byte for byte, or
// the error it answered with, read from its Status as kubectl reads it.
func (e *env) getRaw(path string) error {
	g := e.rest
	if g == nil {
		g = &rest.Server{Store: e.c.Store, Version: ServerVersionInfo}
	}
	r := g.GetFor(path, false)
	if r.Status >= 200 && r.Status < 300 {
		e.out("%s", r.Body)
		return nil
	}
	var st metav1.Status
	if strings.HasPrefix(r.ContentType, "application/json") && json.Unmarshal([]byte(r.Body), &st) == nil && st.Kind == "Status" {
		return &apierrors.StatusError{ErrStatus: st}
	}
	return apierrors.NewGenericServerResponse(r.Status, "get", schema.GroupResource{}, "", r.Body, 0, true)
}
