package terminal

import (
	"io/fs"
	"strings"
	"testing"
)

// kubectl edit runs the shell's $KUBE_EDITOR (else $EDITOR) over its temporary file when it
// names a program of the terminal; otherwise the session's editor edits, as before. The
// editor's text is journaled: a replay runs no editor.
func TestEditWithShellEditor(t *testing.T) {
	files := map[string][]byte{}
	paneEdits := 0
	s := MustSession(t, Options{
		ReadFile:  func(p string) ([]byte, error) { return mapRead(files, p) },
		WriteFile: func(p string, data []byte) error { files[p] = data; return nil },
		Edit: func(name, text string) (string, error) {
			paneEdits++
			return strings.Replace(text, "replicas: 1", "replicas: 2", 1), nil
		},
	})
	for _, tc := range []struct {
		line, want string
		code, pane int
	}{
		{"kubectl create deployment web --image=nginx:1.14.2", "deployment.apps/web created\n", 0, 0},
		{`KUBE_EDITOR="sed -i s/1.14.2/1.16.1/" kubectl edit deployment/web`, "deployment.apps/web edited\n", 0, 0},
		{"kubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].image}'", "nginx:1.16.1\n", 0, 0},
		// Quotes: the words as a shell reads them (kubectl hands such an editor to $SHELL -c).
		{`export EDITOR='sed -i "s/nginx:1.16.1/nginx:1.17/"'`, "", 0, 0},
		{"kubectl edit deployment web", "deployment.apps/web edited\n", 0, 0},
		// KUBE_EDITOR comes before EDITOR; a program the terminal lacks leaves it to the pane.
		{"KUBE_EDITOR=vi kubectl edit deployment web", "deployment.apps/web edited\n", 0, 1},
		{"kubectl get deploy web -o jsonpath='{.spec.replicas} {.spec.template.spec.containers[0].image}'", "2 nginx:1.17\n", 0, 1},
		// An unchanged file cancels; a failing editor is kubectl's error.
		{"KUBE_EDITOR=cat kubectl edit deployment web >/dev/null", "Edit cancelled, no changes made.\n", 0, 1},
		{"KUBE_EDITOR=false kubectl edit deployment web", "error: there was a problem with the editor \"false\"\n", 1, 1},
		// Not exported: kubectl does not see it.
		{"unset EDITOR", "", 0, 1},
		{"KUBE_EDITOR='sed -i s/nginx:1.17/nginx:1.18/'", "", 0, 1},
		{"kubectl edit deployment web", "Edit cancelled, no changes made.\n", 0, 2},
		{"export KUBE_EDITOR", "", 0, 2},
		{"kubectl edit deployment web", "deployment.apps/web edited\n", 0, 2},
		// The node's /tmp is left as it was: the edited copy is gone.
		{"ls /tmp", "", 0, 2},
	} {
		out, code := run(t, s, tc.line)
		_, out, _ = strings.Cut(out, "\n") // the echoed line
		if code != tc.code || out != tc.want || paneEdits != tc.pane {
			t.Errorf("%s: exit %d, output %q, pane edits %d; want exit %d, %q, %d", tc.line, code, out, paneEdits, tc.code, tc.want, tc.pane)
		}
	}
	checkReplay(t, s)
}

// apply -k reads the kustomization's files through the session: the journal holds them, and a
// replay needs no files.
func TestApplyKustomizeReplays(t *testing.T) {
	files := map[string][]byte{}
	s := MustSession(t, Options{
		ReadFile:  func(p string) ([]byte, error) { return mapRead(files, p) },
		WriteFile: func(p string, data []byte) error { files[p] = data; return nil },
		ListDir: func(p string) ([]string, error) {
			var names []string
			for f := range files {
				if rest, ok := strings.CutPrefix(f, p+"/"); ok {
					names = append(names, rest)
				}
			}
			if len(names) == 0 {
				return nil, fs.ErrNotExist
			}
			return names, nil
		},
	})
	for _, tc := range []struct{ line, want string }{
		{"mkdir k", ""},
		{"printf 'configMapGenerator:\\n- name: c\\n  files:\\n  - a.txt\\n' >k/kustomization.yaml", ""},
		{"echo x >k/a.txt", ""},
		{"cd k", ""},
		{"kubectl apply -k .", "configmap/c-bhbm77t98f created\n"},
		{"cd", ""},
		{"kubectl get -k k -o name", "configmap/c-bhbm77t98f\n"},
	} {
		out, code := run(t, s, tc.line)
		_, out, _ = strings.Cut(out, "\n")
		if code != 0 || out != tc.want {
			t.Errorf("%s: exit %d, output %q, want %q", tc.line, code, out, tc.want)
		}
	}
	if n := len(s.State().Journal); n != 1 || len(s.State().Journal[0].Reads) == 0 {
		t.Fatalf("journal: %+v", s.State().Journal)
	}
	checkReplay(t, s)
}
