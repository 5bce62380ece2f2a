// Package podchips draws the cluster view's pods, one chip each, straight into the lists
// the view renders empty, keyed by pod rather than through go-app components (chips.go says
// why), in the browser through public/web/chips.js (dom_wasm.go). A sync costs DOM work
// only for the pods that came, went, moved or changed, and Go work only for the lists
// whose pods did (a list given again as the very same slice is skipped). chips.js marks a
// list of 25 chips or more, which app.css draws as squares.
//
// It takes the pods from app/snapshot and must not import go-app or the session:
// the cluster view (app/ui) calls Sync after each render.
package podchips
