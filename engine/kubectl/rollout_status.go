package kubectl

import (
	"errors"
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/controller/deployment"
	"github.com/kubetab/kubetab/engine/store"
)

type rolloutStatusOptions struct {
	rolloutTarget
	Watch    bool
	Revision int64
	Timeout  time.Duration
}

var rolloutStatusCommand = &command{
	name:  "status",
	short: "Show the status of the rollout",
	usage: "rollout status (TYPE NAME | TYPE/NAME) [flags]",
	options: func(fs *flagSet) commandOptions {
		o := &rolloutStatusOptions{}
		o.rolloutTarget.add(fs)
		fs.Bool(&o.Watch, "watch", "w", true)
		fs.Int64(&o.Revision, "revision", "", 0)
		fs.Duration(&o.Timeout, "timeout", "", 0)
		return o
	},
}

// readOnly: without --watch=false, rollout status waits, which moves virtual time (in a
// terminal it streams instead, and its journal keeps it with --watch=false).
func (o *rolloutStatusOptions) readOnly() bool { return !o.Watch }

func (o *rolloutStatusOptions) validate(e *env) error {
	if err := o.rolloutTarget.validate(e); err != nil {
		return err
	}
	if o.Revision < 0 {
		return fmt.Errorf("revision must be a positive integer: %v", o.Revision)
	}
	if o.Timeout < 0 {
		// kubectl logs that a negative timeout is not valid and waits without one.
		o.Timeout = 0
	}
	return nil
}

// rolloutStatus is the status viewer of a kind (polymorphichelpers.StatusViewer): the line
// kubectl prints for the object as it is now, and whether the rollout is done; an error ends
// the watch.
type rolloutStatus func(obj api.Object, revision int64) (string, bool, error)

// statusViewerFor is StatusViewerFor: Deployments and DaemonSets (kubetab has no
// StatefulSets).
func statusViewerFor(obj api.Object) (rolloutStatus, error) {
	switch obj.(type) {
	case *appsv1.Deployment:
		return func(o api.Object, revision int64) (string, bool, error) {
			return deploymentRolloutStatus(o.(*appsv1.Deployment), revision)
		}, nil
	case *appsv1.DaemonSet:
		return func(o api.Object, _ int64) (string, bool, error) {
			return daemonSetRolloutStatus(o.(*appsv1.DaemonSet))
		}, nil
	}
	return nil, fmt.Errorf("no status viewer has been implemented for %s", groupKind(obj))
}

// deploymentRolloutStatus is DeploymentStatusViewer.Status.
func deploymentRolloutStatus(d *appsv1.Deployment, revision int64) (string, bool, error) {
	if revision > 0 {
		v, err := deployment.Revision(d)
		if err != nil {
			return "", false, fmt.Errorf("cannot get the revision of deployment %q: %v", d.Name, err)
		}
		if revision != v {
			return "", false, fmt.Errorf("desired revision (%d) is different from the running revision (%d)", revision, v)
		}
	}
	if d.Generation > d.Status.ObservedGeneration {
		return "Waiting for deployment spec update to be observed...\n", false, nil
	}
	for _, c := range d.Status.Conditions {
		if c.Type == appsv1.DeploymentProgressing && c.Reason == deployment.ReasonProgressDeadlineExceeded {
			return "", false, fmt.Errorf("deployment %q exceeded its progress deadline", d.Name)
		}
	}
	s := d.Status
	switch {
	case d.Spec.Replicas != nil && s.UpdatedReplicas < *d.Spec.Replicas:
		return fmt.Sprintf("Waiting for deployment %q rollout to finish: %d out of %d new replicas have been updated...\n", d.Name, s.UpdatedReplicas, *d.Spec.Replicas), false, nil
	case s.Replicas > s.UpdatedReplicas:
		return fmt.Sprintf("Waiting for deployment %q rollout to finish: %d old replicas are pending termination...\n", d.Name, s.Replicas-s.UpdatedReplicas), false, nil
	case s.AvailableReplicas < s.UpdatedReplicas:
		return fmt.Sprintf("Waiting for deployment %q rollout to finish: %d of %d updated replicas are available...\n", d.Name, s.AvailableReplicas, s.UpdatedReplicas), false, nil
	}
	return fmt.Sprintf("deployment %q successfully rolled out\n", d.Name), true, nil
}

// daemonSetRolloutStatus is DaemonSetStatusViewer.Status.
func daemonSetRolloutStatus(ds *appsv1.DaemonSet) (string, bool, error) {
	if ds.Spec.UpdateStrategy.Type != appsv1.RollingUpdateDaemonSetStrategyType {
		return "", true, fmt.Errorf("rollout status is only available for %s strategy type", appsv1.RollingUpdateStatefulSetStrategyType)
	}
	if ds.Generation > ds.Status.ObservedGeneration {
		return "Waiting for daemon set spec update to be observed...\n", false, nil
	}
	s := ds.Status
	switch {
	case s.UpdatedNumberScheduled < s.DesiredNumberScheduled:
		return fmt.Sprintf("Waiting for daemon set %q rollout to finish: %d out of %d new pods have been updated...\n", ds.Name, s.UpdatedNumberScheduled, s.DesiredNumberScheduled), false, nil
	case s.NumberAvailable < s.DesiredNumberScheduled:
		return fmt.Sprintf("Waiting for daemon set %q rollout to finish: %d of %d updated pods are available...\n", ds.Name, s.NumberAvailable, s.DesiredNumberScheduled), false, nil
	}
	return fmt.Sprintf("daemon set %q successfully rolled out\n", ds.Name), true, nil
}

// errTimedOut is what kubectl's watch says when --timeout passes first.
var errTimedOut = errors.New("timed out waiting for the condition")

// statusFollow follows the rollouts of the objects a rollout status names, one after the
// other as kubectl visits them: each line the status viewer gives for the object as first
// found, then for each change the cluster delivers (kubectl prints at every watch event,
// so a line may repeat), until the rollout is done, fails, its --timeout passes, or (with
// --watch=false) after the first line.
type statusFollow struct {
	e    *env
	o    *rolloutStatusOptions
	objs []api.Object
	// next is the index of the object to follow once the current one is done.
	next int
	cur  *statusTarget
	errs []error
}

// statusTarget is the object being followed.
type statusTarget struct {
	res      *api.Resource
	ns, name string
	viewer   rolloutStatus
	deadline time.Time // zero: no --timeout
	// changes are the object's states delivered since the last step, nil for a deletion.
	changes []api.Object
	cancel  func()
}

// step prints what is new and moves on to the next object when the current one is done;
// it reports whether every object is done.
func (f *statusFollow) step() bool {
	for {
		if f.cur == nil {
			if f.next >= len(f.objs) {
				return true
			}
			f.start(f.objs[f.next])
			f.next++
			continue
		}
		if !f.follow() {
			return false
		}
		f.cur.cancel()
		f.cur = nil
	}
}

// start prints the object's status as first found (the watch's Added event) and, unless
// that ends it, subscribes to its changes.
func (f *statusFollow) start(obj api.Object) {
	viewer, err := statusViewerFor(obj)
	if err != nil {
		f.errs = append(f.errs, err)
		return
	}
	t := &statusTarget{res: api.ResourceFor(obj), ns: obj.GetNamespace(), name: obj.GetName(), viewer: viewer, cancel: func() {}}
	if f.o.Timeout > 0 {
		t.deadline = f.e.c.Now().Add(f.o.Timeout)
	}
	if f.show(t, obj) {
		return
	}
	t.cancel = f.e.c.WatchUntilCancelled(t.res.Name, func(ev store.WatchEvent) {
		if ev.Object.GetNamespace() != t.ns || ev.Object.GetName() != t.name {
			return
		}
		var state api.Object
		if ev.Type != store.Deleted {
			state = ev.Object
		}
		t.changes = append(t.changes, state)
	})
	f.cur = t
}

// follow prints the current object's changes; it reports whether its rollout is done. Past
// its --timeout it is done, with kubectl's error: changes after that instant are not shown,
// those at it are.
func (f *statusFollow) follow() bool {
	t := f.cur
	now := f.e.c.Now()
	if !t.deadline.IsZero() && now.After(t.deadline) {
		f.errs = append(f.errs, errTimedOut)
		return true
	}
	changes := t.changes
	t.changes = nil
	for _, obj := range changes {
		if obj == nil {
			f.errs = append(f.errs, fmt.Errorf("object has been deleted"))
			return true
		}
		if f.show(t, obj) {
			return true
		}
	}
	if !t.deadline.IsZero() && !now.Before(t.deadline) {
		f.errs = append(f.errs, errTimedOut)
		return true
	}
	return false
}

// show prints one state's line; it reports whether the watch ends there.
func (f *statusFollow) show(t *statusTarget, obj api.Object) bool {
	msg, done, err := t.viewer(obj, f.o.Revision)
	if err != nil {
		f.errs = append(f.errs, err)
		return true
	}
	f.e.out("%s", msg)
	return done || !f.o.Watch
}

// stop lets go of the watch of the object being followed.
func (f *statusFollow) stop() {
	if f.cur != nil {
		f.cur.cancel()
		f.cur = nil
	}
}

func (o *rolloutStatusOptions) run(e *env) error {
	objs, err := e.allObjects(o.request())
	if err != nil {
		return err
	}
	if len(objs) == 0 {
		e.errf("No resources found in %s namespace.\n", e.ns)
		return nil
	}
	f := &statusFollow{e: e, o: o, objs: objs}
	if f.step() {
		return asError(f.errs)
	}
	if e.streaming {
		e.startStream(func() bool {
			if !f.step() {
				return false
			}
			if err := asError(f.errs); err != nil {
				e.io.Err.Write([]byte(errorText(err)))
			}
			return true
		}, f.stop, "--watch=false")
		return nil
	}
	defer f.stop()
	window := DefaultWatchWindow
	if d, ok := e.requestTimeout(); ok {
		window = d
	}
	start := e.c.Now()
	end := start.Add(window)
	for {
		// Time stops at the followed object's --timeout, so that it ends there.
		until := end
		if f.cur != nil && !f.cur.deadline.IsZero() && f.cur.deadline.Before(until) {
			until = f.cur.deadline
		}
		done, err := e.c.RunUntil(until, f.step)
		if err != nil {
			return err
		}
		if done {
			return asError(f.errs)
		}
		if !e.c.Now().Before(end) {
			break
		}
	}
	e.errf("kubetab: stopped watching after %s of virtual time (the watch window; set it with --request-timeout, or give --timeout).\n", window)
	if len(f.errs) == 0 {
		return errSilent
	}
	return asError(f.errs)
}
