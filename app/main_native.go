//go:build !wasm

package main

import (
	"os"

	"github.com/kubetab/kubetab/app/cli"
	"github.com/kubetab/kubetab/app/gcbudget"
	"github.com/kubetab/kubetab/app/ui"
)

func main() {
	gcbudget.Keep(gcbudget.Native)
	// The server pre-renders the pages, and `kubetab static` writes them.
	ui.Routes(nil)
	os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
