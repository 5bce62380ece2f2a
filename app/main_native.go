//go:build !wasm

package main

import "os"

func main() {
	routes()
	os.Exit(cli(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
