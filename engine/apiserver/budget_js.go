//go:build js

package apiserver

// DefaultMaxPods is the pod budget in the browser. Measured (docs/decisions.md, "Scale"):
// the wasm's memory grows by ~40 KiB per Running luksa/kubia pod (402 MiB in a tab with
// 9,700 of 10,000 Ready; 1,075 MiB of peak Go heap at 30,000 under js/wasm in Node), so
// 30,000 such pods take ~1.2 GB of wasm32's 4 GiB, and pods three times as heavy still fit.
const DefaultMaxPods = 30_000
