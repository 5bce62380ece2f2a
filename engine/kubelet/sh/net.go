package sh

import (
	"errors"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/kubetab/kubetab/engine/kubelet/sh/filters"
)

// hostPort splits a URL for error messages, with the scheme's default port.
func hostPort(raw string) (host, port string) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		u, err = url.Parse("http://" + raw)
		if err != nil {
			return raw, "80"
		}
	}
	host, port = u.Hostname(), u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	return host, port
}

func normaliseURL(raw string) string {
	if !strings.Contains(raw, "://") {
		return "http://" + raw
	}
	return raw
}

func cmdCurl(c *cmdCtx) int {
	var target, outFile, cacert string
	silent, showErr, fail, include, headOnly, insecure := false, false, false, false, false, false
	writeOut := ""
	args := c.args[1:]
	for len(args) > 0 {
		a := args[0]
		args = args[1:]
		takes := func() string {
			if len(args) == 0 {
				return ""
			}
			v := args[0]
			args = args[1:]
			return v
		}
		switch {
		case a == "--silent":
			silent = true
		case a == "--show-error":
			showErr = true
		case a == "--fail":
			fail = true
		case a == "--include":
			include = true
		case a == "--head":
			headOnly = true
		case a == "--output":
			outFile = takes()
		case a == "--insecure":
			insecure = true
		case a == "--cacert":
			cacert = takes()
		case a == "--write-out":
			writeOut = takes()
		case a == "--max-time" || a == "--connect-timeout" || a == "--header" || a == "--user-agent" || a == "--retry" || a == "--request":
			takes()
		case strings.HasPrefix(a, "--"):
		case strings.HasPrefix(a, "-") && len(a) > 1:
			for i := 1; i < len(a); i++ {
				switch a[i] {
				case 's':
					silent = true
				case 'S':
					showErr = true
				case 'f':
					fail = true
				case 'i':
					include = true
				case 'I':
					headOnly = true
				case 'k':
					insecure = true
				case 'o', 'w', 'm', 'H', 'A', 'X', 'd', 'u':
					v := a[i+1:]
					if v == "" {
						v = takes()
					}
					switch a[i] {
					case 'o':
						outFile = v
					case 'w':
						writeOut = v
					}
					i = len(a)
				}
			}
		default:
			target = a
		}
	}
	_ = silent
	if target == "" {
		c.errf("curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information")
		return 2
	}
	u := normaliseURL(target)
	host, port := hostPort(u)
	tls := tlsCheck{insecure: insecure}
	if cacert != "" && !insecure {
		data, err := c.v.fs.ReadFile(c.v.abs(cacert))
		if err != nil {
			if !silent || showErr {
				c.errf("curl: (77) error setting certificate file: %s", cacert)
			}
			return 77
		}
		tls.ca = data
	}
	status, body, err := c.httpsGet(u, host, tls)
	var te *tlsError
	if errors.As(err, &te) {
		if !silent || showErr {
			c.errf("curl: (%d) %s", te.code, te.msg)
			if te.code == 60 {
				c.errf("%s", curlSSLHelp)
			}
		}
		return te.code
	}
	if err != nil {
		code, msg := 7, "Failed to connect to "+host+" port "+port+" after 0 ms: "
		switch {
		case errors.Is(err, ErrConnectionRefused):
			msg += "Couldn't connect to server"
		case errors.Is(err, ErrUnknownHost):
			code, msg = 6, "Could not resolve host: "+host
		case errors.Is(err, ErrTimeout):
			code, msg = 28, "Failed to connect to "+host+" port "+port+" after 1000 ms: Timeout was reached"
		default:
			msg += err.Error()
		}
		if !silent || showErr {
			c.errf("curl: (%d) %s", code, msg)
		}
		return code
	}
	if fail && status >= 400 {
		if !silent || showErr {
			c.errf("curl: (22) The requested URL returned error: %d", status)
		}
		return 22
	}
	out := body
	if include || headOnly {
		hdr := "HTTP/1.1 " + strconv.Itoa(status) + " " + statusText(status) + "\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n"
		if headOnly {
			out = hdr
		} else {
			out = hdr + body
		}
	}
	if outFile != "" && outFile != "-" {
		if err := c.v.fs.WriteFile(c.v.abs(outFile), out); err != nil {
			c.errf("curl: (23) Failure writing output to destination")
			return 23
		}
	} else {
		c.out(out)
	}
	if writeOut != "" {
		w := strings.ReplaceAll(writeOut, "%{http_code}", strconv.Itoa(status))
		w = strings.ReplaceAll(w, "%{size_download}", strconv.Itoa(len(body)))
		w, _ = filters.Unescape(w, false)
		c.out(w)
	}
	return 0
}

// httpGet resolves host, then fetches u from the first address.
func (c *cmdCtx) httpGet(u, host string) (int, string, error) {
	addrs, _, err := c.v.hostAddrs(host)
	if err != nil {
		if status, body, ok := internetGet(c.v.env, u); ok {
			return status, body, nil
		}
		return 0, "", err
	}
	return c.v.env.HTTPGet(u, addrs[0])
}

func cmdWget(c *cmdCtx) int {
	var target, outFile string
	quiet, spider, timeout := false, false, false
	args := c.args[1:]
	for len(args) > 0 {
		a := args[0]
		args = args[1:]
		switch {
		case a == "--spider":
			spider = true
		case a == "--quiet":
			quiet = true
		case strings.HasPrefix(a, "--output-document="):
			outFile = strings.TrimPrefix(a, "--output-document=")
		case a == "--timeout" || a == "-T" || a == "-U" || a == "--header":
			timeout = timeout || a != "-U" && a != "--header"
			if len(args) > 0 {
				args = args[1:]
			}
		case strings.HasPrefix(a, "--"):
		case strings.HasPrefix(a, "-") && len(a) > 1:
			for i := 1; i < len(a); i++ {
				switch a[i] {
				case 'q':
					quiet = true
				case 'O':
					outFile = a[i+1:]
					if outFile == "" && len(args) > 0 {
						outFile, args = args[0], args[1:]
					}
					i = len(a)
				case 'T', 'U':
					timeout = timeout || a[i] == 'T'
					if a[i+1:] == "" && len(args) > 0 {
						args = args[1:]
					}
					i = len(a)
				}
			}
		default:
			target = a
		}
	}
	if target == "" {
		c.errf("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...")
		return 1
	}
	u := normaliseURL(target)
	host, port := hostPort(u)
	get := c.v.env.HTTPGet
	addrs, _, err := c.v.hostAddrs(host)
	if err != nil {
		st, b, ok := internetGet(c.v.env, u)
		if !ok {
			c.errf("wget: bad address '%s'", host)
			return 1
		}
		addrs, get = []string{host}, func(string, string) (int, string, error) { return st, b, nil }
	}
	if !quiet {
		// The host as the URL names it, with its port when it names one.
		named := host
		if pu, err := url.Parse(u); err == nil && pu.Port() != "" {
			named += ":" + port
		}
		c.errf("Connecting to %s (%s:%s)", named, addrs[0], port)
	}
	status, body, err := get(u, addrs[0])
	if err != nil {
		switch {
		case errors.Is(err, ErrUnknownHost):
			c.errf("wget: bad address '%s'", host)
		case errors.Is(err, ErrTimeout) && timeout:
			c.errf("wget: download timed out")
		case errors.Is(err, ErrTimeout):
			// Without -T, the kernel's connect gives up first.
			c.errf("wget: can't connect to remote host (%s): Connection timed out", addrs[0])
		case errors.Is(err, ErrConnectionRefused):
			c.errf("wget: can't connect to remote host (%s): Connection refused", addrs[0])
		default:
			c.errf("wget: can't connect to remote host (%s): %s", addrs[0], err.Error())
		}
		return 1
	}
	if status >= 400 {
		c.errf("wget: server returned error: HTTP/1.1 %d %s", status, statusText(status))
		return 1
	}
	if spider {
		if !quiet {
			c.errf("remote file exists")
		}
		return 0
	}
	if outFile == "-" {
		if !quiet {
			c.errf("writing to stdout")
		}
		c.out(body)
		if !quiet {
			c.errf("-                    100%% |********************************| %4d  0:00:00 ETA\nwritten to stdout", len(body))
		}
		return 0
	}
	if outFile == "" {
		// The last component of the URL's path (not of its host); index.html for none.
		rest := strings.SplitN(strings.SplitN(u, "://", 2)[1], "?", 2)[0]
		if _, p, ok := strings.Cut(rest, "/"); ok && p != "" && !strings.HasSuffix(p, "/") {
			outFile = path.Base(p)
		} else {
			outFile = "index.html"
		}
	}
	if !quiet {
		c.errf("saving to '%s'", outFile)
	}
	if err := c.v.fs.WriteFile(c.v.abs(outFile), body); err != nil {
		c.errf("wget: can't open '%s': %s", outFile, errText(err))
		return 1
	}
	if !quiet {
		c.errf("%-20s 100%% |********************************| %4d  0:00:00 ETA\n'%s' saved", outFile, len(body), outFile)
	}
	return 0
}

// statusText is the reason phrase of common HTTP status codes (net/http is not imported,
// to keep the wasm binary small).
func statusText(code int) string {
	switch code {
	case 200:
		return "OK"
	case 201:
		return "Created"
	case 204:
		return "No Content"
	case 301:
		return "Moved Permanently"
	case 302:
		return "Found"
	case 304:
		return "Not Modified"
	case 400:
		return "Bad Request"
	case 401:
		return "Unauthorized"
	case 403:
		return "Forbidden"
	case 404:
		return "Not Found"
	case 405:
		return "Method Not Allowed"
	case 500:
		return "Internal Server Error"
	case 502:
		return "Bad Gateway"
	case 503:
		return "Service Unavailable"
	case 504:
		return "Gateway Timeout"
	}
	return ""
}
