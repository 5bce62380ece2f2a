package sh

import (
	"io"
	"path"
)

// Environ is a variable of the environment a program the command runs would see: exported
// variables and the command's prefix assignments (kubectl reads $KUBE_EDITOR there).
func (x *Call) Environ(name string) (string, bool) {
	v, ok := x.c.v.exported(x.c.extra)[name]
	return v, ok
}

// RunProgram runs argv as one of the shell's own programs (sed, awk, cat, ...: not a host
// command, a function or a special builtin) at once, over files instead of the shell's
// files and with no standard input, for a host command that hands a program a file of its
// own (kubectl edit runs $KUBE_EDITOR on its temporary file). found is false when argv[0]
// names no such program; nothing runs then.
func (x *Call) RunProgram(argv []string, files Files, stdout, stderr io.Writer) (status int, found bool) {
	if len(argv) == 0 || specialBuiltins[argv[0]] {
		return 0, false
	}
	spec, ok := commands[argv[0]]
	if base := path.Base(argv[0]); base != argv[0] {
		spec, ok = commands[base]
		ok = ok && spec.applet
	}
	if !ok || spec.fn == nil {
		return 0, false
	}
	v := x.c.v
	saved := v.fs
	v.fs = files
	defer func() { v.fs = saved }()
	c := &cmdCtx{v: v, args: argv, io: ioFrame{out: writerSink{stdout}, err: writerSink{stderr}, in: &input{none: true}}, extra: x.c.extra}
	return spec.fn(c) & 255, true
}
