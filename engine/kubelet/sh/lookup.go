package sh

import (
	"path"
	"strings"
)

// StartError is the runtime's reason why argv (a container's resolved command and args)
// cannot start, as `exec: "foo": executable file not found in $PATH`, or "" when the image
// runs it: a shell (sh, ash, bash, dash) or a program on the image's PATH. The kubelet asks
// before it reports a container Started; Start and Exec give the same answer.
func StartError(argv []string) string {
	if len(argv) == 0 {
		return "no command specified"
	}
	name := path.Base(argv[0])
	if IsProgram(name) {
		return ""
	}
	if strings.Contains(argv[0], "/") {
		return `exec: "` + argv[0] + `": stat ` + argv[0] + `: no such file or directory`
	}
	return `exec: "` + argv[0] + `": executable file not found in $PATH`
}

// IsProgram tells whether name is a program of the busybox-like images: a shell or an
// applet exec form can run.
func IsProgram(name string) bool {
	if name == "dash" {
		return true
	}
	c, ok := commands[name]
	return ok && c.applet
}
