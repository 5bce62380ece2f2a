//go:build js

package apiserver

// DefaultMaxPods is the pod budget in the browser. Measured in a tab (docs/decisions.md,
// "Scale"): 30,000 luksa/kubia pods Ready take 1,104 MiB of wasm memory (~37 KiB a pod),
// about a quarter of wasm32's 4 GiB, so pods three times as heavy still fit.
const DefaultMaxPods = 30_000
