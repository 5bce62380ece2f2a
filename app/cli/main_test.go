//go:build !wasm

package cli

import (
	"os"
	"testing"

	"github.com/kubetab/kubetab/app/ui"
)

// childEnv makes the test binary run as the kubetab command line (os.Args[1:]), so that
// tests can start real concurrent processes.
const childEnv = "KUBETAB_CLI_TEST_CHILD"

func TestMain(m *testing.M) {
	ui.Routes(nil)
	if os.Getenv(childEnv) == "1" {
		os.Exit(Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
