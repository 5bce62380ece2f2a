package ui

import (
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/kubetab/kubetab/app/browser"
	"github.com/kubetab/kubetab/app/complete"
	"github.com/kubetab/kubetab/app/highlight"
	"github.com/kubetab/kubetab/app/samples"
	"github.com/kubetab/kubetab/app/session"
	"github.com/kubetab/kubetab/app/snapshot"
	"github.com/kubetab/kubetab/engine/cluster"
	"github.com/kubetab/kubetab/engine/terminal"
)

// playground is the page: time controls, the editor with its workspace, the terminal, the
// cluster view with the event timeline, and the side panel.
//
// State flows one way. The shell notifies (at most once per animation frame); a refresher
// goroutine copies what changed out of the shell (a cluster snapshot only when the store's
// resourceVersion moved, panel text only when the selection or the store moved) and
// dispatches it to the UI goroutine. Child components get plain values and re-render only
// when those differ, so the running clock re-renders the clock and little else. Every shell
// call that may wait (commands, reads while a command runs) is made off the UI goroutine.
//
// The children talk back to the page through small interfaces it implements (clusterPage,
// editorPage, panelPage, terminalPage, workspacePage), and drive the session themselves
// where that is all they do (the time controls, the prompt, the files).
type playground struct {
	app.Compo

	ctx   app.Context    // the page's own context: results of async work land here
	sh    *session.Shell // set by Routes; nil while pre-rendering on the server
	ready bool

	// From the shell.
	clock      session.ClockState
	transcript string
	prompt     string
	tabs       session.TabsState // the terminal's tabs
	notice     string
	replay     session.ReplayProgress // a shared link's replay, while replaying
	replaying  bool
	files      []string
	snap       *snapshot.Snapshot

	// Editor.
	fileName   string // the workspace file being edited; "" for an unsaved buffer
	editorText string
	dirty      bool // the buffer differs from the file
	problems   []highlight.Problem
	decodeSeq  int
	editing    *editRequest // a `kubectl edit` waiting for Save or Cancel
	editorNote string       // the last editor action's outcome

	// Panel.
	selected snapshot.Ref
	panelTab string
	panel    snapshot.Panel
	logs     map[snapshot.Ref]string

	// view is the section shown on narrow screens (tabs); wide screens show all.
	view string
	// onTyped, when set, hears every line typed at the prompt (a lesson follows its steps).
	onTyped func(line string)
	// context is the session context the page shows (session.Context).
	context string

	refresh chan struct{}
	want    chan panelRequest
}

// editRequest is a `kubectl edit` in progress: the session goroutine waits on reply.
type editRequest struct {
	Name     string
	Original string
	reply    chan string
}

// panelRequest asks the refresher for the panel's text.
type panelRequest struct {
	sel snapshot.Ref
	tab string
}

const (
	viewEditor   = "editor"
	viewTerminal = "terminal"
	viewCluster  = "cluster"
	viewEvents   = "events"
)

func (p *playground) OnInit() {
	p.prompt = "$ "
	p.view = viewCluster
	p.panelTab = "describe"
	p.logs = map[snapshot.Ref]string{}
	p.editorText = ""
}

func (p *playground) OnMount(ctx app.Context) {
	p.ctx = ctx
	if p.sh == nil {
		return // pre-rendering on the server
	}
	sh := p.sh
	p.refresh = make(chan struct{}, 1)
	p.want = make(chan panelRequest, 1)
	sh.Subscribe(p.poke)
	sh.SetEditor(p.editHook)
	ctx.Async(func() {
		<-sh.Ready()
		p.refresher()
	})
	p.poke()
}

// OnNav moves the session to the context the URL names (the playground, or a shared
// link's cluster) and shows that context's unsaved editor text.
func (p *playground) OnNav(ctx app.Context) {
	if p.sh == nil {
		return
	}
	u := ctx.Page().URL()
	sh, want := p.sh, ContextOf(u)
	// A share link pasted into this open page is loaded anew by page.js, and the new
	// page's start opens and replays it (sharelink.Open): opening its context here would
	// save it empty first, and the new page would take it for a link opened before.
	pasted := strings.HasPrefix(u.Fragment, "share=")
	ctx.Async(func() {
		if sh.Context() != want && !pasted {
			sh.Open(want, terminal.Options{Start: cluster.DefaultStart})
		}
		d := sh.Draft()
		ctx.Dispatch(func(ctx app.Context) {
			p.context = want
			if d != nil && p.editing == nil && !p.dirty {
				p.loadEditor(ctx, d.File, d.Text)
				p.dirty = true
				p.keepDraft()
			}
		})
	})
}

// poke asks the refresher for a new look at the shell; it never blocks.
func (p *playground) poke() {
	select {
	case p.refresh <- struct{}{}:
	default:
	}
}

// eventsEvery is how often the refresher looks at the events for the timeline while the
// cluster keeps changing (snapshot.Take).
const eventsEvery = 250 * time.Millisecond

// refresher copies state out of the shell whenever it changed, and panel text on demand.
func (p *playground) refresher() {
	sh := p.sh
	var (
		snap      *snapshot.Snapshot
		cache     snapshot.PanelCache
		req       panelRequest
		lastText  string
		eventsAt  time.Time
		eventsDue <-chan time.Time // a look at the events put off, due then
	)
	for {
		select {
		case <-p.refresh:
		case req = <-p.want:
		case <-eventsDue:
		}
		events := time.Since(eventsAt) >= eventsEvery
		switch {
		case events:
			eventsAt, eventsDue = time.Now(), nil
		case eventsDue == nil:
			eventsDue = time.After(eventsEvery - time.Since(eventsAt))
		}
		clock := sh.Clock()
		transcript, prompt, notice, tabs := sh.Transcript(), sh.Prompt(), sh.Notice(), sh.Tabs()
		replay, replaying := sh.Replaying()
		shown := sh.Context()
		files := sh.Files().List()
		var panel snapshot.Panel
		sh.View(func(c *session.Cluster) {
			snap = snapshot.Take(c, snap, events)
			if !req.sel.Empty() {
				panel = cache.Content(c, req.sel, req.tab)
			}
		})
		changed := transcript != lastText
		lastText = transcript
		p.ctx.Dispatch(func(ctx app.Context) {
			if !p.ready {
				// The page shows the live cluster: the end of a load (e2e/measure_test.go).
				browser.Mark("kubetab:shown")
			}
			p.ready = true
			p.clock, p.prompt, p.notice, p.files, p.snap, p.tabs = clock, prompt, notice, files, snap, tabs
			p.setReplay(ctx, replay, replaying)
			// A shared link whose replay did not finish leaves for the playground by itself.
			if p.context != shown && !replaying && shown == session.Playground {
				p.context = shown
			}
			if changed {
				p.transcript = transcript
			}
			if panel.Ref == p.selected && panel.Tab == p.panelTab {
				p.panel = panel
			}
		})
	}
}

// requestPanel asks for the selected object's text (UI goroutine).
func (p *playground) requestPanel() {
	if p.want == nil {
		return
	}
	r := panelRequest{sel: p.selected, tab: p.panelTab}
	select {
	case p.want <- r:
	default:
		// A request is waiting; replace it with this newer one.
		select {
		case <-p.want:
		default:
		}
		select {
		case p.want <- r:
		default:
		}
	}
}

// selectObject opens the side panel on an object (UI goroutine).
func (p *playground) selectObject(ctx app.Context, s snapshot.Ref) {
	if p.selected == s {
		return
	}
	p.selected = s
	if p.panelTab == "logs" && s.Kind != "Pod" {
		p.panelTab = "describe"
	}
	p.panel = snapshot.Panel{}
	p.requestPanel()
	p.ctx.Update()
	ctx.Defer(func(app.Context) { focusByID("panel-close") })
}

func (p *playground) closePanel(ctx app.Context) {
	sel := p.selected
	p.selected = snapshot.Ref{}
	p.panel = snapshot.Panel{}
	p.ctx.Update()
	ctx.Defer(func(app.Context) { focusSelected(sel) })
}

func (p *playground) setPanelTab(ctx app.Context, tab string) {
	p.panelTab = tab
	p.panel = snapshot.Panel{}
	p.requestPanel()
	p.ctx.Update()
}

// exec runs a line as if typed into the terminal (off the UI goroutine).
func (p *playground) exec(ctx app.Context, line string) {
	if p.sh == nil {
		return
	}
	sh := p.sh
	ctx.Async(func() { sh.Exec(line) })
}

// fetchLogs runs `kubectl logs` for the selected pod through the terminal (so the journal
// keeps it, as kubectl logs may make a container produce its output) and shows the result.
func (p *playground) fetchLogs(ctx app.Context) {
	s := p.selected
	if p.sh == nil || s.Kind != "Pod" {
		return
	}
	sh := p.sh
	line := terminal.Quote([]string{"kubectl", "logs", s.Name, "-n", s.Namespace})
	ctx.Async(func() {
		out, _ := sh.Exec(line)
		p.ctx.Dispatch(func(app.Context) { p.logs[s] = out })
	})
}

// apply sends the editor's text to `kubectl apply -f -` as a here-document, so the command
// and its output appear in the terminal and the journal keeps the manifest.
func (p *playground) apply(ctx app.Context) {
	if strings.TrimSpace(p.editorText) == "" {
		p.editorNote = "The editor is empty: pick a sample or a file first."
		return
	}
	p.exec(ctx, session.ApplyLine(p.editorText))
}

// setEditorText takes what the user typed; problems are recomputed after a pause.
func (p *playground) setEditorText(ctx app.Context, text string) {
	p.editorText = text
	p.dirty = true
	p.editorNote = ""
	p.decodeSeq++
	seq := p.decodeSeq
	p.ctx.After(250*time.Millisecond, func(app.Context) {
		if seq == p.decodeSeq {
			p.problems = highlight.Problems(p.editorText)
			p.keepDraft()
		}
	})
}

// keepDraft keeps the editor's unsaved text with the session's context, so that a reload
// does not lose it (UI goroutine; the session only notes it).
func (p *playground) keepDraft() {
	if p.sh == nil || p.editing != nil {
		return
	}
	var d *session.Draft
	if p.dirty {
		d = &session.Draft{File: p.fileName, Text: p.editorText}
	}
	p.sh.SetDraft(d)
}

// loadEditor replaces the editor's buffer (a sample, a file, an object to edit).
func (p *playground) loadEditor(ctx app.Context, name, text string) {
	p.fileName, p.editorText, p.dirty = name, text, false
	p.keepDraft()
	p.problems = highlight.Problems(text)
	p.decodeSeq++
	if p.view != viewEditor && isNarrow() {
		p.view = viewEditor
	}
	p.ctx.Update()
	ctx.Defer(func(app.Context) { setTextareaValue(text) })
}

// saveFile writes the buffer to its workspace file, asking for a name when it has none.
func (p *playground) saveFile(ctx app.Context) {
	if p.sh == nil {
		return
	}
	if p.fileName != "" {
		p.saveAs(ctx, p.fileName)
		return
	}
	p.ask(question{Title: "Save as", Text: "A name for the file in the workspace (kubectl apply -f NAME reads it).",
		Field: "File name", Value: "manifest.yaml", OK: "Save", then: p.saveAs})
}

func (p *playground) saveAs(ctx app.Context, name string) {
	if name = strings.TrimSpace(name); name == "" {
		return
	}
	if err := p.sh.Files().Write(name, p.editorText); err != nil {
		p.editorNote = "Not saved: " + err.Error()
		return
	}
	p.fileName, p.dirty = name, false
	p.keepDraft()
	p.editorNote = "Saved " + name + "."
	p.poke()
}

// loadSample opens an embedded manifest as a workspace file (without overwriting a file of
// the same name that differs: it gets a numbered name).
func (p *playground) loadSample(ctx app.Context, path string) {
	text := samples.Read(path)
	if text == "" {
		return
	}
	name := path[strings.LastIndexByte(path, '/')+1:]
	if p.sh != nil {
		files := p.sh.Files()
		base := strings.TrimSuffix(name, ".yaml")
		for n := 2; ; n++ {
			old, err := files.Read(name)
			if err != nil || old == text {
				break
			}
			name = base + "-" + itoa(n) + ".yaml"
		}
		if err := files.Write(name, text); err != nil {
			p.editorNote = "Could not add the sample to the workspace: " + err.Error()
			name = ""
		}
	}
	p.loadEditor(ctx, name, text)
	p.editorNote = "Loaded " + path[strings.IndexByte(path, '/')+1:] + ". Apply it, or edit first."
	p.poke()
}

// editHook is the shell's editor: `kubectl edit` calls it on the session goroutine and
// waits for Save or Cancel.
func (p *playground) editHook(name, text string) (string, error) {
	return p.openEdit(name, text, text, "kubectl edit: change the object, then Save to apply or Cancel."), nil
}

// openEdit puts an object that `kubectl edit` opened into the editor, as shown (the
// object's YAML, or a lesson's change of it), with a note, and waits on the session
// goroutine for Save (the editor's text) or Cancel (the original).
func (p *playground) openEdit(name, original, shown, note string) string {
	req := &editRequest{Name: name, Original: original, reply: make(chan string, 1)}
	p.ctx.Dispatch(func(ctx app.Context) {
		if p.editing != nil {
			p.editing.reply <- p.editing.Original // a stale request: cancel it
		}
		p.editing = req
		p.loadEditor(ctx, "", shown)
		p.editorNote = note
	})
	return <-req.reply
}

// finishEdit answers the waiting `kubectl edit`.
func (p *playground) finishEdit(ctx app.Context, save bool) {
	req := p.editing
	if req == nil {
		return
	}
	p.editing = nil
	if save {
		req.reply <- p.editorText
		p.editorNote = "Saved: kubectl applies the edit (see the terminal)."
	} else {
		req.reply <- req.Original
		p.editorNote = "Edit cancelled."
	}
}

// buffer is the editor's file and whether its text differs from it (workspacePage).
func (p *playground) buffer() (file string, dirty bool) { return p.fileName, p.dirty }

// fileRenamed keeps the editor on a file that was renamed (workspacePage).
func (p *playground) fileRenamed(from, to string) {
	if p.fileName == from {
		p.fileName = to
	}
}

// fileDeleted leaves the editor's text as an unsaved buffer when its file was deleted
// (workspacePage).
func (p *playground) fileDeleted(name string) {
	if p.fileName == name {
		p.fileName = ""
		p.dirty = true
	}
}

// note shows the outcome of an editor or file action (workspacePage).
func (p *playground) note(text string) { p.editorNote = text }

// dispatch runs fn on the UI goroutine and renders the page (workspacePage).
func (p *playground) dispatch(fn func(ctx app.Context)) { p.ctx.Dispatch(fn) }

// typed hears a line typed at the prompt (terminalPage).
func (p *playground) typed(line string) {
	if p.onTyped != nil {
		p.onTyped(line)
	}
}

// completionNames are the names Tab completes now (terminalPage).
func (p *playground) completionNames() complete.Names { return snapshotNames(p.snap, p.files) }

var (
	_ clusterPage   = (*playground)(nil)
	_ editorPage    = (*playground)(nil)
	_ panelPage     = (*playground)(nil)
	_ terminalPage  = (*playground)(nil)
	_ workspacePage = (*playground)(nil)
)

func (p *playground) setView(ctx app.Context, v string) {
	p.view = v
	p.ctx.Update()
	if v == viewTerminal {
		// Shown again, the terminal opens at its newest line.
		ctx.Defer(func(app.Context) { scrollOutputToEnd() })
	}
}

func (p *playground) onKeyDown(ctx app.Context, e app.Event) {
	switch {
	case e.Get("key").String() != "Escape":
	case p.replaying:
		p.sh.CancelReplay()
	case !p.selected.Empty():
		p.closePanel(ctx)
	}
}

func (p *playground) Render() app.UI {
	return app.Div().Class("kubetab", "show-"+p.view, classIf(!p.selected.Empty(), "panel-open")).OnKeyDown(p.onKeyDown).Body(
		skipLinks(skipToTerminal+skipToEditor),
		app.Header().Class("topbar").Body(
			brand(),
			app.A().ID("tutorial-link").Class("btn small").Href("/tutorial").Text("Tutorial"),
			p.timeControls(),
			app.Div().Class("topbar-actions").Body(
				app.Button().ID("reset-button").Class("btn small").Title("Start over with a fresh cluster (the files stay)").Text("Reset").OnClick(p.onReset),
				&shareButton{Ready: p.ready, Session: p.sh},
				app.Button().ID("export-button").Class("btn small").Title("Save the cluster, files and history as a bundle file").Disabled(!p.ready).Text("Export").OnClick(p.onExport),
				app.Button().ID("import-button").Class("btn small").DataSet("opens", "import-file").Title("Replace the cluster, files and history with a bundle file's").Text("Import"),
				app.Input().ID("import-file").Class("sr-only").Type("file").Accept(".json,application/json").TabIndex(-1).Aria("hidden", true).OnChange(p.onImport),
				themeToggle(),
			),
		),
		p.noticeView(),
		p.replayView(),
		p.contextBar(),
		p.viewTabs(viewTab{viewEditor, "Editor"}, viewTab{viewTerminal, "Terminal"}, viewTab{viewCluster, "Cluster"}, viewTab{viewEvents, "Events"}),
		app.Main().ID("main").Class("grid").Body(
			area("editor", p.workspaceView(), p.editorView()),
			area("terminal", p.terminalView()),
			area("cluster", p.clusterView()),
			area("events", &timelineView{Events: eventsOf(p.snap), Now: p.clock.Now.Truncate(time.Second)}),
		),
		p.panelView(),
	)
}

// contextBar says so when the page shows a shared link's cluster rather than the
// playground's, and leads back.
func (p *playground) contextBar() app.UI {
	if !strings.HasPrefix(p.context, "shared/") {
		return nil
	}
	return app.Raw(`<p id="context-bar" class="context-bar">This is a shared cluster, a copy of its own: your playground is kept as you left it. <a id="to-playground" href="/">Back to my playground</a></p>`)
}

// The views, as every page that drives a playground (this one, a lesson's, the embed
// widget's) renders them.

// area is one of the page's sections (#area-NAME): the narrow layout shows one at a time.
func area(name string, body ...app.UI) app.UI {
	return app.Div().ID("area-" + name).Class("area area-" + name).Body(body...)
}

// brand is the topbar's name.
func brand() app.UI { return app.H1().Class("brand").Text("kubetab") }

func (p *playground) noticeView() app.UI {
	return app.P().ID("notice").Class("notice", classIf(p.notice == "", "empty")).Role("status").Aria("live", "polite").Text(p.notice)
}

func (p *playground) timeControls() app.UI {
	return &timeControls{Clock: p.clock, Ready: p.ready, Session: p.sh}
}

func (p *playground) workspaceView() app.UI {
	return &workspaceView{Files: p.files, Current: p.fileName, Dirty: p.dirty, Session: p.sh, Page: p}
}

func (p *playground) editorView() app.UI {
	return &editorView{File: p.fileName, Text: p.editorText, Problems: p.problems, Editing: editName(p.editing), Note: p.editorNote, Ready: p.ready, Page: p}
}

func (p *playground) terminalView() *terminalView {
	return &terminalView{Transcript: p.transcript, Prompt: p.prompt, Ready: p.ready, Session: p.sh, Page: p, Tabs: p.tabs}
}

func (p *playground) clusterView() app.UI {
	return &clusterView{Snapshot: p.snap, Selected: p.selected, Page: p}
}

func (p *playground) panelView() app.UI {
	return &panelView{Selected: p.selected, Tab: p.panelTab, Content: p.panel, Logs: p.logs[p.selected], Page: p}
}

func (p *playground) onReset(ctx app.Context, e app.Event) {
	if p.sh == nil {
		return
	}
	p.ask(question{Title: "Reset the cluster?", Text: "A fresh default cluster replaces this one. The workspace files stay.", OK: "Reset",
		then: func(app.Context, string) { p.sh.Reset() }})
}

// onExport downloads the bundle of the cluster, files and history (Import reads it).
func (p *playground) onExport(ctx app.Context, e app.Event) {
	if p.sh == nil {
		return
	}
	sh := p.sh
	ctx.Async(func() {
		data, err := sh.Export()
		p.ctx.Dispatch(func(app.Context) {
			if err != nil {
				sh.SetNotice("bundle", "Export failed: "+err.Error())
				return
			}
			name := "kubetab-" + strings.ReplaceAll(strings.Trim("playground/"+p.context, "/"), "/", "-") + ".json"
			downloadText(name, string(data), "application/json")
		})
	})
}

// onImport reads the chosen bundle file and, once the learner agrees, replaces the
// cluster, files and history with its own.
func (p *playground) onImport(ctx app.Context, e app.Event) {
	list := ctx.JSSrc().Get("files")
	if p.sh == nil || list.Get("length").Int() == 0 {
		return
	}
	f := list.Call("item", 0)
	ctx.JSSrc().Set("value", "")
	name := f.Get("name").String()
	sh := p.sh
	readText(f, func(text string) {
		p.ctx.Dispatch(func(app.Context) {
			p.ask(question{Title: "Import " + name + "?", Text: "Its cluster, files and command history replace this page's. Export first to keep what is here.", OK: "Import",
				then: func(ctx app.Context, _ string) {
					ctx.Async(func() {
						msg := ""
						if err := sh.Import([]byte(text)); err != nil {
							msg = "The bundle could not be imported: " + err.Error()
						}
						sh.SetNotice("bundle", msg)
					})
				}})
		})
	})
}

func editName(r *editRequest) string {
	if r == nil {
		return ""
	}
	return r.Name
}

func eventsOf(s *snapshot.Snapshot) []snapshot.Event {
	if s == nil {
		return nil
	}
	return s.Events
}

func itoa(n int) string {
	const digits = "0123456789"
	if n < 10 {
		return digits[n : n+1]
	}
	return itoa(n/10) + digits[n%10:n%10+1]
}

// Browser helpers. On the server they are no-ops (handlers only run in the browser).

func focusByID(id string) {
	if el := app.Window().GetElementByID(id); el.Truthy() {
		el.Call("focus")
	}
}

func focusSelected(s snapshot.Ref) {
	doc := app.Window().Get("document")
	var sel string
	switch s.Kind {
	case "Pod":
		sel = `.pod[data-pod="` + cssEscape(s.Name) + `"]`
	case "Node":
		sel = `.node-card[data-node="` + cssEscape(s.Name) + `"] .node-head`
	default:
		sel = `.group[data-name="` + cssEscape(s.Name) + `"] button`
	}
	if el := doc.Call("querySelector", sel); el.Truthy() {
		el.Call("focus")
	}
}

// cssEscape makes a Kubernetes name safe inside a quoted attribute selector (names are
// DNS labels, but the value comes from user data all the same).
func cssEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s)
}

func setTextareaValue(text string) {
	if el := app.Window().GetElementByID("editor-input"); el.Truthy() {
		el.Set("value", text)
	}
}

func isNarrow() bool {
	w := app.Window().Get("innerWidth")
	return w.Truthy() && w.Int() < 900
}
