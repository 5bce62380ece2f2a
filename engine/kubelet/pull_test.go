package kubelet

import (
	"fmt"
	"testing"
	"time"
)

func TestPullFailureRule(t *testing.T) {
	for image, want := range map[string]string{
		"non-existing-repo/non-existing-image:example": `failed to pull and unpack image "docker.io/non-existing-repo/non-existing-image:example": failed to resolve reference "docker.io/non-existing-repo/non-existing-image:example": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`,
		"nonexistent":                         `failed to pull and unpack image "docker.io/library/nonexistent:latest": failed to resolve reference "docker.io/library/nonexistent:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`,
		"quay.io/org/image-does-not-exist:v1": `failed to pull and unpack image "quay.io/org/image-does-not-exist:v1": failed to resolve reference "quay.io/org/image-does-not-exist:v1": quay.io/org/image-does-not-exist:v1: not found`,
		"ghcr.io/doesnotexist/app":            `failed to pull and unpack image "ghcr.io/doesnotexist/app:latest": failed to resolve reference "ghcr.io/doesnotexist/app:latest": ghcr.io/doesnotexist/app:latest: not found`,
		"example.com/non-existent/x@sha256:0123456789abcdef0123456789abcdef": `failed to pull and unpack image "example.com/non-existent/x@sha256:0123456789abcdef0123456789abcdef": failed to resolve reference "example.com/non-existent/x@sha256:0123456789abcdef0123456789abcdef": example.com/non-existent/x@sha256:0123456789abcdef0123456789abcdef: not found`,
		// A tag the registry does not have, for the repositories whose tags kubetab knows.
		"nginx:1.161":   `failed to pull and unpack image "docker.io/library/nginx:1.161": failed to resolve reference "docker.io/library/nginx:1.161": docker.io/library/nginx:1.161: not found`,
		"nginx:sometag": `failed to pull and unpack image "docker.io/library/nginx:sometag": failed to resolve reference "docker.io/library/nginx:sometag": docker.io/library/nginx:sometag: not found`,
		"gcr.io/google-samples/kubernetes-bootcamp:v10": `failed to pull and unpack image "gcr.io/google-samples/kubernetes-bootcamp:v10": failed to resolve reference "gcr.io/google-samples/kubernetes-bootcamp:v10": gcr.io/google-samples/kubernetes-bootcamp:v10: not found`,
		"registry.k8s.io/echoserver":                    `failed to pull and unpack image "registry.k8s.io/echoserver:latest": failed to resolve reference "registry.k8s.io/echoserver:latest": registry.k8s.io/echoserver:latest: not found`,
		// Everything else pulls: known tags, other repositories whatever the tag (mirrors
		// included), a reference pinned by digest, unknown images, and a registry host (not
		// a repository) that looks missing.
		"nginx:1.14.2": "",
		"nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef":       "",
		"nginx:1.161@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef": "",
		"registry.k8s.io/e2e-test-images/nginx:1.14-4":                                        "",
		"gcr.io/google-samples/kubernetes-bootcamp:v1":                                        "",
		"docker.io/jocatalin/kubernetes-bootcamp:v2":                                          "",
		"jocatalin/kubernetes-bootcamp:v2":                                                    "",
		"gcr.io/google-samples/hello-app:2.0":                                                 "",
		"hashicorp/http-echo":                                                                 "",
		"k8s.gcr.io/echoserver:1.4":                                                           "",
		"luksa/kubia":                                                                         "",
		"example.com/team/app:1.0":                                                            "",
		"nonexistent.example.com/app:1.0":                                                     "",
		"busybox:nonexistent-tag":                                                             "",
	} {
		if got := pullFailure(ParseImage(image)); got != want {
			t.Errorf("%s:\n got %q\nwant %q", image, got, want)
		}
	}
}

// TestNginxTags is the rule for Docker Hub's nginx: the tags the docs write pull, typos
// and made-up tags do not.
func TestNginxTags(t *testing.T) {
	for _, tag := range []string{"latest", "1", "1.14", "1.14.2", "1.16.1", "1.7.9", "1.27.3", "1.29", "1.31.31",
		"mainline", "stable", "alpine", "perl", "bookworm", "1.27-alpine", "1.27.3-alpine3.20-perl", "stable-alpine-slim",
		"mainline-bookworm-otel", "1-alpine", "alpine-slim"} {
		if !nginxTagExists(tag) {
			t.Errorf("nginx:%s does not exist", tag)
		}
	}
	for _, tag := range []string{"1.161", "1.32", "1.14.32", "2", "sometag", "v1.14", "1.14.2.1", "1.14-", "latest-foo", "alpine3", "1.14.2-alpine3.x", ""} {
		if nginxTagExists(tag) {
			t.Errorf("nginx:%s exists", tag)
		}
	}
}

func TestInvalidImageName(t *testing.T) {
	const prefix = `Failed to apply default image tag "%[1]s": couldn't parse image reference "%[1]s": `
	for image, why := range map[string]string{
		"Nginx:1.27":        "invalid reference format: repository name (library/Nginx) must be lowercase",
		"luksa/Kubia":       "invalid reference format: repository name (luksa/Kubia) must be lowercase",
		"quay.io/Org/app:1": "invalid reference format: repository name (Org/app) must be lowercase",
		"nginx:1.27:extra":  "invalid reference format",
		"nginx::1":          "invalid reference format",
		"busybox@sha256:ab": "invalid reference format",
		"my app":            "invalid reference format",
		"-nginx":            "invalid reference format",
		"nginx:-1":          "invalid reference format",
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef": "invalid repository name (0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef), cannot specify 64-byte hexadecimal strings",
		// Valid references.
		"nginx":                    "",
		"nginx:1.27-alpine":        "",
		"docker.io/library/bash:5": "",
		"registry.k8s.io/e2e-test-images/agnhost:2.40":                                                             "",
		"localhost:5000/app_1/x__y/a-b--c:V1.0_rc":                                                                 "",
		"gcr.io/google-containers/busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef": "",
		"non-existing-repo/non-existing-image:example":                                                             "",
		"MyRegistry:5000/app": "",
	} {
		want := ""
		if why != "" {
			want = fmt.Sprintf(prefix, image) + why
		}
		if got := invalidImageName(image); got != want {
			t.Errorf("%s:\n got %q\nwant %q", image, got, want)
		}
	}
}

// TestPullBackOffEntry is client-go's flowcontrol.Backoff as the image manager uses it:
// measured from the last failure, doubling to the cap, fresh after ten quiet minutes.
func TestPullBackOffEntry(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	var none *pullBackOff
	if none.inBackOff(t0) {
		t.Error("no entry is in back-off")
	}
	b := &pullBackOff{}
	now := t0
	for _, want := range []time.Duration{10, 20, 40, 80, 160, 300, 300} {
		want *= time.Second
		b.next(now)
		if b.backOff != want {
			t.Fatalf("back-off %v, want %v", b.backOff, want)
		}
		if !b.inBackOff(now.Add(want-time.Millisecond)) || b.inBackOff(now.Add(want)) {
			t.Errorf("back-off of %v not over exactly then", want)
		}
		now = now.Add(want + 500*time.Millisecond)
	}
	now = now.Add(2*maxBackOff + time.Second)
	b.next(now)
	if b.backOff != initialBackOff {
		t.Errorf("after ten quiet minutes: %v", b.backOff)
	}
}
