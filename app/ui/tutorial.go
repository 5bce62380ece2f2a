package ui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/kubetab/kubetab/app/browser"
	"github.com/kubetab/kubetab/app/lessons"
	"github.com/kubetab/kubetab/app/session"
	"github.com/kubetab/kubetab/engine/terminal"
	"github.com/kubetab/kubetab/engine/tutorial"
)

// The tutorial: /tutorial lists the lessons, /tutorial/NAME shows one beside the live
// cluster (the playground's time controls, terminal, cluster view and editor). Each
// runnable block has a Run button that types it into the terminal; checks tick when the
// cluster gets there; progress is kept with the cluster; "Reset lesson" starts it over.

// checkEvalEvery bounds how often checks are evaluated while the cluster changes.
const checkEvalEvery = 250 * time.Millisecond

// fetchTutorialFile fetches /tutorials/NAME (through the service worker, so it works
// offline once cached). It blocks: call it off the UI goroutine.
func fetchTutorialFile(origin, name string) ([]byte, error) {
	prefix := strings.TrimSuffix(app.Getenv("GOAPP_ROOT_PREFIX"), "/")
	res, err := browser.Fetch(browser.Request{URL: origin + prefix + lessons.Path + name, Limit: 4 << 20})
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", name, res.Status())
	}
	return res.Body, nil
}

// pageOrigin is the page's scheme://host (UI goroutine).
func pageOrigin() string {
	u := app.Window().URL()
	return u.Scheme + "://" + u.Host
}

// tutorialIndex is /tutorial: the list of lessons.
type tutorialIndex struct {
	app.Compo
	sh      *session.Shell // nil while pre-rendering on the server
	lessons []lessons.Info
	err     string
	loaded  bool
}

func (p *tutorialIndex) OnMount(ctx app.Context) {
	if p.sh == nil {
		return
	}
	origin := pageOrigin()
	ctx.Async(func() {
		var list []lessons.Info
		b, err := fetchTutorialFile(origin, lessons.IndexFile)
		if err == nil {
			err = json.Unmarshal(b, &list)
		}
		ctx.Dispatch(func(app.Context) {
			p.loaded, p.lessons = true, list
			if err != nil {
				p.err = "The list of lessons could not be loaded: " + err.Error()
			}
		})
	})
}

func (p *tutorialIndex) Render() app.UI {
	var body app.UI
	switch {
	case p.err != "":
		body = app.P().Class("notice").Text(p.err)
	case !p.loaded:
		body = app.P().Class("muted").Text("Loading the lessons…")
	default:
		tracks := lessons.Tracks(p.lessons)
		body = app.Div().ID("lessons").Body(
			app.Range(tracks).Slice(func(i int) app.UI {
				tr := tracks[i]
				title := tr.Title
				if title == "" {
					title = "More lessons"
				}
				return app.Section().Class("track").Attr("data-track", tr.Title).Body(
					app.H2().Text(title),
					app.Ol().Class("lessons").Body(
						app.Range(tr.Lessons).Slice(func(j int) app.UI {
							l := tr.Lessons[j]
							return app.Li().Body(app.A().Href("/tutorial/"+l.Name).Attr("data-lesson", l.Name).Text(l.Title))
						}),
					),
				)
			}),
		)
	}
	return app.Div().Class("tutorial-index").Body(
		app.Header().Class("topbar").Body(
			brand(),
			app.A().Class("btn small").Href("/").Text("Playground"),
		),
		app.Main().Class("tutorial-list").Body(
			app.H1().Text("Lessons"),
			app.P().Text("Lessons with a Kubernetes cluster in this tab. Each step has a Run button; the checks tick when the cluster gets there. Everything works offline once the page has loaded."),
			body,
		),
	)
}

// Block and check states, as data-state shows them.
const (
	stateIdle    = "idle"
	stateRunning = "running"
	stateDone    = "done"
	stateFailed  = "failed"
	statePending = "pending"
	statePass    = "pass"
	stateFail    = "fail"
)

// checkResult is what the last evaluation of a check found.
type checkResult struct {
	ok     bool
	detail string
}

// tutorialPage is /tutorial/NAME.
type tutorialPage struct {
	app.Compo

	pg   playground // the live cluster's views, driven as on the playground
	ctx  app.Context
	name string

	lesson   *tutorial.Lesson
	loadErr  string
	loading  bool
	running  string // the block being run
	blockErr map[string]string
	results  map[string]checkResult

	// mu guards what the evaluator and the editor read off the UI goroutine.
	mu    sync.Mutex
	prog  session.LessonProgress
	gen   int // counts changes to lesson and prog; results from an older gen are dropped
	edits []*tutorial.Edit

	pokes chan struct{}
	saves chan struct{}
}

func (t *tutorialPage) OnInit() {
	t.pg.OnInit()
	t.blockErr = map[string]string{}
	t.results = map[string]checkResult{}
}

func (t *tutorialPage) OnMount(ctx app.Context) {
	t.ctx = ctx
	t.pg.OnMount(ctx)
	sh := t.pg.sh
	if sh == nil {
		return // pre-rendering on the server
	}
	sh.SetEditor(t.editHook)
	t.pokes = make(chan struct{}, 1)
	t.saves = make(chan struct{}, 1)
	sh.Subscribe(t.poke)
	ctx.Async(func() { t.evaluator(ctx) })
	ctx.Async(func() { t.saver(ctx) })
	t.load(ctx)
}

func (t *tutorialPage) OnNav(ctx app.Context) {
	if t.pg.sh != nil {
		t.load(ctx)
	}
}

func (t *tutorialPage) poke() {
	select {
	case t.pokes <- struct{}{}:
	default:
	}
}

// currentLessonName is the lesson the URL names.
func currentLessonName(ctx app.Context) string {
	p := ctx.Page().URL().Path
	return p[strings.LastIndexByte(p, '/')+1:]
}

// load fetches and parses the lesson the URL names, and readies the cluster for it: the
// cluster the tab holds when it was left in this lesson, else the lesson's starting one.
func (t *tutorialPage) load(ctx app.Context) {
	name := currentLessonName(ctx)
	if name == t.name && (t.lesson != nil || t.loading) {
		return
	}
	t.name, t.lesson, t.loadErr, t.loading = name, nil, "", true
	t.results, t.blockErr = map[string]checkResult{}, map[string]string{}
	sh, origin := t.pg.sh, pageOrigin()
	ctx.Async(func() {
		var l *tutorial.Lesson
		src, err := fetchTutorialFile(origin, name+".md")
		if err == nil {
			l, err = tutorial.Parse(name+".md", src)
		}
		if err != nil {
			ctx.Dispatch(func(app.Context) {
				if t.name == name {
					t.loading, t.loadErr = false, "This lesson could not be loaded: "+err.Error()
				}
			})
			return
		}
		prog := sh.LoadProgress()
		if prog.Lesson != name {
			prog = t.startOver(l, name)
		} else {
			t.writeFiles(l)
		}
		ctx.Dispatch(func(app.Context) {
			if t.name != name {
				return
			}
			t.mu.Lock()
			t.lesson, t.prog, t.loading = l, prog, false
			t.gen++
			t.mu.Unlock()
			t.save()
			t.poke()
		})
	})
}

// startOver puts the cluster where the lesson starts (typed into the terminal, so the
// journal starts over too) and writes its files; it returns empty progress. Off the UI
// goroutine.
func (t *tutorialPage) startOver(l *tutorial.Lesson, name string) session.LessonProgress {
	sh := t.pg.sh
	sh.Comment("lesson: " + l.Title)
	sh.Exec(l.ResetLine())
	t.writeFiles(l)
	return session.NewLessonProgress(name)
}

func (t *tutorialPage) writeFiles(l *tutorial.Lesson) {
	files := t.pg.sh.Files()
	for _, f := range l.Files {
		if old, err := files.Read(f.Name); err == nil && old == f.Content {
			continue
		}
		if err := files.Write(f.Name, f.Content); err != nil {
			t.pg.sh.Comment("could not write " + f.Name + ": " + err.Error())
		}
	}
}

// resetLesson starts the lesson over: its starting cluster and files, no progress.
func (t *tutorialPage) resetLesson(ctx app.Context, e app.Event) {
	l, name := t.lesson, t.name
	if l == nil || t.running != "" {
		return
	}
	t.mu.Lock()
	t.gen++
	t.mu.Unlock()
	t.running = "reset"
	ctx.Async(func() {
		prog := t.startOver(l, name)
		ctx.Dispatch(func(app.Context) {
			t.running = ""
			if t.name != name {
				return
			}
			t.mu.Lock()
			t.prog = prog
			t.gen++
			t.mu.Unlock()
			t.results, t.blockErr = map[string]checkResult{}, map[string]string{}
			t.save()
			t.poke()
		})
	})
}

// run types a block into the terminal, command by command; the shell keeps the variables
// they set for the blocks after.
func (t *tutorialPage) run(ctx app.Context, b *tutorial.Block) {
	l, name := t.lesson, t.name
	if l == nil || t.running != "" || t.pg.sh == nil {
		return
	}
	t.running = b.ID
	delete(t.blockErr, b.ID)
	t.mu.Lock()
	gen := t.gen
	t.edits = append([]*tutorial.Edit{}, b.Edits...)
	t.mu.Unlock()
	sh := t.pg.sh
	ctx.Async(func() {
		code, err := runBlock(sh, b)
		ctx.Dispatch(func(app.Context) {
			t.running = ""
			t.mu.Lock()
			t.edits = nil
			stale := gen != t.gen || t.name != name
			if !stale {
				if code != b.Exit && err == nil {
					err = fmt.Errorf("the block ended with exit status %d, want %d (see the terminal)", code, b.Exit)
				}
				status := 0
				if err != nil {
					status = 1
				}
				t.prog.Ran[b.ID] = status
				t.gen++
			}
			t.mu.Unlock()
			if stale {
				return
			}
			if err != nil {
				t.blockErr[b.ID] = err.Error()
			}
			t.save()
			t.poke()
		})
	})
}

// runBlock types a block into the terminal, one top-level command after the other (the
// shell keeps the variables they set for the blocks after); it returns the exit status as
// the block counts it (that of the last failing command).
func runBlock(sh *session.Shell, b *tutorial.Block) (int, error) {
	cmds, err := terminal.Parse(b.Script)
	if err != nil {
		return 0, err
	}
	result := 0
	for _, c := range cmds {
		if _, code := sh.Exec(c.Text); code != 0 {
			result = code
		}
	}
	return result, nil
}

// editHook is the shell's editor on this page: while a block runs, `kubectl edit` opens
// the editor with the lesson's change already made (its edit fixture), for the learner to
// look at and save, or change, or cancel. Other edits open as on the playground.
func (t *tutorialPage) editHook(name, text string) (string, error) {
	t.mu.Lock()
	var fix *tutorial.Edit
	if len(t.edits) > 0 {
		fix, t.edits = t.edits[0], t.edits[1:]
	}
	t.mu.Unlock()
	if fix == nil {
		return t.pg.editHook(name, text)
	}
	edited, err := fix.Apply(text)
	if err != nil {
		edited = text
	}
	return t.pg.openEdit(name, text, edited, "kubectl edit: the lesson's change is made here. Save to apply it, or change it first, or Cancel."), nil
}

// evaluator evaluates the checks whose blocks have run and that have not passed yet,
// when the cluster changed (its resourceVersion moved) or the progress did, at most once
// per checkEvalEvery, on the session goroutine after the commands before it.
func (t *tutorialPage) evaluator(ctx app.Context) {
	sh := t.pg.sh
	<-sh.Ready()
	var lastRV uint64
	lastGen := -1
	for {
		select {
		case <-t.pokes:
		case <-ctx.Done():
			return
		}
		time.Sleep(checkEvalEvery)
		t.mu.Lock()
		l, gen := t.lesson, t.gen
		var todo []*tutorial.Check
		if l != nil {
			todo = dueChecks(l, t.prog)
		}
		t.mu.Unlock()
		if len(todo) == 0 {
			lastGen = gen
			continue
		}
		results := map[string]checkResult{}
		sh.Inspect(func(s *terminal.Session) bool {
			rv := s.Cluster().Store.ResourceVersion()
			if rv == lastRV && gen == lastGen {
				return false
			}
			journaled := false
			for _, c := range todo {
				ok, detail := c.Evaluate(s)
				results[c.ID] = checkResult{ok, detail}
				journaled = journaled || readsLogs(c.Command)
			}
			// A check's own command (kubectl logs) must not count as a change to look at.
			lastRV, lastGen = s.Cluster().Store.ResourceVersion(), gen
			return journaled
		})
		if len(results) == 0 {
			continue
		}
		ctx.Dispatch(func(app.Context) {
			t.mu.Lock()
			if t.gen != gen {
				t.mu.Unlock()
				return
			}
			passed := false
			for id, r := range results {
				t.results[id] = r
				if r.ok && !t.prog.Passed[id] {
					t.prog.Passed[id] = true
					passed = true
				}
			}
			t.mu.Unlock()
			if passed {
				t.save()
			}
		})
	}
}

// dueChecks are the checks to evaluate: not passed yet, with every block before them run.
func dueChecks(l *tutorial.Lesson, prog session.LessonProgress) []*tutorial.Check {
	var due []*tutorial.Check
	for _, st := range l.Steps() {
		if st.Block != nil {
			if _, ran := prog.Ran[st.ID]; !ran {
				break
			}
			continue
		}
		if !prog.Passed[st.ID] {
			due = append(due, st.Check)
		}
	}
	return due
}

// save asks the saver to write the progress.
func (t *tutorialPage) save() {
	select {
	case t.saves <- struct{}{}:
	default:
	}
}

// saver writes tutorial.json after changes, one write at a time, off the UI goroutine.
func (t *tutorialPage) saver(ctx app.Context) {
	sh := t.pg.sh
	for {
		select {
		case <-t.saves:
		case <-ctx.Done():
			return
		}
		t.mu.Lock()
		prog := t.prog.Clone()
		t.mu.Unlock()
		if prog.Lesson == "" {
			continue
		}
		if err := sh.SaveProgress(prog); err != nil {
			sh.SetNotice("tutorial", "The lesson's progress could not be saved: "+err.Error())
		} else {
			sh.SetNotice("tutorial", "")
		}
	}
}

func (t *tutorialPage) Render() app.UI {
	p := &t.pg
	return app.Div().Class("kubetab", "tutorial", classIf(!p.selected.Empty(), "panel-open")).OnKeyDown(p.onKeyDown).Body(
		app.Header().Class("topbar").Body(
			brand(),
			app.A().ID("tutorial-home").Class("btn small").Href("/tutorial").Text("Lessons"),
			app.A().Class("btn small").Href("/").Text("Playground"),
			p.timeControls(),
			app.Button().ID("reset-lesson").Class("btn small").Disabled(t.lesson == nil || t.running != "").
				Aria("label", "Reset the lesson: its starting cluster and files, no progress").Text("Reset lesson").OnClick(t.resetLesson),
		),
		p.noticeView(),
		app.Main().Class("tutorial-grid").Body(
			app.Article().ID("lesson").Class("area lesson").Attr("data-lesson", t.name).Attr("data-ready", t.lesson != nil && p.ready).Body(t.renderLesson()...),
			app.Div().Class("tutorial-live").Body(
				app.If(p.editing != nil, func() app.UI {
					return area("editor", p.editorView())
				}),
				area("cluster", p.clusterView()),
				area("terminal", p.terminalView()),
			),
		),
		p.panelView(),
	)
}

func (t *tutorialPage) renderLesson() []app.UI {
	switch {
	case t.loadErr != "":
		return []app.UI{app.P().Class("notice").Text(t.loadErr)}
	case t.lesson == nil:
		return []app.UI{app.P().Class("muted").Text("Loading the lesson…")}
	}
	t.mu.Lock()
	prog := t.prog.Clone()
	t.mu.Unlock()
	passed, total := 0, 0
	for _, c := range t.lesson.Checks() {
		total++
		if prog.Passed[c.ID] {
			passed++
		}
	}
	due := map[string]bool{}
	for _, c := range dueChecks(t.lesson, prog) {
		due[c.ID] = true
	}
	out := []app.UI{
		app.P().ID("lesson-progress").Class("lesson-progress").Role("status").Text(fmt.Sprintf("%d of %d checks passed", passed, total)),
	}
	for _, part := range t.lesson.Parts {
		switch {
		case part.Prose != "":
			out = append(out, renderMarkdown(part.Prose)...)
		case part.File != nil:
			out = append(out, app.Figure().Class("lesson-file").Attr("data-file", part.File.Name).Body(
				app.FigCaption().Text(part.File.Name+" (in the workspace)"),
				app.Pre().Class("lesson-code").Body(app.Code().Text(part.File.Content)),
			))
		case part.Edit != nil:
			out = append(out, app.Figure().Class("lesson-edit").Body(
				app.FigCaption().Text("The change to make in the editor (Run opens it with this change made):"),
				app.Pre().Class("lesson-code").Body(app.Code().Text(part.Edit.Patch)),
			))
		case part.Step != nil && part.Step.Block != nil:
			out = append(out, t.renderBlock(part.Step.Block, prog))
		case part.Step != nil && part.Step.Check != nil:
			out = append(out, t.renderCheck(part.Step.Check, prog, due[part.Step.ID]))
		}
	}
	return out
}

func (t *tutorialPage) renderBlock(b *tutorial.Block, prog session.LessonProgress) app.UI {
	state := stateIdle
	if code, ran := prog.Ran[b.ID]; ran {
		state = stateDone
		if code != 0 {
			state = stateFailed
		}
	}
	if t.running == b.ID {
		state = stateRunning
	}
	label := "Run"
	if state == stateRunning {
		label = "Running…"
	}
	errText := t.blockErr[b.ID]
	return app.Div().Class("lesson-block").Attr("data-block", b.ID).Attr("data-state", state).Body(
		app.Pre().Class("lesson-code").Body(app.Code().Text(strings.TrimRight(b.Script, "\n"))),
		app.Div().Class("block-bar").Body(
			app.Button().Class("btn small primary").Attr("data-run", b.ID).
				Disabled(t.running != "" || !t.pg.ready).
				Aria("label", "Run these lines in the terminal").Text(label).
				OnClick(func(ctx app.Context, e app.Event) { t.run(ctx, b) }),
			app.If(state == stateDone, func() app.UI { return app.Span().Class("block-note").Text("ran") }),
			app.If(errText != "", func() app.UI { return app.Span().Class("block-note error").Text(errText) }),
		),
	)
}

func (t *tutorialPage) renderCheck(c *tutorial.Check, prog session.LessonProgress, due bool) app.UI {
	state, note := statePending, "after the steps above"
	r, evaluated := t.results[c.ID]
	switch {
	case prog.Passed[c.ID]:
		state, note = statePass, "done"
	case due && evaluated && c.Within > 0:
		note = "not yet: let time pass (up to " + terminal.FormatDuration(c.Within) + ")"
	case due && evaluated:
		state, note = stateFail, "not true: "+r.detail
	case due:
		note = "checking…"
	}
	mark := "○"
	switch state {
	case statePass:
		mark = "✓"
	case stateFail:
		mark = "✗"
	}
	return app.Div().Class("lesson-check").Attr("data-check", c.ID).Attr("data-state", state).Role("status").Body(
		app.Span().Class("check-mark").Aria("hidden", true).Text(mark),
		app.Div().Class("check-body").Body(
			app.Strong().Class("check-label").Text(c.Label),
			app.Code().Class("check-command").Text(c.Command),
			app.Span().Class("check-note").Text(note),
		),
	)
}

// readsLogs reports whether a check's command is kubectl logs: running it may make a
// container produce output, so the journal keeps it and a page runs it only when the
// cluster changed.
func readsLogs(command string) bool {
	args, err := terminal.SplitWords(command)
	if err != nil {
		return false
	}
	for i := 1; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-n" || a == "--namespace":
			i++
		case !strings.HasPrefix(a, "-"):
			return a == "logs"
		}
	}
	return false
}
