package api

import (
	"strings"
	"testing"
)

func TestExplain(t *testing.T) {
	tests := []struct {
		path    string
		want    []string // substrings, in order
		wantErr string
	}{
		{path: "pods", want: []string{"KIND:       Pod\nVERSION:    v1\n\nDESCRIPTION:\n    Pod is a collection of containers", "FIELDS:\n  apiVersion\t<string>\n", "  spec\t<PodSpec>\n"}},
		{path: "rs", want: []string{"GROUP:      apps\nKIND:       ReplicaSet\nVERSION:    v1\n"}},
		{path: "replicasets.apps.spec", want: []string{"FIELD: spec <ReplicaSetSpec>", "  selector\t<LabelSelector> -required-\n"}},
		{path: "pod.spec.containers", want: []string{"FIELD: containers <[]Container>", "  name\t<string> -required-\n", "  ports\t<[]ContainerPort>\n"}},
		{path: "pod.spec.containers.livenessProbe", want: []string{"FIELD: livenessProbe <Probe>\n\nDESCRIPTION:\n    Periodic probe of container liveness.", "  failureThreshold\t<integer>\n"}},
		{path: "po.spec.restartPolicy", want: []string{"FIELD: restartPolicy <string>\n\nDESCRIPTION:\n"}},
		{path: "pod.spec.foo", wantErr: `field "foo" does not exist`},
		{path: "widgets", wantErr: `the server doesn't have a resource type "widgets"`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got, err := Explain(tt.path)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			rest := got
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("missing %q in\n%s", w, got)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}
