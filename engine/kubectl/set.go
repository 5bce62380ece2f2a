package kubectl

import (
	"fmt"
	"slices"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kubetab/kubetab/engine/api"
)

// `kubectl set` (k8s.io/kubectl pkg/cmd/set): image, env and resources change the pod
// template of a workload (or a pod's spec) and write it back; a Deployment's controller
// then rolls the change out.

var setCommand = &command{
	name:  "set",
	short: "Set specific features on objects",
	usage: "set SUBCOMMAND",
	subcommands: []*command{
		setEnvCommand, setImageCommand, setResourcesCommand,
		notYet("selector", "set"), notYet("serviceaccount", "set"), notYet("subject", "set"),
	},
}

// notYet is a subcommand kubectl has and kubetab does not offer yet: it says so instead of
// being an unknown command.
func notYet(name, parent string) *command {
	return &command{
		name:  name,
		short: "Not offered by kubetab yet",
		usage: parent + " " + name,
		options: func(*flagSet) commandOptions {
			return &failing{err: fmt.Errorf("kubetab does not support \"kubectl %s %s\" yet", parent, name)}
		},
	}
}

// failing is a command that only fails, whatever its command line.
type failing struct {
	plainArgs
	err error
}

func (f *failing) run(*env) error { return f.err }
func (*failing) readOnly() bool   { return true }

// podSpecOf is UpdatePodSpecForObject's lookup: the pod spec of a pod, or the pod template's
// of a workload, in obj (which the caller owns).
func podSpecOf(obj api.Object) (*corev1.PodSpec, error) {
	switch o := obj.(type) {
	case *corev1.Pod:
		return &o.Spec, nil
	case *corev1.ReplicationController:
		if o.Spec.Template == nil {
			o.Spec.Template = &corev1.PodTemplateSpec{}
		}
		return &o.Spec.Template.Spec, nil
	case *appsv1.Deployment:
		return &o.Spec.Template.Spec, nil
	case *appsv1.DaemonSet:
		return &o.Spec.Template.Spec, nil
	case *appsv1.ReplicaSet:
		return &o.Spec.Template.Spec, nil
	case *batchv1.Job:
		return &o.Spec.Template.Spec, nil
	case *batchv1.CronJob:
		return &o.Spec.JobTemplate.Spec.Template.Spec, nil
	}
	return nil, fmt.Errorf("the object is not a pod or does not have a pod template: %T", obj)
}

// setFlags are the flags every set subcommand has.
type setFlags struct {
	resourceFlags
	Local          bool
	Output, DryRun string
	FieldManager   string
	Record         bool
	record         *flag
}

func (s *setFlags) add(fs *flagSet, record bool) {
	s.filenameFlags.add(fs)
	s.addAll(fs)
	s.addLabelSelector(fs)
	fs.Bool(&s.Local, "local", "", false)
	fs.String(&s.Output, "output", "o", "")
	addDryRun(fs, &s.DryRun)
	fs.String(&s.FieldManager, "field-manager", "", "kubectl-set")
	if record {
		s.record = fs.Bool(&s.Record, "record", "", false)
	}
}

func (s *setFlags) readOnly() bool { return s.Local || !dryRunWrites(s.DryRun) }

func (s *setFlags) validate(*env) error {
	if s.All && s.LabelSelector != "" {
		return fmt.Errorf("cannot set --all and --selector at the same time")
	}
	if s.Local {
		return fmt.Errorf("kubetab does not support --local yet")
	}
	return nil
}

// patchObjects is the part every set subcommand shares (CalculatePatches, then the patch
// of each object): mutate changes a copy of each object; one it leaves as it was is
// skipped without a word, as kubectl skips an empty patch; the others are written (or
// printed, for --dry-run=client) and reported with operation. A mutate error goes with the
// object's name; errs are kubectl's own errors, gathered while mutating.
func (s *setFlags) patchObjects(e *env, args []string, what, operation string, mutate func(obj api.Object) error) error {
	dry, err := dryRunClient(s.DryRun)
	if err != nil {
		return err
	}
	// The builder's Infos fail before anything is changed.
	objs, err := e.allObjects(resourceRequest{resourceFlags: s.resourceFlags, args: args, listBare: s.All})
	if err != nil {
		return err
	}
	var errs []error
	if s.record != nil && s.record.changed {
		e.errf("Flag --record has been deprecated, --record will be removed in the future\n")
	}
	for _, cur := range objs {
		next := cur.DeepCopyObject().(api.Object)
		if err := mutate(next); err != nil {
			errs = append(errs, fmt.Errorf("error: %s/%s %v", api.ResourceFor(cur).Name, cur.GetName(), err))
			continue
		}
		if s.Record {
			ann := map[string]string{}
			for k, v := range next.GetAnnotations() {
				ann[k] = v
			}
			ann[changeCauseAnnotation] = e.line.changeCause()
			next.SetAnnotations(ann)
		}
		if equality.Semantic.DeepEqual(cur, next) {
			continue
		}
		if dry {
			if err := e.printResult(s.Output, next, operation+" (dry run)"); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		updated, err := e.updateObject(next, cur)
		if err != nil {
			errs = append(errs, fmt.Errorf("failed to patch %s update to pod template: %v", what, err))
			continue
		}
		if err := e.printResult(s.Output, updated, operation); err != nil {
			errs = append(errs, err)
		}
	}
	return asError(errs)
}

// getResourcesAndPairs is cmdutil.GetResourcesAndPairs: the resources first, then the
// KEY=VALUE (or KEY-) pairs.
func getResourcesAndPairs(args []string, pairType string) (resources, pairs []string, err error) {
	foundPair := false
	for _, s := range args {
		isPair := (strings.Contains(s, "=") && s[0] != '=') || (strings.HasSuffix(s, "-") && s != "-")
		switch {
		case isPair:
			foundPair = true
			pairs = append(pairs, s)
		case !foundPair:
			resources = append(resources, s)
		default:
			return nil, nil, fmt.Errorf("all resources must be specified before %s changes: %s", pairType, s)
		}
	}
	return resources, pairs, nil
}

// selectContainers is kubectl's: the containers whose name matches spec, where `*` matches
// any run of characters.
func selectContainers(containers []corev1.Container, spec string) []*corev1.Container {
	var out []*corev1.Container
	for i := range containers {
		if selectString(containers[i].Name, spec) {
			out = append(out, &containers[i])
		}
	}
	return out
}

func selectString(s, spec string) bool {
	parts := strings.Split(spec, "*")
	if len(parts) == 1 {
		return s == spec
	}
	// The first part starts s, the last ends it, the others follow in order between.
	first, last := parts[0], parts[len(parts)-1]
	if len(s) < len(first)+len(last) || !strings.HasPrefix(s, first) || !strings.HasSuffix(s, last) {
		return false
	}
	s = s[len(first) : len(s)-len(last)]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return true
}

// ---- image ----

type setImageOptions struct {
	setFlags
	resources []string
	images    map[string]string
}

var setImageCommand = &command{
	name:  "image",
	short: "Update the image of a pod template",
	usage: "set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N",
	options: func(fs *flagSet) commandOptions {
		o := &setImageOptions{}
		o.setFlags.add(fs, true)
		return o
	},
}

func (o *setImageOptions) complete(_ *env, args []string) error {
	resources, pairs, err := getResourcesAndPairs(args, "image")
	if err != nil {
		return err
	}
	o.resources = resources
	o.images = map[string]string{}
	var invalid []string
	for _, p := range pairs {
		name, image, ok := strings.Cut(p, "=")
		if !ok || name == "" {
			invalid = append(invalid, p)
			continue
		}
		o.images[name] = image
	}
	if len(invalid) > 0 {
		return fmt.Errorf("invalid image format: %s", strings.Join(invalid, ", "))
	}
	return nil
}

func (o *setImageOptions) validate(e *env) error {
	var errs []error
	if o.All && o.LabelSelector != "" {
		errs = append(errs, fmt.Errorf("cannot set --all and --selector at the same time"))
	}
	if len(o.resources) < 1 && !o.given() {
		errs = append(errs, fmt.Errorf("one or more resources must be specified as <resource> <name> or <resource>/<name>"))
	}
	if len(o.images) < 1 {
		errs = append(errs, fmt.Errorf("at least one image update is required"))
	} else if _, all := o.images["*"]; all && len(o.images) > 1 {
		errs = append(errs, fmt.Errorf("all containers are already specified by *, but saw more than one container_name=container_image pairs"))
	}
	if len(errs) > 0 {
		return asError(errs)
	}
	return o.setFlags.validate(e)
}

func (o *setImageOptions) run(e *env) error {
	var notFound []error
	err := o.patchObjects(e, o.resources, "image", "image updated", func(obj api.Object) error {
		spec, err := podSpecOf(obj)
		if err != nil {
			return err
		}
		for _, name := range sortedKeys(o.images) {
			initFound := setImage(spec.InitContainers, name, o.images[name])
			if !setImage(spec.Containers, name, o.images[name]) && !initFound {
				notFound = append(notFound, fmt.Errorf("error: unable to find container named %q", name))
			}
		}
		return nil
	})
	// kubectl gathers the containers it did not find while it changes the others.
	if err != nil {
		notFound = append(notFound, err)
	}
	return asError(notFound)
}

func setImage(containers []corev1.Container, name, image string) bool {
	found := false
	for i := range containers {
		if containers[i].Name == name || name == "*" {
			containers[i].Image = image
			found = true
		}
	}
	return found
}

// ---- env ----

type setEnvOptions struct {
	setFlags
	Containers, From, Prefix string
	Env, Keys                []string
	List, Resolve, Overwrite bool

	resources, envArgs []string
}

var setEnvCommand = &command{
	name:  "env",
	short: "Update environment variables on a pod template",
	usage: "set env RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N",
	options: func(fs *flagSet) commandOptions {
		o := &setEnvOptions{}
		o.setFlags.add(fs, false)
		fs.String(&o.Containers, "containers", "c", "*")
		fs.String(&o.From, "from", "", "")
		fs.String(&o.Prefix, "prefix", "", "")
		fs.StringArray(&o.Env, "env", "e")
		fs.StringSlice(&o.Keys, "keys", "")
		fs.Bool(&o.List, "list", "", false)
		fs.Bool(&o.Resolve, "resolve", "", false)
		fs.Bool(&o.Overwrite, "overwrite", "", true)
		return o
	},
}

func (o *setEnvOptions) readOnly() bool { return o.List || o.setFlags.readOnly() }

// isEnvArgument is env.IsEnvironmentArgument with the removal form (`KEY-`).
func isEnvArgument(s string) bool {
	k, _, ok := strings.Cut(s, "=")
	return (ok && k != "") || strings.HasSuffix(s, "-")
}

func (o *setEnvOptions) complete(_ *env, args []string) error {
	if o.All && o.LabelSelector != "" {
		return fmt.Errorf("cannot set --all and --selector at the same time")
	}
	// SplitEnvironmentFromResources: resources, then environment changes.
	for _, a := range args {
		switch {
		case isEnvArgument(a):
			o.envArgs = append(o.envArgs, a)
		case len(o.envArgs) == 0:
			o.resources = append(o.resources, a)
		default:
			return fmt.Errorf("all resources must be specified before environment changes: %s", strings.Join(args, " "))
		}
	}
	return nil
}

func (o *setEnvOptions) validate(e *env) error {
	if !o.given() && len(o.resources) < 1 {
		return fmt.Errorf("one or more resources must be specified as <resource> <name> or <resource>/<name>")
	}
	if o.List && o.Output != "" {
		return fmt.Errorf("--list and --output may not be specified together")
	}
	if len(o.Keys) > 0 && o.From == "" {
		return fmt.Errorf("when specifying --keys, a configmap or secret must be provided with --from")
	}
	if o.Resolve {
		return fmt.Errorf("kubetab does not support --resolve yet")
	}
	return o.setFlags.validate(e)
}

// parseEnv is envutil.ParseEnv: KEY=VALUE to set, KEY- to remove, `-` to read KEY=VALUE
// lines from stdin.
func parseEnv(e *env, specs []string) (set []corev1.EnvVar, remove []string, err error) {
	setNames := map[string]bool{}
	for _, spec := range specs {
		switch {
		case spec == "-":
			if e.io.Stdin == nil {
				return nil, nil, fmt.Errorf("when '-' is used, STDIN must be open")
			}
			for _, line := range strings.Split(*e.io.Stdin, "\n") {
				line, _, _ = strings.Cut(line, "#")
				if k, v, ok := strings.Cut(line, "="); ok {
					set = append(set, corev1.EnvVar{Name: k, Value: v})
				}
			}
		case strings.Contains(spec, "="):
			k, v, _ := strings.Cut(spec, "=")
			if errs := validation.IsEnvVarName(k); len(errs) != 0 {
				return nil, nil, fmt.Errorf("%q is not a valid key name: %s", k, strings.Join(errs, ";"))
			}
			setNames[k] = true
			set = append(set, corev1.EnvVar{Name: k, Value: v})
		case strings.HasSuffix(spec, "-"):
			remove = append(remove, strings.TrimSuffix(spec, "-"))
		default:
			return nil, nil, fmt.Errorf("unknown environment variable: %v", spec)
		}
	}
	for _, r := range remove {
		if setNames[r] {
			return nil, nil, fmt.Errorf("can not both modify and remove the same environment variable in the same command")
		}
	}
	return set, remove, nil
}

// envName is the variable name for a ConfigMap key: what a name may not hold becomes `_`,
// and letters upper case.
func envName(key string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			return r
		}
		return '_'
	}, key)
}

// envFrom is --from: a variable for each key of the ConfigMap (in key order; kubectl's is a
// map's), named after the key, that refers to it.
func (o *setEnvOptions) envFrom(e *env) ([]corev1.EnvVar, error) {
	objs, err := e.allObjects(resourceRequest{resourceFlags: resourceFlags{LabelSelector: o.LabelSelector}, args: []string{o.From}, listBare: o.All})
	if err != nil {
		return nil, err
	}
	var env []corev1.EnvVar
	for _, obj := range objs {
		cm, ok := obj.(*corev1.ConfigMap)
		if !ok {
			return nil, fmt.Errorf("unsupported resource specified in --from")
		}
		for _, key := range sortedKeys(cm.Data) {
			if len(o.Keys) > 0 && !slices.Contains(o.Keys, key) {
				continue
			}
			name := envName(key)
			if name != key {
				e.errf("Warning: key %s transferred to %s\n", key, name)
			}
			env = append(env, corev1.EnvVar{Name: name, ValueFrom: &corev1.EnvVarSource{
				ConfigMapKeyRef: &corev1.ConfigMapKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: cm.Name}, Key: key},
			}})
		}
	}
	return env, nil
}

func (o *setEnvOptions) run(e *env) error {
	set, remove, err := parseEnv(e, append(slices.Clone(o.Env), o.envArgs...))
	if err != nil {
		return err
	}
	if o.From != "" {
		from, err := o.envFrom(e)
		if err != nil {
			return err
		}
		set = append(set, from...)
	}
	for i := range set {
		set[i].Name = o.Prefix + set[i].Name
	}
	if o.List {
		return o.list(e, set, remove)
	}
	return o.patchObjects(e, o.resources, "env", "env updated", func(obj api.Object) error {
		spec, err := podSpecOf(obj)
		if err != nil {
			return err
		}
		containers := append(selectContainers(spec.Containers, o.Containers), selectContainers(spec.InitContainers, o.Containers)...)
		if len(containers) == 0 {
			e.errf("Warning: %s/%s does not have any containers matching %q\n", api.ResourceFor(obj).Kind, obj.GetName(), o.Containers)
			return nil
		}
		for _, c := range containers {
			if !o.Overwrite {
				if err := noOverwrites(c.Env, set); err != nil {
					return err
				}
			}
			c.Env = updateEnv(c.Env, set, remove)
		}
		return nil
	})
}

// list is --list: each selected container's environment as the change would leave it.
func (o *setEnvOptions) list(e *env, set []corev1.EnvVar, remove []string) error {
	objs, err := e.allObjects(resourceRequest{resourceFlags: o.resourceFlags, args: o.resources, listBare: o.All})
	if err != nil {
		return err
	}
	var errs []error
	for _, cur := range objs {
		obj := cur.DeepCopyObject().(api.Object)
		spec, err := podSpecOf(obj)
		if err != nil {
			errs = append(errs, fmt.Errorf("error: %s/%s %v", api.ResourceFor(cur).Name, cur.GetName(), err))
			continue
		}
		for _, c := range append(selectContainers(spec.Containers, o.Containers), selectContainers(spec.InitContainers, o.Containers)...) {
			e.out("# %s %s, container %s\n", api.ResourceFor(obj).Kind, obj.GetName(), c.Name)
			for _, v := range updateEnv(c.Env, set, remove) {
				if v.ValueFrom == nil {
					e.out("%s=%s\n", v.Name, v.Value)
					continue
				}
				e.out("# %s from %s\n", v.Name, envVarRefString(v.ValueFrom))
			}
		}
	}
	return asError(errs)
}

// envVarRefString is envutil.GetEnvVarRefString.
func envVarRefString(from *corev1.EnvVarSource) string {
	switch {
	case from.ConfigMapKeyRef != nil:
		return fmt.Sprintf("configmap %s, key %s", from.ConfigMapKeyRef.Name, from.ConfigMapKeyRef.Key)
	case from.SecretKeyRef != nil:
		return fmt.Sprintf("secret %s, key %s", from.SecretKeyRef.Name, from.SecretKeyRef.Key)
	case from.FieldRef != nil:
		return fmt.Sprintf("field path %s", from.FieldRef.FieldPath)
	case from.ResourceFieldRef != nil:
		containerPrefix := ""
		if from.ResourceFieldRef.ContainerName != "" {
			containerPrefix = fmt.Sprintf("%s/", from.ResourceFieldRef.ContainerName)
		}
		return fmt.Sprintf("resource field %s%s", containerPrefix, from.ResourceFieldRef.Resource)
	}
	return "invalid valueFrom"
}

// noOverwrites is validateNoOverwrites (--overwrite=false).
func noOverwrites(existing, set []corev1.EnvVar) error {
	for _, v := range set {
		for _, cur := range existing {
			if cur.Name == v.Name && cur.Value != v.Value {
				return fmt.Errorf("'%s' already has a value (%s), and --overwrite is false", cur.Name, cur.Value)
			}
		}
	}
	return nil
}

// updateEnv is kubectl's: a variable set replaces every one of its name where the first
// stood, a removed one goes, new ones follow in order; removal wins.
func updateEnv(existing, set []corev1.EnvVar, remove []string) []corev1.EnvVar {
	out := []corev1.EnvVar{}
	covered := map[string]bool{}
	for _, r := range remove {
		covered[r] = true
	}
	find := func(name string) (corev1.EnvVar, bool) {
		for _, v := range set {
			if v.Name == name {
				return v, true
			}
		}
		return corev1.EnvVar{}, false
	}
	for _, v := range existing {
		if covered[v.Name] {
			continue
		}
		if newer, ok := find(v.Name); ok {
			covered[v.Name] = true
			out = append(out, newer)
			continue
		}
		out = append(out, v)
	}
	for _, v := range set {
		if covered[v.Name] {
			continue
		}
		covered[v.Name] = true
		out = append(out, v)
	}
	return out
}

// ---- resources ----

type setResourcesOptions struct {
	plainArgs
	setFlags
	Containers, Limits, Requests string

	limits, requests corev1.ResourceList
}

var setResourcesCommand = &command{
	name:  "resources",
	short: "Update resource requests/limits on objects with pod templates",
	usage: "set resources (-f FILENAME | TYPE NAME)  ([--limits=LIMITS & --requests=REQUESTS]",
	options: func(fs *flagSet) commandOptions {
		o := &setResourcesOptions{}
		o.setFlags.add(fs, true)
		fs.String(&o.Containers, "containers", "c", "*")
		fs.String(&o.Limits, "limits", "", "")
		fs.String(&o.Requests, "requests", "", "")
		return o
	},
}

func (o *setResourcesOptions) validate(e *env) error {
	if err := o.setFlags.validate(e); err != nil {
		return err
	}
	if o.Limits == "" && o.Requests == "" {
		return fmt.Errorf("you must specify an update to requests or limits (in the form of --requests/--limits)")
	}
	var err error
	if o.limits, err = parseResourceList(o.Limits); err != nil {
		return err
	}
	o.requests, err = parseResourceList(o.Requests)
	return err
}

// parseResourceList reads `cpu=100m,memory=256Mi`.
func parseResourceList(spec string) (corev1.ResourceList, error) {
	if spec == "" {
		return nil, nil
	}
	out := corev1.ResourceList{}
	for _, stmt := range strings.Split(spec, ",") {
		parts := strings.Split(stmt, "=")
		if len(parts) != 2 {
			return nil, fmt.Errorf("invalid argument syntax %v, expected <resource>=<value>", stmt)
		}
		q, err := resource.ParseQuantity(parts[1])
		if err != nil {
			return nil, err
		}
		out[corev1.ResourceName(parts[0])] = q
	}
	return out, nil
}

func (o *setResourcesOptions) run(e *env) error {
	var notFound []error
	err := o.patchObjects(e, o.args, "resources", "resource requirements updated", func(obj api.Object) error {
		spec, err := podSpecOf(obj)
		if err != nil {
			return err
		}
		containers := append(selectContainers(spec.Containers, o.Containers), selectContainers(spec.InitContainers, o.Containers)...)
		if len(containers) == 0 {
			notFound = append(notFound, fmt.Errorf("error: unable to find container named %s", o.Containers))
			return nil
		}
		for _, c := range containers {
			c.Resources.Limits = withQuantities(c.Resources.Limits, o.limits)
			c.Resources.Requests = withQuantities(c.Resources.Requests, o.requests)
		}
		return nil
	})
	if err != nil {
		notFound = append(notFound, err)
	}
	return asError(notFound)
}

// withQuantities sets each of add in list (a new list when it had none).
func withQuantities(list, add corev1.ResourceList) corev1.ResourceList {
	if len(add) == 0 {
		return list
	}
	if list == nil {
		list = corev1.ResourceList{}
	}
	for n, q := range add {
		list[n] = q
	}
	return list
}
