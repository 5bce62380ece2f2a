//go:build js && wasm

package session

import (
	"fmt"
	"io/fs"
	"net/http"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/kubetab/kubetab/app/browser"
)

// bundledExamples fetches a file of the example bundle from the site's /examples/ (the
// service worker answers offline): the wasm does not carry the bundle. It blocks, and runs on
// the session goroutine, never in a JS callback.
func bundledExamples(path string) ([]byte, error) {
	u := app.Window().URL()
	prefix := strings.TrimSuffix(app.Getenv("GOAPP_ROOT_PREFIX"), "/")
	res, err := browser.Fetch(browser.Request{URL: u.Scheme + "://" + u.Host + prefix + "/examples/" + path, Limit: 2 << 20})
	switch {
	case err != nil:
		return nil, fmt.Errorf("fetching the bundled copy: %w", err)
	case res.StatusCode == http.StatusNotFound:
		return nil, &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}
	case res.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("fetching the bundled copy: %s", res.Status())
	}
	return res.Body, nil
}
