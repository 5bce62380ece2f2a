// Package filters holds the text filters of engine/kubelet/sh that are programs of their
// own rather than a few lines: awk, sed, base64, jq, and the escape and regular expression
// helpers the shell shares with them. The shell runs them through a Call.
//
// They live apart from the shell so that the wasm build compiles them without inlining
// (the Makefile inlines only where the simulation spends its time): inlined, they cost
// about a third more of the wasm budget for no speed anyone notices.
//
// The package imports only the standard library; like the shell it must not import
// syscall/js, call time.Now, use global math/rand or start goroutines.
package filters
