package kubelet

import (
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"
)

// What nginx does with the files a pod gives it: the server blocks of
// /etc/nginx/conf.d/*.conf (the image's default.conf, listening on 80, unless a volume
// replaces the directory), the certificates they name, and the documents under
// /usr/share/nginx/html when a volume is mounted there (the book's fortune pods share an
// emptyDir with the container that writes index.html). `nginx -s reload` reads the
// configuration again. Responses carry no headers in kubetab, so `gzip on` changes nothing
// that can be seen.

const (
	nginxConfDir = "/etc/nginx/conf.d"
	nginxHTMLDir = "/usr/share/nginx/html"
)

// nginxConf is what kubetab reads of nginx's configuration.
type nginxConf struct {
	// ports nginx listens on, true for those with ssl.
	ports map[int]bool
	// emerg is the [emerg] error that keeps nginx from starting (a missing certificate).
	emerg string
	// cert is the path of ssl_certificate, which an https client is shown.
	cert string
}

// mounted tells whether a container mounts a volume on dir (or on a directory above it).
func mounted(ctr *Container, dir string) bool {
	for _, vm := range ctr.Spec().VolumeMounts {
		mp := path.Clean("/" + vm.MountPath)
		if mp == dir || strings.HasPrefix(dir, mp+"/") {
			return true
		}
	}
	return false
}

// readNginxConf reads the listen and ssl_certificate directives of conf.d, when a volume
// replaces it; the image's own default.conf listens on port 80.
func readNginxConf(ctr *Container) *nginxConf {
	conf := &nginxConf{ports: map[int]bool{}}
	if !mounted(ctr, nginxConfDir) {
		conf.ports[80] = false
		return conf
	}
	fs := ctr.FS()
	entries, _ := fs.ReadDir(nginxConfDir)
	for _, e := range entries {
		if !strings.HasSuffix(e.Name, ".conf") {
			continue
		}
		data, err := fs.ReadFile(nginxConfDir + "/" + e.Name)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(data, "\n") {
			f := strings.Fields(strings.TrimSuffix(strings.TrimSpace(line), ";"))
			if len(f) < 2 {
				continue
			}
			switch f[0] {
			case "listen":
				addr := f[1]
				if strings.HasPrefix(addr, "[") {
					continue // the IPv6 twin of a port listened on anyway
				}
				if i := strings.LastIndex(addr, ":"); i >= 0 {
					addr = addr[i+1:]
				}
				if port, err := strconv.Atoi(addr); err == nil {
					conf.ports[port] = conf.ports[port] || strings.Contains(line, "ssl")
				}
			case "ssl_certificate", "ssl_certificate_key":
				p := f[1]
				if !strings.HasPrefix(p, "/") {
					p = "/etc/nginx/" + p
				}
				if f[0] == "ssl_certificate" && conf.cert == "" {
					conf.cert = p
				}
				if _, err := fs.Stat(p); err != nil && conf.emerg == "" {
					what := "certificate"
					if f[0] == "ssl_certificate_key" {
						what = "certificate key"
					}
					conf.emerg = fmt.Sprintf("cannot load %s %q: BIO_new_file() failed (SSL: error:80000002:system library::No such file or directory:calling fopen(%s, r) error:10000080:BIO routines::no such file)", what, p, p)
				}
			}
		}
	}
	return conf
}

// nginxErrorPage is one of nginx's own error pages ("403 Forbidden"), with the detail
// some of them add.
func nginxErrorPage(status, detail string) string {
	title := status
	if detail != "" {
		title = status[:3] + " " + detail
	}
	s := "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + status + "</h1></center>\r\n"
	if detail != "" {
		s += "<center>" + detail + "</center>\r\n"
	}
	return s + "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
}

// serveNginx answers a request nginx accepted on one of its ports: a plain request to an
// ssl port gets 400, a document from the html volume or the image's own page otherwise.
func (w *webServer) serveNginx(now time.Time, req *Request) Response {
	if w.conf.ports[req.Port] && !req.TLS {
		return Response{Status: 400, Body: nginxErrorPage("400 Bad Request", "The plain HTTP request was sent to HTTPS port")}
	}
	resp := w.serveNginxFile(req)
	resp.TLS = w.handshake(req)
	return resp
}

// serveNginxFile answers with a document of the html volume or the image's own page.
func (w *webServer) serveNginxFile(req *Request) Response {
	if !mounted(w.ctr, nginxHTMLDir) {
		return Response{Status: 200, Body: w.defaultPage()}
	}
	p, _, _ := strings.Cut(req.Path, "?")
	file := path.Clean(nginxHTMLDir + "/" + p)
	fs := w.ctr.FS()
	st, err := fs.Stat(file)
	switch {
	case err == nil && st.IsDir:
		if body, err := fs.ReadFile(file + "/index.html"); err == nil {
			return Response{Status: 200, Body: body}
		}
		if _, err := fs.Stat(file + "/index.htm"); err == nil {
			body, _ := fs.ReadFile(file + "/index.htm")
			return Response{Status: 200, Body: body}
		}
		return Response{Status: 403, Body: nginxErrorPage("403 Forbidden", "")}
	case err == nil:
		body, _ := fs.ReadFile(file)
		return Response{Status: 200, Body: body}
	}
	return Response{Status: 404, Body: nginxErrorPage("404 Not Found", "")}
}

// RunCommand runs the nginx binary of the image for kubectl exec: `nginx -s reload` reads
// the configuration again, `nginx -t` tests it. Other commands are the shell's (which has
// no nginx).
func (w *webServer) RunCommand(now time.Time, argv []string) (string, int, bool) {
	if w.kind != "nginx" || len(argv) == 0 || path.Base(argv[0]) != "nginx" {
		return "", 0, false
	}
	args := strings.Join(argv[1:], " ")
	conf := readNginxConf(w.ctr)
	switch {
	case args == "-t" || args == "-T":
		if conf.emerg != "" {
			return "nginx: [emerg] " + conf.emerg + "\nnginx: configuration file /etc/nginx/nginx.conf test failed\n", 1, true
		}
		return "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n", 0, true
	case args == "-s reload":
		out := now.UTC().Format("2006/01/02 15:04:05") + " [notice] 40#40: signal process started\n"
		if conf.emerg == "" {
			w.conf = conf
		} else {
			w.ctr.Log(now, now.UTC().Format("2006/01/02 15:04:05")+" [emerg] 1#1: "+conf.emerg)
		}
		return out, 0, true
	}
	return "", 0, false
}

// imageCommand is a Program whose image has programs of its own that kubectl exec may run
// (nginx in the nginx image); handled is false for the commands the shell runs.
type imageCommand interface {
	RunCommand(now time.Time, argv []string) (output string, exitCode int, handled bool)
}

var _ imageCommand = (*webServer)(nil)
