//go:build js && wasm

package widget

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall/js"
	"time"

	"github.com/kubetab/kubetab/app/browser"
	"github.com/kubetab/kubetab/app/session"
)

// IsEmbedPage reports whether this page is the embed widget (/embed, below any base path).
func IsEmbedPage() bool {
	p := js.Global().Get("location").Get("pathname").String()
	return strings.HasSuffix(p, "/embed") || strings.HasSuffix(p, "/embed/") || strings.HasSuffix(p, "/embed.html")
}

// Start runs the widget's side of the postMessage protocol (docs/embed.md). It sets
// the widget up from its URL, page, then answers the host page's messages one at a time,
// in the order they came. It blocks until the setup is done: call it from a goroutine.
func Start(sh *session.Shell, page *url.URL) {
	cfg := ParseConfig(page)
	for _, p := range cfg.Problems {
		warn("ignored a parameter: " + p)
	}
	type job struct {
		msg    message
		source js.Value
		origin string
	}
	jobs := newInbox[job](maxWaiting)
	js.Global().Call("addEventListener", "message", js.FuncOf(func(this js.Value, args []js.Value) any {
		ev := args[0]
		origin := ev.Get("origin").String()
		if !slices.Contains(cfg.Origins, origin) {
			warn("ignored a message from " + origin + ": that origin is not allowed (the widget's origins= parameter lists the allowed ones)")
			return nil
		}
		msg, reason := readMessage(ev.Get("data"))
		if reason == "" {
			reason = errText(checkMessage(msg))
		}
		if reason != "" {
			warn("ignored a message from " + origin + ": " + reason)
			return nil
		}
		src := ev.Get("source")
		if src.IsNull() || src.IsUndefined() {
			warn("ignored a message from " + origin + ": it has no window to answer")
			return nil
		}
		queued, warnNow := jobs.offer(job{msg, src, origin})
		if !queued {
			if warnNow {
				warn("messages from " + origin + " come faster than they run: " + strconv.Itoa(maxWaiting) + " are waiting, so the next ones are answered with an error until they have run")
			}
			reply(src, origin, msg.ID, busyOutput, 1)
		}
		return nil
	}))

	setup(sh, cfg)
	postToHost(cfg.Origins, map[string]any{"type": msgReady})
	go embedChanges(sh, cfg.Origins)
	go embedHeight(cfg.Origins)

	go func() {
		for {
			j := jobs.next()
			// Run each message in a task of its own, queued behind the events already
			// waiting: Go hands control back to JavaScript only once every goroutine
			// waits, so a worker woken by a message (or by a timer, which Go checks on
			// every event) would run commands inside the host page's message events, and
			// a burst would neither reach the inbox's bound nor let the page (and a
			// same-site host page, which shares its thread) do anything until all had run.
			browser.NextTask()
			var out string
			var code int
			switch j.msg.Type {
			case msgExec:
				out, code = sh.Exec(j.msg.Line)
			case msgLoad:
				out, code = loadFiles(sh, j.msg.Files)
			case msgReset:
				out, code = sh.Exec("kubetab reset")
			}
			reply(j.source, j.origin, j.msg.ID, out, code)
		}
	}()
}

// reply answers a host page's message.
func reply(source js.Value, origin, id, output string, exitCode int) {
	source.Call("postMessage", js.ValueOf(map[string]any{"type": msgResult, "id": id, "output": output, "exitCode": exitCode}), origin)
}

// readMessage checks a message's JavaScript shape and copies it out; reason says what is
// wrong ("" when nothing is).
func readMessage(data js.Value) (m message, reason string) {
	if data.Type() != js.TypeObject || data.IsNull() || js.Global().Get("Array").Call("isArray", data).Bool() {
		return m, "it is not an object"
	}
	t := data.Get("type")
	if t.Type() != js.TypeString {
		return m, "its type is not a string"
	}
	m.Type = t.String()
	switch m.Type {
	case msgExec, msgLoad, msgReset:
	default:
		if len(m.Type) > 40 {
			m.Type = m.Type[:40] + "…"
		}
		return m, "its type " + quoteJS(m.Type) + " is not kubetab:exec, kubetab:load or kubetab:reset"
	}
	id := data.Get("id")
	if id.Type() != js.TypeString {
		return m, "its id is not a string"
	}
	// Each string is copied once, then measured: a postMessage payload is in memory
	// already, and syscall/js reads no property of a string.
	if m.ID = id.String(); len(m.ID) > maxMessageID {
		return m, "its id is longer than 64 characters"
	}
	switch m.Type {
	case msgExec:
		line := data.Get("line")
		if line.Type() != js.TypeString {
			return m, "its line is not a string"
		}
		if m.Line = line.String(); len(m.Line) > maxMessageLine {
			return m, "its line is longer than 64 KiB of UTF-8"
		}
	case msgLoad:
		files := data.Get("files")
		if files.Type() != js.TypeObject || files.IsNull() || js.Global().Get("Array").Call("isArray", files).Bool() {
			return m, "its files is not an object of file names to texts"
		}
		keys := js.Global().Get("Object").Call("keys", files)
		if keys.Length() > maxMessageFiles {
			return m, "it has more than " + strconv.Itoa(maxMessageFiles) + " files"
		}
		m.Files = map[string]string{}
		for i := 0; i < keys.Length(); i++ {
			k := keys.Index(i).String()
			v := files.Get(k)
			if v.Type() != js.TypeString {
				return m, "file " + quoteJS(k) + " is not a string"
			}
			text := v.String()
			if len(text) > session.MaxFileBytes {
				return m, "file " + quoteJS(k) + " is too large"
			}
			m.Files[k] = text
		}
	}
	return m, ""
}

func quoteJS(s string) string {
	return js.Global().Get("JSON").Call("stringify", s).String()
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func warn(msg string) {
	js.Global().Get("console").Call("warn", "kubetab embed: "+msg)
}

// postToHost posts a message the widget sends on its own (ready, changed, height) to the
// page that frames it, for each allowed origin: the browser delivers it only when the
// host page has that origin.
func postToHost(origins []string, msg map[string]any) {
	parent := js.Global().Get("parent")
	if parent.Equal(js.Global().Get("window")) {
		return // not framed
	}
	v := js.ValueOf(msg)
	for _, o := range origins {
		parent.Call("postMessage", v, o)
	}
}

// embedChanges posts kubetab:changed after the cluster changed, at most once per
// changedEvery.
func embedChanges(sh *session.Shell, origins []string) {
	wake := make(chan struct{}, 1)
	sh.Subscribe(func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	})
	var last uint64
	for range wake {
		var rv uint64
		sh.View(func(c *session.Cluster) { rv = uint64(c.Store.ResourceVersion()) })
		if rv == last {
			continue
		}
		last = rv
		postToHost(origins, map[string]any{"type": msgChanged})
		time.Sleep(changedEvery)
	}
}

// embedHeight posts the widget's height whenever it changes, so embed.js can size the
// iframe to its content.
func embedHeight(origins []string) {
	var last atomic.Int64
	measure := func() {
		el := js.Global().Get("document").Call("getElementById", "embed")
		if !el.Truthy() {
			return
		}
		h := int64(el.Call("getBoundingClientRect").Get("height").Float() + 0.5)
		if h > 0 && last.Swap(h) != h {
			postToHost(origins, map[string]any{"type": msgHeight, "height": h})
		}
	}
	if ro := js.Global().Get("ResizeObserver"); ro.Truthy() {
		obs := ro.New(js.FuncOf(func(this js.Value, args []js.Value) any {
			measure()
			return nil
		}))
		// The widget's root may not exist yet: observe the body, whose height follows it.
		obs.Call("observe", js.Global().Get("document").Get("body"))
	}
	// Also on a timer: a root element replaced by the UI is not the one observed.
	for {
		measure()
		time.Sleep(time.Second)
	}
}
