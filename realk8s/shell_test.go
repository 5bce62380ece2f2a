package realk8s

import (
	"bytes"
	"errors"
	"os/exec"
	"reflect"
	"testing"
)

const shellScript = `# shell
# a comment
echo one; false
false || echo two
f() { echo "in f $1"; return 3; }
f x
echo "status $?"
printf 'no newline'
cat <<EOF | grep b
a
b
EOF
set -e
false && echo skipped
echo "still here $?"
false
echo not reached
`

// wantShellSteps are shellScript's steps, the same in bash and in kubetab.
var wantShellSteps = []Step{
	{Line: 3, Text: "echo one", Output: "one\n"},
	{Line: 3, Text: "false", Exit: 1},
	{Line: 4, Text: "false || echo two", Output: "two\n"},
	{Line: 5, Text: `f() { echo "in f $1"; return 3; }`},
	{Line: 6, Text: "f x", Output: "in f x\n", Exit: 3},
	{Line: 7, Text: `echo "status $?"`, Output: "status 3\n"},
	{Line: 8, Text: "printf 'no newline'", Output: "no newline\n"},
	{Line: 9, Text: "cat <<EOF | grep b\na\nb\nEOF", Output: "b\n"},
	{Line: 13, Text: "set -e"},
	{Line: 14, Text: "false && echo skipped", Exit: 1},
	{Line: 15, Text: `echo "still here $?"`, Output: "still here 1\n"},
	{Line: 16, Text: "false", Exit: 1},
}

// The real side's bash and kubetab's terminal cut a shell script into the same steps.
func TestShellSteps(t *testing.T) {
	if !IsShell(shellScript) || IsShell(testScript) {
		t.Fatal("IsShell does not tell the scripts apart")
	}
	got, err := RunShell(shellScript, newWorkspaceSession(t, false))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, wantShellSteps) {
		t.Errorf("kubetab's steps:\n%+v\nwant\n%+v", got, wantShellSteps)
	}
	parsed, err := ParseTranscript(shellScript, Format(wantShellSteps))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(parsed, wantShellSteps) {
		t.Errorf("parsed transcript:\n%+v\nwant\n%+v", parsed, wantShellSteps)
	}

	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash here")
	}
	wrapped, err := WrapBash(shellScript)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", "-c", wrapped)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	status := 0
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatal(err)
		}
		status = ee.ExitCode()
	}
	real, err := SplitBash(shellScript, out.String(), status)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(real, wantShellSteps) {
		t.Errorf("bash's steps:\n%+v\nwant\n%+v", real, wantShellSteps)
	}
}
