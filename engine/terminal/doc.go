// Package terminal owns kubetab's terminal language: the lines a person types into the
// browser terminal, the scripts `kubetab run` executes, tutorial steps and the embed API's
// exec calls all go through Parse.
//
// The language is a small, POSIX-shell-shaped subset:
//
//   - words split on blanks, with single quotes, double quotes (where \" \\ \$ \` and
//     backslash-newline are escapes) and backslash escapes outside quotes;
//   - `#` starts a comment at the start of a word, on its own line or after a command;
//   - a backslash at the end of a line continues the command on the next line;
//   - here-documents (`<<EOF`, `<<'EOF'`, `<<"EOF"`, `<<-EOF` which strips leading tabs)
//     anywhere among a command's words; the body is the lines after the command line, up to
//     the delimiter line, and becomes the command's stdin;
//   - `;` and `&&` separate commands on one line; the command after `&&` runs only if the
//     one before it succeeded.
//
// There is no expansion of any kind. `$VAR`, `${VAR}` and `$(...)` stay literal (a `$(...)`
// is kept whole in one word, as written), here-document bodies are never expanded whether or
// not the delimiter is quoted, and `*`, `?`, `~`, `{a,b}`, `(` and `)` are ordinary characters.
// Pipes, redirections, `||`, `&` and backticks outside quotes are errors that name the
// operator and the line, rather than being silently misread. Inside double quotes a backtick
// is an ordinary character.
//
// Every error is a *SyntaxError carrying the line it is about, and says whether more input
// would complete the script (an open quote, a here-document without its delimiter, a
// trailing `&&`), so the UI can prompt for a continuation line instead of failing.
//
// Parse only parses. Session (session.go) runs commands against a cluster (kubectl, alias k,
// and the kubetab cluster commands), writes script transcripts, and keeps the journal that
// engine/persist saves and Restore replays. Session.Start runs a command for a terminal
// where a person can press Ctrl-C: a kubectl watch or follow keeps streaming (polled after
// each command and at each instant of an advance) instead of following for a bounded
// window. The parser itself depends on nothing else in the engine.
package terminal
