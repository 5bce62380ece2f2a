package kubelet

import (
	"path"
	"slices"
	"strings"

	"github.com/kubetab/kubetab/engine/kubelet/sh"
)

// The files an image brings that the docs read from a container (`cat server.js` in the
// Kubernetes Basics tutorial's `kubectl exec -ti ... -- bash`): they are in the container's
// filesystem from its start, under what a volume mounts over them.

// writeImageFiles writes an image's files with the directories they are in, in path order.
func writeImageFiles(fs *sh.FS, files map[string]string) {
	names := make([]string, 0, len(files))
	for p := range files {
		names = append(names, p)
	}
	slices.Sort(names)
	for _, p := range names {
		_ = fs.MkdirAll(path.Dir(p))
		_ = fs.WriteFile(p, files[p])
	}
}

// imageFiles are the files of the image ref names, by absolute path.
func imageFiles(ref ImageRef) map[string]string {
	short := ref.short()
	switch {
	case strings.HasSuffix(short, "kubernetes-bootcamp"):
		v := strings.TrimPrefix(ref.Tag, "v")
		if v == "" || v == "latest" {
			v = "1"
		}
		return map[string]string{"/server.js": bootcampServerJS(v)}
	case short == "nginx":
		return map[string]string{"/usr/share/nginx/html/index.html": nginxDefaultPage(ref.Tag)}
	}
	return nil
}

// bootcampServerJS is the bootcamp image's /server.js, as `cat server.js` shows it in the
// image (its version N in the answer's " | v=N").
func bootcampServerJS(version string) string {
	return `var http = require('http');
var requests=0;
var podname= process.env.HOSTNAME;
var startTime;
var host;
var handleRequest = function(request, response) {
  response.setHeader('Content-Type', 'text/plain');
  response.writeHead(200);
  response.write("Hello Kubernetes bootcamp! | Running on: ");
  response.write(host);
  response.end(" | v=` + version + `\n");
  console.log("Running On:" ,host, "| Total Requests:", ++requests,"| App Uptime:", (new Date() - startTime)/1000 , "seconds", "| Log Time:",new Date());
}
var www = http.createServer(handleRequest);
www.listen(8080,function () {
    startTime = new Date();;
    host = process.env.HOSTNAME;
    console.log ("Kubernetes Bootcamp App Started At:",startTime, "| Running On: " ,host, "\n" );
});
`
}
