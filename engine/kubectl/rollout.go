package kubectl

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/controller/deployment"
	"github.com/kubetab/kubetab/engine/kubectl/printers"
)

// `kubectl rollout` (k8s.io/kubectl pkg/cmd/rollout and the polymorphic helpers it calls):
// history, pause, resume, undo, status and restart, for Deployments, and for DaemonSets
// where kubetab has what they need. kubetab keeps no ControllerRevisions, so a DaemonSet
// has no history to show or roll back to.

var rolloutCommand = &command{
	name:  "rollout",
	short: "Manage the rollout of a resource",
	usage: "rollout SUBCOMMAND",
	subcommands: []*command{
		rolloutHistoryCommand, rolloutPauseCommand, rolloutRestartCommand,
		rolloutResumeCommand, rolloutStatusCommand, rolloutUndoCommand,
	},
}

// rolloutTarget is what every rollout subcommand names its objects with: TYPE NAME,
// TYPE/NAME, -f and -l (ResourceTypeOrNameArgs(true, ...)).
type rolloutTarget struct {
	plainArgs
	resourceFlags
}

func (t *rolloutTarget) add(fs *flagSet) {
	t.filenameFlags.add(fs)
	t.addLabelSelector(fs)
}

func (t *rolloutTarget) validate(*env) error {
	if len(t.args) == 0 && !t.given() {
		return fmt.Errorf("required resource not specified")
	}
	return nil
}

func (t *rolloutTarget) request() resourceRequest {
	return resourceRequest{resourceFlags: t.resourceFlags, args: t.args, listBare: true}
}

// groupKind is how kubectl names an object's kind in its rollout errors (schema.GroupKind):
// `Pod`, `ReplicaSet.apps`.
func groupKind(obj api.Object) string {
	r := api.ResourceFor(obj)
	if r == nil {
		return fmt.Sprintf("%T", obj)
	}
	if r.Group != "" {
		return r.Kind + "." + r.Group
	}
	return r.Kind
}

// hasRolloutHelpers tells whether kubectl's polymorphic helpers know the kind at all
// (apps.GroupKindElement.Accept): those it does not know get "no visitor method exists".
func hasRolloutHelpers(obj api.Object) bool {
	r := api.ResourceFor(obj)
	return r != nil && slices.Contains([]string{"DaemonSet", "Deployment", "Job", "Pod", "ReplicaSet", "ReplicationController", "StatefulSet", "CronJob"}, r.Kind)
}

// noVisitor is Accept's error for a kind it does not know; the kind prints as the struct it
// is (`{ Service}`).
func noVisitor(obj api.Object) error {
	r := api.ResourceFor(obj)
	return fmt.Errorf("no visitor method exists for {%s %s}", r.Group, r.Kind)
}

// errNoDaemonSetHistory is kubetab's answer where kubectl would read a DaemonSet's
// ControllerRevisions.
var errNoDaemonSetHistory = fmt.Errorf("kubetab keeps no ControllerRevisions, so a DaemonSet has no rollout history to show or roll back to")

// deploymentReplicaSets are the ReplicaSets the Deployment controls (deploymentutil's
// GetAllReplicaSets), by name.
func (e *env) deploymentReplicaSets(d *appsv1.Deployment) []*appsv1.ReplicaSet {
	var out []*appsv1.ReplicaSet
	for _, o := range e.c.Store.Dependents(d.UID) {
		if rs, ok := o.(*appsv1.ReplicaSet); ok {
			if ref := metav1.GetControllerOfNoCopy(rs); ref != nil && ref.UID == d.UID {
				out = append(out, rs)
			}
		}
	}
	slices.SortFunc(out, func(a, b *appsv1.ReplicaSet) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// revisions maps each revision of a Deployment to its ReplicaSet; ReplicaSets whose revision
// does not read are left out (kubectl logs a warning).
func revisions(rss []*appsv1.ReplicaSet) (map[int64]*appsv1.ReplicaSet, []int64) {
	byRev := map[int64]*appsv1.ReplicaSet{}
	for _, rs := range rss {
		v, err := deployment.Revision(rs)
		if err != nil {
			continue
		}
		byRev[v] = rs
	}
	var revs []int64
	for v := range byRev {
		revs = append(revs, v)
	}
	sort.Slice(revs, func(i, j int) bool { return revs[i] < revs[j] })
	return byRev, revs
}

// ---- history ----

type rolloutHistoryOptions struct {
	rolloutTarget
	Revision int64
	Output   string
}

var rolloutHistoryCommand = &command{
	name:  "history",
	short: "View rollout history",
	usage: "rollout history (TYPE NAME | TYPE/NAME) [flags]",
	options: func(fs *flagSet) commandOptions {
		o := &rolloutHistoryOptions{}
		fs.Int64(&o.Revision, "revision", "", 0)
		o.rolloutTarget.add(fs)
		fs.String(&o.Output, "output", "o", "")
		return o
	},
}

func (o *rolloutHistoryOptions) readOnly() bool { return true }

func (o *rolloutHistoryOptions) validate(e *env) error {
	if err := o.rolloutTarget.validate(e); err != nil {
		return err
	}
	if o.Revision < 0 {
		return fmt.Errorf("revision must be a positive integer: %v", o.Revision)
	}
	return nil
}

func (o *rolloutHistoryOptions) run(e *env) error {
	return e.visit(o.request(), func(info *resourceInfo) error { return o.history(e, info.obj) })
}

// history prints one object's revisions (ViewHistory), or with -o the ReplicaSets that hold
// them (GetHistory).
func (o *rolloutHistoryOptions) history(e *env, obj api.Object) error {
	var d *appsv1.Deployment
	switch t := obj.(type) {
	case *appsv1.Deployment:
		d = t
	case *appsv1.DaemonSet:
		return errNoDaemonSetHistory
	default:
		if !hasRolloutHelpers(obj) {
			return fmt.Errorf("error retrieving history for %q, %v", groupKind(obj), noVisitor(obj))
		}
		return fmt.Errorf("no history viewer has been implemented for %q", groupKind(obj))
	}
	byRev, revs := revisions(e.deploymentReplicaSets(d))
	if o.Output != "" {
		var objs []api.Object
		if o.Revision > 0 {
			rs, ok := byRev[o.Revision]
			if !ok {
				return fmt.Errorf("unable to find the specified revision")
			}
			objs = append(objs, rs)
		} else {
			for _, v := range revs {
				objs = append(objs, byRev[v])
			}
		}
		for _, rs := range objs {
			if err := printers.PrintObjects(e.io.Out, []api.Object{rs}, o.Output, true); err != nil {
				return err
			}
		}
		return nil
	}
	var text string
	switch {
	case len(revs) == 0:
		text = "No rollout history found."
	case o.Revision > 0:
		rs, ok := byRev[o.Revision]
		if !ok {
			return fmt.Errorf("unable to find the specified revision")
		}
		t := rs.Spec.Template.DeepCopy()
		if cause := rs.Annotations[changeCauseAnnotation]; cause != "" {
			if t.Annotations == nil {
				t.Annotations = map[string]string{}
			}
			t.Annotations[changeCauseAnnotation] = cause
		}
		text = printers.PodTemplateText(t)
	default:
		rows := [][]string{{"REVISION", "CHANGE-CAUSE"}}
		for _, v := range revs {
			cause := byRev[v].Annotations[changeCauseAnnotation]
			if cause == "" {
				cause = "<none>"
			}
			rows = append(rows, []string{fmt.Sprint(v), cause})
		}
		text = printers.Tabbed(rows)
	}
	withRevision := ""
	if o.Revision > 0 {
		withRevision = fmt.Sprintf("with revision #%d", o.Revision)
	}
	return e.printResult("", d, withRevision+"\n"+text)
}

// changeCauseAnnotation is the annotation `rollout history` shows as CHANGE-CAUSE.
const changeCauseAnnotation = "kubernetes.io/change-cause"

// ---- undo ----

type rolloutUndoOptions struct {
	rolloutTarget
	ToRevision     int64
	DryRun, Output string
}

var rolloutUndoCommand = &command{
	name:  "undo",
	short: "Undo a previous rollout",
	usage: "rollout undo (TYPE NAME | TYPE/NAME) [flags]",
	options: func(fs *flagSet) commandOptions {
		o := &rolloutUndoOptions{}
		fs.Int64(&o.ToRevision, "to-revision", "", 0)
		o.rolloutTarget.add(fs)
		addDryRun(fs, &o.DryRun)
		fs.String(&o.Output, "output", "o", "")
		return o
	},
}

func (o *rolloutUndoOptions) readOnly() bool { return !dryRunWrites(o.DryRun) }

func (o *rolloutUndoOptions) run(e *env) error {
	dry, err := dryRunClient(o.DryRun)
	if err != nil {
		return err
	}
	return e.visit(o.request(), func(info *resourceInfo) error {
		if _, ok := info.obj.GetAnnotations()[lastAppliedAnnotation]; ok {
			e.errf("Warning: resource %s/%s was previously managed with 'kubectl apply'. Rolling back will not update the %s annotation, which may cause unexpected behavior on future 'kubectl apply' operations. Consider using 'kubectl apply' with your previous configuration file instead.\n",
				info.res.Name, info.name, lastAppliedAnnotation)
		}
		result, err := o.rollback(e, info.obj, dry)
		if err != nil {
			return err
		}
		if dry {
			result += " (dry run)"
		}
		return e.printResult(o.Output, info.obj, result)
	})
}

// rollback is DeploymentRollbacker.Rollback: kubectl, not the controller, puts the template
// and annotations of the revision's ReplicaSet back into the Deployment, whose controller
// then finds that ReplicaSet new again and scales it up (no new ReplicaSet).
func (o *rolloutUndoOptions) rollback(e *env, obj api.Object, dry bool) (string, error) {
	var d *appsv1.Deployment
	switch t := obj.(type) {
	case *appsv1.Deployment:
		d = t
	case *appsv1.DaemonSet:
		return "", errNoDaemonSetHistory
	default:
		if !hasRolloutHelpers(obj) {
			return "", fmt.Errorf("error retrieving rollbacker for %q, %v", groupKind(obj), noVisitor(obj))
		}
		return "", fmt.Errorf("no rollbacker has been implemented for %q", groupKind(obj))
	}
	to := o.ToRevision
	if to < 0 {
		return "", revisionNotFound(to)
	}
	rs, err := revisionReplicaSet(d, e.deploymentReplicaSets(d), to)
	if err != nil {
		return "", err
	}
	if dry {
		return printers.PodTemplateText(&rs.Spec.Template), nil
	}
	if d.Spec.Paused {
		return "", fmt.Errorf("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again")
	}
	if to == 0 {
		to, _ = deployment.Revision(rs)
	}
	next := d.DeepCopy()
	if !deployment.RollbackToTemplate(next, rs) {
		return fmt.Sprintf("skipped rollback (current template already matches revision %d)", to), nil
	}
	if _, err := e.updateObject(next, d); err != nil {
		return "", fmt.Errorf("failed restoring revision %d: %v", to, err)
	}
	return "rolled back", nil
}

func revisionNotFound(r int64) error {
	return fmt.Errorf("unable to find specified revision %v in history", r)
}

// revisionReplicaSet is kubectl's deploymentRevision: the ReplicaSet of revision to, or for
// 0 the one of the revision before the latest.
func revisionReplicaSet(d *appsv1.Deployment, rss []*appsv1.ReplicaSet, to int64) (*appsv1.ReplicaSet, error) {
	var latest, previous *appsv1.ReplicaSet
	latestRev, previousRev := int64(-1), int64(-1)
	for _, rs := range rss {
		v, err := deployment.Revision(rs)
		if err != nil {
			continue
		}
		switch {
		case to > 0:
			if v == to {
				return rs, nil
			}
		case v > latestRev:
			previousRev, previous = latestRev, latest
			latestRev, latest = v, rs
		case v > previousRev:
			previousRev, previous = v, rs
		}
	}
	if to > 0 {
		return nil, revisionNotFound(to)
	}
	if previous == nil {
		return nil, fmt.Errorf("no rollout history found for deployment %q", d.Name)
	}
	return previous, nil
}

// ---- pause, resume, restart ----

// rolloutPatchOptions are pause's, resume's and restart's: each changes the objects with
// its mutate (kubectl's ObjectPauser, ObjectResumer, ObjectRestarter) and reports each.
type rolloutPatchOptions struct {
	rolloutTarget
	Output, FieldManager string

	// mutate changes obj (a copy) or says why it cannot; unchanged is what kubectl prints
	// when the change is already there ("" for restart, for which that is an error).
	mutate    func(e *env, obj api.Object) error
	done      string
	unchanged string
}

func newRolloutPatch(fs *flagSet, done, unchanged string, mutate func(e *env, obj api.Object) error) commandOptions {
	o := &rolloutPatchOptions{mutate: mutate, done: done, unchanged: unchanged}
	fs.String(&o.Output, "output", "o", "")
	o.rolloutTarget.add(fs)
	fs.String(&o.FieldManager, "field-manager", "", "kubectl-rollout")
	return o
}

var rolloutPauseCommand = &command{
	name:  "pause",
	short: "Mark the provided resource as paused",
	usage: "rollout pause RESOURCE",
	options: func(fs *flagSet) commandOptions {
		return newRolloutPatch(fs, "paused", "already paused", setPaused(true))
	},
}

var rolloutResumeCommand = &command{
	name:  "resume",
	short: "Resume a paused resource",
	usage: "rollout resume RESOURCE",
	options: func(fs *flagSet) commandOptions {
		return newRolloutPatch(fs, "resumed", "already resumed", setPaused(false))
	},
}

// setPaused is kubectl's ObjectPauser (paused) and ObjectResumer: only a Deployment pauses,
// and only one that is not already so.
func setPaused(paused bool) func(*env, api.Object) error {
	unsupported, already := "pausing is not supported", "is already paused"
	if !paused {
		unsupported, already = "resuming is not supported", "is not paused"
	}
	return func(_ *env, obj api.Object) error {
		d, ok := obj.(*appsv1.Deployment)
		switch {
		case !ok:
			return errors.New(unsupported)
		case d.Spec.Paused == paused:
			return errors.New(already)
		}
		d.Spec.Paused = paused
		return nil
	}
}

// restartedAtAnnotation is the pod template annotation `rollout restart` stamps, which
// makes a new template and so a new rollout.
const restartedAtAnnotation = "kubectl.kubernetes.io/restartedAt"

var rolloutRestartCommand = &command{
	name:  "restart",
	short: "Restart a resource",
	usage: "rollout restart RESOURCE",
	options: func(fs *flagSet) commandOptions {
		return newRolloutPatch(fs, "restarted", "", func(e *env, obj api.Object) error {
			var t *corev1.PodTemplateSpec
			switch o := obj.(type) {
			case *appsv1.Deployment:
				if o.Spec.Paused {
					return fmt.Errorf("can't restart paused deployment (run rollout resume first)")
				}
				t = &o.Spec.Template
			case *appsv1.DaemonSet:
				t = &o.Spec.Template
			default:
				return fmt.Errorf("restarting is not supported")
			}
			if t.Annotations == nil {
				t.Annotations = map[string]string{}
			}
			// kubectl stamps its own clock, in whole seconds; kubetab's is virtual.
			t.Annotations[restartedAtAnnotation] = e.c.Now().Format("2006-01-02T15:04:05Z07:00")
			return nil
		})
	},
}

func (o *rolloutPatchOptions) readOnly() bool { return false }

func (o *rolloutPatchOptions) run(e *env) error {
	r, err := e.resources(o.request())
	if err != nil {
		return err
	}
	objs, errs := r.objects()
	if len(objs) == 0 && len(errs) == 0 {
		e.errf("No resources found in %s namespace.\n", e.ns)
		return nil
	}
	for _, cur := range objs {
		next := cur.DeepCopyObject().(api.Object)
		if err := o.mutate(e, next); err != nil {
			res := api.ResourceFor(cur)
			errs = append(errs, fmt.Errorf("error: %s %q %v", res.GroupResource(), cur.GetName(), err))
			continue
		}
		if equality.Semantic.DeepEqual(cur, next) {
			if o.unchanged == "" {
				errs = append(errs, fmt.Errorf("failed to create patch for %v: if restart has already been triggered within the past second, please wait before attempting to trigger another", cur.GetName()))
				continue
			}
			if err := e.printResult(o.Output, cur, o.unchanged); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		updated, err := e.updateObject(next, cur)
		if err != nil {
			errs = append(errs, fmt.Errorf("failed to patch: %v", err))
			continue
		}
		if err := e.printResult(o.Output, updated, o.done); err != nil {
			errs = append(errs, err)
		}
	}
	return asError(errs)
}
