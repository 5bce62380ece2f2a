package kubectl

import (
	"errors"
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/api/equality"

	"github.com/kubetab/kubetab/engine/api"
)

type editOptions struct {
	plainArgs
	resourceFlags
	Output string
}

var editCommand = &command{
	name:  "edit",
	short: "Edit a resource on the server",
	usage: "edit (RESOURCE/NAME | -f FILENAME) [options]",
	options: func(fs *flagSet) commandOptions {
		o := &editOptions{}
		fs.String(&o.Output, "output", "o", "")
		o.filenameFlags.add(fs)
		return o
	},
}

func (o *editOptions) readOnly() bool { return false }

const editHeader = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`

func (o *editOptions) run(e *env) error {
	if e.io.Edit == nil {
		return fmt.Errorf("kubetab has no editor here; use kubectl patch or apply instead")
	}
	r, err := e.resources(resourceRequest{resourceFlags: o.resourceFlags, args: o.args, listBare: true})
	if err != nil {
		return err
	}
	if len(r.types) > 0 {
		// kubectl edit TYPE edits every object of the type as a List; kubetab edits one at a time.
		return fmt.Errorf("kubetab edits one object at a time: name it (kubectl edit %s NAME)", r.types[0].Singular)
	}
	objs, errs := r.objects()
	if len(errs) > 0 {
		return asError(errs)
	}
	for _, cur := range objs {
		if err := o.editOne(e, cur); err != nil {
			return err
		}
	}
	return nil
}

func (o *editOptions) editOne(e *env, cur api.Object) error {
	res := api.ResourceFor(cur)
	body, err := api.EncodeYAML(cur)
	if err != nil {
		return err
	}
	header := editHeader
	file := fmt.Sprintf("%s-%s.yaml", res.Singular, cur.GetName())
	for attempt := 0; attempt < 2; attempt++ {
		shown := header + string(body)
		edited, err := e.io.Edit(file, shown)
		if err != nil {
			return err
		}
		content := stripComments(edited)
		if strings.TrimSpace(content) == "" {
			e.errf("Edit cancelled, saved file was empty.\n")
			return nil
		}
		if content == stripComments(shown) {
			if attempt == 0 {
				e.errf("Edit cancelled, no changes made.\n")
				return nil
			}
			break
		}
		next, err := decodeOne([]byte(content))
		if err == nil && (next.GetName() != cur.GetName() || api.ResourceFor(next) != res) {
			//lint:ignore ST1005 kubectl's own message, as it prints it
			err = errors.New("At least one of apiVersion, kind and name was changed")
		}
		var updated api.Object
		if err == nil {
			if equality.Semantic.DeepEqual(next, cur) {
				e.errf("Edit cancelled, no changes made.\n")
				return nil
			}
			updated, err = e.updateObject(next, cur)
		}
		if err == nil {
			return e.printResult(o.Output, updated, "edited")
		}
		// Reopen with the failure on top, as kubectl does.
		header = editHeader + fmt.Sprintf("# %s %q was not valid:\n", res.Name, cur.GetName()) +
			commentLines(strings.TrimSuffix(errorText(err), "\n")) + "#\n"
		body = []byte(content)
		if attempt == 1 {
			e.io.Err.Write([]byte(errorText(err)))
		}
	}
	return &rawError{"error: Edit cancelled, no valid changes were saved.\n"}
}

func commentLines(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		b.WriteString("# " + l + "\n")
	}
	return b.String()
}

// stripComments drops the lines kubectl edit ignores.
func stripComments(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "\n")
}
