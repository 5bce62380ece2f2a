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

// The tutorial: /tutorial lists the lessons with how far the learner got in each;
// /tutorial/NAME shows one beside a live cluster of its own (session.LessonContext: the
// playground's cluster and files are never touched). Each runnable block has a Run button
// that types it into the terminal and then lets the virtual time pass that the checks
// after it need; typing a block's commands at the prompt counts as running it. Checks tick
// when the cluster gets there, wait (saying why) while time may still bring it, and fail
// with what they saw once it cannot. Progress is kept per lesson; "Reset lesson" starts
// the lesson over.

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

// fetchLessonList fetches the lessons' index. It blocks: call it off the UI goroutine.
func fetchLessonList(origin string) ([]lessons.Info, error) {
	var list []lessons.Info
	b, err := fetchTutorialFile(origin, lessons.IndexFile)
	if err == nil {
		err = json.Unmarshal(b, &list)
	}
	return list, err
}

// pageOrigin is the page's scheme://host (UI goroutine).
func pageOrigin() string {
	u := app.Window().URL()
	return u.Scheme + "://" + u.Host
}

// tutorialIndex is /tutorial: the list of lessons, each marked done or in progress.
type tutorialIndex struct {
	app.Compo
	sh       *session.Shell // nil while pre-rendering on the server
	lessons  []lessons.Info
	progress map[string]session.LessonProgress
	err      string
	loaded   bool
}

func (p *tutorialIndex) OnMount(ctx app.Context) {
	if p.sh == nil {
		return
	}
	origin, sh := pageOrigin(), p.sh
	ctx.Async(func() {
		list, err := fetchLessonList(origin)
		progress := sh.Progress()
		ctx.Dispatch(func(app.Context) {
			p.loaded, p.lessons, p.progress = true, list, progress
			if err != nil {
				p.err = "The list of lessons could not be loaded: " + err.Error()
			}
		})
	})
}

// lessonState words a lesson's progress for the index: "done", "in progress" or "".
func lessonState(prog session.LessonProgress) (state, text string) {
	switch {
	case prog.Done():
		return "done", "✓ done"
	case prog.Started():
		return "started", fmt.Sprintf("in progress: %d of %d checks", len(prog.Passed), prog.Checks)
	}
	return "new", ""
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
							state, text := lessonState(p.progress[l.Name])
							return app.Li().DataSet("state", state).Body(
								app.A().Href("/tutorial/"+l.Name).Attr("data-lesson", l.Name).Text(l.Title),
								app.If(text != "", func() app.UI { return app.Span().Class("lesson-state").Text(" " + text) }),
							)
						}),
					),
				)
			}),
		)
	}
	return app.Div().Class("tutorial-index").Body(
		skipLinks(skipToLessons),
		app.Header().Class("topbar").Body(
			brand(),
			app.A().Class("btn small").Href("/").Text("Playground"),
			themeToggle(),
		),
		app.Main().ID("main").Class("tutorial-list").TabIndex(-1).Body(
			app.H1().Text("Lessons"),
			app.P().Text("Lessons with a Kubernetes cluster of their own in this tab (your playground is left as it is). Each step has a Run button, or type it in the terminal; the checks tick when the cluster gets there. Everything works offline once the page has loaded."),
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

// checkResult is what the last evaluation of a check found, at what virtual time.
type checkResult struct {
	ok     bool
	detail string
	at     time.Time
}

// tutorialPage is /tutorial/NAME.
type tutorialPage struct {
	app.Compo

	pg   playground // the live cluster's views, driven as on the playground
	ctx  app.Context
	name string

	lesson   *tutorial.Lesson
	list     []lessons.Info // every lesson, for the next one's link
	loadErr  string
	loading  bool
	running  string // the block being run
	blockErr map[string]string
	results  map[string]checkResult

	// mu guards what the evaluator, the editor and the saver read off the UI goroutine.
	mu    sync.Mutex
	prog  session.LessonProgress
	gen   int // counts changes to lesson and prog; results from an older gen are dropped
	edits []*tutorial.Edit
	typed map[string]int // commands of each block typed at the prompt so far

	pokes chan struct{}
	saves chan struct{}
}

func (t *tutorialPage) OnInit() {
	t.pg.OnInit()
	t.pg.view = viewTerminal
	t.blockErr = map[string]string{}
	t.results = map[string]checkResult{}
	t.typed = map[string]int{}
}

func (t *tutorialPage) OnMount(ctx app.Context) {
	t.ctx = ctx
	t.pg.onTyped = t.lineTyped
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

// load fetches and parses the lesson the URL names and opens its context: the cluster and
// files as the learner left them, else the lesson's starting ones.
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
		list, _ := fetchLessonList(origin)
		prog := sh.LoadProgress(name)
		if sh.Open(session.LessonContext(name), terminal.Options{Seed: l.Seed, Start: l.ClusterStart()}) {
			sh.Comment("lesson: " + l.Title)
			prog = session.NewLessonProgress(name)
			t.writeFiles(l, true)
			setLessonClock(sh, l)
		} else {
			t.writeFiles(l, false)
		}
		prog.Checks = len(l.Checks())
		ctx.Dispatch(func(app.Context) {
			if t.name != name {
				return
			}
			t.mu.Lock()
			t.lesson, t.prog, t.list, t.loading = l, prog, list, false
			t.typed = map[string]int{}
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
	t.writeFiles(l, true)
	setLessonClock(sh, l)
	p := session.NewLessonProgress(name)
	p.Checks = len(l.Checks())
	return p
}

// setLessonClock sets the clock as the lesson starts it: its speed, or paused.
func setLessonClock(sh *session.Shell, l *tutorial.Lesson) {
	if l.Speed > 0 {
		sh.SetSpeed(l.Speed)
	}
	sh.SetPlaying(l.Speed > 0)
}

// writeFiles puts the lesson's files in its workspace: all of them (a fresh start), or
// only those missing (the learner's changes to the others stay).
func (t *tutorialPage) writeFiles(l *tutorial.Lesson, all bool) {
	files := t.pg.sh.Files()
	for _, f := range l.Files {
		if old, err := files.Read(f.Name); err == nil && (old == f.Content || !all) {
			continue
		}
		if err := files.Write(f.Name, f.Content); err != nil {
			t.pg.sh.Comment("could not write " + f.Name + ": " + err.Error())
		}
	}
}

// resetLesson asks, then starts the lesson over: its starting cluster and files, no
// progress.
func (t *tutorialPage) resetLesson(ctx app.Context, e app.Event) {
	if t.lesson == nil || t.running != "" {
		return
	}
	t.pg.ask(question{
		Title: "Reset the lesson?", Text: "Its cluster and files go back to where the lesson starts, and its checks start over. Your playground is not touched.",
		OK: "Reset lesson", then: t.startLessonOver,
	})
}

func (t *tutorialPage) startLessonOver(ctx app.Context, _ string) {
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
			t.typed = map[string]int{}
			t.gen++
			t.mu.Unlock()
			t.results, t.blockErr = map[string]checkResult{}, map[string]string{}
			t.save()
			t.poke()
		})
	})
}

// run types a block into the terminal, command by command (the shell keeps the variables
// they set for the blocks after), then lets the virtual time pass that the checks after it
// need.
func (t *tutorialPage) run(ctx app.Context, b *tutorial.Block) {
	l, name := t.lesson, t.name
	if l == nil || t.running != "" || t.pg.sh == nil {
		return
	}
	t.running = b.ID
	delete(t.blockErr, b.ID)
	t.pg.view = viewTerminal // where the block's output shows on a narrow screen
	t.mu.Lock()
	gen := t.gen
	t.edits = append([]*tutorial.Edit{}, b.Edits...)
	t.mu.Unlock()
	sh := t.pg.sh
	ctx.Async(func() {
		code, err := runBlock(sh, b)
		if code != b.Exit && err == nil {
			err = fmt.Errorf("the block ended with exit status %d, want %d (see the terminal)", code, b.Exit)
		}
		t.blockRan(l, b, gen, err, sh.Clock().Now)
		// The checks after the block, at once and in order (a check looks at the cluster
		// the block left, not at a later one), each given the time it may wait for.
		results := map[string]checkResult{}
		if err == nil {
			for _, c := range checksAfter(l, b.ID) {
				ok, detail := sh.AwaitCheck(c)
				results[c.ID] = checkResult{ok, detail, sh.Clock().Now}
			}
		}
		ctx.Dispatch(func(app.Context) {
			if t.name == name {
				t.running = ""
				if err != nil {
					t.blockErr[b.ID] = err.Error()
				}
				t.record(gen+1, results)
			}
			t.poke()
		})
	})
}

// blockRan records a block as run (err: it failed) at the virtual time now in the
// progress, unless the lesson changed meanwhile (gen): the checks after it are due from
// then. Off or on the UI goroutine.
func (t *tutorialPage) blockRan(l *tutorial.Lesson, b *tutorial.Block, gen int, err error, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.edits = nil
	if gen != t.gen {
		return
	}
	status := 0
	if err != nil {
		status = 1
	}
	t.prog.Ran[b.ID] = status
	for _, c := range checksAfter(l, b.ID) {
		t.prog.Due[c.ID] = now
	}
	t.gen++
	t.save()
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

// lineTyped follows a line typed at the prompt: when it is the next command of the first
// block not run yet, it counts as typed; the block's last command marks it run, as its
// Run button would. UI goroutine.
func (t *tutorialPage) lineTyped(line string) {
	l, sh := t.lesson, t.pg.sh
	if l == nil || sh == nil || t.running != "" {
		return
	}
	cmds, err := terminal.Parse(line)
	if err != nil {
		return
	}
	for _, c := range cmds {
		t.mu.Lock()
		prog, gen := t.prog.Clone(), t.gen
		done := typedStep(l, prog, t.typed, c.Text)
		t.mu.Unlock()
		if done == nil {
			continue
		}
		t.ctx.Async(func() {
			t.blockRan(l, done, gen, nil, sh.Clock().Now)
			t.poke()
		})
	}
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
	var lastNow time.Time
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
			now := s.Cluster().Now()
			rv := s.Cluster().Store.ResourceVersion()
			// The clock matters too: a check may fail once its within: is up.
			if rv == lastRV && gen == lastGen && now.Sub(lastNow) < time.Second {
				return false
			}
			journaled := false
			for _, c := range todo {
				ok, detail := c.Evaluate(s)
				results[c.ID] = checkResult{ok, detail, now}
				journaled = journaled || readsLogs(c.Command)
			}
			// A check's own command (kubectl logs) must not count as a change to look at.
			lastRV, lastGen, lastNow = s.Cluster().Store.ResourceVersion(), gen, now
			return journaled
		})
		if len(results) == 0 {
			continue
		}
		ctx.Dispatch(func(app.Context) { t.record(gen, results) })
	}
}

// record takes what checks found into the page and the progress, unless the lesson or the
// progress changed since (gen). UI goroutine.
func (t *tutorialPage) record(gen int, results map[string]checkResult) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.gen != gen {
		return
	}
	changed := false
	for id, r := range results {
		t.results[id] = r
		if t.prog.Due[id].IsZero() {
			t.prog.Due[id], changed = r.at, true
		}
		if r.ok && !t.prog.Passed[id] {
			t.prog.Passed[id], changed = true, true
		}
	}
	if changed {
		t.save()
	}
}

// save asks the saver to write the progress.
func (t *tutorialPage) save() {
	select {
	case t.saves <- struct{}{}:
	default:
	}
}

// saver writes the lesson's progress after changes, one write at a time, off the UI
// goroutine.
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
	tabs := []viewTab{{viewTerminal, "Terminal"}, {viewCluster, "Cluster"}, {viewEditor, "Editor"}}
	if p.editing == nil {
		tabs = tabs[:2]
	}
	return app.Div().Class("kubetab", "tutorial", "show-"+p.view, classIf(!p.selected.Empty(), "panel-open")).OnKeyDown(p.onKeyDown).Body(
		skipLinks(skipToLesson+skipToTerminal),
		app.Header().Class("topbar").Body(
			brand(),
			app.A().ID("tutorial-home").Class("btn small").Href("/tutorial").Text("Lessons"),
			app.A().Class("btn small").Href("/").Text("Playground"),
			p.timeControls(),
			app.Button().ID("reset-lesson").Class("btn small").Disabled(t.lesson == nil || t.running != "").
				Text("Reset lesson").OnClick(t.resetLesson),
			themeToggle(),
		),
		p.noticeView(),
		app.Main().ID("main").Class("tutorial-grid").Body(
			app.Article().ID("lesson").Class("area lesson").TabIndex(0).Aria("label", "Lesson").
				Attr("data-lesson", t.name).Attr("data-ready", t.lesson != nil && p.ready).Body(t.renderLesson()...),
			app.Div().Class("tutorial-live").Body(
				p.viewTabs(tabs...),
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
	due := map[string]bool{}
	for _, c := range dueChecks(t.lesson, prog) {
		due[c.ID] = true
	}
	passed, failed, total := 0, 0, 0
	for _, c := range t.lesson.Checks() {
		total++
		if prog.Passed[c.ID] {
			passed++
		} else if st, _, _ := t.checkView(c, prog, due[c.ID]); st == stateFail {
			failed++
		}
	}
	status := fmt.Sprintf("%d of %d checks passed", passed, total)
	switch {
	case passed == total:
		status += ": lesson complete"
	case failed > 0:
		// A failed check may be far down the lesson: the bar says there is one.
		status += fmt.Sprintf(", %d failed", failed)
	}
	out := []app.UI{
		app.P().ID("lesson-progress").Class("lesson-progress").Role("status").Text(status),
	}
	for _, part := range t.lesson.Parts {
		switch {
		case part.Prose != "":
			out = append(out, renderMarkdown(part.Prose)...)
		case part.File != nil:
			out = append(out, app.Figure().Class("lesson-file").Attr("data-file", part.File.Name).Body(
				app.FigCaption().Text(part.File.Name+" (in the workspace)"),
				app.Pre().Class("lesson-code").TabIndex(0).Body(app.Code().Text(part.File.Content)),
			))
		case part.Edit != nil:
			out = append(out, app.Figure().Class("lesson-edit").Body(
				app.FigCaption().Text("The change to make in the editor (Run opens it with this change made):"),
				app.Pre().Class("lesson-code").TabIndex(0).Body(app.Code().Text(part.Edit.Patch)),
			))
		case part.Step != nil && part.Step.Block != nil:
			out = append(out, t.renderBlock(part.Step.Block, prog))
		case part.Step != nil && part.Step.Check != nil:
			out = append(out, t.renderCheck(part.Step.Check, prog, due[part.Step.ID]))
		}
	}
	return append(out, t.renderEnd(passed == total))
}

// renderEnd is the lesson's last word: done or not yet, and the next lesson.
func (t *tutorialPage) renderEnd(done bool) app.UI {
	text, class, next := "Run every step above and the checks tick one by one.", "btn", app.UI(nil)
	if done {
		text, class = "Lesson complete: every check passed. This was the last lesson.", "btn primary"
	}
	for i, l := range t.list {
		if l.Name == t.name && i+1 < len(t.list) {
			text = strings.TrimSuffix(text, " This was the last lesson.")
			next = app.A().ID("next-lesson").Class(class).Href("/tutorial/" + t.list[i+1].Name).Text("Next lesson: " + t.list[i+1].Title)
		}
	}
	return app.Section().ID("lesson-end").Class("lesson-end", classIf(done, "done")).Aria("label", "End of the lesson").Body(
		app.P().Text(text), next, app.Raw(`<a class="btn" href="/tutorial">All lessons</a>`),
	)
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
	switch state {
	case stateRunning:
		label = "Running…"
	case stateDone, stateFailed:
		label = "Run again"
	}
	errText := t.blockErr[b.ID]
	return app.Div().Class("lesson-block").Attr("data-block", b.ID).Attr("data-state", state).Body(
		app.Pre().Class("lesson-code").TabIndex(0).Body(app.Code().Text(strings.TrimRight(b.Script, "\n"))),
		app.Div().Class("block-bar").Body(
			app.Button().Class("btn small primary").Attr("data-run", b.ID).
				Disabled(t.running != "" || !t.pg.ready).
				Text(label).
				OnClick(func(ctx app.Context, e app.Event) { t.run(ctx, b) }),
			app.If(state == stateDone, func() app.UI { return app.Span().Class("block-note").Text("ran (see the terminal)") }),
			app.If(errText != "", func() app.UI { return app.Span().Class("block-note error").Text(errText) }),
		),
	)
}

// checkView is how a check reads now: its state, a note and a hint.
func (t *tutorialPage) checkView(c *tutorial.Check, prog session.LessonProgress, due bool) (state, note, hint string) {
	r, evaluated := t.results[c.ID]
	switch {
	case prog.Passed[c.ID]:
		return statePass, "done", ""
	case !due:
		return statePending, "waits for the steps above: Run them, or type them in the terminal", ""
	case !evaluated:
		return statePending, "checking…", ""
	case r.ok:
		return statePass, "done", ""
	}
	hint = c.Hint
	if left := c.Within - r.at.Sub(prog.Due[c.ID]); left > 0 && !prog.Due[c.ID].IsZero() {
		if hint == "" {
			hint = "Let time pass: ▶ Play, a step (+1m) or Skip; this may take up to " + terminal.FormatDuration(c.Within) + " of virtual time."
		}
		return statePending, "not yet: " + r.detail, hint
	}
	if hint == "" {
		hint = "Compare with the steps above, look at the terminal and the cluster; Run a step again, or Reset lesson to start over."
	}
	return stateFail, r.detail, hint
}

func (t *tutorialPage) renderCheck(c *tutorial.Check, prog session.LessonProgress, due bool) app.UI {
	state, note, hint := t.checkView(c, prog, due)
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
			app.If(hint != "", func() app.UI { return app.Span().Class("check-hint").Text(hint) }),
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
