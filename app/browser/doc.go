// Package browser is what kubetab uses of the browser outside go-app's components, each
// call with a native twin where code that also runs natively makes it: HTTP requests to
// the page's own site through the window's fetch (Fetch; net/http natively), performance
// marks of a load's phases (Mark), the next task of the event loop (NextTask), Promises for
// JS callbacks that must not block (Promise), the service worker's registration and the
// address bar (RegisterServiceWorker, ReplaceURL).
//
// It imports nothing of kubetab's but wasm/jspromise, and no go-app: the session's browser
// halves use it too.
package browser
