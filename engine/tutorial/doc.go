// Package tutorial owns kubetab's lessons: Markdown files with runnable blocks and checks,
// parsed once (Parse) and then run headless (Run, for `kubetab tutorial test`) or step by
// step by a page (Block.Run, Capture.Run, Check.Evaluate).
//
// # The lesson format
//
// A lesson is Markdown. Its title is the front matter's `title:`, else its first `# `
// heading. Optional front matter, between `---` lines at the very top, holds `key: value`
// lines: title, seed (the cluster's random seed, default 0), start (its virtual start
// time, RFC 3339, default 2026-01-01T09:00:00Z) and strict (true: kubectl answers exactly as
// against a real cluster, refusing the legacy apiVersions and removed flags kubetab otherwise
// accepts with a note; for a lesson that must also pass on a real cluster: `kubetab tutorial
// test` runs it so, while the playground's lesson page stays kind to learners). Every run of a lesson starts from that
// cluster, so generated pod names are the same on every run — but the prose should not name
// them: use selectors, `-o name`, jsonpath, or a capture.
//
// Prose and ordinary code fences are shown as written. Fences with these info strings are
// the lesson's machinery (backtick or tilde fences, at most three spaces of indentation):
//
//   - kubetab or sh: a runnable block. Its lines are the terminal language (kubectl, k,
//     kubetab advance/node/reset; quoting, comments, backslash continuations, `;`, `&&`,
//     here-documents). The block passes when every command succeeds; `exit=N` in the info
//     string expects the last failing command to exit N instead (for a command that shows
//     an error on purpose). `norun` turns any of these fences into plain text.
//   - any language with file=NAME (`yaml file=kubia-rc.yaml`): a file the lesson provides.
//     All files are written into the workspace when the lesson loads (and again on reset),
//     so `kubectl apply -f kubia-rc.yaml` works and the lesson is self-contained. Parse
//     rejects a block whose -f names a file the lesson does not provide.
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
// describe or logs, without --watch or --follow; kubectl wait is refused (use within:). A
// jsonpath needs no syntax of its own: the command prints it
// (`kubectl get pod x -o jsonpath={.status.phase}` with `equals: Running`).
//
// Blocks and checks are steps. Each has a stable ID: the fence's `id=NAME`, else `run-N` for
// the N-th runnable block and `check-<label slug>` for a check. Give an id= to keep a
// learner's saved progress when steps are reordered.
//
// # Captures
//
// The terminal language has no variables, but a lesson sometimes must act on one of several
// pods whose names it cannot know. A runnable block may hold capture lines,
//
//	POD=$(kubectl get pods -l app=kubia -o jsonpath={.items[0].metadata.name})
//
// alone on their line: the command (kubectl get, describe or logs) runs, and its output, which
// must be one word, becomes $POD (or ${POD}) in the lines and checks after it:
//
//	kubectl delete pod $POD
//
// The same lines work in a real shell against a real cluster. Only names the lesson
// captures are replaced — everywhere in later lines, quotes and here-documents included;
// other `$` text stays as written. Parse rejects a variable used before its capture and
// `$(...)` anywhere else. A page keeps the captured values in a Vars and expands a segment
// (Lesson.Expand) before typing it into the terminal.
//
// # Using a lesson
//
//	l, err := tutorial.Parse("02-replicationcontrollers.md", src)
//	s, err := l.NewSession(opts)        // the starting cluster; l.Files are the workspace
//	vars := tutorial.Vars{}
//	for _, st := range l.Steps() { ... }
//	exit, err := st.Block.Run(s, vars, out) // or, segment by segment: Lesson.Expand + exec,
//	                                        // Capture.Run for captures
//	ok, detail := st.Check.Evaluate(s, vars) // read-only: safe to tick live
//	ok, detail, waited := st.Check.Await(s, vars) // lets time pass up to within:
//
// Reset is a fresh session from NewSession (or typing l.ResetLine() into the terminal) plus
// l.Files written again, and an empty Vars.
//
// The package is pure Go like the rest of the engine: it imports terminal (and through it the
// cluster), api for resource names, and sigs.k8s.io/yaml for edit fixtures; nothing in the
// engine imports it.
package tutorial
