package ui

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/kubetab/kubetab/app/complete"
	"github.com/kubetab/kubetab/app/session"
	"github.com/kubetab/kubetab/app/snapshot"
	"github.com/kubetab/kubetab/engine/api"
)

// maxHistory bounds the terminal's command history.
const maxHistory = 500

// terminalView is the terminal: the transcript (#terminal-output, a plain <pre> that can be
// selected and copied) and the prompt (#terminal-input) with history on ↑/↓, completion on
// Tab and Ctrl-C to drop the line. Lines go to the shell, which echoes them into the
// transcript with their output.
//
// A typed `kubectl get -w` or `kubectl logs -f` streams until it ends or Ctrl-C stops it
// (it prints ^C). Meanwhile the prompt sign is gone and Enter is refused with a hint: the
// line stays in the input, to run once the prompt is back. The input stays enabled, so
// that it keeps the focus and receives Ctrl-C.
type terminalView struct {
	app.Compo

	Transcript string
	// Prompt is the shell's prompt: "$ ", "> ", or "" while a typed command streams.
	Prompt  string
	Ready   bool
	Session *session.Shell // nil while pre-rendering on the server
	Page    terminalPage

	input   string
	history []string
	histPos int    // index into history while browsing; len(history) at the draft
	draft   string // what was typed before browsing the history
	hint    string // completion candidates, or "^C"
	follow  bool   // the output was scrolled to the bottom before the last change
}

// terminalPage is what the terminal asks of its page: the names Tab completes (the
// cluster's, from the page's latest snapshot, and the workspace files'), as they are when
// Tab is pressed.
type terminalPage interface {
	completionNames() complete.Names
}

func (t *terminalView) OnMount(ctx app.Context) {
	t.follow = true
	ctx.Defer(func(app.Context) { scrollOutputToEnd() })
}

func (t *terminalView) OnUpdate(ctx app.Context) {
	// Called before re-rendering with a new transcript: follow the output only when the
	// reader was at the bottom, so scrolling back to copy something is not undone.
	t.follow = outputAtEnd()
	if t.follow {
		ctx.Defer(func(app.Context) { scrollOutputToEnd() })
	}
}

// streaming tells whether a typed command is streaming.
func (t *terminalView) streaming() bool { return t.Ready && t.Prompt == "" }

func (t *terminalView) Render() app.UI {
	prompt := t.Prompt
	status := "starting the cluster…"
	switch {
	case t.streaming():
		status = "The command streams as time runs: Ctrl-C stops it."
	case t.Ready:
		status = "Tab completes, ↑/↓ browse the history, Ctrl-C clears the line or stops a stream (get -w, logs -f)."
	default:
		prompt = "$ "
	}
	if t.hint != "" {
		status = t.hint
	}
	return app.Section().ID("terminal").Class("terminal").Aria("label", "Terminal").Body(
		app.Div().ID("terminal-scroll").Class("scroll").Body(
			app.Pre().ID("terminal-output").Aria("live", "polite").Aria("label", "Terminal output").Text(t.Transcript),
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

func (t *terminalView) onInput(ctx app.Context, e app.Event) {
	t.input = ctx.JSSrc().Get("value").String()
	t.hint = ""
}

func (t *terminalView) onSubmit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if t.streaming() {
		t.hint = "A command is streaming: Ctrl-C stops it, then Enter runs this line."
		return
	}
	line := t.input
	t.input, t.hint, t.draft = "", "", ""
	if strings.TrimSpace(line) != "" && (len(t.history) == 0 || t.history[len(t.history)-1] != line) {
		t.history = append(t.history, line)
		if len(t.history) > maxHistory {
			t.history = t.history[len(t.history)-maxHistory:]
		}
	}
	t.histPos = len(t.history)
	setInputValue("terminal-input", "", 0)
	sh := t.Session
	if sh == nil {
		return
	}
	// The engine may work for a while (a long advance, a kubectl edit): never on the UI
	// goroutine.
	ctx.Async(func() { sh.Submit(line) })
}

func (t *terminalView) onKeyDown(ctx app.Context, e app.Event) {
	key := e.Get("key").String()
	src := ctx.JSSrc()
	switch {
	case key == "ArrowUp":
		if len(t.history) == 0 || t.histPos == 0 {
			return
		}
		e.PreventDefault()
		if t.histPos == len(t.history) {
			t.draft = t.input
		}
		t.histPos--
		t.setLine(t.history[t.histPos], -1)
	case key == "ArrowDown":
		if t.histPos >= len(t.history) {
			return
		}
		e.PreventDefault()
		t.histPos++
		if t.histPos == len(t.history) {
			t.setLine(t.draft, -1)
		} else {
			t.setLine(t.history[t.histPos], -1)
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
		if len(c.Candidates) > 1 {
			t.hint = strings.Join(c.Candidates, "  ")
		}
	case (key == "c" || key == "C") && e.Get("ctrlKey").Bool() && !e.Get("shiftKey").Bool():
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
