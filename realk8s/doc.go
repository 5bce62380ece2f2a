// Package realk8s holds kubetab to transcripts recorded on a real Kubernetes control plane.
//
// testdata/realk8s/NAME.sh are scripts in the plain subset of kubetab's terminal language
// (engine/terminal's ParsePlain: simple commands, && and here-documents) with two additions
// both sides understand:
//
//   - `$(COMMAND)` inside a word is replaced by COMMAND's output (its trailing newlines
//     trimmed, no word splitting), so a script can name a generated object by a property
//     both clusters share (`$(kubectl get pods -l app=kubia --field-selector
//     spec.nodeName=kubetab-worker -o jsonpath={.items[0].metadata.name})`) instead of by
//     a name only one of them would give it;
//   - `kubetab` commands are virtual time and node operations in kubetab and their real
//     counterparts on the real cluster: `kubetab advance D` sleeps D, `kubetab node fail|
//     recover|add` stop, start and add refk8s's fake kubelets.
//
// A script whose first line is `# shell` (ShellMark) is a shell script instead: the whole
// terminal language (variables, functions, pipes, $(...), here-documents, redirections to
// files, for/if, && and ||, set -e), its steps its top-level commands (terminal.Parse),
// each with its output and its status as $? would be after it. On the real side the
// recorder runs it in one bash (WrapBash: a mark with the status after each top-level
// command, SplitBash cuts the output at them) in an empty workspace directory, with real
// kubectl first on PATH, `k` a function for kubectl and `kubetab` one for the recorder's
// harness; on kubetab's side RunShell runs it in one Session (terminal's RunHooked, as
// RunScript runs the goldens) over an empty in-memory workspace. The transcript format is
// the same; a script that set -e or exit ends stops at that command on both sides. A
// top-level command that starts with `kubetab` is the harness's and is not compared: keep
// kubectl out of it (`kubetab advance 5s && kubectl get pods` would hide the get).
//
// Run plays a script through an Executor and writes its transcript: `$ COMMAND`, its output
// and errors as written, and `(exit N)` after a command that failed. The recorder
// (realk8s/record, `make record-realk8s`) runs the scripts with real kubectl against a fresh
// refk8s cluster each (../shared/tools/refk8s: the real kube-apiserver, controller-manager
// and scheduler with fake kubelets) and writes testdata/realk8s/NAME.txt and PROVENANCE.md;
// TestRealTranscripts runs the same scripts on kubetab and compares both, command by
// command, after Normalise (normalise.go: each rule says what it hides and why). The
// differences kubetab has today, on purpose or until a feature is merged, are listed in
// expected.go with their reason (Expected, command by command or a whole script; Rewrites,
// for a text all over the transcripts, none now):
// that list is issue #19's to-do, and an entry that no longer matches fails the test.
// TestRealTranscriptsStrict runs the same scripts in kubetab's strict mode, where the
// entries marked Kind (kubetab's kindness to learners) must be gone.
// `go test ./realk8s -run Real -out DIR` writes kubetab's transcripts and both normalised
// ones to DIR; `-report` logs every difference as a Markdown table.
//
// It imports engine/terminal (the parser, and a Session in the test) and must not be
// imported by the engine or the app: it is a test harness.
package realk8s
