package main

import (
	"strings"

	"github.com/kubetab/kubetab/app/internal/snapshot"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// panelView is the side panel (#panel) about the selected pod, node or controller.
type panelView struct {
	app.Compo

	ISel     snapshot.Ref
	ITab     string
	IContent snapshot.Panel
	ILogs    string
	IPage    *playground
}

var panelTabs = []struct{ id, label string }{
	{"describe", "Describe"}, {"yaml", "YAML"}, {"events", "Events"}, {"logs", "Logs"},
}

func (v *panelView) Render() app.UI {
	if v.ISel.Empty() {
		return app.Aside().ID("panel").Class("panel closed").Aria("hidden", true)
	}
	title := strings.ToLower(v.ISel.Kind) + "/" + v.ISel.Name
	if v.ISel.Namespace != "" {
		title += " · " + v.ISel.Namespace
	}
	body := v.IContent.Text
	loading := v.IContent.Ref != v.ISel || v.IContent.Tab != v.ITab
	if v.ITab == "logs" {
		loading = false
		body = v.ILogs
	}
	return app.Aside().ID("panel").Class("panel").Role("dialog").Aria("label", "Details of "+title).Aria("modal", false).Body(
		app.Div().Class("panel-head").Body(
			app.H2().ID("panel-title").Text(title),
			app.Button().ID("panel-close").Class("btn small").Aria("label", "Close the panel (Escape)").Text("×").OnClick(v.onClose),
		),
		app.Div().Class("panel-tabs").Role("tablist").Aria("label", "Views of "+title).Body(
			app.Range(panelTabs).Slice(func(i int) app.UI {
				t := panelTabs[i]
				if t.id == "logs" && v.ISel.Kind != "Pod" {
					return nil
				}
				return app.Button().Class("panel-tab", classIf(v.ITab == t.id, "active")).
					ID("panel-tab-"+t.id).
					Role("tab").
					Aria("selected", v.ITab == t.id).
					Aria("controls", "panel-body").
					Text(t.label).
					OnClick(func(ctx app.Context, e app.Event) { v.IPage.setPanelTab(ctx, t.id) })
			}),
		),
		app.If(v.ITab == "logs", func() app.UI {
			return app.Div().Class("panel-actions").Body(
				app.Button().ID("panel-fetch-logs").Class("btn small").
					Aria("label", "Run kubectl logs for "+v.ISel.Name).
					Text("kubectl logs "+v.ISel.Name).
					OnClick(func(ctx app.Context, e app.Event) { v.IPage.fetchLogs(ctx) }),
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

func (v *panelView) onClose(ctx app.Context, e app.Event) { v.IPage.closePanel(ctx) }
