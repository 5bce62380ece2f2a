package kubectl

import (
	"fmt"
	"strings"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// createCronJobOptions are `kubectl create cronjob`'s (create_cronjob.go): a CronJob whose
// job runs one container of --image on --schedule.
type createCronJobOptions struct {
	plainArgs
	Image, Schedule, Restart string
	generatorFlags

	image, schedule *flag
}

var createCronJobCommand = &command{
	name:    "cronjob",
	aliases: []string{"cj"},
	short:   "Create a cron job with the specified name",
	usage:   "create cronjob NAME --image=image --schedule='0/5 * * * ?' -- [COMMAND] [args...] [flags]",
	options: func(fs *flagSet) commandOptions {
		o := &createCronJobOptions{}
		o.image = fs.String(&o.Image, "image", "", "")
		o.schedule = fs.String(&o.Schedule, "schedule", "", "")
		fs.String(&o.Restart, "restart", "", "")
		o.generatorFlags.add(fs)
		return o
	},
	dash: true,
}

func (o *createCronJobOptions) validate(e *env) error {
	// cobra checks the required flags before the command runs.
	var missing []string
	for _, f := range []*flag{o.image, o.schedule} {
		if !f.changed {
			missing = append(missing, `"`+f.name+`"`)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("required flag(s) %s not set", strings.Join(missing, ", "))
	}
	if len(o.args) != 1 {
		return e.usageError("exactly one NAME is required, got %d", len(o.args))
	}
	if o.Image == "" {
		return fmt.Errorf("--image must be specified")
	}
	if o.Schedule == "" {
		return fmt.Errorf("--schedule must be specified")
	}
	return nil
}

func (o *createCronJobOptions) run(e *env) error {
	name := o.args[0]
	restart := corev1.RestartPolicyOnFailure
	if o.Restart != "" {
		restart = corev1.RestartPolicy(o.Restart)
	}
	cj := &batchv1.CronJob{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: batchv1.CronJobSpec{
			Schedule: o.Schedule,
			JobTemplate: batchv1.JobTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Name: name},
				Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
					Containers:    []corev1.Container{{Name: name, Image: o.Image, Command: e.afterDashOrNil()}},
					RestartPolicy: restart,
				}}},
			},
		},
	}
	return o.create(e, cj, "cronjob")
}
