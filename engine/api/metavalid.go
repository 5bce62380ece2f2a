package api

import (
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// nameRule is the rule a kind's names follow.
type nameRule int

const (
	dns1123Subdomain nameRule = iota // most kinds
	dns1123Label                     // namespaces, services
)

func (r nameRule) fn() apivalidation.ValidateNameFunc {
	switch r {
	case dns1123Label:
		return apivalidation.ValidateNamespaceName
	}
	return apivalidation.NameIsDNSSubdomain
}

// metaSurelyValid is a quick, allocation-free check that accepts only metadata that
// apimachinery's ValidateObjectMeta accepts too (TestMetaSurelyValidAgrees holds it to that).
// It may refuse valid metadata it does not bother to understand (finalizers, managed
// fields, unusual keys); ValidateObjectMeta then decides, and gives the messages.
func metaSurelyValid(m *metav1.ObjectMeta, namespaced bool, rule nameRule) bool {
	if len(m.ManagedFields) > 0 || m.Generation < 0 || !plainFinalizers(m.Finalizers) {
		return false
	}
	if !plainName(m.Name, false, rule == dns1123Subdomain) {
		return false
	}
	if g := m.GenerateName; g != "" {
		// As apimachinery checks a prefix: a trailing dash is masked, nothing else is.
		if len(g) > 1 && g[len(g)-1] == '-' {
			g = g[:len(g)-2] + "a"
		}
		if !plainName(g, false, rule == dns1123Subdomain) {
			return false
		}
	}
	if namespaced != (m.Namespace != "") || (namespaced && !plainName(m.Namespace, false, false)) {
		return false
	}
	if !plainLabels(m.Labels) {
		return false
	}
	size := 0
	for k, v := range m.Annotations {
		if !plainKey(k) {
			return false
		}
		size += len(k) + len(v)
	}
	if size > 128*1024 {
		return false
	}
	controllers := 0
	for i := range m.OwnerReferences {
		r := &m.OwnerReferences[i]
		if r.APIVersion == "" || r.Kind == "" || r.Name == "" || r.UID == "" || !plainAPIVersion(r.APIVersion) ||
			r.Kind == "Event" { // a banned owner (v1 Event); any kind Event is left to the full check
			return false
		}
		if r.Controller != nil && *r.Controller {
			controllers++
		}
	}
	return controllers <= 1
}

// plainLabels: every key and value is plain (what ValidateLabels accepts, and more).
func plainLabels(m map[string]string) bool {
	for k, v := range m {
		if !plainKey(k) || !plainLabelValue(v) {
			return false
		}
	}
	return true
}

// plainFinalizers: qualified names, not both orphan and foregroundDeletion.
func plainFinalizers(fs []string) bool {
	orphan, foreground := false, false
	for _, f := range fs {
		if !plainKey(f) {
			return false
		}
		orphan = orphan || f == metav1.FinalizerOrphanDependents
		foreground = foreground || f == metav1.FinalizerDeleteDependents
	}
	return !(orphan && foreground)
}

// metaUpdateSurelyValid is metaSurelyValid for apimachinery's ValidateObjectMetaUpdate: it
// accepts only an update that keeps the identity fields (the API server copies them from
// the stored object anyway), names a resourceVersion, does not lower the generation, adds
// no finalizer to an object being deleted, and whose labels, annotations and owner
// references metaSurelyValid accepts.
func metaUpdateSurelyValid(m, old *metav1.ObjectMeta) bool {
	if m.Name != old.Name || m.Namespace != old.Namespace || m.UID != old.UID || m.ResourceVersion == "" ||
		!m.CreationTimestamp.Equal(&old.CreationTimestamp) || !m.DeletionTimestamp.Equal(old.DeletionTimestamp) ||
		(m.DeletionGracePeriodSeconds == nil) != (old.DeletionGracePeriodSeconds == nil) ||
		(m.DeletionGracePeriodSeconds != nil && *m.DeletionGracePeriodSeconds != *old.DeletionGracePeriodSeconds) ||
		m.Generation < old.Generation {
		return false
	}
	if old.DeletionTimestamp != nil {
		for _, f := range m.Finalizers {
			found := false
			for _, o := range old.Finalizers {
				found = found || f == o
			}
			if !found {
				return false
			}
		}
	}
	// The rest of the update check is the create check's, with the stored name (valid).
	return metaSurelyValid(m, m.Namespace != "", dns1123Subdomain) || metaSurelyValid(m, m.Namespace != "", dns1123Label)
}

func lowerAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

func alnum(c byte) bool { return lowerAlnum(c) || c >= 'A' && c <= 'Z' }

// plainName: 1–63 lowercase letters, digits and inner dashes (a DNS-1123 label, which is
// also a subdomain); dots too between such labels, when dots are allowed; a letter first
// when asked (an API version).
func plainName(s string, letterFirst, dots bool) bool {
	if len(s) == 0 || len(s) > 63 {
		return false
	}
	if letterFirst && !(s[0] >= 'a' && s[0] <= 'z') {
		return false
	}
	prev := byte('.')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case lowerAlnum(c):
		case c == '-':
			if prev == '.' {
				return false
			}
		case c == '.' && dots:
			if prev == '.' || prev == '-' {
				return false
			}
		default:
			return false
		}
		prev = c
	}
	return lowerAlnum(prev)
}

// plainKey is a label or annotation key: an optional DNS subdomain prefix and "/", then a
// name of 1–63 letters, digits, '-', '_' and '.', starting and ending alphanumeric.
func plainKey(k string) bool {
	name := k
	for i := 0; i < len(k); i++ {
		if k[i] == '/' {
			if !plainName(k[:i], false, true) {
				return false
			}
			name = k[i+1:]
			break
		}
	}
	return len(name) > 0 && plainLabelValue(name)
}

// plainLabelValue: empty, or up to 63 letters, digits, '-', '_' and '.', starting and
// ending alphanumeric.
func plainLabelValue(v string) bool {
	if len(v) == 0 {
		return true
	}
	if len(v) > 63 || !alnum(v[0]) || !alnum(v[len(v)-1]) {
		return false
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; !alnum(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

// plainAPIVersion: "v1" or "group/version" with a plain group.
func plainAPIVersion(s string) bool {
	g, v := "", s
	for i := 0; i < len(s); i++ {
		if s[i] == '/' {
			g, v = s[:i], s[i+1:]
			break
		}
	}
	if g != "" && !plainName(g, false, true) {
		return false
	}
	return plainName(v, true, false)
}
