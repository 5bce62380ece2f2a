package realk8s

import (
	"fmt"
	"strings"
)

// A Difference is a command whose normalised output (or exit status) differs between the
// real transcript and kubetab's.
type Difference struct {
	Script  string
	Line    int
	Command string
	// Real and Kubetab are the normalised outputs, `(exit N)` appended for a failure;
	// "(not run)" when a `&&` skipped the command on that side only.
	Real, Kubetab string
	// Reason is the expected difference's reason (expected.go); empty when unexpected.
	Reason string
}

// Compare normalises the real and kubetab steps of the script named name, whose text is
// src, and returns the commands whose results differ. Harness commands (`kubetab ...`) are
// not compared. Rewrites are applied to kubetab's output before it is compared; each one
// used is reported in used.
func Compare(name, src string, real, kubetab []Step, used map[*Rewrite]bool) []Difference {
	rn, kn := &Normaliser{Script: src}, &Normaliser{Script: src}
	result := func(n *Normaliser, s *Step, rewrite bool) string {
		if s == nil {
			return "(not run)\n"
		}
		out := s.Output
		if rewrite {
			for i := range Rewrites {
				r := &Rewrites[i]
				if strings.Contains(out, r.Kubetab) {
					out = strings.ReplaceAll(out, r.Kubetab, r.Real)
					used[r] = true
				}
			}
		}
		out = n.Normalise(out)
		if s.Exit != 0 {
			out += fmt.Sprintf("(exit %d)\n", s.Exit)
		}
		return out
	}
	var diffs []Difference
	i, j := 0, 0
	for i < len(real) || j < len(kubetab) {
		var r, k *Step
		switch {
		case j == len(kubetab) || i < len(real) && real[i].Line < kubetab[j].Line:
			r = &real[i]
			i++
		case i == len(real) || kubetab[j].Line < real[i].Line:
			k = &kubetab[j]
			j++
		default:
			r, k = &real[i], &kubetab[j]
			i++
			j++
		}
		s := r
		if s == nil {
			s = k
		}
		if s.Harness() {
			continue
		}
		ro, ko := result(rn, r, false), result(kn, k, true)
		if ro != ko {
			diffs = append(diffs, Difference{Script: name, Line: s.Line, Command: s.Text, Real: ro, Kubetab: ko})
		}
	}
	return diffs
}

// LineDiff shows two texts line by line: lines only in a with "-", only in b with "+",
// common ones with " " (a longest common subsequence; outputs are short).
func LineDiff(a, b string) string {
	x := strings.Split(strings.TrimSuffix(a, "\n"), "\n")
	y := strings.Split(strings.TrimSuffix(b, "\n"), "\n")
	// lcs[i][j] is the length of the longest common subsequence of x[i:] and y[j:].
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var d strings.Builder
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			d.WriteString("  " + x[i] + "\n")
			i++
			j++
		case j == len(y) || i < len(x) && lcs[i+1][j] >= lcs[i][j+1]:
			d.WriteString("- " + x[i] + "\n")
			i++
		default:
			d.WriteString("+ " + y[j] + "\n")
			j++
		}
	}
	return d.String()
}
