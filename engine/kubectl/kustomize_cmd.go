package kubectl

import "errors"

// kustomizeOptions is `kubectl kustomize [DIR]`: it prints the objects kustomize builds from
// the kustomization in DIR (. when omitted), as YAML documents, and changes nothing.
type kustomizeOptions struct {
	dir string
}

var kustomizeCommand = &command{
	name:    "kustomize",
	short:   "Build a kustomization target from a directory or URL",
	usage:   "kustomize <dir> [flags]",
	options: func(*flagSet) commandOptions { return &kustomizeOptions{} },
}

func (o *kustomizeOptions) complete(_ *env, args []string) error {
	switch len(args) {
	case 0:
		o.dir = "."
	case 1:
		o.dir = args[0]
	default:
		return errors.New("specify one path to kustomization.yaml")
	}
	return nil
}

func (*kustomizeOptions) validate(*env) error { return nil }

func (*kustomizeOptions) readOnly() bool { return true }

func (o *kustomizeOptions) run(e *env) error {
	out, err := e.kustomizeYAML(o.dir)
	if err != nil {
		return err
	}
	_, err = e.io.Out.Write(out)
	return err
}
