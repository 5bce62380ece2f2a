// Package tutorial owns kubetab's lessons: Markdown files with runnable blocks and checks,
// parsed once (Parse) and then run headless (Run, for `kubetab tutorial test`) or step by
// step by a page (Block.Run, Check.Evaluate).
//
// # The lesson format
//
// A lesson is Markdown. Its title is the front matter's `title:`, else its first `# `
// heading. Optional front matter, between `---` lines at the very top, holds `key: value`
// lines: title, track (the series of lessons it belongs to, which an index groups by), seed
// (the cluster's random seed, default 0) and start (its virtual start time, RFC 3339,
// default 2026-01-01T09:00:00Z). Every run of a lesson starts from that
// cluster, so generated pod names are the same on every run — but the prose should not name
// them: use selectors, `-o name`, jsonpath, or a variable set from one.
//
// Prose and ordinary code fences are shown as written. Fences with these info strings are
// the lesson's machinery (backtick or tilde fences, at most three spaces of indentation):
//
//   - kubetab or sh: a runnable block. Its lines are the terminal language (the shell of
//     engine/terminal: kubectl, k, kubetab advance/node/reset, variables, $(...), pipes,
//     loops, here-documents, redirections to workspace files). The block passes when every
//     top-level command succeeds; `exit=N` in the info string expects the last failing
//     command to exit N instead (for a command that shows an error on purpose). `norun`
//     turns any of these fences into plain text.
//   - any language with file=NAME (`yaml file=kubia-rc.yaml`): a file the lesson provides.
//     All files are written into the workspace when the lesson loads (and again on reset),
//     so `kubectl apply -f kubia-rc.yaml` works and the lesson is self-contained. Parse
//     rejects a block whose -f names a file the lesson neither provides nor writes (`>`)
//     in a block before.
//   - any language with the edit flag (`yaml edit`): an edit fixture for the runnable block
//     before it, which runs `kubectl edit`. It holds the fields the learner changes in the
//     editor, as a fragment of the object (`spec: {replicas: 10}`), merged into the edited
//     object as a JSON merge patch (null removes a field). Each time the editor opens it
//     takes the next fixture. A block that runs kubectl edit needs at least one, so that the
//     lesson runs headless; a page may show the fixture as the change to make.
//   - check: a command on the first line, then `key: value` lines.
//
// The keys of a check:
//
//	label: TEXT      what the learner should see (required; shown on the page and in reports)
//	count: N         the output has N non-empty lines
//	equals: TEXT     the output, without trailing blanks, is TEXT
//	contains: TEXT   the output contains TEXT
//	matches: RE      the output matches the Go regular expression RE (^ and $ match at lines)
//	exit: N          the command exits N (default 0; any other status fails the check)
//	event: REASON [KIND/NAME]
//	                 an event with that reason exists (for that object); it stands for
//	                 `kubectl get events -A --field-selector ... -o name`, so the check has
//	                 no command line of its own
//	within: DURATION `tutorial test` may let up to this much virtual time pass until the
//	                 check holds (30s, 5m, 1h30m); on a page, time is the learner's to move
//
// A value may be double-quoted to keep blanks. The output a check looks at is standard output,
// followed by standard error when the command failed. Check commands only read: kubectl get,
// describe or logs, without --watch or --follow, one simple command (no pipes); kubectl wait
// is refused (use within:). A jsonpath needs no syntax of its own: the command prints it
// (`kubectl get pod x -o jsonpath={.status.phase}` with `equals: Running`).
//
// Blocks and checks are steps. Each has a stable ID: the fence's `id=NAME`, else `run-N` for
// the N-th runnable block and `check-<label slug>` for a check. Give an id= to keep a
// learner's saved progress when steps are reordered.
//
// # Variables
//
// Blocks run one after the other in the session's shell, so a variable a block sets is
// there for the blocks and checks after it. A lesson that must act on one of several pods
// whose names it cannot know captures one, as docs do:
//
//	POD=$(kubectl get pods -l app=kubia -o jsonpath={.items[0].metadata.name})
//	kubectl delete pod $POD
//
// The same lines work in a real shell against a real cluster. The session saves its shell
// with its journal, so the variables survive a reload of the page.
//
// # Using a lesson
//
//	l, err := tutorial.Parse("02-replicationcontrollers.md", src)
//	s, err := l.NewSession(opts)        // the starting cluster; l.Files are the workspace
//	for _, st := range l.Steps() { ... }
//	exit := st.Block.Run(s, out)        // or typed into a terminal, command by command
//	ok, detail := st.Check.Evaluate(s)  // read-only: safe to tick live
//	ok, detail, waited := st.Check.Await(s) // lets time pass up to within:
//
// Reset is a fresh session from NewSession (or typing l.ResetLine() into the terminal) plus
// l.Files written again.
//
// The package is pure Go like the rest of the engine: it imports terminal (and through it the
// cluster), api for resource names, and sigs.k8s.io/yaml for edit fixtures; nothing in the
// engine imports it.
package tutorial
