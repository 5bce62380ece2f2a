// Package server is the native half of the web app: what `kubetab serve` serves (New:
// go-app's pages, pre-rendered, with kubetab's patched loader; the files of public/web under
// a versioned path, immutable and precompressed; the lessons and their index; the embed
// files) and what `kubetab static` writes (WriteStatic). loader.go says how and why go-app's
// app.js is patched.
//
// Its files build natively only (`//go:build !wasm`). It serves the pages app/ui
// registers, which whoever starts it registers first (the CLI and this package's tests call
// ui.Routes(nil)), and must not import the UI, the session or the CLI.
package server
