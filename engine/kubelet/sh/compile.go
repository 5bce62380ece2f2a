package sh

// The parsed script is compiled to a flat list of ops with jumps, so that a running script
// is just (program, pc, loop records) and can stop at any `sleep` and resume later.

type opKind int

const (
	opCmd       opKind = iota // run a simple command
	opPipe                    // run a pipeline of several commands (no virtual time passes)
	opBg                      // run an and-or list in the "background" (no virtual time passes)
	opSub                     // push a subshell frame running prog
	opJmp                     // jump to to
	opJz                      // jump to to if $? == 0
	opJnz                     // jump to to if $? != 0
	opNot                     // $? = !$?
	opStatus                  // $? = n
	opRedirPush               // push redirections rd; on failure $?=1 and jump to to
	opRedirPop
	opLoop     // push a loop record: break → to, continue → cont
	opForInit  // push a for-loop record with expanded words
	opForNext  // set the loop variable to the next word or jump to to
	opBodyEnd  // remember $? as the loop's status
	opLoopDone // pop the loop record, $? = its status
	opCase     // match a case subject: jump to targets[i] or to
	opFunc     // define function name as prog (text: its source)
	opTop      // the interactive shell's echo of a top-level command (text) about to run
	opTopEnd   // a top-level command of the interactive shell's line ended
)

type op struct {
	k       opKind
	to      int
	cont    int
	n       int
	cond    bool // part of a condition: `set -e` does not exit when it fails
	cmd     *simpleCmd
	pipe    *pipeline
	ao      *andOr
	prog    *program
	rd      []redir
	name    string
	words   []*word
	cas     *caseCmd
	targets []int
	text    string
}

type program struct{ code []op }

type compiler struct{ code []op }

func compileList(l *list) *program {
	c := &compiler{}
	c.list(l, false)
	return &program{code: c.code}
}

// compileTop compiles an interactive shell's line: around each top-level pipeline (and
// each background list) an opTop with its text as written, for the echo, and an opTopEnd.
// A pipeline skipped by && or || is not echoed.
func compileTop(l *list, text func(start, end int) string) *program {
	c := &compiler{}
	for _, ao := range l.items {
		if ao.bg {
			c.emit(op{k: opTop, text: text(ao.pipes[0].start, ao.end())})
			c.emit(op{k: opBg, ao: ao})
			c.emit(op{k: opTopEnd})
			continue
		}
		for i, pl := range ao.pipes {
			jump := -1
			if i > 0 {
				k := opJnz
				if ao.ops[i-1] == "||" {
					k = opJz
				}
				jump = c.emit(op{k: k})
			}
			c.emit(op{k: opTop, text: text(pl.start, pl.end)})
			c.pipeline(pl, i < len(ao.pipes)-1)
			c.emit(op{k: opTopEnd})
			if jump >= 0 {
				c.code[jump].to = c.here()
			}
		}
	}
	return &program{code: c.code}
}

func compileCommand(cmd command) *program {
	c := &compiler{}
	c.command(cmd, false)
	return &program{code: c.code}
}

func (c *compiler) emit(o op) int {
	c.code = append(c.code, o)
	return len(c.code) - 1
}

func (c *compiler) here() int { return len(c.code) }

func (c *compiler) list(l *list, cond bool) {
	if l == nil {
		return
	}
	for _, ao := range l.items {
		if ao.bg {
			c.emit(op{k: opBg, ao: ao})
			continue
		}
		var jumps []int
		for i, pl := range ao.pipes {
			if i > 0 {
				k := opJnz
				if ao.ops[i-1] == "||" {
					k = opJz
				}
				jumps = append(jumps, c.emit(op{k: k}))
			}
			c.pipeline(pl, cond || i < len(ao.pipes)-1)
			// Each jump skips only the pipeline right after it; the next operator tests $?.
			for _, j := range jumps {
				c.code[j].to = c.here()
			}
			jumps = jumps[:0]
		}
	}
}

func (c *compiler) pipeline(pl *pipeline, cond bool) {
	cond = cond || pl.neg
	if len(pl.cmds) == 1 {
		c.command(pl.cmds[0], cond)
	} else {
		c.emit(op{k: opPipe, pipe: pl, cond: cond})
	}
	if pl.neg {
		c.emit(op{k: opNot})
	}
}

func (c *compiler) command(cmd command, cond bool) {
	if s, ok := cmd.(*simpleCmd); ok {
		c.emit(op{k: opCmd, cmd: s, cond: cond})
		return
	}
	if f, ok := cmd.(*funcDef); ok {
		c.emit(op{k: opFunc, name: f.name, prog: compileCommand(f.body), text: f.src})
		return
	}
	rd := cmd.redirs()
	push := -1
	if len(rd) > 0 {
		push = c.emit(op{k: opRedirPush, rd: rd})
	}
	c.compound(cmd, cond)
	if push >= 0 {
		c.emit(op{k: opRedirPop})
		c.code[push].to = c.here()
	}
}

func (c *compiler) compound(cmd command, cond bool) {
	switch x := cmd.(type) {
	case *groupCmd:
		if x.subshell {
			c.emit(op{k: opSub, prog: compileList(x.body), cond: cond})
			return
		}
		c.list(x.body, cond)
	case *ifCmd:
		var ends []int
		for i := range x.conds {
			c.list(x.conds[i], true)
			skip := c.emit(op{k: opJnz})
			c.list(x.bodies[i], cond)
			ends = append(ends, c.emit(op{k: opJmp}))
			c.code[skip].to = c.here()
		}
		if x.els != nil {
			c.list(x.els, cond)
		} else {
			c.emit(op{k: opStatus, n: 0})
		}
		for _, e := range ends {
			c.code[e].to = c.here()
		}
	case *loopCmd:
		enter := c.emit(op{k: opLoop})
		top := c.here()
		c.list(x.cond, true)
		k := opJnz
		if x.until {
			k = opJz
		}
		exit := c.emit(op{k: k})
		c.list(x.body, cond)
		c.emit(op{k: opBodyEnd})
		c.emit(op{k: opJmp, to: top})
		done := c.emit(op{k: opLoopDone})
		c.code[enter].to, c.code[enter].cont = done, top
		c.code[exit].to = done
	case *forCmd:
		enter := c.emit(op{k: opForInit, words: x.items, name: x.name})
		if x.items == nil {
			c.code[enter].n = 1 // iterate "$@"
		}
		top := c.emit(op{k: opForNext, name: x.name})
		c.list(x.body, cond)
		c.emit(op{k: opBodyEnd})
		c.emit(op{k: opJmp, to: top})
		done := c.emit(op{k: opLoopDone})
		c.code[enter].to, c.code[enter].cont = done, top
		c.code[top].to = done
	case *caseCmd:
		at := c.emit(op{k: opCase, cas: x})
		var ends []int
		targets := make([]int, len(x.items))
		for i, it := range x.items {
			targets[i] = c.here()
			c.emit(op{k: opStatus, n: 0})
			c.list(it.body, cond)
			ends = append(ends, c.emit(op{k: opJmp}))
		}
		c.code[at].targets = targets
		c.code[at].to = c.here()
		c.emit(op{k: opStatus, n: 0})
		for _, e := range ends {
			c.code[e].to = c.here()
		}
	}
}
