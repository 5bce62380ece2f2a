package sh

import (
	"strings"
)

// sink is where a command's output goes.
type sink interface {
	// write returns errFull (or a filesystem error) when nothing more can be written.
	write(s string) error
}

// ioFrame is a command's standard streams.
type ioFrame struct {
	out, err sink
	in       *input
}

// input is a readable stream; `read` consumes it line by line.
type input struct {
	data string
	pos  int
	// none marks the interactive shell's own standard input, the terminal, which sends
	// nothing: a host command tells it apart from an empty redirection.
	none bool
}

// readAll returns the rest of the stream.
func (in *input) readAll() string {
	if in == nil {
		return ""
	}
	s := in.data[in.pos:]
	in.pos = len(in.data)
	return s
}

// readLine returns the next line without its newline; ok is false at end of input with
// nothing read.
func (in *input) readLine() (string, bool) {
	if in == nil || in.pos >= len(in.data) {
		return "", false
	}
	rest := in.data[in.pos:]
	i := strings.IndexByte(rest, '\n')
	if i < 0 {
		in.pos = len(in.data)
		return rest, false
	}
	in.pos += i + 1
	return rest[:i], true
}

// procSink turns a process's writes into Lines.
type procSink struct {
	p      *Process
	stderr bool
}

func (s *procSink) write(text string) error {
	p := s.p
	b := &p.partial[0]
	if s.stderr {
		b = &p.partial[1]
	}
	for {
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			if b.Len()+len(text) > MaxLineBytes {
				text = text[:max(0, MaxLineBytes-b.Len())]
			}
			b.WriteString(text)
			return nil
		}
		line := text[:i]
		if b.Len() > 0 {
			if b.Len()+len(line) > MaxLineBytes {
				line = line[:max(0, MaxLineBytes-b.Len())]
			}
			b.WriteString(line)
			line = b.String()
			b.Reset()
		} else if len(line) > MaxLineBytes {
			line = line[:MaxLineBytes]
		}
		p.emit(line, s.stderr)
		text = text[i+1:]
	}
}

func (p *Process) emit(text string, stderr bool) {
	if len(p.pending) >= MaxPendingLines {
		p.dropped++
		return
	}
	p.pending = append(p.pending, Line{Text: text, Stderr: stderr, At: p.v.env.Now()})
}

// flush emits unterminated last lines at exit.
func (p *Process) flush() {
	for i := range p.partial {
		if p.partial[i].Len() > 0 {
			p.emit(p.partial[i].String(), i == 1)
			p.partial[i].Reset()
		}
	}
}

// bufSink collects output up to max bytes (command substitution, pipes, Exec).
type bufSink struct {
	b   strings.Builder
	max int
}

func (s *bufSink) write(text string) error {
	if s.b.Len()+len(text) > s.max {
		s.b.WriteString(text[:max(0, s.max-s.b.Len())])
		return errFull
	}
	s.b.WriteString(text)
	return nil
}

type nullSink struct{}

func (nullSink) write(string) error { return nil }

// fileSink appends to a file of the container's filesystem.
type fileSink struct {
	v    *vm
	path string
}

func (s *fileSink) write(text string) error {
	if err := s.v.fs.AppendFile(s.path, text); err != nil {
		return err
	}
	_ = s.v.fs.SetModTime(s.path, s.v.env.Now())
	return nil
}

// redirect applies rds, left to right, to a copy of base. On failure it prints the
// shell's message and returns false.
func (v *vm) redirect(base ioFrame, rds []redir) (ioFrame, bool) {
	io := base
	for _, r := range rds {
		if r.op == "<<" || r.op == "<<-" {
			body, ok := v.expandString(r.doc)
			if !ok {
				return io, false
			}
			if r.fd == 0 {
				io.in = &input{data: body}
			}
			continue
		}
		target, ok := v.expandString(r.target)
		if !ok {
			return io, false
		}
		switch r.op {
		case ">&", "<&":
			var s sink
			switch target {
			case "1":
				s = io.out
			case "2":
				s = io.err
			case "-":
				s = nullSink{}
			case "0":
				continue
			default:
				if r.op == "<&" {
					continue
				}
				// bash: >&file is &>file
				fs, ok := v.openOut(target, false)
				if !ok {
					return io, false
				}
				io.out, io.err = fs, fs
				continue
			}
			switch r.fd {
			case 1:
				io.out = s
			case 2:
				io.err = s
			}
		case ">", ">>", "&>", "&>>":
			s, ok := v.openOut(target, r.op == ">>" || r.op == "&>>")
			if !ok {
				return io, false
			}
			switch {
			case r.op[0] == '&':
				io.out, io.err = s, s
			case r.fd == 1:
				io.out = s
			case r.fd == 2:
				io.err = s
			}
		case "<":
			if target == "/dev/null" {
				io.in = &input{}
				continue
			}
			data, err := v.fs.ReadFile(v.abs(target))
			if err != nil {
				if v.shell == "bash" {
					v.errOn(io, "bash: "+target+": "+errText(err))
				} else {
					v.errOn(io, "sh: can't open "+target+": "+strings.ToLower(errText(err)))
				}
				return io, false
			}
			if r.fd == 0 {
				io.in = &input{data: data}
			}
		}
	}
	return io, true
}

func (v *vm) openOut(target string, appendTo bool) (sink, bool) {
	switch target {
	case "/dev/null":
		return nullSink{}, true
	case "/dev/stdout":
		return v.cur().out, true
	case "/dev/stderr":
		return v.cur().err, true
	}
	p := v.abs(target)
	var err error
	if appendTo {
		err = v.fs.AppendFile(p, "")
	} else {
		err = v.fs.WriteFile(p, "")
	}
	if err != nil {
		if v.shell == "bash" {
			v.errln("bash: " + target + ": " + errText(err))
		} else if errText(err) == "No such file or directory" {
			v.errln("sh: can't create " + target + ": nonexistent directory")
		} else {
			v.errln("sh: can't create " + target + ": " + errText(err))
		}
		return nil, false
	}
	_ = v.fs.SetModTime(p, v.env.Now())
	return &fileSink{v: v, path: p}, true
}
