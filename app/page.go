package main

import "github.com/kubetab/kubetab/app/internal/session"

// theShell is the tab's one shell; browser_wasm.go starts it. It stays nil on the server,
// which only pre-renders the page (the playground in ui_playground.go renders its empty
// state then).
var theShell *session.Shell
