package kubelet

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// ImageRef is an image reference split the way containerd normalises it.
type ImageRef struct {
	// Registry is "docker.io" when the reference names none.
	Registry string
	// Repository is the path inside the registry, "library/nginx" for official images.
	Repository string
	// Tag is "latest" when neither tag nor digest is given.
	Tag    string
	Digest string
}

// ParseImage normalises a reference as containerd does ("nginx" → docker.io/library/nginx:latest).
func ParseImage(image string) ImageRef {
	var r ImageRef
	rest := image
	if i := strings.Index(rest, "@"); i >= 0 {
		r.Digest = rest[i+1:]
		rest = rest[:i]
	}
	if i := strings.LastIndex(rest, ":"); i >= 0 && !strings.Contains(rest[i+1:], "/") {
		r.Tag = rest[i+1:]
		rest = rest[:i]
	}
	if first, after, ok := strings.Cut(rest, "/"); ok && (strings.ContainsAny(first, ".:") || first == "localhost") {
		r.Registry, rest = first, after
	}
	if r.Registry == "" {
		r.Registry = "docker.io"
	}
	if r.Registry == "docker.io" && !strings.Contains(rest, "/") {
		rest = "library/" + rest
	}
	r.Repository = rest
	if r.Tag == "" && r.Digest == "" {
		r.Tag = "latest"
	}
	return r
}

// String is the normalised reference, as containerStatuses[].image shows it.
func (r ImageRef) String() string {
	s := r.Registry + "/" + r.Repository
	if r.Tag != "" {
		s += ":" + r.Tag
	}
	if r.Digest != "" {
		s += "@" + r.Digest
	}
	return s
}

// ImageID is the repo digest containerStatuses[].imageID shows; kubetab derives the digest
// from the reference so that it is stable across runs.
func (r ImageRef) ImageID() string {
	if r.Digest != "" {
		return r.Registry + "/" + r.Repository + "@" + r.Digest
	}
	sum := sha256.Sum256([]byte(r.Registry + "/" + r.Repository + ":" + r.Tag))
	return r.Registry + "/" + r.Repository + "@sha256:" + hex.EncodeToString(sum[:])
}

// short is the repository without registry and without "library/": the catalogue key.
func (r ImageRef) short() string {
	return strings.TrimPrefix(r.Repository, "library/")
}

// Image is one catalogue entry: an image's size and what running it does.
type Image struct {
	// Repository as matched, without registry or tag ("luksa/kubia", "nginx").
	Repository string
	// Size in bytes, as the Pulled event reports it.
	Size int64
	// Shell is true for images whose command/args are shell programs (busybox and friends):
	// with command or args set they run through the command runner.
	Shell bool
	// New starts the image's default program. nil means the generic server.
	New func(ctr *Container) Program
	// Runs tells which programs New also stands for when a container's command names them
	// (`perl ...` in the perl image, `/usr/local/bin/etcd ...` in etcd): New then reads
	// Container.Argv. nil: a command always runs through the shell (Shell images) or the
	// generic server.
	Runs func(program string) bool
	// Entrypoint and Cmd are the image's ENTRYPOINT and CMD, which a container's command
	// and args replace as the runtime does (see resolveArgv). A shell-form ENTRYPOINT is
	// ["/bin/sh", "-c", script].
	Entrypoint, Cmd []string
}

// Catalogue lists the images kubetab knows, by repository.
var Catalogue = map[string]*Image{}

func init() {
	for _, im := range []*Image{
		{Repository: "luksa/kubia", Size: 274589136, New: func(ctr *Container) Program { return newKubia(ctr, 0) }},
		{Repository: "luksa/kubia-unhealthy", Size: 274589181, New: func(ctr *Container) Program { return newKubia(ctr, 5) }},
		// batch-job and ssd-monitor are busybox images with a shell-form ENTRYPOINT; their
		// scripts run as hand-written programs (program.go) so that a month of `SSD OK`
		// lines costs nothing until someone reads the log. A command replaces the script and
		// runs through the shell.
		{Repository: "luksa/batch-job", Size: 1241390, Shell: true, New: newBatchJob,
			Entrypoint: []string{"/bin/sh", "-c", `echo "$(date) Batch job starting"; sleep 120; echo "$(date) Finished succesfully"`}},
		{Repository: "luksa/ssd-monitor", Size: 1241374, Shell: true, New: newSSDMonitor,
			Entrypoint: []string{"/bin/sh", "-c", "while true; do echo SSD OK; sleep 5; done"}},
		// The book's chapter 6 and 7 fortune writers (fortune.go): ubuntu with bash.
		{Repository: "luksa/fortune", Size: 71567120, Shell: true, New: newFortune, Runs: func(p string) bool { return p == "fortuneloop.sh" },
			Entrypoint: []string{"/bin/fortuneloop.sh"}, Cmd: []string{"10"}},
		{Repository: "nginx", Size: 72226342, New: func(ctr *Container) Program { return newWebServer(ctr, 80, "nginx") }},
		{Repository: "httpd", Size: 58199118, New: func(ctr *Container) Program { return newWebServer(ctr, 80, "httpd") }},
		{Repository: "busybox", Size: 2155744, Shell: true, Cmd: []string{"sh"}},
		{Repository: "alpine", Size: 3807667, Shell: true, Cmd: []string{"/bin/sh"}},
		{Repository: "ubuntu", Size: 29754422, Shell: true, Cmd: []string{"/bin/bash"}},
		{Repository: "debian", Size: 48494272, Shell: true, Cmd: []string{"bash"}},
		{Repository: "bash", Size: 6292468, Shell: true, Cmd: []string{"bash"}},
		{Repository: "perl", Size: 363087632, Shell: true, New: newPerl, Runs: isPerl, Cmd: []string{"perl5.40.0", "-de0"}},
		{Repository: "agnhost", Size: 51256434, New: newAgnhost, Runs: func(p string) bool { return p == "agnhost" },
			Entrypoint: []string{"/agnhost"}, Cmd: []string{"pause"}},
		{Repository: "goproxy", Size: 5155462, New: newGoproxy, Entrypoint: []string{"/goproxy"}},
		{Repository: "etcd", Size: 57015453, New: newEtcd, Runs: func(p string) bool { return p == "etcd" }, Cmd: []string{"/usr/local/bin/etcd"}},
		{Repository: "redis", Size: 45016633, New: newRedis, Runs: func(p string) bool { return p == "redis-server" },
			Entrypoint: []string{"docker-entrypoint.sh"}, Cmd: []string{"redis-server"}},
		// The docs' tutorial apps (samples.go). Sizes are the Pulled events' where a real
		// one was seen (bootcamp v1), else of the image's order of magnitude.
		{Repository: "google-samples/kubernetes-bootcamp", Size: 83642968, New: newBootcamp, Cmd: []string{"/bin/sh", "-c", "node server.js"}},
		{Repository: "jocatalin/kubernetes-bootcamp", Size: 83643104, New: newBootcamp, Cmd: []string{"/bin/sh", "-c", "node server.js"}},
		{Repository: "google-samples/hello-app", Size: 4417316, New: newHelloApp, Runs: isHelloApp, Cmd: []string{"/hello-app"}},
		{Repository: "google-samples/containers/gke/hello-app", Size: 4417316, New: newHelloApp, Runs: isHelloApp, Cmd: []string{"/hello-app"}},
		{Repository: "hashicorp/http-echo", Size: 3390632, New: newHTTPEcho, Runs: func(p string) bool { return p == "http-echo" },
			Entrypoint: []string{"/http-echo"}},
		{Repository: "echoserver", Size: 46329416, New: newEchoServer, Cmd: []string{"/usr/local/bin/run.sh"}},
	} {
		Catalogue[im.Repository] = im
	}
}

// mirrored are catalogue images known under other registries' paths as well.
var mirrored = map[string]bool{"agnhost": true, "goproxy": true, "etcd": true, "nginx": true, "httpd": true, "redis": true, "echoserver": true}

func isHelloApp(program string) bool { return program == "hello-app" }

// LookupImage finds the catalogue entry of an image reference, whatever its registry or tag.
func LookupImage(image string) (*Image, bool) {
	ref := ParseImage(image)
	if im, ok := Catalogue[ref.short()]; ok {
		return im, true
	}
	// Mirrors such as registry.k8s.io/busybox, gcr.io/google-containers/busybox or
	// registry.k8s.io/e2e-test-images/agnhost.
	if i := strings.LastIndex(ref.short(), "/"); i >= 0 {
		if im, ok := Catalogue[ref.short()[i+1:]]; ok && (im.Shell || mirrored[im.Repository]) {
			return im, true
		}
	}
	return nil, false
}

// imageSize is the catalogue size, or a stable size derived from the name for unknown images.
func imageSize(image string) int64 {
	if im, ok := LookupImage(image); ok {
		return im.Size
	}
	sum := sha256.Sum256([]byte(ParseImage(image).String()))
	return 20_000_000 + int64(uint32(sum[0])<<16|uint32(sum[1])<<8|uint32(sum[2]))*8
}

// containerImage is what the kubelet knows of an image reference as a spec names it,
// shared by the containers that name it: their status shows its strings, not copies.
type containerImage struct {
	ref   ImageRef
	image *Image // the catalogue's entry; nil for images not in it
	name  string // ref.String(): containerStatuses[].image, the node's pulled images
	id    string // ref.ImageID()
	size  int64  // imageSize
	// verdict is what pull.go's rule says of the reference, once judged (verdictFor).
	verdict pullVerdict
	judged  bool
	// pulling and present are the Pulling and the already-present Pulled events' messages.
	pulling, present string
}

// imageFor is the containerImage of a spec's image reference, made once per reference.
func (m *Manager) imageFor(image string) *containerImage {
	if ci := m.images[image]; ci != nil {
		return ci
	}
	ref := ParseImage(image)
	ci := &containerImage{ref: ref, name: ref.String(), id: ref.ImageID(),
		pulling: fmt.Sprintf("Pulling image %q", image), present: fmt.Sprintf("Container image %q already present on machine", image)}
	ci.image, _ = LookupImage(image)
	ci.size = imageSize(image)
	if m.images == nil {
		m.images = map[string]*containerImage{}
	}
	m.images[image] = ci
	return ci
}
