// Package terminal owns kubetab's terminal language: the lines a person types into the
// browser terminal, the scripts `kubetab run` executes, tutorial blocks and the embed
// API's exec calls.
//
// The language is a POSIX-shell subset, run by engine/kubelet/sh's interactive shell (the
// one the containers' scripts run in): quoting, comments, continuation lines, variables and
// export, $(...) and backticks, arithmetic, pipes, ; && || &, if/for/while/until/case,
// functions and local, alias, here-documents, redirections, set -e, exit statuses; the
// shell's text tools (echo printf cat grep wc head tail sort uniq cut tr paste sed awk base64
// seq date env test ...),
// and the session's own commands in front of them (host.go):
//
//   - kubectl (alias k) and kubetab (advance, node, reset);
//   - sleep, which moves virtual time as kubetab advance does;
//   - jq (the terminal's only: the busybox images have none);
//   - openssl (req -x509, x509, genrsa, rand: engine/kubelet/sh/openssl, its keys from a
//     stream of the session's seed), make (make.go, a small GNU make for the docs' example
//     Makefiles) and go (which says that there is no Go toolchain).
//
// curl and wget reach the cluster's network from the control-plane node (hostEnv): pod
// IPs, and ClusterIPs and node ports as the kubelets route them. The shell's files are the
// session's workspace (Options.ReadFile, ListDir, WriteFile, RemoveFile), seen as the
// directory Home (/root), its working directory and $HOME, with the node's /etc/hosts and
// /dev/null (files.go); other paths (/tmp ...) are a scratch filesystem in memory, saved
// with the shell's state (tmpfs.go). curl's https:// checks the server's certificate
// (https.go, engine/kubelet/sh/tls.go).
//
// Parse checks a script's syntax and splits it into its top-level commands, each with its
// text as written; its *SyntaxError says whether more input would complete the script (an
// open quote or construct, a here-document without its end, a trailing && or |), so the
// UI can prompt for a continuation line. SplitWords and SimpleCommands read the words of
// commands without running anything (lessons check what their blocks run).
//
// Session (session.go) runs lines against a cluster and keeps the journal that
// engine/persist saves and Restore replays: every kubectl or kubetab command that may have
// changed the cluster, with its words as expanded and every input it consumed (its
// standard input, the files kubectl read, the editor's text: the session's editor, or the
// shell's $KUBE_EDITOR or $EDITOR when it names a program of the terminal, run over
// kubectl edit's temporary file (editor.go)), the HTTP requests that
// reached a server, and virtual time that passed. The shell's own state (variables,
// functions, aliases, working directory, options, $?) is saved beside the journal. RunScript writes
// a transcript, each top-level pipeline echoed as `$ <pipeline as written>`; RunLine runs a
// typed line; Start runs one where a person can press Ctrl-C: a kubectl watch or follow of
// the line itself keeps streaming (polled after each command and at each instant of an
// advance) while the rest of the line waits (Resume, StopStream). Each top-level command is
// bounded in steps (MaxCommandSteps), so an endless loop is stopped with a message.
//
// `cmd &` of a watch or a follow makes it a background job (bgstreams.go): what it prints
// goes into the lines that run after it, at the virtual instants things happen, with
// jobs, kill %N and wait as bash has them; the journal starts it again on a replay.
//
// A session has one terminal or several (terminals.go: OpenTerminal, UseTerminal,
// CloseTerminal), each with its own shell, container shell and stream over the same
// cluster, journal and jobs: a `kubectl proxy` typed in one runs in its foreground until
// Ctrl-C while curl in another reaches it.
//
// Snapshots (checkpoint.go): once the journal has grown enough (CheckpointDue), Checkpoint
// replaces the cluster by a snapshot of it restored (engine/cluster's Snapshot and Restore)
// and starts the journal over; State then holds the snapshot, and Restore replays only the
// journal after it.
//
// The package imports the cluster, kubectl, the kubelet's shell and persist; nothing in
// the engine imports it but engine/tutorial.
package terminal
