package kubectl

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/version"
	"sigs.k8s.io/yaml"

	"github.com/kubetab/kubetab/engine/api"
)

// Versions kubetab reports: client and server are api.Version, as the nodes' kubelets say.
const (
	ClientVersion    = api.Version
	KustomizeVersion = api.KustomizeVersion
	ServerVersion    = api.Version
	// ServerURL is where the simulated control plane "runs".
	ServerURL = "https://127.0.0.1:6443"
	// ContextName is the one kubeconfig context.
	ContextName = "kubetab"
)

// ServerVersionInfo is what the API server's /version answers: v1.37.2 as the reference
// cluster (refk8s, built from the v1.37.2 sources) reports it.
var ServerVersionInfo = version.Info{
	Major: "1", Minor: "37", EmulationMajor: "1", EmulationMinor: "37",
	MinCompatibilityMajor: "1", MinCompatibilityMinor: "36",
	GitVersion: ServerVersion, GitCommit: "0000000000000000000000000000000000000000",
	GitTreeState: "clean", BuildDate: "2026-01-01T00:00:00Z", GoVersion: "go1.26.8",
	Compiler: "gc", Platform: "linux/amd64",
}

// clientVersionInfo is kubectl's own build, which names no emulation or compatibility.
var clientVersionInfo = version.Info{
	Major: ServerVersionInfo.Major, Minor: ServerVersionInfo.Minor, GitVersion: ClientVersion,
	GitCommit: ServerVersionInfo.GitCommit, GitTreeState: "clean", BuildDate: ServerVersionInfo.BuildDate,
	GoVersion: ServerVersionInfo.GoVersion, Compiler: "gc", Platform: "linux/amd64",
}

// versionOutput is `kubectl version -o json|yaml`: the fields kubectl's version command writes.
type versionOutput struct {
	ClientVersion    *version.Info `json:"clientVersion,omitempty"`
	KustomizeVersion string        `json:"kustomizeVersion,omitempty"`
	ServerVersion    *version.Info `json:"serverVersion,omitempty"`
}

type versionOptions struct {
	plainArgs
	Client bool
	Output string
}

var versionCommand = &command{
	name:  "version",
	short: "Print the client and server version information",
	usage: "version [flags] [options]",
	options: func(fs *flagSet) commandOptions {
		o := &versionOptions{}
		fs.Bool(&o.Client, "client", "", false)
		fs.String(&o.Output, "output", "o", "")
		return o
	},
}

func (o *versionOptions) readOnly() bool { return true }

func (o *versionOptions) run(e *env) error {
	v := versionOutput{ClientVersion: &clientVersionInfo, KustomizeVersion: KustomizeVersion}
	if !o.Client {
		v.ServerVersion = &ServerVersionInfo
	}
	switch o.Output {
	case "":
	case "json":
		j, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return err
		}
		e.out("%s\n", j)
		return nil
	case "yaml":
		y, err := yaml.Marshal(v)
		if err != nil {
			return err
		}
		e.out("%s\n", y) // kubectl ends the document with a blank line
		return nil
	default:
		return fmt.Errorf("--output must be 'yaml' or 'json'")
	}
	e.out("Client Version: %s\nKustomize Version: %s\n", ClientVersion, KustomizeVersion)
	if !o.Client {
		e.out("Server Version: %s\n", ServerVersion)
	}
	return nil
}

type apiResourcesOptions struct {
	plainArgs
	Namespaced        bool
	Output, APIGroup  string
	NoHeaders         bool
	Verbs, Categories []string
	SortBy            string

	namespaced, apiGroup *flag
}

var apiResourcesCommand = &command{
	name:  "api-resources",
	short: "Print the supported API resources on the server",
	usage: "api-resources [flags] [options]",
	options: func(fs *flagSet) commandOptions {
		o := &apiResourcesOptions{}
		o.namespaced = fs.Bool(&o.Namespaced, "namespaced", "", true)
		fs.String(&o.Output, "output", "o", "")
		fs.Bool(&o.NoHeaders, "no-headers", "", false)
		o.apiGroup = fs.String(&o.APIGroup, "api-group", "", "")
		fs.StringSlice(&o.Verbs, "verbs", "")
		fs.StringSlice(&o.Categories, "categories", "")
		fs.String(&o.SortBy, "sort-by", "", "")
		return o
	},
}

func (o *apiResourcesOptions) readOnly() bool { return true }

func (o *apiResourcesOptions) validate(e *env) error {
	if len(o.args) > 0 {
		return e.usageError("unexpected arguments: %v", o.args)
	}
	if o.SortBy != "" && o.SortBy != "name" && o.SortBy != "kind" {
		return fmt.Errorf("--sort-by accepts only name or kind")
	}
	return nil
}

// hasAll tells whether a comma-separated list holds every one of want.
func hasAll(list string, want []string) bool {
	have := strings.Split(list, ",")
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// discovery is a real API server's discovery: kubetab's resources and those it does not
// serve, the core group first, then the others by name; within a group by name.
func discovery() []discoveredResource {
	var rows []discoveredResource
	for _, r := range api.Resources() {
		rows = append(rows, discoveredResource{name: r.Name, shortNames: strings.Join(r.ShortNames, ","), apiVersion: r.APIVersion(),
			namespaced: r.Namespaced, kind: r.Kind, verbs: strings.Join(r.Verbs, ","), categories: strings.Join(categories(r), ",")})
	}
	rows = append(rows, unservedResources...)
	sort.SliceStable(rows, func(i, j int) bool {
		gi, gj := rows[i].group(), rows[j].group()
		if gi != gj {
			return gi < gj
		}
		return rows[i].name < rows[j].name
	})
	return rows
}

// olderServedVersions are group versions a v1.37 API server serves beside its preferred
// ones, which discovery's resource list (one version per group) does not show.
var olderServedVersions = []string{"autoscaling/v1"}

type apiVersionsOptions struct{ plainArgs }

var apiVersionsCommand = &command{
	name:    "api-versions",
	short:   "Print the supported API versions on the server, in the form of \"group/version\"",
	usage:   "api-versions [flags] [options]",
	options: func(fs *flagSet) commandOptions { return &apiVersionsOptions{} },
}

func (o *apiVersionsOptions) readOnly() bool { return true }

func (o *apiVersionsOptions) run(e *env) error {
	versions := append([]string{}, olderServedVersions...)
	for _, r := range discovery() {
		if !slices.Contains(versions, r.apiVersion) {
			versions = append(versions, r.apiVersion)
		}
	}
	sort.Strings(versions)
	for _, v := range versions {
		e.out("%s\n", v)
	}
	return nil
}

func (o *apiResourcesOptions) run(e *env) error {
	out := o.Output
	if out != "" && out != "wide" && out != "name" {
		return fmt.Errorf("--output %v is not available", out)
	}
	rows := discovery()
	tw := tabwriter.NewWriter(e.io.Out, 6, 4, 3, ' ', 0)
	if out != "name" && !o.NoHeaders {
		h := "NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND"
		if out == "wide" {
			h += "\tVERBS\tCATEGORIES"
		}
		fmt.Fprintln(tw, h)
	}
	switch o.SortBy {
	case "name":
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].name < rows[j].name })
	case "kind":
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].kind < rows[j].kind })
	}
	for _, r := range rows {
		if o.apiGroup.changed && o.APIGroup != r.group() || o.namespaced.changed && o.Namespaced != r.namespaced {
			continue
		}
		if !hasAll(r.verbs, o.Verbs) || !hasAll(r.categories, o.Categories) {
			continue
		}
		if out == "name" {
			name := r.name
			if g := r.group(); g != "" {
				name += "." + g
			}
			fmt.Fprintln(tw, name)
			continue
		}
		row := fmt.Sprintf("%s\t%s\t%s\t%v\t%s", r.name, r.shortNames, r.apiVersion, r.namespaced, r.kind)
		if out == "wide" {
			row += "\t" + r.verbs + "\t" + r.categories
		}
		fmt.Fprintln(tw, row)
	}
	return tw.Flush()
}

func categories(r *api.Resource) []string {
	for _, n := range allCategory {
		if n == r.Name {
			return []string{"all"}
		}
	}
	return nil
}

var clusterInfoCommand = &command{
	name:    "cluster-info",
	aliases: []string{"clusterinfo"},
	short:   "Display cluster information",
	usage:   "cluster-info [flags] [options]",
	options: func(*flagSet) commandOptions { return &clusterInfoOptions{} },
}

type clusterInfoOptions struct{ plainArgs }

func (o *clusterInfoOptions) readOnly() bool { return true }

func (o *clusterInfoOptions) run(e *env) error {
	args := o.args
	if len(args) > 0 {
		if args[0] == "dump" {
			return fmt.Errorf("kubetab does not support \"kubectl cluster-info dump\"; use kubectl get and describe")
		}
		return e.usageError("Unexpected args: %v", args)
	}
	e.out("Kubernetes control plane is running at %s\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n", ServerURL)
	return nil
}

type explainOptions struct {
	plainArgs
	Recursive          bool
	APIVersion, Output string
}

var explainCommand = &command{
	name:  "explain",
	short: "Get documentation for a resource",
	usage: "explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [--output=plaintext|plaintext-openapiv2] [options]",
	options: func(fs *flagSet) commandOptions {
		o := &explainOptions{}
		fs.Bool(&o.Recursive, "recursive", "", false)
		fs.String(&o.APIVersion, "api-version", "", "")
		fs.String(&o.Output, "output", "o", "")
		return o
	},
}

func (o *explainOptions) readOnly() bool { return true }

func (o *explainOptions) run(e *env) error {
	args := o.args
	if len(args) == 0 {
		return &rawError{"You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nSee 'kubectl explain -h' for help and examples\n"}
	}
	if len(args) > 1 {
		//lint:ignore ST1005 kubectl's own message, as it prints it
		return fmt.Errorf("We accept only this format: explain RESOURCE")
	}
	if o.Recursive {
		return fmt.Errorf("kubetab does not support explain --recursive yet")
	}
	text, err := api.Explain(args[0])
	if err != nil {
		return err
	}
	e.out("%s", text)
	return nil
}

// cordonOptions are cordon's and uncordon's.
type cordonOptions struct {
	plainArgs
	Selector, DryRun string
	cordon           bool
}

func newCordonOptions(fs *flagSet, cordon bool) commandOptions {
	o := &cordonOptions{cordon: cordon}
	fs.String(&o.Selector, "selector", "l", "")
	addDryRun(fs, &o.DryRun)
	return o
}

var cordonCommand = &command{
	name:    "cordon",
	short:   "Mark node as unschedulable",
	usage:   "cordon NODE [options]",
	options: func(fs *flagSet) commandOptions { return newCordonOptions(fs, true) },
}

var uncordonCommand = &command{
	name:    "uncordon",
	short:   "Mark node as schedulable",
	usage:   "uncordon NODE [options]",
	options: func(fs *flagSet) commandOptions { return newCordonOptions(fs, false) },
}

func (o *cordonOptions) readOnly() bool { return !dryRunWrites(o.DryRun) }

func (o *cordonOptions) run(e *env) error {
	args, cordon := o.args, o.cordon
	dry, err := dryRunClient(o.DryRun)
	if err != nil {
		return err
	}
	suffix := ""
	if dry {
		suffix = " (dry run)"
	}
	nodes := api.ResourceByName("nodes")
	var objs []api.Object
	var errs []error
	if sel := o.Selector; sel != "" {
		list, err := e.list(nodes, true, sel, "")
		if err != nil {
			return err
		}
		objs = list
	} else {
		if len(args) != 1 {
			return e.usageError("USAGE: %s NODE [flags]", e.cmd.name)
		}
		obj, err := e.c.Store.Get(nodes, "", args[0])
		if err != nil {
			return err
		}
		objs = []api.Object{obj}
	}
	for _, obj := range objs {
		n := obj.(*corev1.Node)
		verb := "cordoned"
		if !cordon {
			verb = "uncordoned"
		}
		if n.Spec.Unschedulable == cordon {
			e.out("node/%s already %s%s\n", n.Name, verb, suffix)
			continue
		}
		if !dry {
			next := n.DeepCopy()
			next.Spec.Unschedulable = cordon
			if _, err := e.updateObject(next, n); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		e.out("node/%s %s%s\n", n.Name, verb, suffix)
	}
	return asError(errs)
}
