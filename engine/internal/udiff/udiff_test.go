package udiff

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestHunks(t *testing.T) {
	tests := []struct{ name, a, b, want string }{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"from nothing", "", "a\nb\n", "@@ -0,0 +1,2 @@\n+a\n+b\n"},
		{"to nothing", "a\n", "", "@@ -1 +0,0 @@\n-a\n"},
		{"one line changed", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nX\n6\n7\n8\n9\n",
			"@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+X\n 6\n 7\n 8\n"},
		// Two changes seven unchanged lines apart are two hunks; six apart, one.
		{"two hunks", "a\n1\n2\n3\n4\n5\n6\n7\nb\n", "A\n1\n2\n3\n4\n5\n6\n7\nB\n",
			"@@ -1,4 +1,4 @@\n-a\n+A\n 1\n 2\n 3\n@@ -6,4 +6,4 @@\n 5\n 6\n 7\n-b\n+B\n"},
		{"one hunk", "a\n1\n2\n3\n4\n5\n6\nb\n", "A\n1\n2\n3\n4\n5\n6\nB\n",
			"@@ -1,8 +1,8 @@\n-a\n+A\n 1\n 2\n 3\n 4\n 5\n 6\n-b\n+B\n"},
		{"no final newline", "a\nb", "a\nb\n", "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"},
	}
	for _, tt := range tests {
		if got := Hunks(tt.a, tt.b); got != tt.want {
			t.Errorf("%s:\ngot:\n%s\nwant:\n%s", tt.name, got, tt.want)
		}
	}
}

// Applying the hunks of random pairs of texts to the first gives the second, and the
// script is as short as the longest common subsequence allows.
func TestHunksApply(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 500 {
		a, b := randomText(r), randomText(r)
		h := Hunks(a, b)
		if got := apply(t, a, h); got != b {
			t.Fatalf("case %d: %q -> %q: hunks\n%s\napplied: %q", i, a, b, h, got)
		}
		la, lb := lines(a), lines(b)
		ops := script(la, lb)
		edits := 0
		for _, o := range ops {
			if o.kind != ' ' {
				edits++
			}
		}
		if want := len(la) + len(lb) - 2*lcs(la, lb); edits != want {
			t.Fatalf("case %d: %d edits, want %d", i, edits, want)
		}
	}
}

func randomText(r *rand.Rand) string {
	var sb strings.Builder
	for range r.IntN(12) {
		fmt.Fprintf(&sb, "%c\n", 'a'+r.IntN(3))
	}
	return sb.String()
}

func lcs(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

// apply applies unified hunks to a text (texts here all end in a newline).
func apply(t *testing.T, a, hunks string) string {
	src := lines(a)
	var out []string
	pos := 0
	hl := strings.Split(strings.TrimSuffix(hunks, "\n"), "\n")
	for i := 0; i < len(hl) && hunks != ""; i++ {
		var as, al, bs, bl int
		h := hl[i]
		if _, err := fmt.Sscanf(h, "@@ -%d,%d +%d,%d @@", &as, &al, &bs, &bl); err != nil {
			if _, err := fmt.Sscanf(h, "@@ -%d +%d,%d @@", &as, &bs, &bl); err == nil {
				al = 1
			} else if _, err := fmt.Sscanf(h, "@@ -%d,%d +%d @@", &as, &al, &bs); err == nil {
				bl = 1
			} else if _, err := fmt.Sscanf(h, "@@ -%d +%d @@", &as, &bs); err == nil {
				al, bl = 1, 1
			} else {
				t.Fatalf("bad header %q", h)
			}
		}
		from := as - 1
		if al == 0 {
			from = as
		}
		out = append(out, src[pos:from]...)
		pos = from
		for i+1 < len(hl) && !strings.HasPrefix(hl[i+1], "@@") {
			i++
			l := hl[i]
			switch l[0] {
			case ' ':
				out = append(out, src[pos])
				pos++
			case '-':
				pos++
			case '+':
				out = append(out, l[1:])
			}
		}
	}
	out = append(out, src[pos:]...)
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, "\n") + "\n"
}
