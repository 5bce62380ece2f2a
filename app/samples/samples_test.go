package samples

import "testing"

// The menu tells every sample apart by what it holds, not only by its file name.
func TestTitlesSayWhatSamplesAre(t *testing.T) {
	seen := map[string]string{}
	for _, s := range List() {
		if s.Title == "" || s.Title[:8] == "manifest" {
			t.Errorf("%s: title %q", s.Path, s.Title)
		}
		key := s.Group + "|" + s.Title
		if other, dup := seen[key]; dup {
			t.Errorf("%s and %s are both %q", s.Path, other, s.Title)
		}
		seen[key] = s.Path
		if Read(s.Path) == "" {
			t.Errorf("%s does not read", s.Path)
		}
	}
	if got := title("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n---\nkind: Service\n"); got != "Deployment web and 1 more" {
		t.Errorf("title %q", got)
	}
}
