package examples

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"strings"
)

// Bundle reads a file of the bundle by its path ("kubernetes-website/application/deployment.yaml").
// A file the bundle lacks is an error wrapping fs.ErrNotExist. Hosts supply it: the browser
// fetches /examples/PATH from the site, the CLI reads an embedded copy.
type Bundle func(path string) ([]byte, error)

// The bundle's folders.
const (
	Website = "kubernetes-website"   // kubernetes/website content/en/examples
	Book    = "kubernetes-in-action" // luksa/kubernetes-in-action
	// K8sExamples is kubernetes/examples: the https-nginx example the page "Connecting
	// Applications with Services" takes its Makefile and default.conf from.
	K8sExamples = "kubernetes-examples"
)

// k8sExamplesMoved maps the folders of kubernetes/examples to where the bundle keeps them:
// the repository moved https-nginx from staging/ (the path the docs link) to _archived/,
// and go:embed leaves out a directory whose name starts with _.
var k8sExamplesMoved = [][2]string{{"staging/https-nginx/", "https-nginx/"}, {"_archived/https-nginx/", "https-nginx/"}}

// k8sExamplesPath is the bundle path of PATH in kubernetes/examples (any ref).
func k8sExamplesPath(file string) string {
	for _, moved := range k8sExamplesMoved {
		if rest, ok := strings.CutPrefix(file, moved[0]); ok {
			return K8sExamples + "/" + moved[1] + rest
		}
	}
	return K8sExamples + "/" + file
}

// IsURL tells whether a -f argument is a URL rather than a file.
func IsURL(s string) bool { return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") }

// Locate maps a URL to the path of the bundle that holds its answer; ok is false for a URL
// outside the sources the bundle copies. The path is not checked against the bundle.
func Locate(raw string) (p string, ok bool) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.RawQuery != "" {
		return "", false
	}
	rest := path.Clean("/" + u.Path)
	switch strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.") {
	case "k8s.io", "kubernetes.io":
		if r, found := strings.CutPrefix(rest, "/examples/"); found {
			return Website + "/" + r, true
		}
	case "raw.githubusercontent.com":
		// /OWNER/REPO/REF/PATH: every ref reads the one copy.
		return repoFile(rest, "")
	case "github.com":
		// /OWNER/REPO/raw/REF/PATH redirects to the raw file.
		return repoFile(rest, "raw/")
	}
	return "", false
}

// repoFile is the bundle path of a file of the book's repository or kubernetes/examples,
// from the path of a URL on GitHub: /OWNER/REPO/ then mid (raw/ for github.com's
// redirect), then any ref, then the file.
func repoFile(rest, mid string) (string, bool) {
	for _, repo := range []struct {
		prefix string
		path   func(file string) string
	}{
		{"/luksa/kubernetes-in-action/", func(file string) string { return Book + "/" + file }},
		{"/kubernetes/examples/", k8sExamplesPath},
	} {
		if r, found := strings.CutPrefix(rest, repo.prefix+mid); found {
			if _, file, found := strings.Cut(r, "/"); found && file != "" {
				return repo.path(file), true
			}
		}
	}
	return "", false
}

// Get answers a URL from the bundle: its bytes, or an HTTPError (404 for a path the bundle
// lacks) or OfflineError (a URL outside the bundle's sources).
func Get(b Bundle, raw string) ([]byte, error) {
	p, ok := Locate(raw)
	if !ok {
		return nil, &OfflineError{URL: raw}
	}
	if b == nil {
		return nil, &OfflineError{URL: raw, NoBundle: true}
	}
	data, err := b(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &HTTPError{URL: raw, StatusCode: 404, Status: "404 Not Found"}
	}
	if err != nil {
		return nil, fmt.Errorf("reading the bundled copy of %s: %w", raw, err)
	}
	return data, nil
}

// HTTPError is an answer other than 200, worded as kubectl's resource builder words it.
type HTTPError struct {
	URL        string
	StatusCode int
	Status     string // "404 Not Found"
}

func (e *HTTPError) Error() string {
	return fmt.Sprintf("unable to read URL %q, server reported %s, status code=%d", e.URL, e.Status, e.StatusCode)
}

// OfflineError is a URL kubetab cannot reach: the error Go's HTTP client gives kubectl when the
// name does not resolve, and a second line saying why and what works instead.
type OfflineError struct {
	URL string
	// NoBundle is set when the host supplied no bundle (the URL is one the bundle holds).
	NoBundle bool
}

// Host is the URL's host name.
func (e *OfflineError) Host() string {
	if u, err := url.Parse(e.URL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return e.URL
}

func (e *OfflineError) Error() string {
	return fmt.Sprintf("Get %q: dial tcp: lookup %s: no such host\n%s", e.URL, e.Host(), e.Note())
}

// Note is the line that explains the failure.
func (e *OfflineError) Note() string {
	if e.NoBundle {
		return "kubetab is offline and has no copy of the bundled examples here: save the manifest as a file and use -f FILE"
	}
	return "kubetab is offline: only https://k8s.io/examples/..., https://kubernetes.io/examples/..., raw.githubusercontent.com/luksa/kubernetes-in-action/... and raw.githubusercontent.com/kubernetes/examples/... are answered (from copies bundled with kubetab); save other manifests as files and use -f FILE"
}
