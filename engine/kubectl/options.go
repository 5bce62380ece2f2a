package kubectl

import (
	"fmt"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/kubectl/printers"
)

// Flags several commands share, beside those of the resource builder (resourceFlags) and of
// -f (filenameFlags).

// addDryRun declares --dry-run; alone it means client (kubectl: deprecated, but still so).
func addDryRun(fs *flagSet, p *string) {
	fs.String(p, "dry-run", "", "none").noOpt("unchanged")
}

// dryRunClient reads --dry-run: whether to print instead of writing. kubetab has no
// server-side dry run.
func dryRunClient(v string) (bool, error) {
	switch v {
	case "none", "false", "":
		return false, nil
	case "client", "true", "unchanged":
		return true, nil
	case "server":
		return false, fmt.Errorf("kubetab does not support --dry-run=server; use --dry-run=client")
	default:
		//lint:ignore ST1005 kubectl's own message, as it prints it
		return false, fmt.Errorf("Invalid dry-run value (%s). Must be \"none\", \"server\", or \"client\".", v)
	}
}

// dryRunWrites tells whether a command with this --dry-run may write: only without one (any
// other value prints, or is refused before anything is written).
func dryRunWrites(v string) bool {
	dry, err := dryRunClient(v)
	return err == nil && !dry
}

// printResult writes `kind/name operation`, or the object in the -o format.
func (e *env) printResult(output string, obj api.Object, operation string) error {
	switch output {
	case "":
		e.out("%s %s\n", objectName(obj), operation)
		return nil
	default:
		return printers.PrintObjects(e.io.Out, []api.Object{obj}, output, true)
	}
}
