package api

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestVersionMatchesModules holds Version to the k8s.io modules in go.mod: k8s.io/api
// v0.X.Y is Kubernetes v1.X.Y.
func TestVersionMatchesModules(t *testing.T) {
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*k8s\.io/api v0\.(\d+\.\d+)\s*$`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod requires no k8s.io/api")
	}
	if want := "v1." + string(m[1]); Version != want {
		t.Errorf("api.Version = %s, but go.mod's k8s.io/api is v0.%s: Kubernetes %s", Version, m[1], want)
	}
	if got := MinorVersion(); !strings.HasPrefix(strings.TrimPrefix(Version, "v"), got+".") {
		t.Errorf("MinorVersion() = %q, not Version %s's", got, Version)
	}
}
