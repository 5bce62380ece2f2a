//go:build !wasm

package main

import (
	"os"

	"github.com/kubetab/kubetab/app/internal/ui"
)

func main() {
	ui.Routes(nil)
	os.Exit(cli(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
