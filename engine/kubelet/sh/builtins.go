package sh

import (
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/kubetab/kubetab/engine/kubelet/sh/filters"
)

// cmdCtx is one command invocation.
type cmdCtx struct {
	v     *vm
	args  []string
	io    ioFrame
	extra map[string]string // prefix assignments (X=1 cmd)

	blocked, forever bool
	sleep            time.Duration
}

// out writes to stdout; false once the reader is gone or full.
func (c *cmdCtx) out(s string) bool {
	c.v.budget.used += len(s) / 256
	return c.io.out.write(s) == nil
}

func (c *cmdCtx) errf(format string, a ...any) { _ = c.io.err.write(fmt.Sprintf(format, a...) + "\n") }

func (c *cmdCtx) stdin() string {
	s := c.io.in.readAll()
	c.v.budget.used += len(s) / 256
	return s
}

// block suspends the process for d (Run returns and resumes later).
func (c *cmdCtx) block(d time.Duration) { c.blocked, c.sleep = true, d }

// inputs returns the content of the files named (or stdin when none or "-"), reporting
// missing ones as "<cmd>: <file>: No such file or directory".
func (c *cmdCtx) inputs(files []string) ([]string, int) {
	if len(files) == 0 {
		return []string{c.stdin()}, 0
	}
	var out []string
	status := 0
	for _, f := range files {
		if f == "-" {
			out = append(out, c.stdin())
			continue
		}
		data, err := c.v.fs.ReadFile(c.v.abs(f))
		if err != nil {
			c.errf("%s: %s: %s", c.args[0], f, errText(err))
			status = 1
			continue
		}
		c.v.budget.used += len(data) / 256
		out = append(out, data)
	}
	return out, status
}

type cmdSpec struct {
	fn     func(c *cmdCtx) int
	applet bool // a program on the image's PATH (exec form can run it), not shell syntax
}

var commands map[string]cmdSpec

func init() {
	commands = map[string]cmdSpec{
		":": {fn: func(*cmdCtx) int { return 0 }}, "true": {fn: func(*cmdCtx) int { return 0 }, applet: true},
		"false": {fn: func(*cmdCtx) int { return 1 }, applet: true},
		"sleep": {fn: cmdSleep, applet: true}, "echo": {fn: cmdEcho, applet: true}, "printf": {fn: cmdPrintf, applet: true},
		"date": {fn: cmdDate, applet: true}, "touch": {fn: cmdTouch, applet: true}, "rm": {fn: cmdRm, applet: true},
		"cat": {fn: cmdCat, applet: true}, "ls": {fn: cmdLs, applet: true}, "mkdir": {fn: cmdMkdir, applet: true},
		"hostname": {fn: func(c *cmdCtx) int { c.out(c.v.env.Hostname() + "\n"); return 0 }, applet: true},
		"env":      {fn: cmdEnv, applet: true}, "printenv": {fn: cmdPrintenv, applet: true},
		"test": {fn: cmdTest, applet: true}, "[": {fn: cmdTest, applet: true}, "[[": {fn: cmdTest},
		"head": {fn: cmdHead, applet: true}, "tail": {fn: cmdTail, applet: true}, "grep": {fn: cmdGrep, applet: true},
		"wc": {fn: cmdWc, applet: true}, "sort": {fn: cmdSort, applet: true}, "tr": {fn: cmdTr, applet: true},
		"cut": {fn: cmdCut, applet: true}, "seq": {fn: cmdSeq, applet: true}, "expr": {fn: cmdExpr, applet: true},
		"paste":    {fn: cmdPaste, applet: true},
		"basename": {fn: cmdBasename, applet: true}, "dirname": {fn: cmdDirname, applet: true},
		"pwd":    {fn: func(c *cmdCtx) int { c.out(c.v.cwd + "\n"); return 0 }, applet: true},
		"id":     {fn: func(c *cmdCtx) int { c.out("uid=0(root) gid=0(root) groups=0(root),10(wheel)\n"); return 0 }, applet: true},
		"whoami": {fn: func(c *cmdCtx) int { c.out("root\n"); return 0 }, applet: true},
		"uname":  {fn: cmdUname, applet: true}, "nproc": {fn: cmdNproc, applet: true}, "yes": {fn: cmdYes, applet: true},
		"kill": {fn: cmdKill, applet: true}, "curl": {fn: cmdCurl, applet: true}, "wget": {fn: cmdWget, applet: true},
		"nslookup": {fn: cmdNslookup, applet: true}, "getent": {fn: cmdGetent, applet: true},
		"rev": {fn: cmdRev, applet: true}, "uniq": {fn: cmdUniq, applet: true}, "cp": {fn: cmdCp, applet: true},
		"mv": {fn: cmdMv, applet: true}, "chmod": {fn: func(*cmdCtx) int { return 0 }, applet: true},
		"sync": {fn: func(*cmdCtx) int { return 0 }, applet: true}, "sh": {applet: true}, "ash": {applet: true},
		"bash": {applet: true}, "type": {fn: cmdType}, "command": {fn: cmdCommand}, "tee": {fn: cmdTee, applet: true},
		"base64": {fn: filter(filters.Base64), applet: true}, "sed": {fn: filter(filters.Sed), applet: true},
		"awk": {fn: filter(filters.Awk), applet: true},
	}
}

// SleepDuration reads an operand of sleep as busybox does, NUMBER[smhd] (seconds without
// a unit); ok is false for one sleep refuses. Past a century it is -1: forever.
func SleepDuration(s string) (time.Duration, bool) { return parseDuration(s) }

// parseDuration reads busybox sleep's NUMBER[smhd].
func parseDuration(s string) (time.Duration, bool) {
	mult := time.Second
	switch {
	case strings.HasSuffix(s, "s"):
		s = s[:len(s)-1]
	case strings.HasSuffix(s, "m"):
		s, mult = s[:len(s)-1], time.Minute
	case strings.HasSuffix(s, "h"):
		s, mult = s[:len(s)-1], time.Hour
	case strings.HasSuffix(s, "d"):
		s, mult = s[:len(s)-1], 24*time.Hour
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || s == "" || strings.ContainsAny(s, "xXpPnN_") {
		return 0, false
	}
	d := f * float64(mult)
	if d > float64(100*365*24*time.Hour) {
		return -1, true // effectively forever
	}
	return time.Duration(d), true
}

func cmdSleep(c *cmdCtx) int {
	if len(c.args) < 2 {
		c.errf("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: sleep [N]...")
		return 1
	}
	var total time.Duration
	for _, a := range c.args[1:] {
		if a == "infinity" || a == "inf" {
			c.blocked, c.forever = true, true
			return 0
		}
		d, ok := parseDuration(a)
		if !ok {
			c.errf("sleep: invalid number '%s'", a)
			return 1
		}
		if d < 0 {
			c.blocked, c.forever = true, true
			return 0
		}
		total += d
	}
	if total > 0 {
		c.block(total)
	}
	return 0
}

func cmdEcho(c *cmdCtx) int {
	args := c.args[1:]
	newline, escapes := true, false
	if c.v.dash && c.v.shell == "sh" {
		// dash's builtin: -n is its only option, escapes are always interpreted.
		if len(args) > 0 && args[0] == "-n" {
			newline, args = false, args[1:]
		}
		s, stop := filters.Unescape(strings.Join(args, " "), true)
		if newline && !stop {
			s += "\n"
		}
		c.out(s)
		return 0
	}
	for len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' && strings.Trim(args[0][1:], "neE") == "" {
		for _, f := range args[0][1:] {
			switch f {
			case 'n':
				newline = false
			case 'e':
				escapes = true
			case 'E':
				escapes = false
			}
		}
		args = args[1:]
	}
	s := strings.Join(args, " ")
	if escapes {
		var stop bool
		s, stop = filters.Unescape(s, true)
		if stop {
			newline = false
		}
	}
	if newline {
		s += "\n"
	}
	c.out(s)
	return 0
}

func cmdPrintf(c *cmdCtx) int {
	argv := c.args[1:]
	if len(argv) > 0 && argv[0] == "--" { // printf -- "-x\n": the format may start with -
		argv = argv[1:]
	}
	if len(argv) < 1 {
		c.errf("printf: usage: printf format [arguments]")
		return 2
	}
	format, args := argv[0], argv[1:]
	var b strings.Builder
	status := 0
	for first := true; first || len(args) > 0; first = false {
		consumed := false
		for i := 0; i < len(format); i++ {
			ch := format[i]
			if ch == '\\' {
				j := i + 1
				for j < len(format) && j < i+4 && format[j] >= '0' && format[j] <= '7' {
					j++
				}
				if j == i+1 && j < len(format) {
					j++
				}
				s, stop := filters.Unescape(format[i:j], false)
				b.WriteString(s)
				if stop {
					c.out(b.String())
					return status
				}
				i = j - 1
				continue
			}
			if ch != '%' {
				b.WriteByte(ch)
				continue
			}
			j := i + 1
			for j < len(format) && strings.IndexByte("-+ #0", format[j]) >= 0 {
				j++
			}
			for j < len(format) && (format[j] >= '0' && format[j] <= '9' || format[j] == '.') {
				j++
			}
			if j >= len(format) {
				b.WriteString(format[i:])
				break
			}
			spec := format[i+1 : j]
			verb := format[j]
			i = j
			if len(spec) > 6 { // widths beyond 99999 are not honoured
				spec = ""
			}
			if verb == '%' {
				b.WriteByte('%')
				continue
			}
			arg := ""
			if len(args) > 0 {
				arg, args = args[0], args[1:]
				consumed = true
			}
			switch verb {
			case 's':
				b.WriteString(fmt.Sprintf("%"+spec+"s", arg))
			case 'b':
				s, _ := filters.Unescape(arg, true)
				b.WriteString(fmt.Sprintf("%"+spec+"s", s))
			case 'c':
				if arg != "" {
					b.WriteByte(arg[0])
				}
			case 'd', 'i', 'x', 'X', 'o', 'u':
				n, ok := parseNum(arg)
				if !ok {
					c.errf("printf: invalid number '%s'", arg)
					status = 1
				}
				v := verb
				if v == 'i' || v == 'u' {
					v = 'd'
				}
				b.WriteString(fmt.Sprintf("%"+spec+string(v), n))
			case 'f', 'e', 'g', 'E', 'G':
				f, err := strconv.ParseFloat(strings.TrimSpace(arg), 64)
				if err != nil && arg != "" {
					c.errf("printf: invalid number '%s'", arg)
					status = 1
				}
				b.WriteString(fmt.Sprintf("%"+spec+string(verb), f))
			default:
				c.errf("printf: %%%c: invalid format", verb)
				return 1
			}
		}
		if !consumed {
			break
		}
		if b.Len() > MaxValueBytes {
			break
		}
	}
	c.out(b.String())
	return status
}

func parseNum(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	if s[0] == '\'' || s[0] == '"' {
		if len(s) > 1 {
			return int64(s[1]), true
		}
		return 0, true
	}
	n, err := strconv.ParseInt(s, 0, 64)
	return n, err == nil
}

func cmdTouch(c *cmdCtx) int {
	status := 0
	for _, f := range c.args[1:] {
		if strings.HasPrefix(f, "-") && f != "-" {
			continue
		}
		p := c.v.abs(f)
		if _, err := c.v.fs.Stat(p); err != nil {
			if err := c.v.fs.AppendFile(p, ""); err != nil {
				c.errf("touch: %s: %s", f, errText(err))
				status = 1
				continue
			}
		}
		_ = c.v.fs.SetModTime(p, c.v.env.Now())
	}
	return status
}

// flags splits leading single-letter options (clustered: -rf) from operands.
func flags(args []string, withArg string) (map[byte]string, []string) {
	fl := map[byte]string{}
	for len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' {
		a := args[0]
		args = args[1:]
		if a == "--" {
			break
		}
		if a[1] >= '0' && a[1] <= '9' && strings.IndexByte(withArg, 'n') >= 0 {
			fl['n'] = a[1:] // head -5
			continue
		}
		for i := 1; i < len(a); i++ {
			if strings.IndexByte(withArg, a[i]) >= 0 {
				val := a[i+1:]
				if val == "" && len(args) > 0 {
					val, args = args[0], args[1:]
				}
				fl[a[i]] = val
				break
			}
			fl[a[i]] = ""
		}
	}
	return fl, args
}

func has(fl map[byte]string, f byte) bool { _, ok := fl[f]; return ok }

func cmdRm(c *cmdCtx) int {
	fl, files := flags(c.args[1:], "")
	force, rec := has(fl, 'f'), has(fl, 'r') || has(fl, 'R')
	status := 0
	for _, f := range files {
		p := c.v.abs(f)
		st, err := c.v.fs.Stat(p)
		if err != nil {
			if !force {
				c.errf("rm: can't remove '%s': %s", f, errText(err))
				status = 1
			}
			continue
		}
		if st.IsDir && !rec {
			c.errf("rm: '%s' is a directory", f)
			status = 1
			continue
		}
		if rec {
			err = c.v.fs.RemoveAll(p)
		} else {
			err = c.v.fs.Remove(p)
		}
		if err != nil {
			c.errf("rm: can't remove '%s': %s", f, errText(err))
			status = 1
		}
	}
	return status
}

func cmdCat(c *cmdCtx) int {
	files := c.args[1:]
	for len(files) > 0 && len(files[0]) > 1 && files[0][0] == '-' {
		files = files[1:]
	}
	if len(files) == 0 {
		c.out(c.stdin())
		return 0
	}
	status := 0
	for _, f := range files {
		if f == "-" {
			c.out(c.stdin())
			continue
		}
		data, err := c.v.fs.ReadFile(c.v.abs(f))
		if err != nil {
			if errText(err) == "Is a directory" {
				c.errf("cat: read error: Is a directory")
			} else {
				c.errf("cat: can't open '%s': %s", f, errText(err))
			}
			status = 1
			continue
		}
		if !c.out(data) {
			break
		}
	}
	return status
}

func cmdLs(c *cmdCtx) int {
	fl, args := flags(c.args[1:], "")
	long, all := has(fl, 'l'), has(fl, 'a') || has(fl, 'A')
	if len(args) == 0 {
		args = []string{"."}
	}
	status := 0
	line := func(name string, st FileInfo) string {
		if !long {
			return name + "\n"
		}
		links := 1
		if st.IsDir {
			links = 2
		}
		if st.Link != "" {
			name += " -> " + st.Link
		}
		return fmt.Sprintf("%s %4d root     root     %9d %s %s\n", modeString(st), links, st.Size, st.ModTime.UTC().Format("Jan _2 15:04"), name)
	}
	var files, dirs []string
	for _, a := range args {
		st, err := c.v.fs.Stat(c.v.abs(a))
		if err != nil {
			c.errf("ls: %s: %s", a, errText(err))
			status = 1
			continue
		}
		if long && !has(fl, 'L') {
			// -l shows a link named on the command line as a link, even to a directory.
			if lst, err := c.v.fs.Lstat(c.v.abs(a)); err == nil && lst.Link != "" {
				st = lst
			}
		}
		if st.IsDir && !has(fl, 'd') {
			dirs = append(dirs, a)
		} else {
			files = append(files, a)
			c.out(line(a, st))
		}
	}
	for i, d := range dirs {
		if len(args) > 1 {
			if i > 0 || len(files) > 0 {
				c.out("\n")
			}
			c.out(d + ":\n")
		}
		ents, _ := c.v.fs.ReadDir(c.v.abs(d))
		if long {
			c.out(fmt.Sprintf("total %d\n", len(ents)))
		}
		for _, e := range ents {
			if !all && strings.HasPrefix(e.Name, ".") {
				continue
			}
			if e.Link != "" && has(fl, 'L') {
				if st, err := c.v.fs.Stat(c.v.abs(d) + "/" + e.Name); err == nil {
					e = st
				}
			}
			c.out(line(e.Name, e))
		}
	}
	return status
}

// modeString is the mode column of `ls -l` ("-rw-r--r--", "lrwxrwxrwx").
func modeString(st FileInfo) string {
	b := []byte("-rwxrwxrwx")
	switch {
	case st.Link != "":
		b[0] = 'l'
	case st.IsDir:
		b[0] = 'd'
	}
	for i := 0; i < 9; i++ {
		if st.Mode&(1<<(8-i)) == 0 {
			b[i+1] = '-'
		}
	}
	return string(b)
}

func cmdMkdir(c *cmdCtx) int {
	fl, dirs := flags(c.args[1:], "m")
	status := 0
	for _, d := range dirs {
		var err error
		if has(fl, 'p') {
			err = c.v.fs.MkdirAll(c.v.abs(d))
		} else {
			err = c.v.fs.Mkdir(c.v.abs(d))
		}
		if err != nil {
			c.errf("mkdir: can't create directory '%s': %s", d, errText(err))
			status = 1
		}
	}
	return status
}

func cmdEnv(c *cmdCtx) int {
	args := c.args[1:]
	envm := c.v.exported(c.extra)
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		if args[0] == "-i" || args[0] == "-" {
			envm = map[string]string{}
		}
		args = args[1:]
	}
	for len(args) > 0 && strings.Contains(args[0], "=") {
		k, val, _ := strings.Cut(args[0], "=")
		envm[k] = val
		args = args[1:]
	}
	if len(args) > 0 {
		spec, ok := commands[path.Base(args[0])]
		if !ok || spec.fn == nil {
			c.errf("env: can't execute '%s': No such file or directory", args[0])
			return 127
		}
		sub := &cmdCtx{v: c.v, args: args, io: c.io, extra: envm}
		st := spec.fn(sub)
		c.blocked, c.forever, c.sleep = sub.blocked, sub.forever, sub.sleep
		return st
	}
	for _, k := range sortedKeys(envm) {
		c.out(k + "=" + envm[k] + "\n")
	}
	return 0
}

func cmdPrintenv(c *cmdCtx) int {
	envm := c.v.exported(c.extra)
	if len(c.args) == 1 {
		for _, k := range sortedKeys(envm) {
			c.out(k + "=" + envm[k] + "\n")
		}
		return 0
	}
	status := 0
	for _, k := range c.args[1:] {
		if val, ok := envm[k]; ok {
			c.out(val + "\n")
		} else {
			status = 1
		}
	}
	return status
}

func cmdBasename(c *cmdCtx) int {
	if len(c.args) < 2 {
		c.errf("basename: missing operand")
		return 1
	}
	b := path.Base(c.args[1])
	if len(c.args) > 2 && b != c.args[2] {
		b = strings.TrimSuffix(b, c.args[2])
	}
	c.out(b + "\n")
	return 0
}

func cmdDirname(c *cmdCtx) int {
	if len(c.args) < 2 {
		c.errf("dirname: missing operand")
		return 1
	}
	c.out(path.Dir(strings.TrimRight(c.args[1], "/")+"") + "\n")
	return 0
}

func cmdUname(c *cmdCtx) int {
	fl, _ := flags(c.args[1:], "")
	parts := map[byte]string{'s': "Linux", 'n': c.v.env.Hostname(), 'r': "6.8.0-kubetab", 'v': "#1 SMP PREEMPT_DYNAMIC", 'm': "x86_64", 'o': "GNU/Linux"}
	order := "snrvmo"
	if has(fl, 'a') {
		fl = map[byte]string{'s': "", 'n': "", 'r': "", 'v': "", 'm': "", 'o': ""}
	}
	var out []string
	for i := 0; i < len(order); i++ {
		if has(fl, order[i]) {
			out = append(out, parts[order[i]])
		}
	}
	if len(out) == 0 {
		out = []string{"Linux"}
	}
	c.out(strings.Join(out, " ") + "\n")
	return 0
}

// cpuCounter is an optional Env method for nproc.
type cpuCounter interface{ NumCPU() int }

func cmdNproc(c *cmdCtx) int {
	n := 1
	if cc, ok := c.v.env.(cpuCounter); ok && cc.NumCPU() > 0 {
		n = cc.NumCPU()
	}
	c.out(strconv.Itoa(n) + "\n")
	return 0
}

// cmdYes writes until its reader stops it, or a limit: a `yes` whose output nobody
// stops would run forever in a real container.
func cmdYes(c *cmdCtx) int {
	s := "y"
	if len(c.args) > 1 {
		s = strings.Join(c.args[1:], " ")
	}
	for i := 0; i < MaxPendingLines; i++ {
		if !c.out(s + "\n") {
			break
		}
	}
	return 0
}

func cmdKill(c *cmdCtx) int {
	status := 0
	for _, a := range c.args[1:] {
		if strings.HasPrefix(a, "-") {
			if a == "-l" {
				c.out("HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM\n")
				return 0
			}
			continue
		}
		n, err := strconv.Atoi(a)
		if err != nil {
			c.errf("kill: bad pid '%s'", a)
			status = 1
			continue
		}
		if n != 1 && n != c.v.pid {
			c.errf("kill: can't kill pid %d: No such process", n)
			status = 1
		}
		// Signalling ourselves: PID 1 ignores signals it has no handler for.
	}
	return status
}

func cmdType(c *cmdCtx) int {
	status := 0
	for _, a := range c.args[1:] {
		switch {
		case specialBuiltins[a]:
			c.out(a + " is a special shell builtin\n")
		case c.v.funcs[a] != nil:
			c.out(a + " is a function\n")
		case commands[a].applet:
			c.out(a + " is /bin/" + a + "\n")
		case commands[a].fn != nil:
			c.out(a + " is a shell builtin\n")
		default:
			c.out(a + ": not found\n")
			status = 127
		}
	}
	return status
}

func cmdCommand(c *cmdCtx) int {
	args := c.args[1:]
	if len(args) > 0 && args[0] == "-v" {
		status := 0
		for _, a := range args[1:] {
			switch {
			case commands[a].applet:
				c.out("/bin/" + a + "\n")
			case specialBuiltins[a] || commands[a].fn != nil || c.v.funcs[a] != nil:
				c.out(a + "\n")
			default:
				status = 1
			}
		}
		return status
	}
	if len(args) == 0 {
		return 0
	}
	spec, ok := commands[path.Base(args[0])]
	if !ok || spec.fn == nil {
		c.errf("sh: %s: not found", args[0])
		return 127
	}
	sub := &cmdCtx{v: c.v, args: args, io: c.io, extra: c.extra}
	st := spec.fn(sub)
	c.blocked, c.forever, c.sleep = sub.blocked, sub.forever, sub.sleep
	return st
}

func cmdCp(c *cmdCtx) int {
	_, args := flags(c.args[1:], "")
	if len(args) < 2 {
		c.errf("cp: missing file operand")
		return 1
	}
	return copyFiles(c, "cp", args, false)
}

func cmdMv(c *cmdCtx) int {
	_, args := flags(c.args[1:], "")
	if len(args) < 2 {
		c.errf("mv: missing file operand")
		return 1
	}
	return copyFiles(c, "mv", args, true)
}

func copyFiles(c *cmdCtx, name string, args []string, move bool) int {
	dst := c.v.abs(args[len(args)-1])
	st, err := c.v.fs.Stat(dst)
	toDir := err == nil && st.IsDir
	status := 0
	for _, s := range args[:len(args)-1] {
		data, err := c.v.fs.ReadFile(c.v.abs(s))
		if err != nil {
			c.errf("%s: can't stat '%s': %s", name, s, errText(err))
			status = 1
			continue
		}
		target := dst
		if toDir {
			target = path.Join(dst, path.Base(s))
		}
		if err := c.v.fs.WriteFile(target, data); err != nil {
			c.errf("%s: can't create '%s': %s", name, args[len(args)-1], errText(err))
			status = 1
			continue
		}
		if move {
			_ = c.v.fs.Remove(c.v.abs(s))
		}
	}
	return status
}

func cmdTee(c *cmdCtx) int {
	fl, files := flags(c.args[1:], "")
	data := c.stdin()
	status := 0
	for _, f := range files {
		var err error
		if has(fl, 'a') {
			err = c.v.fs.AppendFile(c.v.abs(f), data)
		} else {
			err = c.v.fs.WriteFile(c.v.abs(f), data)
		}
		if err != nil {
			c.errf("tee: %s: %s", f, errText(err))
			status = 1
		}
	}
	c.out(data)
	return status
}

// filter runs one of package filters' programs as a command of the shell.
func filter(run func(*filters.Call) int) func(*cmdCtx) int {
	return func(c *cmdCtx) int { return c.filter(run) }
}

// Filter runs one of package filters' programs (filters.Jq) as this command.
func (x *Call) Filter(run func(*filters.Call) int) int { return x.c.filter(run) }

func (c *cmdCtx) filter(run func(*filters.Call) int) int {
	return run(&filters.Call{
		Args:   c.args,
		Inputs: c.inputs,
		ReadFile: func(name string) (string, error) {
			return c.v.fs.ReadFile(c.v.abs(name))
		},
		WriteFile: func(name, data string, appendTo bool) error {
			if appendTo {
				return c.v.fs.AppendFile(c.v.abs(name), data)
			}
			return c.v.fs.WriteFile(c.v.abs(name), data)
		},
		ErrText: errText,
		Out:     c.out,
		Err:     func(line string) { c.errf("%s", line) },
		Step: func() bool {
			c.v.budget.used++
			return c.v.budget.used < c.v.budget.max()
		},
	})
}
