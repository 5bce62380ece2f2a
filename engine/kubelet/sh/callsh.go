package sh

// Sh runs script as `sh -c script` would from this command (a subshell: its variables and
// working directory changes stay in it), to completion at once, with the command's
// standard streams, and returns its exit status. The terminal's make runs each recipe line
// so.
func (x *Call) Sh(script string) int {
	v := x.c.v
	if v.depth > maxNesting/4 {
		x.c.errf("sh: shells nested too deeply")
		return 2
	}
	l, err := parseScript(script)
	if err != nil {
		x.c.errf("%s", err.(*syntaxError).text("sh"))
		return 2
	}
	c := v.child(false)
	c.io = []ioFrame{x.c.io}
	c.pushFrame(&frame{kind: fMain, prog: compileList(l)})
	c.run()
	return c.exitCode
}
