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
	jobs := make(chan job, 256)
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
		select {
		case jobs <- job{msg, src, origin}:
		default:
			warn("ignored a message from " + origin + ": too many messages are waiting")
		}
		return nil
	}))

	setup(sh, cfg)
	postToHost(cfg.Origins, map[string]any{"type": msgReady})
	go embedChanges(sh, cfg.Origins)
	go embedHeight(cfg.Origins)

	go func() {
		for j := range jobs {
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
			reply := js.ValueOf(map[string]any{"type": msgResult, "id": j.msg.ID, "output": out, "exitCode": code})
			j.source.Call("postMessage", reply, j.origin)
		}
	}()
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
	if strLen(id) > maxMessageID {
		return m, "its id is longer than 64 characters"
	}
	m.ID = id.String()
	switch m.Type {
	case msgExec:
		line := data.Get("line")
		if line.Type() != js.TypeString {
			return m, "its line is not a string"
		}
		// length in UTF-16 units first, so a huge string is not copied to be refused.
		if strLen(line) > maxMessageLine {
			return m, "its line is longer than 64 KiB of UTF-8"
		}
		m.Line = line.String()
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
			if strLen(v) > session.MaxFileBytes {
				return m, "file " + quoteJS(k) + " is too large"
			}
			m.Files[k] = v.String()
		}
	}
	return m, ""
}

// strLen is a JavaScript string's length in bytes of UTF-8 (syscall/js reads no property
// of a string, so it is copied; a postMessage payload is in memory already).
func strLen(v js.Value) int { return len(v.String()) }

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
