package terminal

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/kubetab/kubetab/engine/kubelet/sh"
)

// kubectl edit's editor from the shell: real kubectl runs $KUBE_EDITOR, else $EDITOR, with
// the path of a temporary file holding the object. When the shell exports one of them and it
// names a program the terminal has (`KUBE_EDITOR="sed -i s/1.14.2/1.16.1/" kubectl edit
// deployment/web`), the program runs over that file, inside the terminal, and what it left
// there is the edited text, journaled as any editor session (persist.Edit), so a replay
// reads the text and runs nothing. Unset, or naming a program the terminal lacks (vi,
// nano), the session's own editor is used as before (the browser's editor pane, the CLI's).

// editorVars are the variables kubectl takes its editor from, in its order.
var editorVars = []string{"KUBE_EDITOR", "EDITOR"}

// editTempDir is where the temporary file appears to the editor, as os.TempDir on a node.
const editTempDir = "/tmp"

// shellEditor is the editor the shell's environment names for the command c runs, nil when
// it names none. Its result's second value is false when the program is not the terminal's
// (nothing ran): the session's editor takes over.
func (s *Session) shellEditor(c *sh.Call) shellEditorFunc {
	var editor string
	for _, n := range editorVars {
		if v, ok := c.Environ(n); ok && v != "" {
			editor = v
			break
		}
	}
	if editor == "" {
		return nil
	}
	argv := editorArgs(editor)
	if len(argv) == 0 {
		return nil
	}
	return func(name, text string) (string, bool, error) {
		f := &editFile{Files: s.workspace(), path: path.Join(editTempDir, "kubectl-edit-"+name), text: text}
		status, found := c.RunProgram(append(argv, f.path), f, c.Stdout(), c.Stderr())
		switch {
		case !found:
			return "", false, nil
		case status != 0:
			return "", true, fmt.Errorf("there was a problem with the editor %q", editor)
		}
		return f.text, true, nil
	}
}

// editorArgs splits an editor's command as kubectl does: one word; words at single blanks;
// with quotes or backslashes, as a shell reads them (kubectl hands those to $SHELL -c).
func editorArgs(editor string) []string {
	switch {
	case !strings.Contains(editor, " "):
		return []string{editor}
	case !strings.ContainsAny(editor, "\"'\\"):
		return strings.Split(editor, " ")
	}
	words, err := SplitWords(editor)
	if err != nil {
		return nil
	}
	return words
}

// editFile is the shell's files with kubectl's temporary file added in editTempDir.
type editFile struct {
	sh.Files
	path, text string
}

func (f *editFile) info() sh.FileInfo { return sh.FileInfo{Name: path.Base(f.path), Size: len(f.text)} }

func (f *editFile) Stat(p string) (sh.FileInfo, error) {
	switch p {
	case f.path:
		return f.info(), nil
	case editTempDir:
		return sh.FileInfo{Name: path.Base(editTempDir), IsDir: true}, nil
	}
	return f.Files.Stat(p)
}

func (f *editFile) Lstat(p string) (sh.FileInfo, error) { return f.Stat(p) }

func (f *editFile) ReadFile(p string) (string, error) {
	if p == f.path {
		return f.text, nil
	}
	return f.Files.ReadFile(p)
}

func (f *editFile) WriteFile(p, data string) error {
	if p == f.path {
		f.text = data
		return nil
	}
	return f.Files.WriteFile(p, data)
}

func (f *editFile) AppendFile(p, data string) error {
	if p == f.path {
		f.text += data
		return nil
	}
	return f.Files.AppendFile(p, data)
}

func (f *editFile) ReadDir(p string) ([]sh.FileInfo, error) {
	if p == editTempDir {
		return []sh.FileInfo{f.info()}, nil
	}
	return f.Files.ReadDir(p)
}

func (f *editFile) Remove(p string) error {
	if p == f.path {
		return &fs.PathError{Op: "remove", Path: p, Err: fs.ErrPermission}
	}
	return f.Files.Remove(p)
}

func (f *editFile) SetModTime(p string, t time.Time) error {
	if p == f.path {
		return nil
	}
	return f.Files.SetModTime(p, t)
}

// shellEditorFunc edits a text with the shell's editor: the edited text, whether the
// editor ran, and its failure.
type shellEditorFunc func(name, text string) (string, bool, error)
