package kubectl

import "io"

// IO is everything a kubectl command may touch outside the cluster. The terminal session
// supplies it; when a session is replayed from its journal, ReadFile and Edit return what
// they returned the first time, so a replay is exact.
type IO struct {
	Out io.Writer // stdout
	Err io.Writer // stderr (warnings, errors)
	// Stdin is the command's standard input (a heredoc, or the editor's buffer in the
	// browser); nil means none.
	Stdin *string
	// ReadFile reads a file named on the command line (`apply -f kubia-rc.yaml`): the OS
	// file system for the CLI, the workspace in the browser.
	ReadFile func(path string) ([]byte, error)
	// ListDir lists the entries of a directory by name, for `apply -f DIR`; nil when
	// unsupported. -R descends into the entries that list in turn (subdirectories).
	ListDir func(path string) ([]string, error)
	// Edit lets the user change text (`kubectl edit`): $EDITOR natively, the editor pane in
	// the browser. It returns the edited text; an unchanged text cancels the edit.
	Edit func(name, text string) (string, error)
	// Dir is the working directory the paths are relative to, for the messages that name
	// a path in full as kustomize does; "" when unknown (the paths are then named as given).
	Dir string
}
