// Package lessons is the contract between the server and the page about the lessons, the
// Markdown files of public/tutorials: the server serves them as /tutorials/NAME.md with an
// index, /tutorials/index.json (List, Index); `kubetab static` copies both; the page fetches
// them (the service worker keeps them for offline use) and renders /tutorial and
// /tutorial/NAME (app/ui). engine/tutorial parses and runs them.
//
// It must not import go-app, the server or the UI: both sides import it.
package lessons
