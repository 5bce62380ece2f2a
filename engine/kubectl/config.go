package kubectl

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"sigs.k8s.io/yaml"

	"github.com/kubetab/kubetab/engine/kubectl/printers"
)

// ClientConfig is what kubectl reads from its kubeconfig that a user can change: the
// namespace of kubetab's one context (`kubectl config set-context --current --namespace=X`),
// which commands without -n then use. The terminal keeps it and records it with each
// journaled command, so that a replay runs each in the namespace it ran in.
type ClientConfig struct {
	Namespace string
}

// `kubectl config`: the kubeconfig of kubetab's one context (named ContextName, as its
// cluster and user are), whose namespace can be set; other contexts cannot be made.
var configCommand = &command{
	name:  "config",
	short: "Modify kubeconfig files",
	usage: "config SUBCOMMAND [options]",
	options: func(fs *flagSet) commandOptions {
		return &configOptions{}
	},
	subcommands: []*command{configCurrentContextCommand, configGetContextsCommand, configViewCommand, configSetContextCommand, configUseContextCommand},
}

type configOptions struct{ plainArgs }

func (o *configOptions) readOnly() bool { return true }

func (o *configOptions) run(e *env) error {
	if len(o.args) == 0 {
		return e.usageError("a config subcommand is required (current-context, view, get-contexts, set-context, use-context)")
	}
	return fmt.Errorf("kubetab has one fixed context; \"kubectl config %s\" is not supported", o.args[0])
}

var configCurrentContextCommand = &command{
	name:    "current-context",
	short:   "Display the current-context",
	usage:   "config current-context [options]",
	options: func(fs *flagSet) commandOptions { return &configCurrentContextOptions{} },
}

type configCurrentContextOptions struct{ plainArgs }

func (o *configCurrentContextOptions) readOnly() bool { return true }

func (o *configCurrentContextOptions) run(e *env) error {
	e.out("%s\n", ContextName)
	return nil
}

// namespace is the context's namespace as the kubeconfig holds it ("" when unset).
func (e *env) contextNamespace() string {
	if e.config == nil {
		return ""
	}
	return e.config.Namespace
}

var configGetContextsCommand = &command{
	name:  "get-contexts",
	short: "Describe one or many contexts",
	usage: "config get-contexts [(-o|--output=)name)] [options]",
	options: func(fs *flagSet) commandOptions {
		o := &configGetContextsOptions{}
		fs.String(&o.Output, "output", "o", "")
		fs.Bool(&o.NoHeaders, "no-headers", "", false)
		return o
	},
}

type configGetContextsOptions struct {
	plainArgs
	Output    string
	NoHeaders bool
}

func (o *configGetContextsOptions) readOnly() bool { return true }

func (o *configGetContextsOptions) run(e *env) error {
	for _, name := range o.args {
		if name != ContextName {
			return fmt.Errorf("context %s not found", name)
		}
	}
	switch o.Output {
	case "name":
		e.out("%s\n", ContextName)
		return nil
	case "":
	default:
		return fmt.Errorf("output must be one of '' or 'name'")
	}
	tw := tabwriter.NewWriter(e.io.Out, 6, 4, 3, ' ', 0)
	if !o.NoHeaders {
		fmt.Fprintln(tw, "CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE")
	}
	fmt.Fprintf(tw, "*\t%s\t%s\t%s\t%s\n", ContextName, ContextName, ContextName, e.contextNamespace())
	return tw.Flush()
}

var configViewCommand = &command{
	name:  "view",
	short: "Display merged kubeconfig settings or a specified kubeconfig file",
	usage: "config view [flags] [options]",
	options: func(fs *flagSet) commandOptions {
		o := &configViewOptions{}
		fs.Bool(&o.Minify, "minify", "", false)
		fs.Bool(&o.Raw, "raw", "", false)
		fs.Bool(&o.Flatten, "flatten", "", false)
		fs.String(&o.Output, "output", "o", "yaml")
		return o
	},
}

type configViewOptions struct {
	plainArgs
	Minify, Raw, Flatten bool
	Output               string
}

func (o *configViewOptions) readOnly() bool { return true }

// kubeconfig is the kubeconfig as kubectl config view writes it, in its fields' order.
type kubeconfig struct {
	Kind           string              `json:"kind"`
	APIVersion     string              `json:"apiVersion"`
	Clusters       []kubeconfigCluster `json:"clusters"`
	Users          []kubeconfigUser    `json:"users"`
	Contexts       []kubeconfigContext `json:"contexts"`
	CurrentContext string              `json:"current-context"`
}

type kubeconfigCluster struct {
	Name    string `json:"name"`
	Cluster struct {
		Server string `json:"server"`
		CA     string `json:"certificate-authority-data"`
	} `json:"cluster"`
}

type kubeconfigUser struct {
	Name string `json:"name"`
	User struct {
		Cert string `json:"client-certificate-data"`
		Key  string `json:"client-key-data"`
	} `json:"user"`
}

type kubeconfigContext struct {
	Name    string `json:"name"`
	Context struct {
		Cluster   string `json:"cluster"`
		User      string `json:"user"`
		Namespace string `json:"namespace,omitempty"`
	} `json:"context"`
}

func (o *configViewOptions) run(e *env) error {
	data := "DATA+OMITTED"
	if o.Raw {
		data = "REDACTED" // kubetab's kubeconfig has no real certificate or key to show
	}
	var cl kubeconfigCluster
	cl.Name, cl.Cluster.Server, cl.Cluster.CA = ContextName, ServerURL, data
	var u kubeconfigUser
	u.Name, u.User.Cert, u.User.Key = ContextName, data, data
	var ctx kubeconfigContext
	ctx.Name, ctx.Context.Cluster, ctx.Context.User, ctx.Context.Namespace = ContextName, ContextName, ContextName, e.contextNamespace()
	k := kubeconfig{Kind: "Config", APIVersion: "v1", Clusters: []kubeconfigCluster{cl}, Users: []kubeconfigUser{u},
		Contexts: []kubeconfigContext{ctx}, CurrentContext: ContextName}
	j, err := json.Marshal(&k)
	if err != nil {
		return err
	}
	switch o.Output {
	case "yaml":
		y, err := yaml.JSONToYAML(j)
		if err != nil {
			return err
		}
		e.out("%s", y)
		return nil
	case "json":
		out, err := json.MarshalIndent(&k, "", "    ")
		if err != nil {
			return err
		}
		e.out("%s\n", out)
		return nil
	}
	var doc any
	if err := json.Unmarshal(j, &doc); err != nil {
		return err
	}
	return printers.PrintDataJSONPath(e.io.Out, doc, o.Output)
}

var configSetContextCommand = &command{
	name:  "set-context",
	short: "Set a context entry in kubeconfig",
	usage: "config set-context [NAME | --current] [--cluster=cluster_nickname] [--user=user_nickname] [--namespace=namespace] [options]",
	options: func(fs *flagSet) commandOptions {
		o := &configSetContextOptions{}
		fs.Bool(&o.Current, "current", "", false)
		fs.String(&o.Cluster, "cluster", "", "")
		fs.String(&o.User, "user", "", "")
		return o
	},
}

// configSetContextOptions: its --namespace is kubectl's global one, read as given.
type configSetContextOptions struct {
	plainArgs
	Current       bool
	Cluster, User string
}

// readOnly: the namespace is kept by the terminal and recorded with each command run after
// it, so this command itself needs no journal entry.
func (o *configSetContextOptions) readOnly() bool { return true }

func (o *configSetContextOptions) run(e *env) error {
	name := ContextName
	switch {
	case len(o.args) > 1:
		return e.usageError("unexpected args: %v", o.args[1:])
	case len(o.args) == 1 && o.Current:
		return fmt.Errorf("you cannot specify both a context name and --current")
	case len(o.args) == 1:
		name = o.args[0]
	case !o.Current:
		return fmt.Errorf("you must specify a non-empty context name or --current")
	}
	if name != ContextName {
		return fmt.Errorf("kubetab has one fixed context, %q; \"kubectl config set-context %s\" cannot make another", ContextName, name)
	}
	if o.Cluster != "" && o.Cluster != ContextName || o.User != "" && o.User != ContextName {
		return fmt.Errorf("kubetab's context %q uses cluster and user %q; only its namespace can be changed", ContextName, ContextName)
	}
	if e.nsSet {
		if e.config == nil {
			return fmt.Errorf("kubetab: this kubectl has no kubeconfig to change")
		}
		e.config.Namespace = e.global.Namespace
	}
	e.out("Context %q modified.\n", name)
	return nil
}

var configUseContextCommand = &command{
	name:    "use-context",
	aliases: []string{"use"},
	short:   "Set the current-context in a kubeconfig file",
	usage:   "config use-context CONTEXT_NAME [options]",
	options: func(fs *flagSet) commandOptions { return &configUseContextOptions{} },
}

type configUseContextOptions struct{ plainArgs }

func (o *configUseContextOptions) readOnly() bool { return true }

func (o *configUseContextOptions) run(e *env) error {
	if len(o.args) != 1 {
		return e.usageError("Unexpected args: %v", o.args)
	}
	if o.args[0] != ContextName {
		return fmt.Errorf("no context exists with the name: %q", o.args[0])
	}
	e.out("Switched to context %q.\n", o.args[0])
	return nil
}
