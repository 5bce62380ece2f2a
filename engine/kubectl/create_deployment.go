package kubectl

import (
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
)

// createDeploymentOptions are `kubectl create deployment`'s (create_deployment.go).
type createDeploymentOptions struct {
	plainArgs
	Images         []string
	Port, Replicas int
	generatorFlags

	image *flag
}

// generatorFlags are the flags of the create subcommands that build an object from flags
// (create deployment, create cronjob), and how they create it.
type generatorFlags struct {
	Output, DryRun       string
	Validate, FieldOwner string
	SaveConfig           bool
}

func (g *generatorFlags) add(fs *flagSet) {
	fs.String(&g.Output, "output", "o", "")
	addDryRun(fs, &g.DryRun)
	fs.Bool(&g.SaveConfig, "save-config", "", false)
	fs.String(&g.Validate, "validate", "", "strict").noOpt("true")
	fs.String(&g.FieldOwner, "field-manager", "", "kubectl-create")
}

func (g *generatorFlags) readOnly() bool { return !dryRunWrites(g.DryRun) }

// create creates obj (or prints it for a dry run), with its configuration saved for apply
// under --save-config; the API server's refusal is worded as kubectl words it, "failed to
// create KIND: ...".
func (g *generatorFlags) create(e *env, obj api.Object, kind string) error {
	if g.SaveConfig {
		if _, err := setLastApplied(obj); err != nil {
			return err
		}
	}
	err := e.createGenerated(obj, g.DryRun, g.Output)
	if isAPIError(err) {
		return fmt.Errorf("failed to create %s: %v", kind, err)
	}
	return err
}

var createDeploymentCommand = &command{
	name:    "deployment",
	aliases: []string{"deploy"},
	short:   "Create a deployment with the specified name",
	usage:   "create deployment NAME --image=image -- [COMMAND] [args...]",
	options: func(fs *flagSet) commandOptions {
		o := &createDeploymentOptions{}
		o.image = fs.StringSlice(&o.Images, "image", "")
		fs.Int(&o.Port, "port", "", -1)
		fs.Int(&o.Replicas, "replicas", "r", 1)
		o.generatorFlags.add(fs)
		return o
	},
	dash: true,
}

func (o *createDeploymentOptions) validate(e *env) error {
	// cobra checks a required flag before the command runs.
	if !o.image.changed {
		return fmt.Errorf("required flag(s) \"image\" not set")
	}
	if len(o.args) != 1 {
		return e.usageError("exactly one NAME is required, got %d", len(o.args))
	}
	if len(o.Images) > 1 && len(e.afterDash) > 0 {
		return fmt.Errorf("cannot specify multiple --image options and command")
	}
	return nil
}

func (o *createDeploymentOptions) run(e *env) error {
	name := o.args[0]
	labels := map[string]string{"app": name}
	replicas := int32(o.Replicas)
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{}},
			},
		},
	}
	for _, image := range o.Images {
		d.Spec.Template.Spec.Containers = append(d.Spec.Template.Spec.Containers, corev1.Container{
			Name: e.containerNameFor(image), Image: image, Command: e.afterDashOrNil(),
		})
	}
	if c := d.Spec.Template.Spec.Containers; o.Port >= 0 && len(c) > 0 {
		c[0].Ports = []corev1.ContainerPort{{ContainerPort: int32(o.Port)}}
	}
	return o.create(e, d, "deployment")
}

// containerNameFor is the container name kubectl create deployment derives from an image:
// its last path segment without tag or digest; one with `_` or `.` (not a valid name) gets
// them as `-` and a random suffix.
func (e *env) containerNameFor(image string) string {
	name := image[strings.LastIndex(image, "/")+1:]
	name, _, _ = strings.Cut(name, ":")
	name, _, _ = strings.Cut(name, "@")
	if strings.ContainsAny(name, "_.") {
		name = strings.NewReplacer("_", "-", ".", "-").Replace(name)
		name += "-" + e.api.RandomSuffix(5)
	}
	return name
}
