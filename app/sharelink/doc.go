// Package sharelink makes and opens share links. The Share button turns the workspace into
// a wasm/share bundle (session.Shell.ShareBundle): the files, the cluster's seed and start
// time, and the journal as terminal lines. Where the site is hosted by the worker (POST
// /api/share answers 201) the link is short, /s/<id>; elsewhere the bundle travels in the
// link's fragment, #share=<encoded>. Opening either replays the bundle into a fresh cluster
// with the same seed and start (session.Shell.ReplayShare), so it ends up the same.
//
// It talks to the share service through app/browser's Fetch and must not import
// go-app: the page's Share button and the app's start call it.
package sharelink
