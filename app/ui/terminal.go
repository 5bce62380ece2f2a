package ui

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/kubetab/kubetab/app/complete"
	"github.com/kubetab/kubetab/app/session"
	"github.com/kubetab/kubetab/app/snapshot"
	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/terminal"
)

// terminalView is the terminal: the transcript (#terminal-output, a <pre> that can be
// selected and copied, its errors, warnings, commands and notes coloured) and the prompt
// (#terminal-input) with history on ↑/↓ and its search on Ctrl-R, completion on Tab (the
// candidates listed in the transcript, as a shell does), Ctrl-C to drop the line, `clear`
// and Ctrl-L to clear the screen. Lines go to the shell, which echoes them into the
// transcript with their output; the command history is the session's, kept with its
// context.
//
// A typed `kubectl get -w` or `kubectl logs -f` streams until it ends or Ctrl-C stops it
// (it prints ^C). Meanwhile the prompt sign is gone and Enter is refused with a hint: the
// line stays in the input, to run once the prompt is back. The input stays enabled, so
// that it keeps the focus and receives Ctrl-C.
//
// Above it, the tab bar (a tablist: ←/→, Home and End move between tabs) shows the
// terminal's tabs ("in a second terminal, run kubectl proxy"), opens another (+) and
// closes the current one but the first (×); each tab has its own transcript, prompt and
// history over the same cluster (app/session's tabs.go).
type terminalView struct {
	app.Compo

	Transcript string
	// Prompt is the shell's prompt: "$ ", "> ", or "" while a typed command streams.
	Prompt  string
	Ready   bool
	Session *session.Shell // nil while pre-rendering on the server
	Page    terminalPage
	// Tabs are the terminal's tabs; Count 0: no tab bar (an embed).
	Tabs session.TabsState

	input   string
	history []string // the session's, as it was when browsing began
	histPos int      // index into history while browsing; len(history) at the draft
	draft   string   // what was typed before browsing the history
	hint    string   // "^C", or what the prompt refused
	// search is set during a reverse search of the history (Ctrl-R): the input holds what
	// is searched for, and found is the matching entry (-1: none).
	search bool
	found  int
}

// terminalPage is what the terminal asks of its page: the names Tab completes (the
// cluster's, from the page's latest snapshot, and the workspace files'), as they are when
// Tab is pressed; and to hear each line typed (a lesson counts its steps).
type terminalPage interface {
	completionNames() complete.Names
	typed(line string)
}

func (t *terminalView) OnMount(ctx app.Context) {
	ctx.Defer(func(app.Context) { scrollOutputToEnd() })
}

func (t *terminalView) OnUpdate(ctx app.Context) {
	// Called before re-rendering with a new transcript: follow the output only when the
	// reader was at the bottom, so scrolling back to copy something is not undone.
	if outputAtEnd() {
		ctx.Defer(func(app.Context) { scrollOutputToEnd() })
	}
}

// streaming tells whether a typed command is streaming.
func (t *terminalView) streaming() bool { return t.Ready && t.Prompt == "" }

func (t *terminalView) Render() app.UI {
	prompt := t.Prompt
	status := "starting the cluster…"
	switch {
	case t.search:
		prompt = "(reverse-i-search) "
		status = "no match"
		if t.found >= 0 {
			status = "→ " + t.history[t.found] + "   (Enter runs it, Esc edits it, Ctrl-R looks further back)"
		}
	case t.streaming():
		status = "The command keeps running (other tabs are free): Ctrl-C stops it."
	case t.Ready:
		status = "Tab completes, ↑/↓ and Ctrl-R search the history, Ctrl-L clears, Ctrl-C clears the line or stops a stream."
	default:
		prompt = "$ "
	}
	if t.hint != "" {
		status = t.hint
	}
	chunks := transcriptChunks(t.Transcript)
	scroll := app.Div().ID("terminal-scroll").Class("scroll").TabIndex(0).Role("region").Aria("label", "Terminal output")
	if t.Tabs.Count > 0 {
		scroll = scroll.Role("tabpanel").Aria("labelledby", tabID(t.Tabs.Current))
	}
	return app.Section().ID("terminal").Class("terminal").Aria("label", "Terminal").Body(
		app.If(t.Tabs.Count > 0, t.renderTabs),
		scroll.Body(
			app.If(t.Transcript == "", func() app.UI {
				return app.P().Class("terminal-welcome").Text("Welcome to kubetab, a Kubernetes cluster in this tab. Try kubectl get nodes (Tab completes).")
			}),
			app.Pre().ID("terminal-output").Aria("live", "polite").Body(
				app.Range(chunks).Slice(func(i int) app.UI {
					c := chunks[i]
					if c.class == "" {
						return app.Text(c.text)
					}
					return app.Span().Class(c.class).Text(c.text)
				}),
			),
		),
		app.Form().Class("prompt").OnSubmit(t.onSubmit).Body(
			app.Label().For("terminal-input").Class("prompt-sign").Text(prompt),
			app.Input().
				ID("terminal-input").
				Type("text").
				AutoComplete(false).
				Attr("spellcheck", "false").
				Attr("autocapitalize", "off").
				Attr("autocorrect", "off").
				Aria("label", "Command line").
				Aria("describedby", "terminal-status").
				Disabled(!t.Ready).
				Value(t.input).
				OnInput(t.onInput).
				OnKeyDown(t.onKeyDown),
		),
		app.P().ID("terminal-status").Class("status").Aria("live", "polite").Text(status),
	)
}

// renderTabs is the tab bar.
func (t *terminalView) renderTabs() app.UI {
	ts := t.Tabs
	return app.Div().Class("terminal-tabs").Body(
		app.Div().Role("tablist").Aria("label", "Terminals").Class("terminal-tablist").Body(
			app.Range(make([]struct{}, ts.Count)).Slice(func(i int) app.UI {
				selected, tabIndex := i == ts.Current, -1
				if selected {
					tabIndex = 0 // one tab stop for the tablist: the arrows move within it
				}
				label := "Terminal " + strconv.Itoa(i+1)
				b := app.Button().ID(tabID(i)).Role("tab").Type("button").
					Class("terminal-tab", classIf(selected, "active"), classIf(i < len(ts.Running) && ts.Running[i], "running")).
					Aria("selected", selected).Aria("controls", "terminal-scroll").
					TabIndex(tabIndex).
					OnClick(func(ctx app.Context, e app.Event) { t.selectTab(ctx, i, false) }).
					OnKeyDown(t.onTabKey).Text(label)
				if i < len(ts.Running) && ts.Running[i] && !selected {
					b = b.Title(label + ": a command runs in it")
				}
				return b
			}),
		),
		app.If(ts.Current > 0, func() app.UI {
			n := ts.Current
			return app.Button().ID("terminal-close-tab").Type("button").Class("btn small terminal-tab-action").
				Aria("label", "Close terminal "+strconv.Itoa(n+1)).Title("Close this terminal (what runs in it ends)").Text("×").
				OnClick(func(ctx app.Context, e app.Event) {
					if sh := t.Session; sh != nil {
						sh.CloseTab(n)
					}
					ctx.Defer(func(app.Context) { focusByID(tabID(n - 1)) })
				})
		}),
		app.Button().ID("terminal-new-tab").Type("button").Class("btn small terminal-tab-action").
			Aria("label", "New terminal").Title("Open another terminal on the same cluster").
			Disabled(!t.Ready || ts.Count >= terminal.MaxTerminals).Text("+").
			OnClick(func(ctx app.Context, e app.Event) {
				if sh := t.Session; sh != nil {
					sh.NewTab()
				}
				ctx.Defer(func(app.Context) { focusByID("terminal-input") })
			}),
	)
}

func tabID(i int) string { return "terminal-tab-" + strconv.Itoa(i+1) }

// onTabKey moves between tabs with the arrow keys, Home and End, as a tablist does: the
// tab focused is shown.
func (t *terminalView) onTabKey(ctx app.Context, e app.Event) {
	n, cur := t.Tabs.Count, t.Tabs.Current
	next := -1
	switch e.Get("key").String() {
	case "ArrowRight":
		next = (cur + 1) % n
	case "ArrowLeft":
		next = (cur + n - 1) % n
	case "Home":
		next = 0
	case "End":
		next = n - 1
	}
	if next < 0 {
		return
	}
	e.PreventDefault()
	t.selectTab(ctx, next, true)
}

// selectTab shows tab i, keeping the focus on its tab (keyboard) or where it was.
func (t *terminalView) selectTab(ctx app.Context, i int, focus bool) {
	if sh := t.Session; sh != nil {
		sh.SelectTab(i)
	}
	t.Tabs.Current = i
	t.hint = ""
	t.history, t.histPos = nil, 0 // the tab's own history, taken when browsing starts
	if focus {
		ctx.Defer(func(app.Context) { focusByID(tabID(i)) })
	}
}

func (t *terminalView) onInput(ctx app.Context, e app.Event) {
	t.input = ctx.JSSrc().Get("value").String()
	t.hint = ""
	if t.search {
		t.found = searchHistory(t.history, t.input, len(t.history))
	}
}

func (t *terminalView) onSubmit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if t.search {
		t.endSearch(t.found >= 0)
	}
	if t.streaming() {
		t.hint = "A command is streaming: Ctrl-C stops it, then Enter runs this line."
		return
	}
	line := t.input
	t.input, t.hint, t.draft = "", "", ""
	t.histPos = len(t.history) + 1
	setInputValue("terminal-input", "", 0)
	sh := t.Session
	if sh == nil {
		return
	}
	sh.AddHistory(line)
	if strings.TrimSpace(line) == "clear" {
		sh.Clear()
		return
	}
	t.Page.typed(line)
	// The engine may work for a while (a long advance, a kubectl edit): never on the UI
	// goroutine.
	ctx.Async(func() { sh.Submit(line) })
}

// browse moves through the history by delta (-1: older), keeping the line being typed as
// the draft below the newest entry.
func (t *terminalView) browse(e app.Event, delta int) {
	if t.histPos >= len(t.history) && delta < 0 {
		// Browsing starts: take the session's history as it is now.
		if t.Session != nil {
			t.history = t.Session.History()
		}
		t.histPos, t.draft = len(t.history), t.input
	}
	pos := t.histPos + delta
	if pos < 0 || pos > len(t.history) {
		return
	}
	e.PreventDefault()
	t.histPos = pos
	if pos == len(t.history) {
		t.setLine(t.draft, -1)
	} else {
		t.setLine(t.history[pos], -1)
	}
}

// endSearch leaves the reverse search with the match in the input (keep) or the line
// typed before it.
func (t *terminalView) endSearch(keep bool) {
	t.search = false
	line := t.draft
	if keep && t.found >= 0 {
		line = t.history[t.found]
	}
	t.histPos = len(t.history)
	t.setLine(line, -1)
}

func (t *terminalView) onKeyDown(ctx app.Context, e app.Event) {
	key := e.Get("key").String()
	ctrl := e.Get("ctrlKey").Bool() && !e.Get("shiftKey").Bool()
	src := ctx.JSSrc()
	switch {
	case ctrl && (key == "r" || key == "R"):
		e.PreventDefault()
		if !t.search {
			if t.Session != nil {
				t.history = t.Session.History()
			}
			t.search, t.draft, t.found = true, t.input, -1
			t.setLine("", -1)
			return
		}
		if t.found > 0 {
			if f := searchHistory(t.history, t.input, t.found); f >= 0 {
				t.found = f
			}
		}
	case t.search && (key == "Escape" || key == "ArrowRight" || key == "Tab"):
		e.PreventDefault()
		t.endSearch(true)
	case t.search && ctrl && (key == "g" || key == "c"):
		e.PreventDefault()
		t.endSearch(false)
	case key == "ArrowUp":
		t.browse(e, -1)
	case key == "ArrowDown":
		t.browse(e, 1)
	case ctrl && (key == "l" || key == "L"):
		e.PreventDefault()
		if sh := t.Session; sh != nil {
			sh.Clear()
		}
	case key == "Tab" && !e.Get("shiftKey").Bool():
		e.PreventDefault()
		line := src.Get("value").String()
		cursor := utf16ToByte(line, src.Get("selectionStart").Int())
		c := complete.Line(line, cursor, t.Page.completionNames())
		if c.Line != line {
			t.setLine(c.Line, c.Cursor)
		}
		t.hint = ""
		if len(c.Candidates) > 1 && t.Session != nil {
			// As a shell lists them: the line, then the candidates, in the scroll-back.
			t.Session.Print(t.Prompt + line + "\n" + strings.Join(c.Candidates, "  "))
		}
	case ctrl && (key == "c" || key == "C"):
		// With text selected, Ctrl-C copies as usual; otherwise it stops a streaming command
		// (keeping what was typed meanwhile), or drops the line.
		if src.Get("selectionStart").Int() != src.Get("selectionEnd").Int() {
			return
		}
		e.PreventDefault()
		if t.streaming() {
			t.hint = ""
			if sh := t.Session; sh != nil {
				sh.Interrupt()
			}
			return
		}
		t.histPos = len(t.history)
		t.setLine("", -1)
		t.hint = "^C"
	}
}

// searchHistory finds the newest entry before index before that contains query (-1:
// none; an empty query finds nothing).
func searchHistory(history []string, query string, before int) int {
	if query == "" {
		return -1
	}
	for i := min(before, len(history)) - 1; i >= 0; i-- {
		if strings.Contains(history[i], query) {
			return i
		}
	}
	return -1
}

// chunk is a run of the transcript's lines of one kind, coloured by its class.
type chunk struct{ class, text string }

// transcriptChunks splits the transcript into runs of lines by kind: the commands echoed
// ("$ ", "> "), errors (kubectl's, the API server's, the shell's), warnings, kubetab's
// notes ("# "), and plain output (""). The lines of an error that lists its causes (`*
// spec...`) stay with it.
func transcriptChunks(t string) []chunk {
	var out []chunk
	start, class := 0, ""
	for i := 0; i < len(t); {
		j := strings.IndexByte(t[i:], '\n')
		end := len(t)
		if j >= 0 {
			end = i + j + 1
		}
		c := lineClass(t[i:end], class)
		if c != class && i > start {
			out = append(out, chunk{class, t[start:i]})
			start = i
		}
		class, i = c, end
	}
	if start < len(t) {
		out = append(out, chunk{class, t[start:]})
	}
	return out
}

// lineClass is the kind of a transcript line; prev is that of the line before.
func lineClass(line, prev string) string {
	switch {
	case strings.HasPrefix(line, "$ ") || strings.HasPrefix(line, "> ") && prev == "t-cmd":
		return "t-cmd"
	case strings.HasPrefix(line, "# "):
		return "t-note"
	case strings.HasPrefix(line, "error") || strings.HasPrefix(line, "Error") || strings.HasPrefix(line, "kubetab: ") ||
		strings.HasPrefix(line, "The ") && strings.Contains(line, " is invalid") || strings.Contains(line, ": command not found") ||
		strings.HasPrefix(line, "unknown ") || strings.HasPrefix(line, "* ") && prev == "t-err":
		return "t-err"
	case strings.HasPrefix(line, "Warning:") || strings.HasPrefix(line, "warning:"):
		return "t-warn"
	}
	return ""
}

// setLine replaces the input's text and puts the cursor at byte offset cursor (-1: end).
func (t *terminalView) setLine(line string, cursor int) {
	t.input = line
	if cursor < 0 {
		cursor = len(line)
	}
	setInputValue("terminal-input", line, byteToUTF16(line, cursor))
}

func setInputValue(id, value string, cursor int) {
	if el := app.Window().GetElementByID(id); el.Truthy() {
		el.Set("value", value)
		el.Call("setSelectionRange", cursor, cursor)
	}
}

func outputAtEnd() bool {
	el := app.Window().GetElementByID("terminal-scroll")
	if !el.Truthy() {
		return true
	}
	return el.Get("scrollHeight").Int()-el.Get("scrollTop").Int()-el.Get("clientHeight").Int() < 48
}

func scrollOutputToEnd() {
	if el := app.Window().GetElementByID("terminal-scroll"); el.Truthy() {
		el.Set("scrollTop", el.Get("scrollHeight").Int())
	}
}

// JavaScript counts string offsets in UTF-16 code units; Go in bytes.

func utf16ToByte(s string, u int) int {
	n := 0
	for i, r := range s {
		if n >= u {
			return i
		}
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return len(s)
}

func byteToUTF16(s string, b int) int {
	n := 0
	for i, r := range s {
		if i >= b {
			break
		}
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// snapshotNames answers completion from a cluster snapshot and the workspace's file list.
// Only pods, nodes and namespaces are in the snapshot; controllers come from its groups.
func snapshotNames(s *snapshot.Snapshot, files []string) complete.Names {
	return func(kind, ns string) []string {
		if kind == "files" {
			return files
		}
		if s == nil {
			return nil
		}
		var out []string
		switch kind {
		case "namespaces":
			return s.Namespaces
		case "nodes":
			for _, n := range s.Nodes {
				out = append(out, n.Name)
			}
		case "pods":
			for _, n := range s.Nodes {
				for _, p := range n.Pods {
					if p.Namespace == ns {
						out = append(out, p.Name)
					}
				}
			}
			for _, p := range s.Pending {
				if p.Namespace == ns {
					out = append(out, p.Name)
				}
			}
		default:
			r := api.ResourceByName(kind)
			if r == nil {
				return nil
			}
			for _, g := range s.Groups {
				if g.Kind == r.Kind && g.Namespace == ns && g.Desired >= 0 {
					out = append(out, g.Name)
				}
			}
		}
		return out
	}
}
