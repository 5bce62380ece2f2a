package server

import (
	"os"
	"testing"

	"github.com/kubetab/kubetab/app/ui"
)

func TestMain(m *testing.M) {
	ui.Routes(nil)
	os.Exit(m.Run())
}
