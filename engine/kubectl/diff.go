package kubectl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/internal/udiff"
	"github.com/kubetab/kubetab/engine/kubectl/printers"
	"sigs.k8s.io/yaml"
)

// `kubectl diff -f FILE`: each object of the files as it is (LIVE) and as `kubectl apply`
// would make it (MERGED: the apply patch sent to the API server as a dry run, so defaults,
// the generation and admission show), written as YAML into two temporary directories and
// compared with `diff -u -N`, as kubectl does. Exit status 0: no differences, 1: some, 2:
// an error.
type diffOptions struct {
	plainArgs
	filenameFlags
}

var diffCommand = &command{
	name:  "diff",
	short: "Diff the live version against a would-be applied version",
	usage: "diff -f FILENAME | -k DIRECTORY [options]",
	options: func(fs *flagSet) commandOptions {
		o := &diffOptions{}
		o.filenameFlags.add(fs)
		return o
	},
}

// readOnly: the dry runs draw generated names and uids from the dry-run streams, which a
// replay must draw again.
func (o *diffOptions) readOnly() bool { return false }

// diffFile is one object's pair of files.
type diffFile struct {
	name         string
	live, merged string
}

func (o *diffOptions) run(e *env) error {
	if !o.given() {
		return e.diffError(fmt.Errorf("must specify one of -f and -k"))
	}
	var files []diffFile
	m := manifestFlags{filenameFlags: o.filenameFlags, Validate: "strict"}
	err := e.eachObject("diff", &m, func(obj api.Object, res *api.Resource, src string) error {
		f, err := e.diffObject(obj, res)
		if err != nil {
			return err
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		return e.diffError(err)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	r := e.c.Stream("kubectl/diff")
	liveDir := fmt.Sprintf("/tmp/LIVE-%d", r.Uint32())
	mergedDir := fmt.Sprintf("/tmp/MERGED-%d", r.Uint32())
	stamp := e.c.Now().UTC().Format("2006-01-02 15:04:05.000000000 -0700")
	differ := false
	for _, f := range files {
		hunks := udiff.Hunks(f.live, f.merged)
		if hunks == "" {
			continue
		}
		differ = true
		a, b := liveDir+"/"+f.name, mergedDir+"/"+f.name
		e.out("diff -u -N %s %s\n--- %s\t%s\n+++ %s\t%s\n%s", a, b, a, stamp, b, stamp, hunks)
	}
	if differ {
		return &exitCodeError{1}
	}
	return nil
}

// diffError is an error of kubectl diff: printed as kubectl prints errors, exit status 2.
func (e *env) diffError(err error) error {
	e.errf("%s", errorText(err))
	return &exitCodeError{2}
}

// diffObject reads one object's live version and works out its merged one.
func (e *env) diffObject(obj api.Object, res *api.Resource) (diffFile, error) {
	if res.Namespaced && obj.GetNamespace() == "" {
		obj.SetNamespace(e.ns)
	}
	gvk := res.GroupVersionKind()
	name := fmt.Sprintf("%s.%s.%s.%s", gvk.Version, gvk.Kind, obj.GetNamespace(), obj.GetName())
	if gvk.Group != "" {
		name = gvk.Group + "." + name
	}
	f := diffFile{name: name}
	// The configuration without the last-applied annotation: diff shows what apply would do
	// to the object, not to the annotation (kubectl's GetModifiedConfiguration, annotate false).
	modified, err := configurationJSON(obj)
	if err != nil {
		return f, err
	}
	var live, merged api.Object
	current, err := e.c.Store.Get(res, obj.GetNamespace(), obj.GetName())
	switch {
	case apierrors.IsNotFound(err):
		if merged, err = e.api.Create(obj, apiserver.CreateOptions{DryRun: true}); err != nil {
			return f, err
		}
	case err != nil:
		return f, err
	default:
		live = current
		next, err := applyPatched(current, modified, res)
		if err != nil {
			return f, err
		}
		if next == nil {
			next = current
		}
		if merged, err = e.api.Update(next, apiserver.UpdateOptions{DryRun: true}); err != nil {
			return f, err
		}
	}
	if f.live, err = diffYAML(live, merged, " (before)"); err != nil {
		return f, err
	}
	f.merged, err = diffYAML(merged, live, " (after)")
	return f, err
}

// diffYAML is an object as kubectl diff writes it: YAML without managedFields, a Secret's
// values masked ("***" where both sides agree, "*** (before)" and "*** (after)" where the
// value changes); nothing for no object.
func diffYAML(obj, other api.Object, suffix string) (string, error) {
	if obj == nil {
		return "", nil
	}
	obj = obj.DeepCopyObject().(api.Object)
	obj.SetManagedFields(nil)
	secret, ok := obj.(*corev1.Secret)
	if !ok || len(secret.Data) == 0 {
		var sb strings.Builder
		err := printers.PrintObjects(&sb, []api.Object{obj}, "yaml", true)
		return sb.String(), err
	}
	otherSecret, _ := other.(*corev1.Secret)
	masked := map[string]string{}
	for k, v := range secret.Data {
		masked[k] = "***"
		if otherSecret != nil {
			if ov, ok := otherSecret.Data[k]; ok && !bytes.Equal(ov, v) {
				masked[k] += suffix
			}
		}
	}
	j, err := json.Marshal(secret)
	if err != nil {
		return "", err
	}
	var m map[string]any
	if err := json.Unmarshal(j, &m); err != nil {
		return "", err
	}
	m["data"] = masked
	y, err := yaml.Marshal(m)
	return string(y), err
}
