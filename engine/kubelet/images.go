package kubelet

import (
	"crypto/sha256"
	"encoding/hex"
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
}

// Catalogue lists the images kubetab knows, by repository.
var Catalogue = map[string]*Image{}

func init() {
	for _, im := range []*Image{
		{Repository: "luksa/kubia", Size: 274589136, New: func(ctr *Container) Program { return newKubia(ctr, 0) }},
		{Repository: "luksa/kubia-unhealthy", Size: 274589181, New: func(ctr *Container) Program { return newKubia(ctr, 5) }},
		{Repository: "luksa/batch-job", Size: 1241390, Shell: true, New: newBatchJob},
		{Repository: "luksa/ssd-monitor", Size: 1241374, Shell: true, New: newSSDMonitor},
		{Repository: "nginx", Size: 72226342, New: func(ctr *Container) Program { return newWebServer(ctr, 80, "nginx") }},
		{Repository: "httpd", Size: 58199118, New: func(ctr *Container) Program { return newWebServer(ctr, 80, "httpd") }},
		{Repository: "busybox", Size: 2155744, Shell: true},
		{Repository: "alpine", Size: 3807667, Shell: true},
		{Repository: "ubuntu", Size: 29754422, Shell: true},
		{Repository: "debian", Size: 48494272, Shell: true},
		{Repository: "perl", Size: 363087632, Shell: true},
	} {
		Catalogue[im.Repository] = im
	}
}

// LookupImage finds the catalogue entry of an image reference, whatever its registry or tag.
func LookupImage(image string) (*Image, bool) {
	ref := ParseImage(image)
	if im, ok := Catalogue[ref.short()]; ok {
		return im, true
	}
	// Mirrors such as registry.k8s.io/busybox or gcr.io/google-containers/busybox.
	if i := strings.LastIndex(ref.short(), "/"); i >= 0 {
		if im, ok := Catalogue[ref.short()[i+1:]]; ok && im.Shell {
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
