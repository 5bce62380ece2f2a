package kubelet

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// Image pulls that fail. kubetab has no registry to ask, so whether an image exists is a
// rule on its reference alone, and everything the rule does not name pulls as before
// (an image outside the catalogue then runs as a generic server):
//
//   - A reference the kubelet cannot parse (upper case in the repository, characters the
//     reference grammar refuses) is InvalidImageName: Warning `InspectFailed` and Warning
//     `Failed` "Error: InvalidImageName", nothing is pulled, tried again every
//     configRetry.
//   - imagePullPolicy Never with the image not on the node is ErrImageNeverPull: Warning
//     `ErrImageNeverPull` and Warning `Failed` "Error: ErrImageNeverPull", tried again
//     every configRetry.
//   - A repository whose path names itself missing (a component containing one of
//     missingMarkers, as the docs' non-existing-repo/non-existing-image:example does)
//     fails to pull with containerd's error for a repository the registry does not have.
//   - For the repositories in knownTags (nginx on Docker Hub and the docs' tutorial apps),
//     a tag the registry does not have fails with containerd's `not found` (the docs'
//     nginx:1.161 and nginx:sometag, the bootcamp's v10). nginx's rule is generous: any
//     1, 1.N or 1.N.P with N and P up to 31, latest, mainline, stable, and their variants
//     (alpine, alpine3.N, perl, slim, otel, bookworm, bullseye, buster, stretch, trixie,
//     joined by dashes), so that a version written as the docs write them pulls. Other
//     repositories, and a reference pinned by digest, pull whatever the tag
//     (docs/decisions.md).
//
// A failed pull goes as in the kubelet's image manager (pkg/kubelet/images): Normal
// `Pulling`, then Warning `Failed` "Failed to pull image %q: <error>" and Warning `Failed`
// "Error: ErrImagePull", the container waiting with reason ErrImagePull and the error as
// message. The failure starts a back-off per pod and image (client-go's flowcontrol.Backoff
// with the kubelet's 10 s initial, 300 s cap, measured from the failure). A sync while it
// lasts pulls nothing: Normal `BackOff` "Back-off pulling image %q" and Warning `Failed`
// "Error: ImagePullBackOff", reason ImagePullBackOff with the message "Back-off pulling
// image %q: ErrImagePull: <error>" (v1.32+ keeps the last error). The first such sync
// comes a second after the failure (the sync error and the relist bring the pod worker
// back at once), then every backOffRetry, and one at the instant the back-off ends, which
// pulls again. The pod stays Pending; deleting it stops the retries.

// missingMarkers are the words by which an image reference says it does not exist.
var missingMarkers = []string{"non-existing", "nonexistent", "non-existent", "does-not-exist", "doesnotexist"}

// pullFailure is the error the runtime reports for pulling ref, "" when the pull works.
func pullFailure(ref ImageRef) string {
	missing := false
	for _, comp := range strings.Split(ref.Repository, "/") {
		for _, m := range missingMarkers {
			if strings.Contains(comp, m) {
				missing = true
			}
		}
	}
	name := ref.String()
	// containerd's resolver: a registry answers a tag it does not have with a 404, and
	// Docker Hub a repository it does not have (or may not show) with an authorization
	// error; other registries with a plain 404 there too.
	why := name + ": not found"
	switch {
	case missing && ref.Registry == "docker.io":
		why = "pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"
	case missing:
	case ref.Digest == "" && !tagExists(ref):
	default:
		return ""
	}
	return fmt.Sprintf("failed to pull and unpack image %q: failed to resolve reference %q: %s", name, name, why)
}

// tagExists says whether the registry has ref's tag, for the repositories whose tags
// kubetab knows; any tag of another repository exists.
func tagExists(ref ImageRef) bool {
	exists, ok := knownTags[ref.Registry+"/"+ref.Repository]
	return !ok || exists(ref.Tag)
}

// knownTags are the tags of the repositories the docs use with a tag that does not exist,
// by registry and repository as containerd normalises them.
var knownTags = map[string]func(tag string) bool{
	"docker.io/library/nginx":                                   nginxTagExists,
	"gcr.io/google-samples/kubernetes-bootcamp":                 tagIn("v1"),
	"docker.io/jocatalin/kubernetes-bootcamp":                   tagIn("v1", "v2"),
	"gcr.io/google-samples/hello-app":                           tagIn("1.0", "2.0"),
	"us-docker.pkg.dev/google-samples/containers/gke/hello-app": tagIn("1.0", "2.0"),
	"docker.io/hashicorp/http-echo":                             tagIn("latest", "1.0", "1.0.0", "0.2.3", "0.2.1", "0.2.0"),
	"registry.k8s.io/echoserver":                                echoserverTags,
	"k8s.gcr.io/echoserver":                                     echoserverTags,
	"gcr.io/google_containers/echoserver":                       echoserverTags,
	"gcr.io/google-containers/echoserver":                       echoserverTags,
}

func tagIn(tags ...string) func(string) bool {
	return func(tag string) bool { return slices.Contains(tags, tag) }
}

var echoserverTags = tagIn("1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "1.10")

var (
	nginxVersion  = regexp.MustCompile(`^1(\.([12]?[0-9]|3[01])(\.([12]?[0-9]|3[01]))?)?$`)
	alpineRelease = regexp.MustCompile(`^alpine3\.[0-9]{1,2}$`)
	nginxVariants = map[string]bool{"alpine": true, "perl": true, "slim": true, "otel": true,
		"bookworm": true, "bullseye": true, "buster": true, "stretch": true, "trixie": true}
)

// nginxTagExists is the rule for docker.io/library/nginx (see the top of this file).
func nginxTagExists(tag string) bool {
	words := strings.Split(tag, "-")
	switch base := words[0]; {
	case base == "latest", base == "mainline", base == "stable", nginxVariants[base], nginxVersion.MatchString(base):
	default:
		return false
	}
	for _, w := range words[1:] {
		if !nginxVariants[w] && !alpineRelease.MatchString(w) {
			return false
		}
	}
	return true
}

// The reference grammar of github.com/distribution/reference, which the kubelet parses an
// image with before anything else (applyDefaultImageTag).
var (
	referenceName = regexp.MustCompile(`^` +
		// domain: components of letters, digits and dashes, optionally a port
		`(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?/)?` +
		// path components: lower-case alphanumerics joined by separators
		`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*` +
		// tag and digest
		`(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`)
	hexIdentifier = regexp.MustCompile(`^[a-f0-9]{64}$`)
)

// invalidImageName is the kubelet's message for an image it cannot parse, "" when it can.
func invalidImageName(image string) string {
	why := ""
	switch {
	case hexIdentifier.MatchString(image):
		why = fmt.Sprintf("invalid repository name (%s), cannot specify 64-byte hexadecimal strings", image)
	default:
		// splitDockerDomain, then the lower-case check on the repository.
		domain, remainder := "docker.io", image
		if i := strings.IndexByte(image, '/'); i >= 0 {
			first := image[:i]
			if strings.ContainsAny(first, ".:") || first == "localhost" || strings.ToLower(first) != first {
				domain, remainder = first, image[i+1:]
			}
		}
		if domain == "docker.io" && !strings.Contains(remainder, "/") {
			remainder = "library/" + remainder
		}
		remote, _, _ := strings.Cut(remainder, ":")
		switch {
		case strings.ToLower(remote) != remote:
			why = fmt.Sprintf("invalid reference format: repository name (%s) must be lowercase", remote)
		case len(domain)+1+len(remote) > 255:
			why = "invalid reference format: repository name must not be more than 255 characters"
		case !referenceName.MatchString(domain + "/" + remainder):
			why = "invalid reference format"
		}
	}
	if why == "" {
		return ""
	}
	return fmt.Sprintf("Failed to apply default image tag %q: couldn't parse image reference %q: %s", image, image, why)
}

// pullVerdict is what the rule says of one image reference: the kubelet's parse error and
// the runtime's pull error, "" when there is none.
type pullVerdict struct{ invalid, failure string }

// verdictFor applies the rule to container c's image, once per reference.
func (m *Manager) verdictFor(c *containerRuntime) pullVerdict {
	// Kept with the image reference, made once: a pull of a Job's pod checks the same
	// reference thousands of times a month.
	img := c.img
	if !img.judged {
		img.verdict = pullVerdict{invalid: invalidImageName(c.spec.Image)}
		if img.verdict.invalid == "" {
			img.verdict.failure = pullFailure(img.ref)
		}
		img.judged = true
	}
	return img.verdict
}

// pullBackOff is one entry of the image manager's flowcontrol.Backoff (key: pod UID and
// image) with the error of the pull that set it.
type pullBackOff struct {
	backOff    time.Duration
	lastUpdate time.Time
	lastErr    string
}

// inBackOff is flowcontrol.Backoff.IsInBackOffSinceUpdate.
func (b *pullBackOff) inBackOff(now time.Time) bool {
	if b == nil || now.Sub(b.lastUpdate) > 2*maxBackOff {
		return false
	}
	return now.Sub(b.lastUpdate) < b.backOff
}

// next is flowcontrol.Backoff.Next: 10 s, doubling to 300 s; a fresh start after ten
// minutes without a failure.
func (b *pullBackOff) next(now time.Time) {
	if b.backOff == 0 || now.Sub(b.lastUpdate) > 2*maxBackOff {
		b.backOff = initialBackOff
	} else {
		b.backOff = min(2*b.backOff, maxBackOff)
	}
	b.lastUpdate = now
}

// failBeforePull leaves container i waiting with reason and msg after an error found before
// any pull (InvalidImageName, ErrImageNeverPull) and has the pod worker try again after
// configRetry. Start-up moves on to the next container, as SyncPod does.
func (r *podRuntime) failBeforePull(i int, chain bool, reason, msg string) {
	c := r.containers[i]
	r.k.rec.ContainerEventf(r, r.fieldPath(c), corev1.EventTypeWarning, "Failed", "Error: %s", reason)
	r.waitForImage(i, chain, reason, msg, r.now().Add(configRetry))
}

// waitForImage records why container i has no image yet, reports it, moves start-up on and
// plans the next attempt at retry.
func (r *podRuntime) waitForImage(i int, chain bool, reason, msg string, retry time.Time) {
	c := r.containers[i]
	c.setWaiting(reason, msg)
	r.writeStatus()
	r.next(i, chain)
	r.afterContainer(c, retry.Sub(r.now()), "pull", func() {
		if !r.killing && !r.terminal && c.state == stateWaiting && c.waitingReason == reason {
			r.pull(i, false)
		}
	})
}

// pullBackOffFor is the back-off entry of container c's image in this pod.
func (r *podRuntime) pullBackOffFor(c *containerRuntime) *pullBackOff {
	if r.seldom == nil {
		return nil
	}
	return r.seldom.pullBackOffs[c.spec.Image]
}

// backOffPull answers a sync that would pull c's image while its back-off lasts.
func (r *podRuntime) backOffPull(i int, chain bool, b *pullBackOff) {
	c := r.containers[i]
	k := r.k
	k.rec.ContainerEventf(r, r.fieldPath(c), corev1.EventTypeNormal, "BackOff", "Back-off pulling image %q", c.spec.Image)
	k.rec.ContainerEventf(r, r.fieldPath(c), corev1.EventTypeWarning, "Failed", "Error: %s", "ImagePullBackOff")
	msg := fmt.Sprintf("Back-off pulling image %q: ErrImagePull: %s", c.spec.Image, b.lastErr)
	retry := r.now().Add(backOffRetry)
	if end := b.lastUpdate.Add(b.backOff); end.Before(retry) {
		retry = end
	}
	r.waitForImage(i, chain, "ImagePullBackOff", msg, retry)
}

// pullFailed ends a pull of container i's image that failed with err.
func (r *podRuntime) pullFailed(i int, chain bool, err string) {
	c := r.containers[i]
	k := r.k
	k.rec.ContainerEventf(r, r.fieldPath(c), corev1.EventTypeWarning, "Failed", "Failed to pull image %q: %s", c.spec.Image, err)
	k.rec.ContainerEventf(r, r.fieldPath(c), corev1.EventTypeWarning, "Failed", "Error: %s", "ErrImagePull")
	x := r.more()
	b := x.pullBackOffs[c.spec.Image]
	if b == nil {
		if x.pullBackOffs == nil {
			x.pullBackOffs = map[string]*pullBackOff{}
		}
		b = &pullBackOff{}
		x.pullBackOffs[c.spec.Image] = b
	}
	b.next(r.now())
	b.lastErr = err
	r.waitForImage(i, chain, "ErrImagePull", err, r.now().Add(plegRelist))
}
