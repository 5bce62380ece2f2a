package filters

import (
	"fmt"
	"strings"
)

// Call is one run of a filter: its words, what it reads and where it writes, supplied by
// the shell that runs it.
type Call struct {
	// Args are the command's words, its name first.
	Args []string
	// Inputs returns the contents of the files named, standard input for none or "-";
	// files that cannot be read are reported as "NAME: FILE: reason" and make status 1.
	Inputs func(files []string) (datas []string, status int)
	// ReadFile and WriteFile reach the shell's files by the names the command was given.
	ReadFile  func(name string) (string, error)
	WriteFile func(name, data string, appendTo bool) error
	// ErrText is the strerror text of a file error.
	ErrText func(err error) string
	// Out writes to standard output; false once nothing more can be written.
	Out func(s string) bool
	// Err writes a line (without its newline) to standard error.
	Err func(line string)
	// Step counts a step of work against the shell's bound; false once it is reached.
	Step func() bool
}

func (c *Call) out(s string) bool { return c.Out(s) }

func (c *Call) errf(format string, a ...any) { c.Err(fmt.Sprintf(format, a...)) }

// MaxValueBytes bounds what one filter builds in memory, as the shell bounds a value.
const MaxValueBytes = 1 << 20

func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// BRE turns a POSIX basic regular expression into Go syntax.
func BRE(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		ch := p[i]
		switch {
		case ch == '\\' && i+1 < len(p):
			i++
			switch p[i] {
			case '(', ')', '{', '}', '|', '+', '?':
				b.WriteByte(p[i])
			default:
				b.WriteByte('\\')
				b.WriteByte(p[i])
			}
		case strings.IndexByte("(){}|+?", ch) >= 0:
			b.WriteByte('\\')
			b.WriteByte(ch)
		default:
			b.WriteByte(ch)
		}
	}
	return b.String()
}

// Unescape interprets backslash escapes (echo -e, printf); \c stops output.
func Unescape(s string, echo bool) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '\\':
			b.WriteByte('\\')
		case 'a':
			b.WriteByte(7)
		case 'b':
			b.WriteByte(8)
		case 'e':
			b.WriteByte(27)
		case 'f':
			b.WriteByte(12)
		case 'v':
			b.WriteByte(11)
		case 'c':
			return b.String(), true
		case '0', '1', '2', '3', '4', '5', '6', '7':
			j := i
			if echo && s[i] == '0' {
				j++
			}
			n := 0
			k := j
			for ; k < len(s) && k < j+3 && s[k] >= '0' && s[k] <= '7'; k++ {
				n = n*8 + int(s[k]-'0')
			}
			b.WriteByte(byte(n))
			i = k - 1
		default:
			b.WriteByte('\\')
			b.WriteByte(s[i])
		}
	}
	return b.String(), false
}
