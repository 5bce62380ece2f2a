package kubectl

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kubetab/kubetab/engine/api"
)

type createOptions struct {
	plainArgs
	manifestFlags
	SaveConfig  bool
	Image, From string
	Edit        bool
}

var createCommand = &command{
	name:  "create",
	short: "Create a resource from a file or from stdin",
	usage: "create -f FILENAME | create namespace NAME | create job NAME --image=IMAGE [-- COMMAND] | create job NAME --from=cronjob/NAME | create configmap NAME | create secret (generic | tls | docker-registry) NAME",
	options: func(fs *flagSet) commandOptions {
		o := &createOptions{}
		fs.Bool(&o.SaveConfig, "save-config", "", false)
		fs.String(&o.Image, "image", "", "")
		fs.String(&o.From, "from", "", "")
		fs.Bool(&o.Edit, "edit", "", false)
		o.manifestFlags.add(fs)
		return o
	},
	dash:        true,
	subcommands: []*command{createDeploymentCommand, createCronJobCommand, createConfigMapCommand, createSecretCommand, createServiceParent},
}

func (o *createOptions) readOnly() bool { return !dryRunWrites(o.DryRun) }

func (o *createOptions) run(e *env) error {
	args := o.args
	if len(args) == 0 {
		if o.Edit {
			return fmt.Errorf("kubetab does not support create --edit")
		}
		return o.createFiles(e)
	}
	sub, rest := args[0], args[1:]
	if o.given() {
		return e.usageError("Unexpected args: %v", args)
	}
	switch sub {
	case "namespace", "ns":
		if len(rest) != 1 {
			return &rawError{fmt.Sprintf("error: exactly one NAME is required, got %d\nSee 'kubectl create namespace -h' for help and examples\n", len(rest))}
		}
		return e.createGenerated(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: rest[0]}}, o.DryRun, o.Output)
	case "job":
		if len(rest) != 1 {
			return &rawError{fmt.Sprintf("error: exactly one NAME is required, got %d\nSee 'kubectl create job -h' for help and examples\n", len(rest))}
		}
		job, err := e.jobFor(rest[0], o.Image, o.From)
		if err != nil {
			return err
		}
		return e.createGenerated(job, o.DryRun, o.Output)
	}
	// What is not a generator is create's own arguments, which it takes none of.
	return e.usageError("Unexpected args: %v", args)
}

// createGenerated creates an object that kubectl built from flags (create namespace, create
// job, run), or prints it for --dry-run=client.
func (e *env) createGenerated(obj api.Object, dryRun, output string) error {
	api.SetTypeMeta(obj)
	dry, err := dryRunClient(dryRun)
	if err != nil {
		return err
	}
	if dry {
		if r := api.ResourceFor(obj); r != nil && r.Namespaced && e.nsSet {
			obj.SetNamespace(e.ns)
		}
		return e.printResult(output, obj, "created (dry run)")
	}
	created, err := e.createObject(obj)
	if err != nil {
		return err
	}
	return e.printResult(output, created, "created")
}

func (e *env) jobFor(name, image, from string) (*batchv1.Job, error) {
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

type runOptions struct {
	plainArgs
	Image, Restart, Labels, Port, Generator, Replicas, ImagePullPolicy string
	Env, Annotations                                                   []string
	Command, Rm, Stdin, TTY, Expose                                    bool
	Output, DryRun                                                     string
	Overrides, OverrideType                                            string

	generator, replicas, image *flag
}

var runCommand = &command{
	name:  "run",
	short: "Run a particular image on the cluster",
	usage: "run NAME --image=image [--env=\"key=value\"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...]",
	options: func(fs *flagSet) commandOptions {
		o := &runOptions{}
		o.image = fs.String(&o.Image, "image", "", "")
		fs.String(&o.Restart, "restart", "", "Always")
		fs.String(&o.Labels, "labels", "l", "")
		fs.StringArray(&o.Env, "env", "")
		fs.String(&o.Port, "port", "", "")
		fs.Bool(&o.Expose, "expose", "", false)
		fs.Bool(&o.Command, "command", "", false)
		o.generator = fs.String(&o.Generator, "generator", "", "").removedFromKubectl()
		o.replicas = fs.String(&o.Replicas, "replicas", "r", "").removedFromKubectl()
		fs.String(&o.ImagePullPolicy, "image-pull-policy", "", "")
		fs.String(&o.Output, "output", "o", "")
		fs.String(&o.Overrides, "overrides", "", "")
		fs.String(&o.OverrideType, "override-type", "", "merge")
		addDryRun(fs, &o.DryRun)
		fs.Bool(&o.Rm, "rm", "", false)
		fs.Bool(&o.Stdin, "stdin", "i", false)
		fs.Bool(&o.TTY, "tty", "t", false)
		fs.StringArray(&o.Annotations, "annotations", "")
		return o
	},
	dash: true,
}

func (o *runOptions) readOnly() bool { return !dryRunWrites(o.DryRun) }

func (o *runOptions) run(e *env) error {
	// kubectl v1.37's order: cobra's required flag, then Complete's parsing, then Validate.
	if !o.image.changed {
		return fmt.Errorf("required flag(s) \"image\" not set")
	}
	// Flags the book's kubectl had: strict mode refuses them as kubectl v1.37 does.
	if o.generator.changed {
		e.errf("kubetab: --generator was removed from kubectl (a real kubectl refuses it); since v1.18 run creates only a pod (the book's --generator=run/v1 made a ReplicationController; apply a manifest for that).\n")
	}
	if o.replicas.changed {
		e.errf("kubetab: --replicas was removed from kubectl (a real kubectl refuses it); run creates one pod (scale a Deployment or ReplicationController for more).\n")
	}
	var labels map[string]string
	if l := o.Labels; l != "" {
		labels = map[string]string{}
		for _, spec := range strings.Split(l, ",") {
			kv := strings.Split(spec, "=")
			if len(kv) != 2 {
				return fmt.Errorf("unexpected label spec: %s", spec)
			}
			if kv[0] == "" {
				return fmt.Errorf("unexpected empty label key")
			}
			labels[kv[0]] = kv[1]
		}
	}
	var env []corev1.EnvVar
	for _, kv := range o.Env {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" || len(validation.IsEnvVarName(k)) != 0 {
			return fmt.Errorf("invalid env: %s", kv)
		}
		env = append(env, corev1.EnvVar{Name: k, Value: v})
	}
	restart := corev1.RestartPolicy(o.Restart)
	switch restart {
	case corev1.RestartPolicyAlways, corev1.RestartPolicyOnFailure, corev1.RestartPolicyNever:
	default:
		return fmt.Errorf("invalid restart policy: %s, valid values are: Always, OnFailure, Never", restart)
	}
	switch p := corev1.PullPolicy(o.ImagePullPolicy); p {
	case "", corev1.PullAlways, corev1.PullIfNotPresent, corev1.PullNever:
	default:
		return fmt.Errorf("invalid image pull policy: %s, valid values are: Always, IfNotPresent, Never", p)
	}
	args := o.args
	if len(args) == 0 {
		return fmt.Errorf("NAME is required for run")
	}
	image := o.Image
	if image == "" {
		return fmt.Errorf("--image is required")
	}
	if o.TTY && !o.Stdin {
		return fmt.Errorf("-i/--stdin is required for containers with -t/--tty=true")
	}
	if o.Expose && o.Port == "" {
		return fmt.Errorf("--port must be set when exposing a service")
	}
	var port int32
	if p := o.Port; p != "" {
		n, err := strconv.ParseInt(p, 10, 32)
		if err != nil {
			return fmt.Errorf("--port must be a number")
		}
		port = int32(n)
	}
	if o.Rm && !o.Stdin {
		return fmt.Errorf("--rm should only be used for attached containers")
	}
	if len(args) > 1 {
		// kubectl treats extra words as the container's arguments.
		e.afterDash = append(append([]string(nil), args[1:]...), e.afterDash...)
	}
	name := args[0]
	if labels == nil {
		labels = map[string]string{"run": name}
	}
	c := corev1.Container{Name: name, Image: image, ImagePullPolicy: corev1.PullPolicy(o.ImagePullPolicy), Env: env}
	// -i/-t: stdin open once and a TTY, as kubectl run -i makes the pod; the terminal attaches
	// (engine/terminal, container.go: it enters the container's shell).
	c.Stdin, c.StdinOnce, c.TTY = o.Stdin, o.Stdin, o.TTY
	if o.Port != "" {
		c.Ports = []corev1.ContainerPort{{ContainerPort: port}}
	}
	if cmd := e.afterDashOrNil(); cmd != nil {
		if o.Command {
			c.Command = cmd
		} else {
			c.Args = cmd
		}
	}
	var ann map[string]string
	for _, kv := range o.Annotations {
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
	var obj api.Object = pod
	if o.Overrides != "" {
		var err error
		if obj, err = override(pod, o.OverrideType, o.Overrides); err != nil {
			return err
		}
	}
	if err := e.createGenerated(obj, o.DryRun, o.Output); err != nil || !o.Expose {
		return err
	}
	// --expose: a ClusterIP Service selecting the pod, labelled only as the user asked.
	svc := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: corev1.ServiceSpec{Selector: labels, Ports: []corev1.ServicePort{
			{Port: port, Protocol: corev1.ProtocolTCP, TargetPort: intstr.FromInt32(port)}}},
	}
	if o.Labels != "" {
		svc.Labels = labels
	}
	return e.createGenerated(svc, o.DryRun, o.Output)
}

// override is run's --overrides: a patch of --override-type (JSON merge, JSON or strategic
// merge) applied to the object run made, before it is sent (kubectl's cmdutil.Override).
func override(obj api.Object, typ, patch string) (api.Object, error) {
	switch typ {
	case "merge", "json", "strategic":
	default:
		return nil, fmt.Errorf("invalid override type: %v", typ)
	}
	res := api.ResourceFor(obj)
	obj.GetObjectKind().SetGroupVersionKind(res.GroupVersionKind())
	doc, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	patched, err := applyPatch(doc, typ, []byte(patch), res.New())
	if err != nil {
		// kubectl patches on the client: its error is its own, not the API server's.
		return nil, errors.New(err.Error())
	}
	return decodeOne(patched)
}
