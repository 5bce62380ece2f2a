package session

import (
	"errors"
	"io"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kubetab/kubetab/engine/terminal"
)

// maxTranscript bounds the terminal's scroll-back; older output is dropped from the top.
const maxTranscript = 1 << 20

// Time in the tab. Virtual time follows the wall clock at the chosen speed while playing;
// the work of one frame is bounded, so a busy cluster makes virtual time lag rather than
// the page freeze.
const (
	// maxFrameGap is the most wall time one frame accounts for: after a stall (a long
	// command, a suspended laptop) time resumes instead of jumping.
	maxFrameGap = 250 * time.Millisecond
	// frameBudget is the engine work one animation frame may do for the running clock.
	frameBudget = 8 * time.Millisecond
	// sliceBudget is the engine work between two yields to the browser during a long
	// fast-forward (`kubetab advance 2h`) or a long instant (`kubectl scale --replicas=1000`),
	// while the page's turns are short.
	sliceBudget = 12 * time.Millisecond
	// maxSliceTurns bounds a slice at this many sliceBudgets: a slice grows to the length of
	// the page's last turn (nextSlice), up to ~0.1 s.
	maxSliceTurns = 8
	// saveEvery bounds how often the running clock alone causes a save.
	saveEvery = 5 * time.Second
	// maxChunk bounds one engine step of a fast-forward: the work in a chunk is only known
	// after it ran, so a chunk that grew over idle time must not swallow a burst.
	maxChunk = 5 * time.Minute
)

// Speeds the time controls offer.
var Speeds = []float64{1, 10, 60, 600}

// ClockState is what the time controls show.
type ClockState struct {
	Now       time.Time // the cluster's virtual time
	Playing   bool
	Speed     float64   // virtual seconds per wall second
	NextAt    time.Time // when the next scheduled thing happens; zero when nothing is
	NextLabel string    // what it is ("node-lifecycle kubetab-worker", ...)
}

// Shell owns the tab's terminal session and everything around it: the transcript, the
// workspace files, the running clock and the saved state. Every caller (the terminal input,
// the time controls, the JS API) goes through it, so they share one cluster and one
// transcript.
//
// One goroutine, the session goroutine, runs every command and clock tick in order. Readers
// (View, Clock, Transcript) take mu for a moment. mu is never held while waiting for the
// browser or for the editor, so the UI can always read. The package's doc says which lock
// guards what and in which order they are taken.
type Shell struct {
	// mu guards the fields from session to tabGen, and the cluster in session.
	mu      sync.Mutex
	session *terminal.Session
	err     error
	// termTab is the terminal tab the page shows and lines run in (tabs.go): its
	// transcript, prompt state and history; tabs are all of them, the first one the tab
	// that is saved.
	*termTab
	tabs []*termTab
	// logPending is set from a command's end until its changes are logged: a compaction
	// waits for it, so that cluster.json's log number says exactly which records it holds.
	logPending bool

	playing bool
	speed   float64
	editor  func(name, text string) (string, error)
	notices map[string]string
	store   *Storage // nil: nothing is saved
	// clusterGen and tabGen count changes to what storage keeps (the journal; the files,
	// transcript and clock settings), so that saves write only what changed.
	clusterGen, tabGen uint64
	// The context the tab is in, and what of it is not the cluster's (context.go). The
	// contexts visited are parked, whole, for a quick return.
	ctx    string
	fresh  bool // ctx's cluster was made new, not restored, and no page has opened it yet
	draft  *Draft
	parked map[string]*contextState

	// saveMu makes saves one at a time (saveNow) and guards the generations last saved for
	// the current context; it comes before mu.
	saveMu                 sync.Mutex
	savedCluster, savedTab uint64

	// progMu guards progress, every lesson's progress (lesson.go): a leaf but for the
	// moment storage() takes mu.
	progMu   sync.Mutex
	progress map[string]LessonProgress

	// Set once by New, each with its own lock or none.
	files   *Workspace
	ready   chan struct{} // closed by Start once the cluster exists
	jobs    jobs
	changes changes

	// ticks carries frame times from the platform's frame clock to the session goroutine.
	ticks chan time.Time
	// Owned by the session goroutine: the running clock's bookkeeping.
	lastFrame time.Time
	owed      time.Duration
	lastSave  time.Time
	chunk     time.Duration // the virtual time one engine step advances, adapted to its cost

	hidden atomic.Bool

	saves chan struct{}
	// yield hands the browser a turn during a long fast-forward (platform-specific).
	yield func()
	// Owned by the session goroutine, for the turns it gives the page (giveTurn): when the
	// page last had one, the wall time it has had in all (not engine work), and whether
	// the session goroutine holds mu for its work, so that the cluster's Settle may pause
	// (pauseSettle). pauseCalls counts calls, so that the clock is read on few of them.
	// turnEvery is sliceBudget but in tests; slice is the current slice's length (nextSlice).
	turnEvery  time.Duration
	slice      time.Duration
	sliceStart time.Time
	pausedFor  time.Duration
	working    bool
	pauseCalls uint
	// strict is Start's Options.Strict, kept for the sessions a bundle makes (the embed
	// widget's data-strict).
	strict bool
	// replay is a shared bundle's replay while it runs (share.go), guarded by mu; nil
	// otherwise. cancelReplay is the page's Cancel, read without the lock.
	replay       *replayState
	cancelReplay atomic.Bool
}

// New returns a shell without a cluster yet: Start makes or restores one.
func New() *Shell {
	sh := &Shell{
		ready:     make(chan struct{}),
		jobs:      jobs{wake: make(chan struct{}, 1)},
		ticks:     make(chan time.Time, 1),
		saves:     make(chan struct{}, 1),
		notices:   map[string]string{},
		playing:   true,
		speed:     1,
		chunk:     time.Second,
		yield:     yieldToBrowser,
		turnEvery: sliceBudget,
	}
	sh.files = newWorkspace(sh.filesChanged)
	sh.termTab = &termTab{}
	sh.tabs = []*termTab{sh.termTab}
	return sh
}

// Start restores the playground's cluster (from store when it holds one; nil store:
// memory only) and starts the session goroutine; lines and the JS API wait for it. opts
// shape a new cluster; notices are the page's first ones (storage's, say).
func (sh *Shell) Start(store *Storage, opts terminal.Options, notices map[string]string) {
	sh.StartIn(Playground, store, opts, notices)
}

// StartIn is Start in the context ctx (context.go): the one the page first shown works in.
func (sh *Shell) StartIn(ctx string, store *Storage, opts terminal.Options, notices map[string]string) {
	sh.strict = opts.Strict
	o := sh.sessionOptions()
	o.Seed, o.Start = opts.Seed, opts.Start
	cs := loadContext(store.In(ctx), o)

	sh.saveMu.Lock()
	sh.mu.Lock()
	for k, v := range notices {
		sh.notices[k] = v
	}
	sh.install(ctx, cs)
	sh.lastSave = time.Now()
	if cs.err != nil {
		sh.append("kubetab: " + cs.err.Error() + "\n")
	}
	sh.mu.Unlock()
	sh.saveMu.Unlock()
	close(sh.ready)
	go sh.loop()
	if store != nil {
		go sh.saver()
		if cs.dirtyCluster && !cs.fresh {
			sh.requestSave() // a damaged log waits for a compaction
		}
	}
	sh.notify()
}

// Ready is closed once the cluster exists.
func (sh *Shell) Ready() <-chan struct{} { return sh.ready }

// loop is the session goroutine.
func (sh *Shell) loop() {
	for {
		select {
		case <-sh.jobs.wake:
			for job := sh.jobs.next(); job != nil; job = sh.jobs.next() {
				job()
			}
		case wall := <-sh.ticks:
			sh.tick(wall)
		}
	}
}

// jobs is the session goroutine's work queue: unbounded, so that posting never blocks the
// UI.
type jobs struct {
	mu    sync.Mutex // guards queue: a leaf, held for a moment and with no other lock
	queue []func()
	wake  chan struct{}
}

// post queues job for the session goroutine and returns at once.
func (q *jobs) post(job func()) {
	q.mu.Lock()
	q.queue = append(q.queue, job)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *jobs) next() func() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.queue) == 0 {
		return nil
	}
	job := q.queue[0]
	q.queue[0] = nil
	q.queue = q.queue[1:]
	return job
}

// do runs job on the session goroutine, with mu held, and waits for it.
func (sh *Shell) do(job func()) {
	<-sh.ready
	done := make(chan struct{})
	sh.jobs.post(func() {
		sh.lockForWork()
		job()
		sh.unlockAfterWork()
		close(done)
	})
	<-done
}

// lockForWork and unlockAfterWork bracket the session goroutine's work on the cluster.
func (sh *Shell) lockForWork() {
	sh.mu.Lock()
	sh.working, sh.sliceStart, sh.slice = true, time.Now(), sh.turnEvery
}

func (sh *Shell) unlockAfterWork() {
	sh.working = false
	sh.mu.Unlock()
}

// giveTurn lets the page have a turn in the middle of the session goroutine's work (mu
// held): the lock goes, listeners hear of the changes so far, the browser paints and takes
// input, and the work goes on.
func (sh *Shell) giveTurn() {
	t := time.Now()
	sh.unlockAfterWork()
	sh.notify()
	sh.yield()
	sh.lockForWork()
	away := sh.sliceStart.Sub(t)
	sh.pausedFor += away
	sh.slice = nextSlice(away, sh.turnEvery)
}

// nextSlice is the engine work after a page's turn that took away: as long as the turn,
// within [every, maxSliceTurns×every]. In the browser a turn is not only the paint: the
// page's goroutines run in it too (the cluster view copies and renders every pod), so a turn
// costs more as the cluster grows; fixed slices then gave a 10,000-pod instant a few
// percent of the time and made it last minutes. Slices as long as the turns give the engine
// at least half the time until a turn takes ~0.1 s, while frames still come at most a turn
// and ~0.1 s apart.
func nextSlice(away, every time.Duration) time.Duration {
	return min(max(away, every), maxSliceTurns*every)
}

// pauseSettle is the cluster's Pause (sim.Cluster): between two steps of an instant's work
// it gives the page a turn once the work since the last one has used its slice, so that
// an instant with much to do (1,000 pods created, scheduled and started) unfolds on the
// page instead of freezing it. Readers of the cluster meanwhile see it part-way through the
// instant, as kubectl sees a real cluster mid-reconcile; commands wait their turn on the
// session goroutine, so what they see, and the journal, do not change. It does nothing
// outside the session goroutine's work (a reader's own Settle, or while `kubectl edit`
// waits for the editor).
func (sh *Shell) pauseSettle() {
	sh.pauseCalls++
	if sh.replay != nil {
		sh.replay.steps++
	}
	if !sh.working || sh.pauseCalls%16 != 0 || time.Since(sh.sliceStart) < sh.slice {
		return
	}
	sh.giveTurn()
}

// sliced runs one of the session's commands (mu held, session goroutine) with the cluster's
// instants pausing for the page (pauseSettle).
func (sh *Shell) sliced(run func() int) int {
	c := sh.session.Cluster()
	c.Pause = sh.pauseSettle
	defer func() { c.Pause = nil }()
	return run()
}

// command runs a job that may change the cluster, logs what it changed in the journal,
// then notifies and saves; it waits for all of it.
func (sh *Shell) command(job func()) {
	<-sh.ready
	done := make(chan struct{})
	sh.postCommand(job, func() { close(done) })
	<-done
}

// postCommand is command without waiting, for callers on the UI goroutine; then run after
// it all (on the session goroutine).
func (sh *Shell) postCommand(job func(), then ...func()) {
	sh.jobs.post(func() {
		sh.lockForWork()
		// The tab the command runs in holds its output back, even if the page shows another
		// one by the time it ends.
		held := sh.termTab
		held.holding, held.heldFrom = true, held.transcript.Len()
		job()
		sh.checkpointIfDue() // journal.go
		sh.commandDone()
		sh.logPending = true
		sh.unlockAfterWork()
		// Before anyone hears of the result: a tab closed now still has the command.
		sh.logCommand()
		sh.mu.Lock()
		held.holding = false
		sh.mu.Unlock()
		sh.notify()
		sh.requestSave()
		for _, fn := range then {
			fn()
		}
	})
}

// commandDone records that a command ran (mu held, session goroutine).
func (sh *Shell) commandDone() {
	sh.checkStream()
	sh.clusterGen++
	sh.tabGen++
	// The wall time a command took is not virtual time that passed.
	sh.lastFrame = time.Time{}
}

// Exec runs a line (or several, or a here-document) as if typed into the terminal: the line
// and its output are added to the transcript. Text of several lines runs as if pasted:
// each top-level command echoed and run in turn, as a lesson's block runs (a loop or a
// here-document over several lines is one command). It returns the output (without the
// echoes) and the exit status: that of the last command that failed, 0 when none did.
func (sh *Shell) Exec(line string) (out string, code int) {
	sh.command(func() { out, code = sh.execLocked(line) })
	return out, code
}

// execLocked runs a line that is not typed at the prompt (the JS API, buttons, lessons):
// a watch or follow in it runs for its bounded window, so that the caller gets a finished
// result.
func (sh *Shell) execLocked(line string) (string, int) {
	var out strings.Builder
	code := 0
	for _, text := range pasted(line) {
		sh.echo(sh.promptLocked(), text)
		if c := sh.runLocked(text, io.MultiWriter(&out, sh.terminalOut()), false); c != 0 {
			code = c
		}
	}
	return out.String(), code
}

// pasted is text as a terminal runs it when it is pasted: one line as it is; several, one
// top-level command after the other. Text that does not parse stays whole, for the shell
// to say why.
func pasted(text string) []string {
	if !strings.Contains(strings.TrimSpace(text), "\n") {
		return []string{text}
	}
	cmds, err := terminal.Parse(text)
	if err != nil || len(cmds) == 0 {
		return []string{text}
	}
	texts := make([]string, len(cmds))
	for i, c := range cmds {
		texts[i] = c.Text
	}
	return texts
}

// runLocked runs text whose lines are already echoed; the output goes to out as it is
// written. typed is set for what was typed at the prompt: then a watch or follow keeps
// streaming (see runLine).
func (sh *Shell) runLocked(text string, out io.Writer, typed bool) int {
	if sh.session == nil {
		io.WriteString(out, "kubetab: the cluster failed to start: "+sh.err.Error()+"\n")
		return 1
	}
	return sh.runLine(text, out, typed)
}

// runLine is the session's RunLine, except that time moves in slices with the browser
// getting turns in between (`kubetab advance`, `sleep`: the session's Advance option), so
// that a long fast-forward never freezes the page; and that in a typed line a `kubectl get
// -w` or `kubectl logs -f` keeps streaming into the terminal as time runs, until it ends or
// Ctrl-C, with the rest of the line waiting for it.
func (sh *Shell) runLine(text string, out io.Writer, typed bool) int {
	if !typed {
		return sh.sliced(func() int { return sh.session.RunLine(text, out) })
	}
	var streaming bool
	code := sh.sliced(func() int {
		var code int
		streaming, code = sh.session.Start(text, out)
		return code
	})
	if streaming {
		sh.streaming, sh.streamCluster = true, sh.session.Cluster()
	}
	return code
}

// checkStream notices a stream that ended by itself (mu held, session goroutine): the rest
// of its line goes on, then what was typed meanwhile. A stream that ended with its cluster
// (a reset, an import) takes the rest of its line with it.
func (sh *Shell) checkStream() {
	sh.showBackground()
	if !sh.streaming || (sh.session != nil && sh.session.Streaming()) {
		return
	}
	resume := sh.session != nil && sh.session.Cluster() == sh.streamCluster && sh.session.Waiting()
	sh.streaming, sh.streamCluster = false, nil
	if resume {
		sh.endLine()
		var streaming bool
		sh.sliced(func() int {
			var code int
			streaming, code = sh.session.Resume()
			return code
		})
		if streaming {
			sh.streaming, sh.streamCluster = true, sh.session.Cluster()
			return
		}
	} else if sh.session != nil {
		sh.session.StopStream()
	}
	sh.runTypeahead()
}

// runTypeahead runs the lines typed while a stream ran, until one streams again.
func (sh *Shell) runTypeahead() {
	for len(sh.typeahead) > 0 && !sh.streaming {
		line := sh.typeahead[0]
		sh.typeahead = sh.typeahead[1:]
		sh.submitLocked(line)
	}
}

// Interrupt is Ctrl-C at the terminal while a command streams: the stream stops, `^C` is
// printed, the rest of its line is dropped and the prompt comes back. Without a stream it
// does nothing. It returns at once.
func (sh *Shell) Interrupt() {
	sh.jobs.post(func() {
		sh.lockForWork()
		if sh.streaming {
			if sh.session != nil {
				sh.session.StopStream()
			}
			sh.streaming, sh.streamCluster = false, nil
			sh.write("^C\n")
			sh.runTypeahead()
		}
		sh.unlockAfterWork()
		sh.notify()
		sh.requestSave()
	})
}

// Streaming tells whether a command typed into the terminal is streaming.
func (sh *Shell) Streaming() bool {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.streaming
}

// fastForward is the session's Advance option (`kubetab advance d`, `sleep d`): time moves
// in slices of bounded work, and between slices mu is let go and the browser has a turn,
// so the page repaints (showing the clock move) and takes input. The journal gets the same
// advances the session would record.
func (sh *Shell) fastForward(d time.Duration) error {
	// Start small: the chunk that suited an idle cluster may hold a burst of work now.
	sh.chunk = min(sh.chunk, time.Second)
	var done time.Duration
	for {
		if err := sh.replayBounds(d - done); err != nil {
			return err
		}
		n, err := sh.advanceFor(d-done, sh.slice)
		done += n
		if err != nil || done >= d {
			return err
		}
		sh.giveTurn()
	}
}

// advanceFor advances virtual time by up to d, in chunks, until the work took budget. It
// returns how far it went. mu is held.
func (sh *Shell) advanceFor(d time.Duration, budget time.Duration) (time.Duration, error) {
	// Only engine work counts: not the turns the page got in the middle of an instant.
	work := func(since time.Time, paused time.Duration) time.Duration {
		return time.Since(since) - (sh.pausedFor - paused)
	}
	start, paused := time.Now(), sh.pausedFor
	var done time.Duration
	for done < d {
		step := min(sh.chunk, d-done)
		t0, p0 := time.Now(), sh.pausedFor
		var err error
		sh.sliced(func() int {
			err = sh.session.Advance(step)
			return 0
		})
		if err != nil {
			return done, err
		}
		done += step
		// Aim each chunk at a fraction of the budget: a cluster with more going on gets
		// shorter chunks, an idle one crosses hours in a few.
		switch took := work(t0, p0); {
		case took < budget/8 && step == sh.chunk:
			sh.chunk = min(sh.chunk*2, maxChunk)
		case took > budget/2:
			sh.chunk = max(sh.chunk/2, 10*time.Millisecond)
		}
		if work(start, paused) >= budget {
			break
		}
	}
	return done, nil
}

// Submit takes one line typed at the prompt. A line that leaves the command incomplete is
// held, and the prompt becomes "> " until the command is complete. A line submitted while a
// command streams waits for it to end (the page keeps such a line in its input instead;
// this catches the one that crossed the stream's start).
func (sh *Shell) Submit(line string) {
	sh.command(func() {
		if sh.streaming {
			sh.typeahead = append(sh.typeahead, line)
			return
		}
		sh.submitLocked(line)
	})
}

func (sh *Shell) submitLocked(line string) {
	text := sh.pending + line
	if _, err := terminal.Parse(text); err != nil {
		var syn *terminal.SyntaxError
		if errors.As(err, &syn) && syn.Incomplete {
			if sh.pending == "" {
				sh.echo(sh.promptLocked(), line)
			} else {
				sh.echo("> ", line)
			}
			sh.pending = text + "\n"
			return
		}
	}
	if sh.pending != "" {
		sh.echo("> ", line)
		sh.pending = ""
	} else {
		sh.echo(sh.promptLocked(), text)
	}
	sh.runLocked(text, sh.terminalOut(), true)
}

// Prompt is what the input line shows: "$ ", "> " while a command continues, and "" while
// a typed command streams (as a terminal shows no prompt while a command runs).
func (sh *Shell) Prompt() string {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	switch {
	case sh.streaming:
		return ""
	case sh.pending != "":
		return "> "
	}
	return sh.promptLocked()
}

// promptLocked is the shell's own prompt: "$ " on the node, the container shell's after
// `kubectl exec -ti POD -- bash` (root@POD:/# ).
func (sh *Shell) promptLocked() string {
	if sh.session != nil {
		return sh.session.Prompt()
	}
	return "$ "
}

// Transcript is everything the terminal shows.
func (sh *Shell) Transcript() string {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.shown()
}

// shown is the tab's transcript but for the output held back (the Shell's mu held).
func (t *termTab) shown() string {
	s := t.transcript.String()
	if t.holding {
		s = s[:min(t.heldFrom, len(s))]
	}
	return s
}

// View calls fn with the cluster, which it may read but not change, under the lock. fn is
// not called before the cluster exists.
func (sh *Shell) View(fn func(c *Cluster)) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.session != nil {
		fn(sh.session.Cluster())
	}
}

// Clock is the state of the virtual clock and its controls.
func (sh *Shell) Clock() ClockState {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	cs := ClockState{Playing: sh.playing, Speed: sh.speed}
	if sh.session != nil {
		c := sh.session.Cluster()
		cs.Now = c.Now()
		if at, label, ok := c.NextTimer(); ok {
			cs.NextAt, cs.NextLabel = at, label
		}
	}
	return cs
}

// SetPlaying starts or stops the running clock.
func (sh *Shell) SetPlaying(on bool) { sh.changeTab(func() { sh.playing = on }) }

// SetSpeed sets how many virtual seconds pass per wall second while playing: 1, 10, 60 or
// 600 (other values are taken to the nearest of these).
func (sh *Shell) SetSpeed(x float64) {
	best := Speeds[0]
	for _, s := range Speeds {
		if abs(s-x) < abs(best-x) {
			best = s
		}
	}
	sh.changeTab(func() { sh.speed = best })
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// Step moves virtual time forward by d, as `kubetab advance d` typed in the terminal (it
// appears there and in the journal). It returns at once; the work happens in order with
// other commands.
func (sh *Shell) Step(d time.Duration) {
	words := []string{"kubetab", "advance", terminal.FormatDuration(d)}
	sh.postCommand(func() { sh.execLocked(terminal.Quote(words)) })
}

// SkipToNext moves virtual time to the next scheduled event, as a `kubetab advance` typed
// in the terminal.
func (sh *Shell) SkipToNext() {
	sh.postCommand(func() {
		if sh.session == nil {
			return
		}
		c := sh.session.Cluster()
		at, label, ok := c.NextTimer()
		if !ok {
			sh.append("# nothing is scheduled to happen\n")
			return
		}
		sh.append("# next: " + label + "\n")
		words := []string{"kubetab", "advance", terminal.FormatDuration(at.Sub(c.Now()))}
		sh.execLocked(terminal.Quote(words))
	})
}

// Reset starts over with a fresh default cluster, as `kubetab reset` typed in the terminal.
// The workspace files stay.
func (sh *Shell) Reset() {
	sh.postCommand(func() { sh.execLocked("kubetab reset") })
}

// Notice is what the page should tell the user about where the cluster is kept ("this
// cluster is open in another tab", "storage is unavailable", ...); "" when all is well.
func (sh *Shell) Notice() string {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	keys := make([]string, 0, len(sh.notices))
	for k := range sh.notices {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, sh.notices[k])
	}
	return strings.Join(parts, " ")
}

// SetNotice sets the notice of a kind (the page joins them in kind order); "" removes it.
func (sh *Shell) SetNotice(kind, text string) {
	sh.mu.Lock()
	changed := sh.notices[kind] != text
	if text == "" {
		delete(sh.notices, kind)
	} else {
		sh.notices[kind] = text
	}
	sh.mu.Unlock()
	if changed {
		sh.notify()
	}
}

// SetEditor sets what `kubectl edit` opens: fn gets the object's name and YAML and returns
// the edited text, or an error to cancel. It runs on the session goroutine and may block
// until the user is done; the cluster can be viewed meanwhile, and commands wait.
func (sh *Shell) SetEditor(fn func(name, text string) (string, error)) {
	sh.mu.Lock()
	sh.editor = fn
	sh.mu.Unlock()
}

// edit is the session's editor. The session goroutine holds mu when a command asks for
// it; mu is let go while the user edits, so the page stays readable.
func (sh *Shell) edit(name, text string) (string, error) {
	ed := sh.editor
	if ed == nil {
		return "", errors.New("no editor is available here")
	}
	sh.unlockAfterWork()
	sh.notify()
	defer sh.lockForWork()
	return ed(name, text)
}

// Files is the workspace: the files `kubectl apply -f NAME` reads.
func (sh *Shell) Files() *Workspace { return sh.files }

func (sh *Shell) filesChanged() {
	sh.mu.Lock()
	sh.tabGen++
	sh.mu.Unlock()
	sh.notify()
	sh.requestSave()
}

// Subscribe calls fn (on some goroutine) after changes: commands, files, the running clock.
// In the browser calls are coalesced to at most one per animation frame.
func (sh *Shell) Subscribe(fn func()) { sh.changes.subscribe(fn) }

// notify tells the listeners of a change. It is never called with mu held: a listener may
// read the shell.
func (sh *Shell) notify() { sh.changes.notify() }

// changes tells the listeners of changes. With coalesce (the browser), notify only marks a
// change and the frame clock delivers it once per animation frame; without (tests), at once.
type changes struct {
	coalesce  bool
	changed   atomic.Bool
	mu        sync.Mutex // guards listeners: a leaf, held for a moment and with no other lock
	listeners []func()
}

func (c *changes) subscribe(fn func()) {
	c.mu.Lock()
	c.listeners = append(c.listeners, fn)
	c.mu.Unlock()
}

func (c *changes) notify() {
	if c.coalesce {
		c.changed.Store(true)
		return
	}
	c.deliver()
}

// flush delivers a pending change notification; the frame clock calls it once per frame.
func (c *changes) flush() {
	if c.changed.Swap(false) {
		c.deliver()
	}
}

func (c *changes) deliver() {
	c.mu.Lock()
	ls := append([]func(){}, c.listeners...)
	c.mu.Unlock()
	for _, fn := range ls {
		fn()
	}
}

// frame is the platform's animation-frame callback. It never blocks: it hands the frame to
// the session goroutine (which may be busy; then this frame's time is folded into the
// next) and delivers pending notifications from a goroutine.
func (sh *Shell) frame(wall time.Time) {
	select {
	case sh.ticks <- wall:
	default:
	}
}

// setHidden records the page's visibility: no time passes while it is hidden.
func (sh *Shell) setHidden(hidden bool) {
	sh.hidden.Store(hidden)
	if hidden {
		sh.requestSave()
	}
}

// tick runs the clock for one frame (session goroutine).
func (sh *Shell) tick(wall time.Time) {
	sh.lockForWork()
	if !sh.playing || sh.session == nil || sh.hidden.Load() {
		sh.lastFrame, sh.owed = time.Time{}, 0
		sh.unlockAfterWork()
		return
	}
	if sh.lastFrame.IsZero() || wall.Before(sh.lastFrame) {
		sh.lastFrame = wall
		sh.unlockAfterWork()
		return
	}
	gap := min(wall.Sub(sh.lastFrame), maxFrameGap)
	sh.lastFrame = wall
	sh.owed += time.Duration(float64(gap) * sh.speed)
	d := sh.owed.Truncate(time.Millisecond)
	if d <= 0 {
		sh.unlockAfterWork()
		return
	}
	// What does not fit in the frame's budget is dropped: time lags, the page does not.
	sh.owed -= d
	n, err := sh.advanceFor(d, frameBudget)
	checkpointed := false
	if n > 0 {
		sh.clusterGen++
		checkpointed = sh.checkpointIfDue() // journal.go
	}
	sh.checkStream()
	if err != nil {
		sh.playing = false
		sh.tabGen++
		sh.append("kubetab: the clock stopped: error: " + err.Error())
	}
	save := sh.store != nil && (checkpointed || wall.Sub(sh.lastSave) >= saveEvery)
	if save {
		sh.lastSave = wall
	}
	sh.unlockAfterWork()
	sh.notify()
	if save {
		sh.requestSave()
	}
}

// sessionOptions are the session's inputs: the workspace, the editor, time moving in
// slices, and the mode kubectl runs in.
func (sh *Shell) sessionOptions() terminal.Options {
	return terminal.Options{ReadFile: sh.files.readFile, ListDir: sh.files.listDir, WriteFile: sh.files.writeFile,
		RemoveFile: sh.files.removeFile, Edit: sh.edit, Advance: sh.fastForward, Strict: sh.strict, Examples: bundledExamples}
}

// echo shows a command line as it starts: at once, unless output before it is held.
func (sh *Shell) echo(prompt, line string) {
	shown := sh.holding && sh.heldFrom == sh.transcript.Len()
	sh.append(prompt + strings.ReplaceAll(line, "\n", "\n> ") + "\n")
	if shown {
		sh.heldFrom = sh.transcript.Len()
	}
}

// append adds a message to the transcript, on lines of its own.
func (sh *Shell) append(s string) {
	if s == "" {
		return
	}
	sh.endLine()
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	sh.write(s)
}

// endLine ends a line that output left open.
func (sh *Shell) endLine() {
	if sh.midLine {
		sh.write("\n")
	}
}

// terminalOut writes command output into the transcript as it comes (mu held): a stream's
// rows appear as they are printed, in order with everything else.
// The writer keeps to the tab the command runs in: a stream's later rows go there even
// when another tab is shown.
func (sh *Shell) terminalOut() io.Writer { return transcriptWriter{sh, sh.termTab} }

type transcriptWriter struct {
	sh  *Shell
	tab *termTab
}

func (w transcriptWriter) Write(p []byte) (int, error) {
	w.sh.writeIn(w.tab, string(p))
	return len(p), nil
}

// write adds text to the transcript as it is (mu held), dropping the oldest output beyond
// maxTranscript.
func (sh *Shell) write(s string) { sh.writeIn(sh.termTab, s) }

// writeIn is write into tab t's transcript.
func (sh *Shell) writeIn(t *termTab, s string) {
	if s == "" {
		return
	}
	t.transcript.WriteString(s)
	t.midLine = s[len(s)-1] != '\n'
	sh.tabGen++
	if t.transcript.Len() > maxTranscript {
		text := t.transcript.String()
		text = text[len(text)-maxTranscript/2:]
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			text = text[i+1:]
		}
		t.heldFrom = max(0, t.heldFrom-(t.transcript.Len()-len(text)))
		t.transcript.Reset()
		t.transcript.WriteString(text)
	}
}
