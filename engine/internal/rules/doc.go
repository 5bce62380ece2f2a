// Package rules holds the engine to what makes it deterministic, as a test: no wall clock,
// no sleeping or timers, no goroutines, no global random generator, no host zone database,
// and no I/O (os, net, syscall/js) outside a per-package allow-list that gives a reason for
// each entry (rules_test.go).
//
// Check reads source files as text (every file, whatever its build constraints, so a
// js/wasm-only file cannot hide a forbidden call) and resolves package names through each
// file's imports, so an aliased import (`t "time"`) and a method value (`f := time.Now`) are
// found as well as a call, while a local variable that shadows a package name is not.
//
// It imports nothing from the rest of the engine, and nothing imports it.
package rules
