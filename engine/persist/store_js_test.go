//go:build js

package persist_test

// Under js/wasm the OS backend is Node's file system, which no user of kubetab runs on (the
// browser uses IndexedDB), and its crash loops take half a minute there; the memory backend
// still runs the whole suite.
func init() { skipOS = true }
