package ui

import (
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/app/snapshot"
	"github.com/kubetab/kubetab/engine/kubectl/printers"
)

// timelineView is the event timeline (#event-timeline): the newest events first, as
// `kubectl get events` words them, at most snapshot.MaxTimelineEvents. It re-renders when the
// snapshot's events change or the virtual clock crosses a second (the ages).
type timelineView struct {
	app.Compo

	Events []snapshot.Event
	Now    time.Time
}

func (t *timelineView) Render() app.UI {
	return app.Section().ID("event-timeline").Class("timeline").Aria("label", "Events, newest first").Body(
		app.H2().Text("Events"),
		app.If(len(t.Events) == 0, func() app.UI {
			return app.P().Class("muted").Text("No events yet.")
		}).Else(func() app.UI {
			return app.Div().Class("table-scroll").TabIndex(0).Role("region").Aria("label", "Events table").Body(
				app.Table().Class("events").Body(
					app.THead().Body(app.Tr().Body(
						app.Th().Scope("col").Text("AGE"),
						app.Th().Scope("col").Text("TYPE"),
						app.Th().Scope("col").Text("REASON"),
						app.Th().Scope("col").Text("OBJECT"),
						app.Th().Scope("col").Text("MESSAGE"),
					)),
					app.TBody().Body(
						app.Range(t.Events).Slice(func(i int) app.UI {
							e := t.Events[i]
							age := printers.Age(metav1.NewTime(e.Last), t.Now)
							if e.Count > 1 {
								age += " (x" + strconv.Itoa(int(e.Count)) + ")"
							}
							return app.Tr().Class("event", classIf(e.Type == "Warning", "warning")).DataSet("reason", e.Reason).Body(
								app.Td().Class("age").Text(age),
								app.Td().Class("type").Text(e.Type),
								app.Td().Class("reason").Text(e.Reason),
								app.Td().Class("object").Title(e.Object).Text(e.Object),
								app.Td().Class("message").Text(e.Message),
							)
						}),
					),
				),
			)
		}),
	)
}
