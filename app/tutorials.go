package main

import (
	"regexp"
	"strings"

	"github.com/kubetab/kubetab/engine/terminal"
)

// Lessons are the Markdown files of public/tutorials. The server serves them as
// /tutorials/NAME.md with an index, /tutorials/index.json (tutorials_server.go); `kubetab
// static` copies both; the page fetches them (the service worker keeps them for offline use)
// and renders /tutorial and /tutorial/NAME (ui_tutorial.go).

const (
	tutorialsPath = "/tutorials/"
	lessonIndex   = "index.json"
)

// lessonName is what a lesson file may be called (without .md) to be served: it becomes
// a path segment and a file name.
var lessonName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,80}$`)

// lessonInfo is an entry of index.json.
type lessonInfo struct {
	Name  string `json:"name"`
	Title string `json:"title"`
}

// readsLogs reports whether a check's command is kubectl logs: running it may make a
// container produce output, so the journal keeps it and a page runs it only when the
// cluster changed.
func readsLogs(command string) bool {
	args, err := terminal.SplitWords(command)
	if err != nil {
		return false
	}
	for i := 1; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-n" || a == "--namespace":
			i++
		case !strings.HasPrefix(a, "-"):
			return a == "logs"
		}
	}
	return false
}
