package ui

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/kubetab/kubetab/app/snapshot"
)

// panelView is the side panel (#panel) about the selected pod, node or controller.
type panelView struct {
	app.Compo

	Selected snapshot.Ref
	Tab      string
	Content  snapshot.Panel
	Logs     string
	Page     panelPage
}

// panelPage is what the panel asks of its page, which holds the selection and the text.
type panelPage interface {
	setPanelTab(ctx app.Context, tab string)
	fetchLogs(ctx app.Context)
	closePanel(ctx app.Context)
}

var panelTabs = []struct{ id, label string }{
	{"describe", "Describe"}, {"yaml", "YAML"}, {"events", "Events"}, {"logs", "Logs"},
}

func (v *panelView) Render() app.UI {
	if v.Selected.Empty() {
		return app.Aside().ID("panel").Class("panel closed").Aria("hidden", true)
	}
	title := strings.ToLower(v.Selected.Kind) + "/" + v.Selected.Name
	if v.Selected.Namespace != "" {
		title += " · " + v.Selected.Namespace
	}
	body := v.Content.Text
	loading := v.Content.Ref != v.Selected || v.Content.Tab != v.Tab
	if v.Tab == "logs" {
		loading = false
		body = v.Logs
	}
	return app.Aside().ID("panel").Class("panel").Role("dialog").Aria("label", "Details of "+title).Aria("modal", false).Body(
		app.Div().Class("panel-head").Body(
			app.H2().ID("panel-title").Text(title),
			app.Button().ID("panel-close").Class("btn small").Aria("label", "Close the panel (Escape)").Text("×").OnClick(v.onClose),
		),
		app.Div().Class("panel-tabs").Role("tablist").Aria("label", "Views of "+title).Body(
			app.Range(panelTabs).Slice(func(i int) app.UI {
				t := panelTabs[i]
				if t.id == "logs" && v.Selected.Kind != "Pod" {
					return nil
				}
				return app.Button().Class("panel-tab", classIf(v.Tab == t.id, "active")).
					ID("panel-tab-"+t.id).
					Role("tab").
					Aria("selected", v.Tab == t.id).
					Aria("controls", "panel-body").
					Text(t.label).
					OnClick(func(ctx app.Context, e app.Event) { v.Page.setPanelTab(ctx, t.id) })
			}),
		),
		app.If(v.Tab == "logs", func() app.UI {
			return app.Div().Class("panel-actions").Body(
				app.Button().ID("panel-fetch-logs").Class("btn small").
					Text("kubectl logs "+v.Selected.Name).
					OnClick(func(ctx app.Context, e app.Event) { v.Page.fetchLogs(ctx) }),
				app.Span().Class("muted").Text("runs in the terminal"),
			)
		}),
		app.If(loading, func() app.UI {
			return app.P().Class("muted").Text("loading…")
		}).Else(func() app.UI {
			return app.Pre().ID("panel-body").Class("panel-body").Role("tabpanel").TabIndex(0).Text(body)
		}),
	)
}

func (v *panelView) onClose(ctx app.Context, e app.Event) { v.Page.closePanel(ctx) }
