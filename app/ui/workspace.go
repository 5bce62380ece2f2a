package ui

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/kubetab/kubetab/app/session"
)

// maxUploadBytes bounds a file read from the user's disk (kubectl's -f limit is the same).
const maxUploadBytes = 1 << 20

// workspaceView lists the workspace files (#workspace): open one in the editor, create,
// rename, delete, upload from disk, download. `kubectl apply -f NAME` in the terminal reads
// the same files.
type workspaceView struct {
	app.Compo

	Files   []string
	Current string         // the file in the editor
	Dirty   bool           // the editor's text differs from Current's
	Session *session.Shell // nil while pre-rendering on the server
	Page    workspacePage
}

// workspacePage is what the workspace view asks of its page, which holds the editor's
// buffer: the file in it now, and what opening, renaming and deleting a file do to it.
type workspacePage interface {
	// buffer is the buffer's file ("" for an unsaved one) and whether its text differs,
	// as they are now (the props may be a render behind the text typed).
	buffer() (file string, dirty bool)
	loadEditor(ctx app.Context, name, text string)
	fileRenamed(from, to string)
	fileDeleted(name string)
	// note tells the outcome of a file action, under the editor.
	note(text string)
	// poke asks for a new look at the session: the file list changed.
	poke()
	// dispatch runs fn on the UI goroutine, then renders the page (an upload's text arrives
	// in a JavaScript callback).
	dispatch(fn func(ctx app.Context))
	// ask asks in the page's dialog.
	ask(q question)
}

func (w *workspaceView) Render() app.UI {
	return app.Section().ID("workspace").Class("workspace").Aria("label", "Workspace files").Body(
		app.Div().Class("workspace-bar").Body(
			app.H2().Text("Files"),
			app.Button().ID("file-new").Class("btn tiny").Aria("label", "New file").Text("New").OnClick(w.onNew),
			app.Button().ID("file-upload-button").Class("btn tiny").DataSet("opens", "file-upload").Title("Upload files from your computer").Text("Upload"),
			app.Input().ID("file-upload").Class("sr-only").Type("file").Multiple(true).Accept(".yaml,.yml,.json,.sh,.txt").TabIndex(-1).Aria("hidden", true).OnChange(w.onUpload),
		),
		app.If(len(w.Files) == 0, func() app.UI {
			return app.P().Class("muted").Text("No files yet. Samples you load are kept here.")
		}).Else(func() app.UI {
			return app.Ul().Class("files").Body(
				app.Range(w.Files).Slice(func(i int) app.UI {
					name := w.Files[i]
					current := name == w.Current
					label := name
					if current && w.Dirty {
						label += " •"
					}
					return app.Li().Class("file", classIf(current, "current")).DataSet("file", name).Body(
						app.Button().Class("file-open link").
							Title("Open in the editor").
							Aria("current", current).
							Text(label).
							OnClick(func(ctx app.Context, e app.Event) { w.open(ctx, name) }),
						app.Button().Class("btn tiny").DataSet("file-action", "rename").Aria("label", "Rename "+name).Text("✎").
							OnClick(func(ctx app.Context, e app.Event) { w.rename(ctx, name) }),
						app.Button().Class("btn tiny").DataSet("file-action", "download").Aria("label", "Download "+name).Text("⤓").
							OnClick(func(ctx app.Context, e app.Event) { w.download(name) }),
						app.Button().Class("btn tiny").DataSet("file-action", "delete").Aria("label", "Delete "+name).Text("✕").
							OnClick(func(ctx app.Context, e app.Event) { w.delete(ctx, name) }),
					)
				}),
			)
		}),
	)
}

func (w *workspaceView) files() *session.Workspace {
	if w.Session == nil {
		return nil
	}
	return w.Session.Files()
}

func (w *workspaceView) open(ctx app.Context, name string) {
	files := w.files()
	if files == nil {
		return
	}
	if file, dirty := w.Page.buffer(); dirty && file != name {
		w.Page.ask(question{Title: "Discard the unsaved text?", Text: "The editor holds text not saved to a file. Opening " + name + " replaces it.", OK: "Discard and open",
			then: func(ctx app.Context, _ string) { w.load(ctx, name) }})
		return
	}
	w.load(ctx, name)
}

func (w *workspaceView) load(ctx app.Context, name string) {
	files := w.files()
	text, err := files.Read(name)
	if err != nil {
		w.Page.note(err.Error())
		return
	}
	w.Page.loadEditor(ctx, name, text)
}

func (w *workspaceView) onNew(ctx app.Context, e app.Event) {
	files := w.files()
	if files == nil {
		return
	}
	w.Page.ask(question{Title: "New file", Text: "A file in the workspace: kubectl apply -f NAME reads it.", Field: "File name", Value: "manifest.yaml", OK: "Create",
		then: w.create})
}

func (w *workspaceView) create(ctx app.Context, name string) {
	files := w.files()
	if name = strings.TrimSpace(name); name == "" {
		return
	}
	if _, err := files.Read(name); err == nil {
		w.Page.note(name + " already exists.")
		return
	}
	if err := files.Write(name, ""); err != nil {
		w.Page.note(err.Error())
		return
	}
	w.Page.loadEditor(ctx, name, "")
	w.Page.poke()
}

func (w *workspaceView) rename(ctx app.Context, name string) {
	files := w.files()
	if files == nil {
		return
	}
	w.Page.ask(question{Title: "Rename " + name, Text: "The file's new name in the workspace.", Field: "New name", Value: name, OK: "Rename",
		then: func(ctx app.Context, to string) {
			if to = strings.TrimSpace(to); to == "" || to == name {
				return
			}
			if err := files.Rename(name, to); err != nil {
				w.Page.note(err.Error())
				return
			}
			w.Page.fileRenamed(name, to)
			w.Page.poke()
		}})
}

func (w *workspaceView) delete(ctx app.Context, name string) {
	files := w.files()
	if files == nil {
		return
	}
	w.Page.ask(question{Title: "Delete " + name + "?", Text: "The file leaves the workspace; what kubectl applied from it stays in the cluster.", OK: "Delete",
		then: func(ctx app.Context, _ string) {
			if err := files.Delete(name); err != nil {
				w.Page.note(err.Error())
				return
			}
			w.Page.fileDeleted(name)
			w.Page.poke()
		}})
}

// onUpload reads the chosen files with File.text() (a Promise: the callback only copies the
// string out) and adds them to the workspace.
func (w *workspaceView) onUpload(ctx app.Context, e app.Event) {
	files := w.files()
	if files == nil {
		return
	}
	list := ctx.JSSrc().Get("files")
	n := list.Get("length").Int()
	page := w.Page
	for i := 0; i < n; i++ {
		f := list.Call("item", i)
		name := f.Get("name").String()
		if f.Get("size").Int() > maxUploadBytes {
			page.note(name + " is larger than 1 MiB: not uploaded.")
			continue
		}
		readText(f, func(text string) {
			page.dispatch(func(ctx app.Context) {
				if err := files.Write(name, text); err != nil {
					page.note("Not uploaded: " + err.Error())
					return
				}
				page.note("Uploaded " + name + ".")
				page.loadEditor(ctx, name, text)
				page.poke()
			})
		})
	}
	ctx.JSSrc().Set("value", "")
}

// download saves a file to the user's disk.
func (w *workspaceView) download(name string) {
	files := w.files()
	if files == nil {
		return
	}
	if text, err := files.Read(name); err == nil {
		downloadText(baseName(name), text, "text/yaml;charset=utf-8")
	}
}

// readText reads a File of an <input type=file> with File.text() (a Promise: the callback
// only hands the string on).
func readText(f app.Value, then func(text string)) {
	var fn app.Func
	fn = app.FuncOf(func(this app.Value, args []app.Value) any {
		defer fn.Release()
		then(args[0].String())
		return nil
	})
	f.Call("text").Call("then", fn)
}

// downloadText saves text to the user's disk as a file called name (public/web/page.js).
func downloadText(name, text, mime string) {
	if f := app.Window().Get("kubetabDownload"); f.Truthy() {
		f.Invoke(name, text, mime)
	}
}

func baseName(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[i+1:]
		}
	}
	return p
}
