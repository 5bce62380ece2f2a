//go:build js

package apiserver

// DefaultMaxPods is the pod budget in the browser, whose tab has far less memory than a
// native process (a guess kept low until a tab's heap is measured at this size).
const DefaultMaxPods = 30_000
