package kubectl

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strings"

	"github.com/kubetab/kubetab/engine/api"
)

// kustomize's transformers (its builtin field specs, for the kinds kubetab has), the name
// hash of generated objects and the renaming of references to renamed objects.

// valueAt is the value at a path of nested maps, nil when a step is missing.
func valueAt(m map[string]any, keys ...string) any {
	var v any = m
	for _, k := range keys {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[k]
	}
	return v
}

// mapAt is the map at a path; with create, missing maps on the way are made.
func mapAt(m map[string]any, create bool, keys ...string) map[string]any {
	cur := m
	for _, k := range keys {
		next, ok := cur[k].(map[string]any)
		if !ok {
			if !create || cur[k] != nil {
				return nil
			}
			next = map[string]any{}
			cur[k] = next
		}
		cur = next
	}
	return cur
}

// setField sets the value at a path, making the maps on the way.
func setField(m map[string]any, v any, keys ...string) {
	if parent := mapAt(m, true, keys[:len(keys)-1]...); parent != nil {
		parent[keys[len(keys)-1]] = v
	}
}

// templateMeta are the paths of the metadata of the pod (and job) templates of a kind, where
// commonLabels and commonAnnotations go too.
func templateMeta(kind string) [][]string {
	switch kind {
	case "ReplicationController", "Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job":
		return [][]string{{"spec", "template", "metadata"}}
	case "CronJob":
		return [][]string{{"spec", "jobTemplate", "metadata"}, {"spec", "jobTemplate", "spec", "template", "metadata"}}
	}
	return nil
}

// labelSelector is where commonLabels go into a kind's selector; create: the selector is
// made when missing.
func labelSelector(kind string) (keys []string, create bool) {
	switch kind {
	case "Service", "ReplicationController":
		return []string{"spec", "selector"}, true
	case "Deployment", "ReplicaSet", "DaemonSet", "StatefulSet":
		return []string{"spec", "selector", "matchLabels"}, true
	case "Job", "PodDisruptionBudget":
		return []string{"spec", "selector", "matchLabels"}, false
	case "CronJob":
		return []string{"spec", "jobTemplate", "spec", "selector", "matchLabels"}, false
	case "NetworkPolicy":
		return []string{"spec", "podSelector", "matchLabels"}, false
	}
	return nil, false
}

// putAll sets the entries of kv in the map at keys (made when create).
func putAll(m map[string]any, kv map[string]string, create bool, keys ...string) {
	if len(kv) == 0 {
		return
	}
	target := mapAt(m, create, keys...)
	if target == nil {
		return
	}
	for k, v := range kv {
		target[k] = v
	}
}

// addLabels is kustomize's label transformer: metadata labels always, the templates' with
// templates, the selectors' with selectors.
func addLabels(o *kobj, kv map[string]string, selectors, templates bool) {
	putAll(o.m, kv, true, "metadata", "labels")
	if templates || selectors {
		for _, p := range templateMeta(o.kind()) {
			putAll(o.m, kv, true, append(p, "labels")...)
		}
	}
	if selectors {
		if keys, create := labelSelector(o.kind()); keys != nil {
			putAll(o.m, kv, create, keys...)
		}
	}
}

// clusterScoped tells whether a kind has no namespace (kinds kubetab does not know are taken
// to have one, as kustomize takes them).
func clusterScoped(kind string) bool {
	r := api.ResourceForKind(kind)
	return r != nil && !r.Namespaced
}

// transform runs a kustomization's transformers over its objects, in kustomize's order.
func (k *kustomizer) transform(kz *kustomization, objs []*kobj) {
	for _, o := range objs {
		kind := o.kind()
		if kz.Namespace != "" && !clusterScoped(kind) {
			setField(o.m, kz.Namespace, "metadata", "namespace")
		}
		addLabels(o, kz.CommonLabels, true, true)
		for _, l := range kz.Labels {
			addLabels(o, l.Pairs, l.IncludeSelectors, l.IncludeTemplates)
		}
		putAll(o.m, kz.CommonAnnotations, true, "metadata", "annotations")
		for _, p := range templateMeta(kind) {
			putAll(o.m, kz.CommonAnnotations, true, append(p, "annotations")...)
		}
		if (kz.NamePrefix != "" || kz.NameSuffix != "") && kind != "Namespace" && kind != "CustomResourceDefinition" && kind != "APIService" {
			setField(o.m, kz.NamePrefix+o.name()+kz.NameSuffix, "metadata", "name")
		}
		for _, im := range kz.Images {
			setImages(o.m, im)
		}
		for _, r := range kz.Replicas {
			switch kind {
			case "Deployment", "ReplicaSet", "StatefulSet", "ReplicationController":
				if o.orgName == r.Name || o.name() == r.Name {
					setField(o.m, r.Count, "spec", "replicas")
				}
			}
		}
	}
}

// setImages is kustomize's image transformer: every container's image (at any depth, as its
// legacy filter finds them) whose name is im.Name gets the new name, tag or digest.
func setImages(v any, im kustomizeImage) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if k == "containers" || k == "initContainers" {
				if list, ok := val.([]any); ok {
					for _, c := range list {
						if cm, ok := c.(map[string]any); ok {
							if s, ok := cm["image"].(string); ok && imageMatches(s, im.Name) {
								cm["image"] = newImage(s, im)
							}
						}
					}
				}
			}
			setImages(val, im)
		}
	case []any:
		for _, e := range x {
			setImages(e, im)
		}
	}
}

// imageMatches is kustomize's IsImageMatched: the image is the name, with an optional :tag
// and an optional @sha256: digest after it.
func imageMatches(image, name string) bool {
	if name == "" || !strings.HasPrefix(image, name) {
		return false
	}
	tagChars := func(s string) int {
		n := 0
		for n < len(s) && (s[n] >= 'a' && s[n] <= 'z' || s[n] >= 'A' && s[n] <= 'Z' || s[n] >= '0' && s[n] <= '9' || strings.IndexByte("_.{}-", s[n]) >= 0) {
			n++
		}
		return n
	}
	rest := image[len(name):]
	if strings.HasPrefix(rest, ":") {
		rest = rest[1+tagChars(rest[1:]):]
	}
	if rest == "" {
		return true
	}
	digest, ok := strings.CutPrefix(rest, "@sha256:")
	return ok && tagChars(digest) == len(digest)
}

// splitImage is kustomize's image.Split: name, tag and digest, a registry's port not taken
// for a tag.
func splitImage(image string) (name, tag, digest string) {
	search, offset := image, 0
	if i := strings.Index(image, "/"); i > 0 {
		search, offset = image[i:], i
	}
	at, colon := strings.Index(search, "@"), strings.Index(search, ":")
	switch {
	case colon < 0 && at < 0:
		return image, "", ""
	case at >= 0 && (colon < 0 || at < colon):
		return image[:at+offset], "", image[at+offset+1:]
	case at >= 0:
		return image[:colon+offset], image[colon+offset+1 : at+offset], image[at+offset+1:]
	}
	return image[:colon+offset], image[colon+offset+1:], ""
}

// newImage is kustomize's image update: a new tag or digest replaces both old ones.
func newImage(image string, im kustomizeImage) string {
	name, tag, digest := splitImage(image)
	if im.NewName != "" {
		name = im.NewName
	}
	switch {
	case im.NewTag != "" && im.Digest != "":
		tag, digest = im.NewTag, im.Digest
	case im.NewTag != "":
		tag, digest = im.NewTag, ""
	case im.Digest != "":
		tag, digest = "", im.Digest
	}
	if tag != "" {
		name += ":" + tag
	}
	if digest != "" {
		name += "@" + digest
	}
	return name
}

// kustomizeHash is the suffix kustomize v5 gives a generated ConfigMap or Secret: as
// kubectl's --append-hash, but over the object without its name (kustomize looks the name
// up by a path its lookup does not split, so it hashes an empty name).
func kustomizeHash(o *kobj) string {
	m := map[string]any{"kind": o.kind(), "name": ""}
	keys := []string{"data", "binaryData"}
	if o.kind() == "Secret" {
		keys = []string{"data", "stringData"}
		m["type"] = o.m["type"]
		if m["type"] == nil {
			m["type"] = ""
		}
	}
	// data is "" when absent; the other map only counts when present.
	if d, ok := o.m[keys[0]].(map[string]any); ok {
		m[keys[0]] = d
	} else {
		m[keys[0]] = ""
	}
	if d, ok := o.m[keys[1]].(map[string]any); ok {
		m[keys[1]] = d
	}
	b, _ := json.Marshal(m)
	sum := sha256.Sum256(b)
	return hashSuffix(hex.EncodeToString(sum[:]))
}

// nameHashes appends the hash to the names of the generated objects that take one.
func nameHashes(objs []*kobj) {
	for _, o := range objs {
		if o.hash {
			setField(o.m, o.name()+"-"+kustomizeHash(o), "metadata", "name")
		}
	}
}

// podSpecs are the pod specs of an object where references to ConfigMaps and Secrets are.
func podSpecs(o *kobj) []map[string]any {
	var keys []string
	switch o.kind() {
	case "Pod":
		keys = []string{"spec"}
	case "PodTemplate":
		keys = []string{"template", "spec"}
	case "Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "ReplicationController":
		keys = []string{"spec", "template", "spec"}
	case "CronJob":
		keys = []string{"spec", "jobTemplate", "spec", "template", "spec"}
	default:
		return nil
	}
	if m := mapAt(o.m, false, keys...); m != nil {
		return []map[string]any{m}
	}
	return nil
}

// each calls fn for every map in the list at m[key].
func each(m map[string]any, key string, fn func(map[string]any)) {
	list, _ := m[key].([]any)
	for _, e := range list {
		if em, ok := e.(map[string]any); ok {
			fn(em)
		}
	}
}

// fixReferences renames the references to ConfigMaps, Secrets and workloads whose names
// changed (prefix, suffix, hash) as kustomize's name reference transformer does: in pod
// specs (volumes, projected volumes, env, envFrom, imagePullSecrets), Ingress TLS secrets
// and HorizontalPodAutoscalers' targets. A reference is matched by the name the object was
// read or generated with, in the referrer's namespace first.
func fixReferences(objs []*kobj) {
	type target struct{ ns, name string }
	renamed := map[string][]target{} // kind/orgName → new names
	for _, o := range objs {
		if o.orgName != o.name() {
			key := o.kind() + "/" + o.orgName
			renamed[key] = append(renamed[key], target{o.namespace(), o.name()})
		}
	}
	if len(renamed) == 0 {
		return
	}
	for _, o := range objs {
		ns := o.namespace()
		fix := func(m map[string]any, kind, key string) {
			if m == nil {
				return
			}
			old, _ := m[key].(string)
			ts := renamed[kind+"/"+old]
			for _, t := range ts {
				if t.ns == ns {
					m[key] = t.name
					return
				}
			}
			if len(ts) == 1 {
				m[key] = ts[0].name
			}
		}
		for _, spec := range podSpecs(o) {
			each(spec, "volumes", func(v map[string]any) {
				fix(mapAt(v, false, "configMap"), "ConfigMap", "name")
				fix(mapAt(v, false, "secret"), "Secret", "secretName")
				if p := mapAt(v, false, "projected"); p != nil {
					each(p, "sources", func(s map[string]any) {
						fix(mapAt(s, false, "configMap"), "ConfigMap", "name")
						fix(mapAt(s, false, "secret"), "Secret", "name")
					})
				}
			})
			for _, cs := range []string{"containers", "initContainers"} {
				each(spec, cs, func(c map[string]any) {
					each(c, "env", func(env map[string]any) {
						fix(mapAt(env, false, "valueFrom", "configMapKeyRef"), "ConfigMap", "name")
						fix(mapAt(env, false, "valueFrom", "secretKeyRef"), "Secret", "name")
					})
					each(c, "envFrom", func(ef map[string]any) {
						fix(mapAt(ef, false, "configMapRef"), "ConfigMap", "name")
						fix(mapAt(ef, false, "secretRef"), "Secret", "name")
					})
				})
			}
			each(spec, "imagePullSecrets", func(s map[string]any) { fix(s, "Secret", "name") })
		}
		switch o.kind() {
		case "Ingress":
			if spec := mapAt(o.m, false, "spec"); spec != nil {
				each(spec, "tls", func(t map[string]any) { fix(t, "Secret", "secretName") })
			}
		case "HorizontalPodAutoscaler":
			if ref := mapAt(o.m, false, "spec", "scaleTargetRef"); ref != nil {
				kind, _ := ref["kind"].(string)
				fix(ref, kind, "name")
			}
		}
	}
}

// legacyOrderFirst and legacyOrderLast are kustomize's legacy sort order of kinds, which
// kubectl kustomize uses.
var (
	legacyOrderFirst = []string{"Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition",
		"ServiceAccount", "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding",
		"ConfigMap", "Secret", "Endpoints", "Service", "LimitRange", "PriorityClass", "PersistentVolume",
		"PersistentVolumeClaim", "Deployment", "StatefulSet", "CronJob", "PodDisruptionBudget"}
	legacyOrderLast = []string{"MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"}
)

// sortLegacy orders objects as kustomize's legacy sort: by kind (the listed first, the others
// by group, version and kind, the listed last), then namespace and name.
func sortLegacy(objs []*kobj) {
	rank := func(kind string) int {
		for i, k := range legacyOrderFirst {
			if k == kind {
				return i - len(legacyOrderFirst)
			}
		}
		for i, k := range legacyOrderLast {
			if k == kind {
				return i + 1
			}
		}
		return 0
	}
	gvk := func(o *kobj) string {
		g, v, ok := strings.Cut(o.apiVersion(), "/")
		if !ok {
			g, v = "", g
		}
		if g == "" {
			g = "~G"
		}
		if v == "" {
			v = "~V"
		}
		return g + "_" + v + "_" + o.kind()
	}
	id := func(o *kobj) string {
		ns, name := o.namespace(), o.name()
		if ns == "" {
			ns = "~X"
		}
		if name == "" {
			name = "~N"
		}
		return ns + "|" + name
	}
	sort.SliceStable(objs, func(i, j int) bool {
		a, b := objs[i], objs[j]
		if ga, gb := gvk(a), gvk(b); ga != gb {
			if ra, rb := rank(a.kind()), rank(b.kind()); ra != rb {
				return ra < rb
			}
			return ga < gb
		}
		return id(a) < id(b)
	})
}
