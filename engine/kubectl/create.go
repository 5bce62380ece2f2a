package kubectl

import (
	"fmt"
	"strconv"
	"strings"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
)

var createCommand = &command{
	name:  "create",
	short: "Create a resource from a file or from stdin",
	usage: "create -f FILENAME | create namespace NAME | create job NAME --image=IMAGE [-- COMMAND] | create job NAME --from=cronjob/NAME",
	flags: createFlags,
	dash:  true,
	run:   runCreate,
}

func runCreate(e *env, args []string) error {
	if len(args) == 0 {
		if e.fv.boolean("edit") {
			return fmt.Errorf("kubetab does not support create --edit")
		}
		return runCreateFiles(e)
	}
	sub, rest := args[0], args[1:]
	if len(e.fv.list("filename")) > 0 {
		return e.usageError("Unexpected args: %v", args)
	}
	switch sub {
	case "namespace", "ns":
		if len(rest) != 1 {
			return &rawError{fmt.Sprintf("error: exactly one NAME is required, got %d\nSee 'kubectl create namespace -h' for help and examples\n", len(rest))}
		}
		return e.createGenerated(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: rest[0]}})
	case "job":
		if len(rest) != 1 {
			return &rawError{fmt.Sprintf("error: exactly one NAME is required, got %d\nSee 'kubectl create job -h' for help and examples\n", len(rest))}
		}
		job, err := e.jobFor(rest[0], args)
		if err != nil {
			return err
		}
		return e.createGenerated(job)
	}
	return &rawError{fmt.Sprintf("error: unknown command %q for \"kubectl create\"\nSee 'kubectl create -h' for help and examples\n", strings.Join(args, " "))}
}

// createGenerated creates an object that kubectl built from flags (create namespace, create
// job, run), or prints it for --dry-run=client.
func (e *env) createGenerated(obj api.Object) error {
	api.SetTypeMeta(obj)
	dry, err := e.dryRunClient()
	if err != nil {
		return err
	}
	if dry {
		if r := api.ResourceFor(obj); r != nil && r.Namespaced && e.nsSet {
			obj.SetNamespace(e.ns)
		}
		return e.printResult(obj, "created (dry run)")
	}
	created, err := e.createObject(obj)
	if err != nil {
		return err
	}
	return e.printResult(created, "created")
}

func (e *env) jobFor(name string, args []string) (*batchv1.Job, error) {
	image, from := e.fv.str("image"), e.fv.str("from")
	if (image == "") == (from == "") {
		return nil, fmt.Errorf("either --image or --from must be specified")
	}
	if image != "" {
		return &batchv1.Job{
			ObjectMeta: metav1.ObjectMeta{Name: name},
			Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
				Containers:    []corev1.Container{{Name: name, Image: image, Command: e.afterDashOrNil()}},
				RestartPolicy: corev1.RestartPolicyNever,
			}}},
		}, nil
	}
	kind, cjName, ok := strings.Cut(from, "/")
	if !ok || api.LookupResource(kind) != api.ResourceByName("cronjobs") {
		return nil, fmt.Errorf("from must be an existing cronjob")
	}
	obj, err := e.get(api.ResourceByName("cronjobs"), cjName)
	if err != nil {
		return nil, err
	}
	cj := obj.(*batchv1.CronJob)
	ann := map[string]string{"cronjob.kubernetes.io/instantiate": "manual"}
	for k, v := range cj.Spec.JobTemplate.Annotations {
		ann[k] = v
	}
	var labels map[string]string
	if len(cj.Spec.JobTemplate.Labels) > 0 {
		labels = map[string]string{}
		for k, v := range cj.Spec.JobTemplate.Labels {
			labels[k] = v
		}
	}
	return &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Annotations: ann, Labels: labels,
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(cj, batchv1.SchemeGroupVersion.WithKind("CronJob"))},
		},
		Spec: *cj.Spec.JobTemplate.Spec.DeepCopy(),
	}, nil
}

// afterDashOrNil returns the command after `--` (create job NAME --image=busybox -- date).
func (e *env) afterDashOrNil() []string {
	if len(e.afterDash) == 0 {
		return nil
	}
	return append([]string(nil), e.afterDash...)
}

var runCommand = &command{
	name:  "run",
	short: "Run a particular image on the cluster",
	usage: "run NAME --image=image [--env=\"key=value\"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...]",
	flags: []flagSpec{
		{name: "image", kind: stringFlag},
		{name: "restart", kind: stringFlag, def: "Always"},
		{name: "labels", short: "l", kind: stringFlag},
		{name: "env", kind: arrayFlag},
		{name: "port", kind: stringFlag},
		{name: "command", kind: boolFlag},
		{name: "generator", kind: stringFlag},
		{name: "replicas", short: "r", kind: stringFlag},
		{name: "image-pull-policy", kind: stringFlag},
		{name: "output", short: "o", kind: stringFlag},
		{name: "dry-run", kind: stringFlag, noOptDef: "unchanged", def: "none"},
		{name: "rm", kind: boolFlag},
		{name: "stdin", short: "i", kind: boolFlag},
		{name: "tty", short: "t", kind: boolFlag},
		{name: "annotations", kind: arrayFlag},
	},
	dash: true,
	run:  runRun,
}

func runRun(e *env, args []string) error {
	if len(args) == 0 {
		return e.usageError("NAME is required for run")
	}
	if len(args) > 1 {
		// kubectl treats extra words as the container's arguments.
		e.afterDash = append(append([]string(nil), args[1:]...), e.afterDash...)
	}
	name := args[0]
	if e.fv.isSet("generator") {
		e.errf("Flag --generator has been deprecated, has no effect and will be removed in the future.\n")
		e.errf("kubetab: like kubectl since v1.18, run creates only a pod (the book's --generator=run/v1 made a ReplicationController; apply a manifest for that).\n")
	}
	if e.fv.boolean("stdin") || e.fv.boolean("tty") {
		return fmt.Errorf("kubetab cannot attach to a container; run without -i/-t")
	}
	image := e.fv.str("image")
	if image == "" {
		return fmt.Errorf("required flag(s) \"image\" not set")
	}
	restart := corev1.RestartPolicy(e.fv.str("restart"))
	switch restart {
	case corev1.RestartPolicyAlways, corev1.RestartPolicyOnFailure, corev1.RestartPolicyNever:
	default:
		return fmt.Errorf("invalid restart policy: %s", restart)
	}
	labels := map[string]string{"run": name}
	if l := e.fv.str("labels"); l != "" {
		labels = map[string]string{}
		for _, kv := range strings.Split(l, ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				return fmt.Errorf("invalid label spec: %s", kv)
			}
			labels[k] = v
		}
	}
	c := corev1.Container{Name: name, Image: image}
	if p := e.fv.str("image-pull-policy"); p != "" {
		c.ImagePullPolicy = corev1.PullPolicy(p)
	}
	for _, kv := range e.fv.list("env") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return fmt.Errorf("invalid env: %s", kv)
		}
		c.Env = append(c.Env, corev1.EnvVar{Name: k, Value: v})
	}
	if p := e.fv.str("port"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil {
			return fmt.Errorf("invalid port %q: %v", p, err)
		}
		c.Ports = []corev1.ContainerPort{{ContainerPort: int32(n)}}
	}
	if cmd := e.afterDashOrNil(); cmd != nil {
		if e.fv.boolean("command") {
			c.Command = cmd
		} else {
			c.Args = cmd
		}
	}
	var ann map[string]string
	for _, kv := range e.fv.list("annotations") {
		k, v, _ := strings.Cut(kv, "=")
		if ann == nil {
			ann = map[string]string{}
		}
		ann[k] = v
	}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels, Annotations: ann},
		Spec: corev1.PodSpec{
			Containers:    []corev1.Container{c},
			RestartPolicy: restart,
			DNSPolicy:     corev1.DNSClusterFirst,
		},
	}
	return e.createGenerated(pod)
}
