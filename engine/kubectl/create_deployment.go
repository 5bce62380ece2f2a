package kubectl

import (
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// createDeploymentOptions are `kubectl create deployment`'s (create_deployment.go).
type createDeploymentOptions struct {
	plainArgs
	Images               []string
	Port, Replicas       int
	Output, DryRun       string
	Validate, FieldOwner string
	SaveConfig           bool

	image *flag
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
		fs.String(&o.Output, "output", "o", "")
		addDryRun(fs, &o.DryRun)
		fs.Bool(&o.SaveConfig, "save-config", "", false)
		fs.String(&o.Validate, "validate", "", "strict").noOpt("true")
		fs.String(&o.FieldOwner, "field-manager", "", "kubectl-create")
		return o
	},
	dash: true,
}

func (o *createDeploymentOptions) readOnly() bool { return !dryRunWrites(o.DryRun) }

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
	if o.SaveConfig {
		if _, err := setLastApplied(d); err != nil {
			return err
		}
	}
	err := e.createGenerated(d, o.DryRun, o.Output)
	if isAPIError(err) {
		// kubectl words the API server's answer into its own message.
		return fmt.Errorf("failed to create deployment: %v", err)
	}
	return err
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
