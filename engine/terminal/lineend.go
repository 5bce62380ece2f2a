package terminal

import "io"

// LineWriter writes to an io.Writer and remembers whether what it wrote ends a line, so
// that the next command's output or echo starts on a line of its own: a script's
// transcript, a lesson's, and the browser terminal's.
type LineWriter struct {
	w       io.Writer
	atStart bool
}

// NewLineWriter writes to w, at the start of a line.
func NewLineWriter(w io.Writer) *LineWriter { return &LineWriter{w: w, atStart: true} }

func (l *LineWriter) Write(p []byte) (int, error) {
	if len(p) > 0 {
		l.atStart = p[len(p)-1] == '\n'
	}
	return l.w.Write(p)
}

// EndLine ends a line the output left open.
func (l *LineWriter) EndLine() {
	if !l.atStart {
		l.Write([]byte("\n"))
	}
}
