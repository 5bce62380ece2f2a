package ui

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/kubetab/kubetab/app/highlight"
	"github.com/kubetab/kubetab/app/samples"
)

// editorView is the YAML editor: a textarea over a highlighted copy of its text, line
// numbers with error markers, the problems the decoder and validation report, an Apply
// button (#apply-button) and the samples menu (#samples). Colours are spans made of text;
// nothing the user types becomes HTML.
type editorView struct {
	app.Compo

	File     string
	Text     string
	Problems []highlight.Problem
	Editing  string // the object a `kubectl edit` waits on, or ""
	Note     string
	Ready    bool
	Page     editorPage

	// escaped is set by Escape, so that the next Tab leaves the editor (Tab otherwise
	// indents): the editor is no keyboard trap.
	escaped bool
}

// editorPage is what the editor asks of its page, which holds the buffer: the text typed,
// and the buttons' actions.
type editorPage interface {
	setEditorText(ctx app.Context, text string)
	apply(ctx app.Context)
	saveFile(ctx app.Context)
	loadSample(ctx app.Context, path string)
	// finishEdit answers the `kubectl edit` waiting on the buffer: save or cancel.
	finishEdit(ctx app.Context, save bool)
}

func (v *editorView) OnMount(ctx app.Context) {
	text := v.Text
	ctx.Defer(func(app.Context) { setTextareaValue(text) })
}

func (v *editorView) Render() app.UI {
	lines := highlight.YAML(v.Text)
	errLines := map[int]string{}
	for _, p := range v.Problems {
		if _, dup := errLines[p.Line]; !dup {
			errLines[p.Line] = p.Msg
		}
	}
	title := "Untitled manifest"
	if v.File != "" {
		title = v.File
	}
	if v.Editing != "" {
		title = "kubectl edit " + v.Editing
	}
	all, groups := samples.List(), samples.Titles()
	return app.Section().ID("editor").Class("editor", classIf(v.Editing != "", "editing")).Aria("label", "YAML editor").Body(
		app.Div().Class("editor-bar").Body(
			app.H2().ID("editor-title").Class("editor-title").Text(title),
			app.Label().For("samples").Class("sr-only").Text("Samples"),
			app.Select().ID("samples").Class("select small").Aria("label", "Load a sample manifest").OnChange(v.onSample).Body(
				app.Option().Value("").Selected(true).Text("Samples…"),
				app.Range(groups).Slice(func(g int) app.UI {
					group := groups[g]
					return app.OptGroup().Label(group).Body(
						app.Range(all).Slice(func(i int) app.UI {
							s := all[i]
							if s.Group != group {
								return nil
							}
							return app.Option().Value(s.Path).Text(s.Title)
						}),
					)
				}),
			),
		),
		app.Div().Class("editor-body").Body(
			app.Div().ID("editor-gutter").Class("gutter").Aria("hidden", true).Body(
				app.Div().ID("editor-gutter-inner").Class("scroll-mirror").Body(
					app.Range(lines).Slice(func(i int) app.UI {
						msg, bad := errLines[i+1]
						return app.Div().Class("ln", classIf(bad, "bad")).Title(msg).Text(strconv.Itoa(i + 1))
					}),
				),
			),
			app.Div().Class("code").Body(
				app.Pre().ID("editor-highlight").Class("highlight").Aria("hidden", true).Body(
					app.Range(lines).Slice(func(i int) app.UI {
						toks := lines[i]
						_, bad := errLines[i+1]
						return app.Div().Class("hl-line", classIf(bad, "bad")).Body(
							app.Range(toks).Slice(func(j int) app.UI {
								return app.Span().Class(toks[j].Kind.Class()).Text(toks[j].Text)
							}),
							app.Text("\u200b"), // keeps an empty line one line high
						)
					}),
				),
				app.Textarea().ID("editor-input").Class("input").
					Aria("label", "Manifest YAML").
					Aria("describedby", "editor-problems").
					Aria("invalid", len(v.Problems) > 0).
					Spellcheck(false).
					Wrap("off").
					Attr("autocapitalize", "off").
					Attr("autocomplete", "off").
					Placeholder("Paste or type a manifest, or pick one from the samples menu.").
					OnInput(v.onInput).
					OnScroll(v.onScroll).
					OnKeyDown(v.onKeyDown),
			),
		),
		app.Div().Class("editor-actions").Body(
			app.If(v.Editing != "", func() app.UI {
				return app.Div().Class("edit-actions").Body(
					app.Button().ID("edit-save").Class("btn primary").Aria("label", "Save the edit and let kubectl apply it").Text("Save").OnClick(v.onEditSave),
					app.Button().ID("edit-cancel").Class("btn").Aria("label", "Cancel the edit").Text("Cancel").OnClick(v.onEditCancel),
				)
			}).Else(func() app.UI {
				return app.Div().Class("edit-actions").Body(
					app.Button().ID("apply-button").Class("btn primary").
						Aria("label", "Apply the manifest (kubectl apply -f -)").
						Disabled(!v.Ready).
						Text("Apply").
						OnClick(v.onApply),
					app.Button().ID("save-file").Class("btn").Title("Save to the workspace").Text("Save file").OnClick(v.onSave),
				)
			}),
			app.Span().ID("editor-note").Class("note").Role("status").Text(v.Note),
		),
		app.Ul().ID("editor-problems").Class("problems").Aria("label", "Problems in the manifest").Body(
			app.Range(v.Problems).Slice(func(i int) app.UI {
				p := v.Problems[i]
				where := "line " + strconv.Itoa(p.Line)
				if p.Column > 0 {
					where += ":" + strconv.Itoa(p.Column)
				}
				return app.Li().Class("problem").DataSet("line", p.Line).Body(
					app.Button().Class("link").Aria("label", "Go to "+where).Text(where).
						OnClick(func(ctx app.Context, e app.Event) { goToLine(p.Line, p.Column) }),
					app.Span().Class("problem-msg").Text(" "+p.Msg),
				)
			}),
		),
	)
}

func (v *editorView) onInput(ctx app.Context, e app.Event) {
	v.Page.setEditorText(ctx, ctx.JSSrc().Get("value").String())
}

// onScroll moves the highlight and the line numbers with the textarea, directly in the
// DOM: scrolling changes no state, so nothing re-renders.
func (v *editorView) onScroll(ctx app.Context, e app.Event) {
	src := ctx.JSSrc()
	top, left := src.Get("scrollTop").Int(), src.Get("scrollLeft").Int()
	if el := app.Window().GetElementByID("editor-highlight"); el.Truthy() {
		el.Get("style").Set("transform", "translate("+strconv.Itoa(-left)+"px,"+strconv.Itoa(-top)+"px)")
	}
	if el := app.Window().GetElementByID("editor-gutter-inner"); el.Truthy() {
		el.Get("style").Set("transform", "translateY("+strconv.Itoa(-top)+"px)")
	}
	ctx.PreventUpdate()
}

// onKeyDown makes Tab indent (two spaces) instead of leaving the editor; Escape then Tab
// leaves it, as keyboard users expect from code editors. Ctrl/Cmd-Enter applies.
func (v *editorView) onKeyDown(ctx app.Context, e app.Event) {
	key := e.Get("key").String()
	switch {
	case key == "Enter" && (e.Get("ctrlKey").Bool() || e.Get("metaKey").Bool()):
		e.PreventDefault()
		if v.Editing != "" {
			v.Page.finishEdit(ctx, true)
		} else {
			v.Page.apply(ctx)
		}
	case key == "Tab" && !e.Get("shiftKey").Bool() && !v.escaped:
		e.PreventDefault()
		src := ctx.JSSrc()
		text := src.Get("value").String()
		start := utf16ToByte(text, src.Get("selectionStart").Int())
		end := utf16ToByte(text, src.Get("selectionEnd").Int())
		text = text[:start] + "  " + text[end:]
		src.Set("value", text)
		pos := byteToUTF16(text, start+2)
		src.Call("setSelectionRange", pos, pos)
		v.Page.setEditorText(ctx, text)
	case key == "Escape":
		v.escaped = true
		return
	}
	if key != "Tab" && key != "Shift" {
		v.escaped = false
	}
}

func (v *editorView) onSample(ctx app.Context, e app.Event) {
	path := ctx.JSSrc().Get("value").String()
	ctx.JSSrc().Set("selectedIndex", 0)
	if path == "" {
		return
	}
	v.Page.loadSample(ctx, path)
}

func (v *editorView) onApply(ctx app.Context, e app.Event)      { v.Page.apply(ctx) }
func (v *editorView) onSave(ctx app.Context, e app.Event)       { v.Page.saveFile(ctx) }
func (v *editorView) onEditSave(ctx app.Context, e app.Event)   { v.Page.finishEdit(ctx, true) }
func (v *editorView) onEditCancel(ctx app.Context, e app.Event) { v.Page.finishEdit(ctx, false) }

// goToLine puts the cursor at a line (1-based) and column of the editor.
func goToLine(line, col int) {
	el := app.Window().GetElementByID("editor-input")
	if !el.Truthy() {
		return
	}
	text := el.Get("value").String()
	off := 0
	for i := 1; i < line; i++ {
		j := strings.IndexByte(text[off:], '\n')
		if j < 0 {
			break
		}
		off += j + 1
	}
	if col > 1 {
		off = min(off+col-1, len(text))
	}
	pos := byteToUTF16(text, off)
	el.Call("focus")
	el.Call("setSelectionRange", pos, pos)
}
