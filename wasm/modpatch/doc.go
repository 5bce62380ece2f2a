// Command modpatch makes the module set that the browser's wasm is built with: a copy of
// go.mod whose replace directives point each patched module at a copy of it (go.mod's
// version, from the module cache) with kubetab's patches applied.
//
//	go run ./wasm/modpatch -out build/wasmmod
//	GOOS=js GOARCH=wasm go build -modfile=build/wasmmod/go.mod ./app
//
// Why: the linker keeps everything that a package's initialisation reaches, whether the
// program ever uses it or not. A few upstream packages build things at initialisation that
// kubetab never uses (a scheme, an HTTP transport's defaults, CBOR and JSON codecs), and
// those keep megabytes of libraries in the wasm. A patch moves such work from the package's
// initialisation to its first use, or drops a registration that nothing reads, so that the
// linker can leave the code out; docs/decisions.md ("Patched module copies for the
// browser") lists them and what each saves. A patch never changes what a caller gets; where it must change an API (a
// variable becomes a function), code that uses the old form no longer compiles, so nothing
// changes silently. Native builds and tests use the modules as they are; `make test-wasm`
// runs the engine's tests against the patched copies.
//
// Patches are unified diffs in patches/, each headed by its reason and listed in modules
// (main.go), and apply exactly (no fuzz): when go.mod moves a module to another version and
// a patch no longer applies, modpatch stops and names the hunk. Make one with
//
//	diff -u --label a/PATH --label b/PATH $(go env GOMODCACHE)/MODULE@VERSION/PATH edited/PATH
//
// (PATH relative to the module's root; /dev/null as the old file for a new one). Test files
// and testdata are not copied, so upstream's tests are not built against the patched
// copies; run them by hand against a copy when you write a patch.
//
// modpatch is a build tool: it runs natively, runs the go command and writes files. Nothing
// imports it.
package main
