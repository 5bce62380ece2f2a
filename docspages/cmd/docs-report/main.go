// Command docs-report prints the docs conformance suite's pass rate per page (make
// docs-report): how many of a page's commands run as the page says, which are known
// failures and why, and which fail.
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/kubetab/kubetab/docspages"
)

func main() {
	pages, err := docspages.Pages()
	if err != nil {
		fmt.Fprintln(os.Stderr, "docs-report:", err)
		os.Exit(2)
	}
	verbose := len(os.Args) > 1 && os.Args[1] == "-v"
	var all docspages.Summary
	fmt.Printf("%-44s %7s %6s %6s %6s\n", "PAGE", "PASS", "KNOWN", "FAIL", "RATE")
	for _, p := range pages {
		rs, err := docspages.Run(p)
		if err != nil {
			fmt.Fprintln(os.Stderr, "docs-report:", p.Name+":", err)
			os.Exit(2)
		}
		s := docspages.Summarize(rs)
		all.Passed, all.Known, all.Failed, all.Total = all.Passed+s.Passed, all.Known+s.Known, all.Failed+s.Failed, all.Total+s.Total
		fmt.Printf("%-44s %3d/%-3d %6d %6d %5.0f%%\n", p.Name, s.Passed, s.Total, s.Known, s.Failed, 100*float64(s.Passed)/float64(s.Total))
		for _, r := range rs {
			if !r.Passed() && (verbose || r.Known != "") {
				fmt.Printf("    line %d: %s\n        %s\n", r.Line, firstLine(r.Command), r.Problem)
				if verbose && r.Known == "" {
					fmt.Printf("        output:\n%s", indent(r.Output, "          | "))
				}
			}
		}
	}
	fmt.Printf("%-44s %3d/%-3d %6d %6d %5.0f%%\n", "all pages", all.Passed, all.Total, all.Known, all.Failed, 100*float64(all.Passed)/float64(all.Total))
	if all.Failed > 0 {
		os.Exit(1)
	}
}

func indent(s, prefix string) string {
	out := ""
	for _, l := range strings.SplitAfter(s, "\n") {
		if l != "" {
			out += prefix + l
		}
	}
	if out != "" && !strings.HasSuffix(out, "\n") {
		out += "\n"
	}
	return out
}

func firstLine(s string) string {
	for i, c := range s {
		if c == '\n' {
			return s[:i] + " ..."
		}
	}
	return s
}
