package kubectl

import (
	"bytes"
	"strings"
	"testing"
)

// builderFiles are the manifests the builder's cases name.
var builderFiles = map[string]string{
	"pod-a.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n    app: web\nspec:\n  containers:\n  - name: c\n    image: busybox\n",
	"two.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: gone\n" +
		"---\napiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: kubia\n",
	"other-ns.yaml":       "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  namespace: other\n",
	"node.yaml":           "apiVersion: v1\nkind: Node\nmetadata:\n  name: kubetab-worker\n",
	"bad.yaml":            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [\n",
	"cms/a.yaml":          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ca\n",
	"cms/notes.txt":       "not a manifest",
	"cms/more/b.yaml":     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cb\n",
	"cms/more/deep/c.yml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cc\n",
	"empty/readme.md":     "nothing to apply",
}

// The resource builder, one command line at a time: what it names (resource/namespace/name,
// "!" before what was not found or could not be read) or the error that stops the command.
// The cluster holds pods a and b (app=web on a) in default, x in other, the RC kubia and
// the configmaps ca, cb, cc; the default cluster's nodes.
func TestResourceBuilder(t *testing.T) {
	s := newSession(t)
	for k, v := range builderFiles {
		s.files[k] = v
	}
	// No replicas: the RC's pods would be among those listed.
	s.files["kubia-rc.yaml"] = strings.Replace(rcYAML, "replicas: 3", "replicas: 0", 1)
	for _, line := range []string{
		"create namespace other",
		"run a --image=busybox --labels=app=web",
		"run b --image=busybox --labels=app=db",
		"run x -n other --image=busybox",
		"create -f kubia-rc.yaml",
		"create -f cms -R",
	} {
		if _, errOut, code := s.run(line); code != 0 {
			t.Fatalf("%s: %s", line, errOut)
		}
	}
	for _, tc := range []struct {
		name string
		q    resourceRequest
		ns   string // -n, if given
		// want are the infos; err the error instead. multi and single are the result's.
		want          string
		err           string
		multi, single bool
	}{
		// TYPE, TYPE NAME..., TYPE/NAME...
		{name: "type lists", q: resourceRequest{args: []string{"pods"}, listBare: true}, want: "pods/default/a pods/default/b"},
		{name: "type without list", q: resourceRequest{args: []string{"pods"}}, err: "resource(s) were provided, but no name was specified"},
		{name: "unknown type", q: resourceRequest{args: []string{"foo"}}, err: `the server doesn't have a resource type "foo"`},
		{name: "unknown type first", q: resourceRequest{args: []string{"pods,foo"}}, err: `the server doesn't have a resource type "foo"`},
		{name: "empty type", q: resourceRequest{args: []string{"pods,"}, listBare: true}, err: `the server doesn't have a resource type ""`},
		{name: "names", q: resourceRequest{args: []string{"po", "b", "nope", "a"}}, want: "pods/default/b !pods/default/nope pods/default/a"},
		{name: "one name", q: resourceRequest{args: []string{"pod", "a"}}, want: "pods/default/a", single: true},
		{name: "cluster-scoped name", q: resourceRequest{args: []string{"node", "kubetab-worker"}}, ns: "other", want: "nodes//kubetab-worker", single: true},
		{name: "slash", q: resourceRequest{args: []string{"pod/a", "rc/kubia"}}, want: "pods/default/a replicationcontrollers/default/kubia", multi: true},
		{name: "slash one", q: resourceRequest{args: []string{"pods/b"}}, want: "pods/default/b", single: true},
		{name: "types with names", q: resourceRequest{args: []string{"pods,rc", "kubia", "a"}},
			want: "!pods/default/kubia pods/default/a replicationcontrollers/default/kubia !replicationcontrollers/default/a", multi: true},
		{name: "one type twice", q: resourceRequest{args: []string{"pods,po"}, listBare: true}, want: "pods/default/a pods/default/b"},
		{name: "all", q: resourceRequest{args: []string{"all"}, listBare: true}, want: "pods/default/a pods/default/b replicationcontrollers/default/kubia services/default/kubernetes", multi: true},
		{name: "all with a name", q: resourceRequest{args: []string{"all", "a"}}, err: "you must specify only one resource"},
		{name: "slash and type", q: resourceRequest{args: []string{"pod", "pod/a"}},
			err: "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'"},
		{name: "two slashes", q: resourceRequest{args: []string{"pod/a/b"}}, err: "arguments in resource/name form may not have more than one slash"},
		{name: "no type", q: resourceRequest{args: []string{"/a"}}, err: "arguments in resource/name form must have a single resource and name"},
		{name: "two types in slash", q: resourceRequest{args: []string{"pods,rc/a"}}, err: "arguments in resource/name form must have a single resource and name"},
		{name: "nothing", q: resourceRequest{}, err: errMissingResource.Error()},

		// -l, --field-selector, --all, -A
		{name: "label", q: resourceRequest{args: []string{"pods"}, resourceFlags: resourceFlags{LabelSelector: "app=web"}}, want: "pods/default/a"},
		{name: "field", q: resourceRequest{args: []string{"pods"}, resourceFlags: resourceFlags{FieldSelector: "metadata.name=b"}}, want: "pods/default/b"},
		{name: "blank selector", q: resourceRequest{args: []string{"pods"}, resourceFlags: resourceFlags{LabelSelector: " "}}, err: "resource(s) were provided, but no name was specified"},
		{name: "bad label", q: resourceRequest{args: []string{"pods,rc"}, resourceFlags: resourceFlags{LabelSelector: "a:b"}}, want: "!pods// !replicationcontrollers//", multi: true},
		{name: "label with a name", q: resourceRequest{args: []string{"pods", "a"}, resourceFlags: resourceFlags{LabelSelector: "app=web"}}, err: "name cannot be provided when a selector is specified"},
		{name: "label with slash", q: resourceRequest{args: []string{"pod/a"}, resourceFlags: resourceFlags{LabelSelector: "app=web"}}, err: "selectors and the all flag cannot be used when passing resource/name arguments"},
		{name: "label alone", q: resourceRequest{resourceFlags: resourceFlags{LabelSelector: "app=web"}}, err: "at least one resource must be specified to use a selector"},
		{name: "all namespaces", q: resourceRequest{args: []string{"pods"}, listBare: true, resourceFlags: resourceFlags{AllNamespaces: true}}, want: "pods/default/a pods/default/b pods/other/x"},
		{name: "name in all namespaces", q: resourceRequest{args: []string{"pod", "a"}, resourceFlags: resourceFlags{AllNamespaces: true}}, err: "a resource cannot be retrieved by name across all namespaces"},
		{name: "cluster-scoped name in all namespaces", q: resourceRequest{args: []string{"node/kubetab-worker"}, resourceFlags: resourceFlags{AllNamespaces: true}}, want: "nodes//kubetab-worker", single: true},
		{name: "namespace", q: resourceRequest{args: []string{"pods"}, listBare: true}, ns: "other", want: "pods/other/x"},
		{name: "select all", q: resourceRequest{args: []string{"pods"}, selectAll: true}, want: "pods/default/a pods/default/b"},
		{name: "select all with a name", q: resourceRequest{args: []string{"pods", "a"}, selectAll: true}, err: "name cannot be provided when a selector is specified"},

		// -f, -R
		{name: "file", q: files("pod-a.yaml"), want: "pods/default/a", single: true},
		{name: "file in a namespace", q: files("pod-a.yaml"), ns: "other", want: "!pods/other/a", single: true},
		{name: "file naming its namespace", q: files("other-ns.yaml"), want: "pods/other/x", single: true},
		{name: "file naming another namespace than -n", q: files("other-ns.yaml"), ns: "default",
			want: `!: the namespace from the provided object "other" does not match the namespace "default". You must pass '--namespace=other' to perform this operation.`},
		{name: "file of a cluster-scoped object", q: files("node.yaml"), ns: "other", want: "nodes//kubetab-worker", single: true},
		{name: "documents", q: files("two.yaml"), want: "pods/default/a !pods/default/gone replicationcontrollers/default/kubia", multi: true},
		{name: "files", q: files("pod-a.yaml", "kubia-rc.yaml"), want: "pods/default/a replicationcontrollers/default/kubia", multi: true},
		{name: "bad document", q: files("bad.yaml", "pod-a.yaml"), want: "!: error parsing bad.yaml: error converting YAML to JSON: yaml: line 4: did not find expected node content pods/default/a"},
		{name: "file filtered by label", q: resourceRequest{resourceFlags: resourceFlags{filenameFlags: filenameFlags{Filenames: []string{"two.yaml", "pod-a.yaml"}}, LabelSelector: "app=web"}},
			want: "pods/default/a pods/default/a", multi: false},
		{name: "bad label on files", q: resourceRequest{resourceFlags: resourceFlags{filenameFlags: filenameFlags{Filenames: []string{"pod-a.yaml"}}, LabelSelector: "a:b"}},
			err: `the provided selector "a:b" is not valid: unable to parse requirement: <nil>: Invalid value: "a:b": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`},
		{name: "directory", q: files("cms"), want: "configmaps/default/ca"},
		{name: "directory, recursive", q: resourceRequest{resourceFlags: resourceFlags{filenameFlags: filenameFlags{Filenames: []string{"cms"}, Recursive: true}}},
			want: "configmaps/default/ca configmaps/default/cb configmaps/default/cc"},
		{name: "directory without manifests", q: files("empty"), err: "error reading [empty]: recognized file extensions are [.json .yaml .yml]"},
		{name: "missing file", q: files("pod-a.yaml", "nope.yaml"), err: `the path "nope.yaml" does not exist`},
		{name: "file and type", q: resourceRequest{args: []string{"pods"}, resourceFlags: resourceFlags{filenameFlags: filenameFlags{Filenames: []string{"pod-a.yaml"}}}},
			err: "when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well"},
		{name: "file and name", q: resourceRequest{args: []string{"pod", "a"}, resourceFlags: resourceFlags{filenameFlags: filenameFlags{Filenames: []string{"pod-a.yaml"}}}},
			err: "when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well"},
		{name: "file and slash", q: resourceRequest{args: []string{"pod/a"}, resourceFlags: resourceFlags{filenameFlags: filenameFlags{Filenames: []string{"pod-a.yaml"}}}},
			err: "resource/name arguments cannot be provided when a path is specified"},
		{name: "stdin", q: files("-"), want: "pods/default/a"},
		{name: "stdin twice", q: files("-", "-"), err: "standard input cannot be used for multiple arguments"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			e := &env{c: s.c.Cluster, ns: "default", io: s.io(&out, &errb, builderFiles["pod-a.yaml"])}
			if tc.ns != "" {
				e.ns, e.nsSet = tc.ns, true
			}
			r, err := e.resources(tc.q)
			if tc.err != "" || err != nil {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			var got []string
			for _, i := range r.infos {
				w := ""
				if i.err != nil {
					w = "!"
				}
				if i.res == nil {
					w += ": " + i.err.Error()
				} else {
					w += i.res.Name + "/" + i.namespace + "/" + i.name
				}
				if i.err == nil && (i.obj.GetName() != i.name || i.obj.GetNamespace() != i.namespace) {
					t.Errorf("%s holds %s/%s", w, i.obj.GetNamespace(), i.obj.GetName())
				}
				got = append(got, w)
			}
			if g := strings.Join(got, " "); g != tc.want {
				t.Errorf("named\n %s\nwant\n %s", g, tc.want)
			}
			if r.multiType != tc.multi || r.single != tc.single {
				t.Errorf("multiType %v, single %v; want %v, %v", r.multiType, r.single, tc.multi, tc.single)
			}
			if out.Len() > 0 || errb.Len() > 0 {
				t.Errorf("the builder printed %q, %q", out.String(), errb.String())
			}
		})
	}
}

func files(names ...string) resourceRequest {
	return resourceRequest{resourceFlags: resourceFlags{filenameFlags: filenameFlags{Filenames: names}}}
}
