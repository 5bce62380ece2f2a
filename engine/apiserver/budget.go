//go:build !js

package apiserver

// DefaultMaxPods is the pod budget of a native cluster: room for kwok's headline of
// 100,000 pods, twice over.
const DefaultMaxPods = 200_000
