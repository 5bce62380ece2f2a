package realk8s

import (
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
)

// echoExecutor prints its words; `fail` fails, `name` prints a generated name.
type echoExecutor struct{ calls []string }

func (x *echoExecutor) Exec(args []string, stdin *string, out io.Writer) int {
	x.calls = append(x.calls, strings.Join(args, " "))
	switch args[0] {
	case "fail":
		fmt.Fprintln(out, "error: failed")
		return 1
	case "name":
		fmt.Fprintln(out, "kubia-x7k2p")
		fmt.Fprintln(out)
		return 0
	}
	fmt.Fprint(out, strings.Join(args, " "))
	if stdin != nil {
		fmt.Fprint(out, "\n"+*stdin)
	}
	return 0
}

const testScript = `# a comment
echo one
fail && echo skipped
echo after $(name) pod/$(name)x
echo $(fail)
cat <<EOF
body
EOF
echo last
`

func TestRunAndParseTranscript(t *testing.T) {
	x := &echoExecutor{}
	steps, err := Run(testScript, x)
	if err != nil {
		t.Fatal(err)
	}
	want := "$ echo one\necho one\n" +
		"$ fail\nerror: failed\n(exit 1)\n" +
		"$ echo after $(name) pod/$(name)x\necho after kubia-x7k2p pod/kubia-x7k2px\n" +
		"$ echo $(fail)\nrealk8s: $(fail) failed:\nerror: failed\n(exit 1)\n" +
		"$ cat <<EOF\nbody\nEOF\ncat\nbody\n" +
		"$ echo last\necho last\n"
	if got := Format(steps); got != want {
		t.Fatalf("transcript:\n%s\nwant:\n%s", got, want)
	}
	if want := []string{"echo one", "fail", "name", "name", "echo after kubia-x7k2p pod/kubia-x7k2px", "fail", "cat", "echo last"}; !reflect.DeepEqual(x.calls, want) {
		t.Errorf("calls %q, want %q", x.calls, want)
	}
	parsed, err := ParseTranscript(testScript, want)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(parsed, steps) {
		t.Errorf("parsed %+v\nwant %+v", parsed, steps)
	}
	if _, err := ParseTranscript(testScript, want+"extra\n$ echo more\n"); err != nil {
		t.Errorf("output after the last command belongs to it: %v", err)
	}
	if _, err := ParseTranscript(testScript+"echo new\n", want); err == nil {
		t.Error("a transcript of an older script parsed")
	}
}

// A step's output may contain a line that looks like the echo of a later command that
// cannot come next: only the commands that can follow end it.
func TestParseTranscriptOnlyNextCommandsEndOutput(t *testing.T) {
	script := "a\nb\na\n"
	tr := "$ a\nfirst\n$ a\n$ b\nsecond\n$ a\nthird\n"
	steps, err := ParseTranscript(script, tr)
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{steps[0].Output, steps[1].Output, steps[2].Output}; !reflect.DeepEqual(got, []string{"first\n$ a\n", "second\n", "third\n"}) {
		t.Errorf("outputs %q", got)
	}
}

func TestHarness(t *testing.T) {
	for text, want := range map[string]bool{"kubetab advance 1m": true, "kubetab": true, "kubectl get pods": false, "kubetabx": false} {
		if got := (Step{Text: text}).Harness(); got != want {
			t.Errorf("%q: Harness() = %v", text, got)
		}
	}
}
