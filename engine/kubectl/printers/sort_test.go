package printers

import (
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
)

func TestNaturalLess(t *testing.T) {
	ordered := []string{"", "a", "a1", "a01", "a2", "a9", "a10", "a10b", "a100", "b", "pod-9", "pod-10", "pod-10a"}
	for i, a := range ordered {
		for j, b := range ordered {
			if got := naturalLess(a, b); got != (i < j) {
				t.Errorf("naturalLess(%q, %q) = %v", a, b, got)
			}
		}
	}
}

// Sorted by numbers, quantities and natural strings; missing values first; ties keep order.
func TestSortObjects(t *testing.T) {
	node := func(name, mem string, pods int64) api.Object {
		n := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name}}
		if mem != "" {
			n.Status.Capacity = corev1.ResourceList{corev1.ResourceMemory: resource.MustParse(mem), corev1.ResourcePods: *resource.NewQuantity(pods, resource.DecimalSI)}
		}
		return n
	}
	names := func(objs []api.Object) []string {
		var out []string
		for _, o := range objs {
			out = append(out, o.GetName())
		}
		return out
	}
	objs := []api.Object{node("n10", "1Gi", 110), node("n9", "512Mi", 110), node("none", "", 0), node("n2", "2Gi", 20)}
	for _, tt := range []struct{ field, want string }{
		{".metadata.name", "n2 n9 n10 none"},
		{"{.status.capacity.memory}", "none n9 n10 n2"},
		{"status.capacity.pods", "none n2 n10 n9"},
	} {
		got := slices.Clone(objs)
		if err := SortObjects(got, tt.field); err != nil {
			t.Fatalf("%s: %v", tt.field, err)
		}
		if s := names(got); !slices.Equal(s, strings.Fields(tt.want)) {
			t.Errorf("--sort-by=%s: %v, want %s", tt.field, s, tt.want)
		}
	}
	if err := SortObjects(slices.Clone(objs), ".spec.nope"); err == nil || err.Error() != `couldn't find any field with path "{.spec.nope}" in the list of objects` {
		t.Errorf("missing field: %v", err)
	}
	if err := SortObjects(slices.Clone(objs), ".status.capacity"); err == nil {
		t.Error("a map sorted")
	}
}
