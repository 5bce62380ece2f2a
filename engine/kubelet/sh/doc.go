// Package sh runs the `command`/`args` of busybox-like containers: a small POSIX sh
// subset (plus a few bash-isms) and the busybox applets that book and docs examples use.
//
// The engine has no goroutines and no real time, so a running script is a resumable
// state machine. Start parses and compiles the script to a flat list of ops with jumps;
// Process.Run executes ops until the script blocks in `sleep` (Result.WakeAt), ends
// (Result.Exited), or has taken StepsPerRun steps, in which case it counts as having used
// 1 ms and asks to be woken at Now()+1ms (2 ms, 4 ms ... up to 1 s for consecutive busy
// slices), so an endless loop without sleep cannot hang the engine. The kubelet calls Run again at WakeAt; output lines carry the virtual time
// at which they were written.
//
// What takes virtual time and what does not:
//   - `sleep` (and `tail -f`, `sleep infinity`) in the script itself, in loops, if/case
//     bodies, brace groups, subshells `( )`, functions, eval and nested `sh -c` blocks
//     the process.
//   - Command substitutions, pipelines with more than one command, background commands
//     (`cmd &`), trap handlers and everything run by Exec (kubectl exec, exec probes) run
//     to completion at once: a sleep inside them returns immediately. They are bounded by
//     MaxInstantSteps and stopped with status 124 beyond it.
//
// The shell runs as PID 1 (`$$` is 1): without a trap it ignores SIGTERM, as the book's
// images do, so termination takes the full grace period and ends with SIGKILL (137).
//
// Names resolve as the C library resolves them (resolv.go): /etc/hosts, then the name
// server of /etc/resolv.conf (Env.QueryDNS) with its search list and ndots; busybox's
// nslookup and glibc's `getent hosts` show it.
//
// Messages follow busybox ash (`sh: foo: not found`, `sh: syntax error: unexpected "fi"`,
// `cat: can't open '/tmp/healthy': No such file or directory`) or bash when the command
// is bash. curl and wget print their own client's errors, given the ErrConnectionRefused or
// ErrTimeout an Env wraps (and their own for a name that does not resolve). curl's
// https:// checks the certificate a TLSEnv's server presents (-k, --cacert, the host name;
// tls.go), as curl with OpenSSL does, without TLS bytes.
//
// FS is the container filesystem: in memory, bounded (MaxFSBytes), with permission bits,
// symbolic links (resolved inside the filesystem that holds them) and mounts for volumes
// shared between containers, whole or a subdirectory, read-write or read-only (`Read-only
// file system`). Files is what the shell needs of
// a filesystem, so that another one (the terminal's workspace) can stand in.
//
// Interactive (interactive.go) is the same shell as a terminal runs it (engine/terminal):
// variables, functions, options and working directory last from one line to the next; the
// host adds commands of its own in front of the shell's (Config.Commands, Call; a host
// command may run one of the shell's programs over files of its own, Call.RunProgram, as
// kubectl edit runs $KUBE_EDITOR on its temporary file); a line
// runs at once, except where a host command makes it wait (a streaming kubectl), until
// Resume or Abandon; hooks echo each top-level pipeline before it runs; each top-level
// command is bounded in steps and stopped alone past them. Parse reads a line as a
// terminal must: a here-document without its end or a trailing backslash is incomplete,
// and errors carry their line.
//
// The larger text filters (awk, sed, base64, jq) are in package filters, which the shell
// runs through a filters.Call.
//
// The package imports only the standard library; it must not import syscall/js, call
// time.Now, use global math/rand or start goroutines.
package sh
