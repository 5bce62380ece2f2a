package main

import (
	"strings"

	"github.com/kubetab/kubetab/engine/terminal"
)

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
