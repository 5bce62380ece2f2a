package main

import (
	"fmt"
	"strconv"
	"strings"
)

// A filePatch is the part of a unified diff that changes one file.
type filePatch struct {
	path  string // relative to the module's root, from the "+++ b/<path>" line
	isNew bool   // "--- /dev/null": the file is created
	hunks []hunk
}

// A hunk replaces the old lines at oldStart (1-based; 0 when the file is new).
type hunk struct {
	oldStart int
	lines    []string // each starts with ' ' (context), '-' (removed) or '+' (added)
}

// parsePatch reads a unified diff (as diff -u or git diff write it). Text before the first
// "--- " line is the patch's description and is ignored.
func parsePatch(text string) ([]filePatch, error) {
	if !strings.HasSuffix(text, "\n") {
		return nil, fmt.Errorf("the patch does not end with a newline")
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	var files []filePatch
	for i := 0; i < len(lines); {
		if !strings.HasPrefix(lines[i], "--- ") {
			if len(files) > 0 && lines[i] != "" && !strings.HasPrefix(lines[i], "diff ") && !strings.HasPrefix(lines[i], "index ") {
				return nil, fmt.Errorf("line %d: unexpected %q", i+1, lines[i])
			}
			i++
			continue
		}
		if i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "+++ ") {
			return nil, fmt.Errorf("line %d: \"--- \" without a \"+++ \" line after it", i+1)
		}
		f := filePatch{isNew: diffPath(lines[i]) == "/dev/null"}
		newPath := diffPath(lines[i+1])
		if !strings.HasPrefix(newPath, "b/") {
			return nil, fmt.Errorf("line %d: the new file's path %q does not start with b/", i+2, newPath)
		}
		f.path = strings.TrimPrefix(newPath, "b/")
		i += 2
		for i < len(lines) && strings.HasPrefix(lines[i], "@@ ") {
			h, oldLen, newLen, err := parseHunkHeader(lines[i])
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", i+1, err)
			}
			i++
			for oldLen > 0 || newLen > 0 {
				if i >= len(lines) {
					return nil, fmt.Errorf("the patch ends inside a hunk of %s", f.path)
				}
				l := lines[i]
				if l == "" {
					l = " " // an empty context line whose space an editor removed
				}
				switch l[0] {
				case ' ':
					oldLen--
					newLen--
				case '-':
					oldLen--
				case '+':
					newLen--
				default:
					return nil, fmt.Errorf("line %d: %q in a hunk", i+1, l)
				}
				if oldLen < 0 || newLen < 0 {
					return nil, fmt.Errorf("line %d: the hunk is longer than its header says", i+1)
				}
				h.lines = append(h.lines, l)
				i++
			}
			f.hunks = append(f.hunks, h)
		}
		if len(f.hunks) == 0 {
			return nil, fmt.Errorf("%s: no hunks", f.path)
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("the patch changes no file")
	}
	return files, nil
}

// diffPath is the path of a "--- " or "+++ " line, without the timestamp diff -u appends.
func diffPath(line string) string {
	p := line[4:]
	if i := strings.IndexByte(p, '\t'); i >= 0 {
		p = p[:i]
	}
	return p
}

// parseHunkHeader reads "@@ -l,s +l,s @@" (a length of 1 may be left out).
func parseHunkHeader(line string) (h hunk, oldLen, newLen int, err error) {
	fields := strings.Fields(line)
	if len(fields) < 4 || fields[3] != "@@" || !strings.HasPrefix(fields[1], "-") || !strings.HasPrefix(fields[2], "+") {
		return h, 0, 0, fmt.Errorf("bad hunk header %q", line)
	}
	start, oldLen, err := parseRange(fields[1][1:])
	if err != nil {
		return h, 0, 0, fmt.Errorf("bad hunk header %q: %v", line, err)
	}
	_, newLen, err = parseRange(fields[2][1:])
	if err != nil {
		return h, 0, 0, fmt.Errorf("bad hunk header %q: %v", line, err)
	}
	return hunk{oldStart: start}, oldLen, newLen, nil
}

func parseRange(s string) (start, length int, err error) {
	startText, lengthText, found := strings.Cut(s, ",")
	if start, err = strconv.Atoi(startText); err != nil {
		return 0, 0, err
	}
	length = 1
	if found {
		if length, err = strconv.Atoi(lengthText); err != nil {
			return 0, 0, err
		}
	}
	return start, length, nil
}

// apply returns src with the hunks applied. Every context and removed line must be at the
// line the hunk says: an upstream file that changed is an error, never a guess.
func (f filePatch) apply(src string) (string, error) {
	if f.isNew && src != "" {
		return "", fmt.Errorf("%s: the patch creates it, but it exists", f.path)
	}
	if src != "" && !strings.HasSuffix(src, "\n") {
		return "", fmt.Errorf("%s: does not end with a newline", f.path)
	}
	var old []string
	if src != "" {
		old = strings.Split(strings.TrimSuffix(src, "\n"), "\n")
	}
	var out []string
	next := 0 // the first line of old not yet copied
	for n, h := range f.hunks {
		at := h.oldStart - 1
		if h.oldStart == 0 {
			at = 0
		}
		if at < next || at > len(old) {
			return "", fmt.Errorf("%s: hunk %d: line %d is out of order or past the end", f.path, n+1, h.oldStart)
		}
		out = append(out, old[next:at]...)
		for _, l := range h.lines {
			if l[0] == '+' {
				out = append(out, l[1:])
				continue
			}
			if at >= len(old) || old[at] != l[1:] {
				return "", fmt.Errorf("%s: hunk %d does not apply: line %d is not %q", f.path, n+1, at+1, l[1:])
			}
			if l[0] == ' ' {
				out = append(out, old[at])
			}
			at++
		}
		next = at
	}
	out = append(out, old[next:]...)
	if len(out) == 0 {
		return "", nil
	}
	return strings.Join(out, "\n") + "\n", nil
}
