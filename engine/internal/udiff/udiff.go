package udiff

import (
	"fmt"
	"strings"
)

// Context is how many unchanged lines surround a change, as diff -u's default.
const Context = 3

// op is one step of an edit script: a line kept, deleted from a, or inserted from b.
type op struct {
	kind byte // ' ', '-', '+'
	line string
}

// noNewline marks a last line that had no "\n", so that it differs from the same line
// with one, as diff tells them apart.
const noNewline = "\x00"

// lines splits a text into lines without their "\n"; a last line without one keeps the
// noNewline mark.
func lines(s string) []string {
	if s == "" {
		return nil
	}
	if strings.HasSuffix(s, "\n") {
		return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	}
	return strings.Split(s+noNewline, "\n")
}

// script is a shortest edit script from a to b (Myers' greedy algorithm), deletions before
// insertions within a change, as GNU diff prints them.
func script(a, b []string) []op {
	n, m := len(a), len(b)
	max := n + m
	off := max + 1
	v := make([]int, 2*max+3)
	var trace [][]int
	for d := 0; d <= max; d++ {
		snap := make([]int, len(v))
		copy(snap, v)
		trace = append(trace, snap)
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || k != d && v[off+k-1] < v[off+k+1] {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[off+k] = x
			if x >= n && y >= m {
				return backtrack(a, b, trace, off, d)
			}
		}
	}
	return nil
}

func backtrack(a, b []string, trace [][]int, off, d int) []op {
	x, y := len(a), len(b)
	var rev []op
	for ; d > 0; d-- {
		v := trace[d]
		k := x - y
		var prevK int
		if k == -d || k != d && v[off+k-1] < v[off+k+1] {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevX := v[off+prevK]
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			x, y = x-1, y-1
			rev = append(rev, op{' ', a[x]})
		}
		if x == prevX {
			y--
			rev = append(rev, op{'+', b[y]})
		} else {
			x--
			rev = append(rev, op{'-', a[x]})
		}
	}
	for x > 0 && y > 0 {
		x, y = x-1, y-1
		rev = append(rev, op{' ', a[x]})
	}
	ops := make([]op, 0, len(rev))
	for i := len(rev) - 1; i >= 0; i-- {
		ops = append(ops, rev[i])
	}
	// Within each run of changes, deletions first.
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		j := i
		for j < len(ops) && ops[j].kind != ' ' {
			j++
		}
		var del, ins []op
		for _, o := range ops[i:j] {
			if o.kind == '-' {
				del = append(del, o)
			} else {
				ins = append(ins, o)
			}
		}
		copy(ops[i:], append(del, ins...))
		i = j
	}
	return ops
}

// Hunks writes the hunks of the unified diff of a and b ("@@ -l,s +l,s @@" and their
// lines); it writes nothing when they are equal.
func Hunks(a, b string) string {
	ops := script(lines(a), lines(b))
	var sb strings.Builder
	ai, bi := 0, 0 // the line numbers (0-based) of a and b at ops[i]
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			ai, bi, i = ai+1, bi+1, i+1
			continue
		}
		// A hunk: up to Context unchanged lines before this change, then on to Context lines
		// after the last change that follows the one before within 2*Context lines.
		start := max(0, i-Context)
		end := i
		for {
			for end < len(ops) && ops[end].kind != ' ' {
				end++
			}
			same := end
			for same < len(ops) && ops[same].kind == ' ' {
				same++
			}
			if same == len(ops) || same-end > 2*Context {
				end = min(end+Context, same)
				break
			}
			end = same
		}
		aStart, bStart := ai-(i-start), bi-(i-start)
		var aLen, bLen int
		for _, o := range ops[start:end] {
			if o.kind != '+' {
				aLen++
			}
			if o.kind != '-' {
				bLen++
			}
		}
		fmt.Fprintf(&sb, "@@ -%s +%s @@\n", hunkRange(aStart, aLen), hunkRange(bStart, bLen))
		for _, o := range ops[start:end] {
			sb.WriteByte(o.kind)
			if line, ok := strings.CutSuffix(o.line, noNewline); ok {
				sb.WriteString(line)
				sb.WriteString("\n\\ No newline at end of file\n")
				continue
			}
			sb.WriteString(o.line)
			sb.WriteByte('\n')
		}
		for _, o := range ops[i:end] {
			if o.kind != '+' {
				ai++
			}
			if o.kind != '-' {
				bi++
			}
		}
		i = end
	}
	return sb.String()
}

// hunkRange is one side's range in a hunk header: "start,count", "start" for one line,
// and the line before for none.
func hunkRange(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}
