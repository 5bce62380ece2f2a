// Package docspages is the docs conformance suite: the command sequences of pages of the
// Kubernetes documentation, copied with their provenance (repository, path, commit,
// licence) into pages/*.txt, run in order on a fresh kubetab cluster, each command checked
// to exit as it does on a real cluster and to print output of the shape the page shows.
// `go test ./docspages` runs it (part of make test); `make docs-report` prints the pass rate
// per page.
//
// A page file is lines of these kinds (blank lines and other `#` lines are comments):
//
//	# title: T / # url: U / # source: REPO PATH / # commit: SHA / # license: L
//	# pause: 10s       virtual time a reader takes between commands (default 10s)
//	$ CMD              a command of the page, verbatim (a line ending in \ goes on with
//	                   the next line)
//	$= CMD             a command of the page with the reader's own value put in (the page
//	                   says "where <pod-name> is the name of one of your Pods")
//	+ CMD              kubetab's addition, not the page's: saving a code sample the page
//	                   shows as a file, or a check of what the page says in prose
//	> LINE             a line of output the page shows (in any order); fields are compared
//	                   one by one, a * in a field matches any text (names with hashes, ages,
//	                   IPs), and a final ... field lets the output have more columns
//	! N                the command before exits N (the page's own command fails on any
//	                   cluster: it creates what exists)
//	? REASON           the command before needs what kubetab lacks: it is not run, and it
//	                   counts as a known failure with REASON, never as a pass
//
// It imports engine/terminal and public (the bundled examples); nothing imports it.
package docspages
