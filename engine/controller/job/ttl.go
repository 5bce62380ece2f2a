package job

import (
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/sim"
	"github.com/kubetab/kubetab/engine/store"
)

// ttlPropagation is how a Job whose TTL expired is deleted. Upstream's
// ttl-after-finished controller asks for Foreground; a finished Job's pods have all
// terminated, so Background looks the same from outside and does not depend on the
// garbage collector's foreground support.
var ttlPropagation = metav1.DeletePropagationBackground

// newTTLController adds the ttl-after-finished controller: a finished Job with
// ttlSecondsAfterFinished is deleted that many seconds after its Complete or Failed
// condition.
func newTTLController(c *sim.Cluster) {
	client := c.API.Client(TTLControllerName)
	c.AddController(TTLControllerName, func(key string) (time.Duration, error) {
		return syncTTL(c, client, key)
	})
	c.Watch(jobsResource.Name, func(ev store.WatchEvent) {
		job := ev.Object.(*batchv1.Job)
		if ev.Type != store.Deleted && needsCleanup(job) {
			c.Enqueue(TTLControllerName, keyOf(job))
		}
	})
}

// needsCleanup: a finished Job with a TTL that is not being deleted yet.
func needsCleanup(job *batchv1.Job) bool {
	return job.DeletionTimestamp == nil && job.Spec.TTLSecondsAfterFinished != nil && isFinished(job)
}

// ttlLeft is how long a finished Job has left before it is deleted (≤ 0: now).
func ttlLeft(job *batchv1.Job, now time.Time) (time.Duration, bool) {
	if !needsCleanup(job) {
		return 0, false
	}
	at, ok := finishTime(job)
	if !ok {
		return 0, false
	}
	return at.Add(time.Duration(*job.Spec.TTLSecondsAfterFinished) * time.Second).Sub(now), true
}

func syncTTL(c *sim.Cluster, client *apiserver.Client, key string) (time.Duration, error) {
	ns, name, _ := strings.Cut(key, "/")
	obj, err := c.Store.Get(jobsResource, ns, name)
	if err != nil {
		return 0, nil
	}
	job := obj.(*batchv1.Job)
	left, ok := ttlLeft(job, c.Now())
	if !ok {
		return 0, nil
	}
	if left > 0 {
		return left, nil
	}
	_, err = client.Delete(jobsResource, ns, name, apiserver.DeleteOptions{PropagationPolicy: ptr.To(ttlPropagation), UID: job.UID})
	if err != nil && !apierrors.IsNotFound(err) && !apierrors.IsConflict(err) {
		return 0, err
	}
	return 0, nil
}
