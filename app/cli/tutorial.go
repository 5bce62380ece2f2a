//go:build !wasm

package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kubetab/kubetab/engine/tutorial"
)

const tutorialUsage = `Usage:
  kubetab tutorial test [-v] [--strict] FILE...   run lessons headless, in virtual time

Each lesson runs on its own fresh cluster: every runnable block in order, every check after
the blocks before it. One line per check (ok or FAIL, file:line, label); -v also prints the
transcript. --strict runs every lesson in strict mode (as its front matter's strict: true
does): kubectl answers exactly as against a real cluster, so a lesson that passes would pass
on one too. The exit status is 1 when a lesson does not parse, a block fails or a check is false.
`

// tutorialCommand runs `kubetab tutorial ...`; strict is the global --strict.
func tutorialCommand(args []string, strict bool, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "test" {
		fmt.Fprintf(stderr, "kubetab: tutorial needs a subcommand: test\n\n%s", tutorialUsage)
		return 2
	}
	fs := flag.NewFlagSet("tutorial test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	verbose := fs.Bool("v", false, "")
	fs.BoolVar(&strict, "strict", strict, "")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() == 0 {
		msg := "tutorial test takes one or more lesson files"
		if err != nil {
			msg = err.Error()
		}
		fmt.Fprintf(stderr, "kubetab: %s\n\n%s", msg, tutorialUsage)
		return 2
	}
	var failed []string
	checks := 0
	for _, file := range fs.Args() {
		src, err := os.ReadFile(file)
		if err != nil {
			fmt.Fprintf(stderr, "kubetab: %s\n", err)
			failed = append(failed, file)
			continue
		}
		l, err := tutorial.Parse(file, src)
		if err != nil {
			fmt.Fprintf(stdout, "FAIL %s does not parse:\n%s\n", file, err)
			failed = append(failed, file+" (does not parse)")
			continue
		}
		r := tutorial.Runner{Report: stdout, Strict: strict}
		if *verbose {
			r.Transcript = stdout
		}
		res, err := r.Run(l)
		if err != nil {
			fmt.Fprintf(stdout, "FAIL %s: %s\n", file, err)
			failed = append(failed, file)
			continue
		}
		checks += len(res.Checks)
		failed = append(failed, res.Failures()...)
	}
	if len(failed) > 0 {
		fmt.Fprintf(stderr, "kubetab: %d failed:\n  %s\n", len(failed), strings.Join(failed, "\n  "))
		return 1
	}
	fmt.Fprintf(stdout, "PASS %d lessons, %d checks\n", fs.NArg(), checks)
	return 0
}
