package cluster

import (
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/kubetab/kubetab/engine/api"
)

// Node names are validated as the API server validates them (DNS-1123 subdomains), with an
// error about the name alone.
func TestAddNodeValidatesTheName(t *testing.T) {
	c, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	before := c.Store.ResourceVersion()
	for _, name := range []string{"<img src=x>", "../../etc", "", "Worker", "a_b", "-a", strings.Repeat("a", 254)} {
		_, err := c.AddNode(name, nil)
		if !apierrors.IsInvalid(err) || strings.Contains(err.Error(), "labels") || !strings.Contains(err.Error(), "metadata.name") {
			t.Errorf("AddNode(%q) = %v, want an invalid name", name, err)
		}
	}
	if c.Store.ResourceVersion() != before {
		t.Fatal("a refused node changed the store")
	}
	if _, err := c.AddNode("worker-9.example.com", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Store.Get(api.ResourceByName("nodes"), "", "worker-9.example.com"); err != nil {
		t.Fatal(err)
	}
}

func TestNewRefusesAStartOutsideTheYearsKubetabAccepts(t *testing.T) {
	for _, start := range []time.Time{time.Date(1969, 12, 31, 23, 59, 59, 0, time.UTC), time.Date(9001, 1, 1, 0, 0, 0, 0, time.UTC)} {
		if _, err := New(Options{Start: start}); err == nil || !strings.Contains(err.Error(), "outside the years 1970 to 9000") {
			t.Errorf("New with start %s = %v", start, err)
		}
	}
	for _, start := range []time.Time{EarliestStart, LatestStart} {
		if _, err := New(Options{Start: start}); err != nil {
			t.Errorf("New with start %s = %v", start, err)
		}
	}
}
