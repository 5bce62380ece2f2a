//go:build js && wasm

package session

import (
	"context"
	"errors"
	"fmt"
	"syscall/js"
	"time"

	"github.com/hack-pad/hackpadfs"
	"github.com/hack-pad/hackpadfs/indexeddb"
)

// Storage in the browser: one IndexedDB database per site (DatabaseName, storage.go),
// written by one tab at a time.
const writerLock = "kubetab-writer"

// Notices the page shows about storage.
const (
	noticeMemoryOnly = "Storage is unavailable in this browser (%s): this cluster lives in memory only and is lost when the tab closes."
	noticeOtherTab   = "This cluster is open in another tab: changes made here are not saved. Close the other tab and reload this one to keep working here."
)

// OpenBrowserStorage opens the tab's IndexedDB storage and decides whether this tab may
// write it. It blocks on the browser: call it from a goroutine, never from a JS callback.
// It returns nil storage (memory only) when IndexedDB fails (private mode, quota, disabled),
// with the notices to show.
func OpenBrowserStorage() (*Storage, map[string]string) {
	notices := map[string]string{}
	fsys, err := openIndexedDB()
	if err != nil {
		notices["storage"] = fmt.Sprintf(noticeMemoryOnly, err.Error())
		return nil, notices
	}
	if !acquireWriterLock() {
		notices["tab"] = noticeOtherTab
		return newStorage(fsys, true), notices
	}
	// Opening works in some private modes where writing does not: find out now.
	if err := hackpadfs.WriteFullFile(fsys, "probe", []byte("ok"), 0o644); err != nil {
		notices["storage"] = fmt.Sprintf(noticeMemoryOnly, err.Error())
		return nil, notices
	}
	return newStorage(fsys, false), notices
}

// openIndexedDB opens the site's database. Some browsers throw instead of failing the
// request (a sandboxed frame, a disabled storage policy); that is an error here too.
func openIndexedDB() (fsys *indexeddb.FS, err error) {
	if idb := js.Global().Get("indexedDB"); idb.IsUndefined() || idb.IsNull() {
		return nil, errors.New("no IndexedDB")
	}
	defer func() {
		if r := recover(); r != nil {
			fsys, err = nil, fmt.Errorf("%v", r)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return indexeddb.NewFS(ctx, DatabaseName, indexeddb.Options{})
}

// acquireWriterLock asks for the site-wide Web Lock that makes a tab the writer, without
// waiting for it: the first tab holds it until it closes, and every other tab reads only.
// Without the Web Locks API (an insecure context) there is no way to tell, and the tab
// writes.
func acquireWriterLock() bool {
	locks := js.Global().Get("navigator").Get("locks")
	if locks.IsUndefined() || locks.IsNull() {
		return true
	}
	got := make(chan bool, 1)
	var cb js.Func
	cb = js.FuncOf(func(this js.Value, args []js.Value) any {
		held := len(args) > 0 && !args[0].IsNull() && !args[0].IsUndefined()
		got <- held
		if !held {
			cb.Release()
			return nil
		}
		// Returning a promise that never settles keeps the lock for the page's lifetime.
		return js.Global().Get("Promise").New(js.FuncOf(func(this js.Value, args []js.Value) any { return nil }))
	})
	opts := js.Global().Get("Object").New()
	opts.Set("ifAvailable", true)
	locks.Call("request", writerLock, opts, cb)
	select {
	case held := <-got:
		return held
	case <-time.After(5 * time.Second):
		return false
	}
}
