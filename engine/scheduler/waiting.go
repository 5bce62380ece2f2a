package scheduler

import (
	"reflect"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// Unschedulable pods wait for a change in the cluster that might let them fit (a node added
// or changed, a pod gone from a node). A change does not send every waiting pod back to
// the queue: that made each finished pod of a Job with 10,000 pending ones cost 10,000
// scheduling attempts. Waiting pods are grouped in classes of pods the filters cannot tell
// apart (the same controller, requests, node selector, affinity and tolerations), and a
// change retries each class from its head, in the order its pods began to wait: while its
// pods fit, the next one is tried; the first that does not fit ends the class's retry,
// since the others would not fit either. When that attempt fails for other reasons than
// the class's pods were told (the FailedScheduling message changed), every pod of the class
// is tried again, so that each one's PodScheduled condition says why it waits now.

// podClass is one class of waiting pods.
type podClass struct {
	owner types.UID
	// pod is a member (the first): its scheduling fields are the class's.
	pod *corev1.Pod
	// order holds the members' keys in the order they began to wait, from next on; it may
	// hold keys that no longer wait, which are skipped.
	order []string
	next  int
	size  int
	// msg is the FailedScheduling message of the class's latest attempt.
	msg string
	// retrying: the head was sent back to the queue by a change and has not been tried yet,
	// or the retry goes on with the pods after it.
	retrying bool
}

type waiting struct {
	byKey map[string]*podClass
	// byOwner holds the classes of each controller (bare pods are classes of one, keyed by
	// their own uid); classes lists them all in the order they were made.
	byOwner map[types.UID][]*podClass
	classes []*podClass
	// retrying maps the key of each class head in the queue to its class.
	retrying map[string]*podClass
}

func newWaiting() waiting {
	return waiting{byKey: map[string]*podClass{}, byOwner: map[types.UID][]*podClass{}, retrying: map[string]*podClass{}}
}

func (w *waiting) isWaiting(key string) bool { return w.byKey[key] != nil }

// wait records that pod (key) did not fit, for reason msg. retry is the class whose retry
// this attempt was, if any.
func (s *Scheduler) wait(key string, pod *corev1.Pod, msg string, retry *podClass) {
	cl := s.byKey[key]
	if cl == nil {
		cl = s.classOf(pod)
		s.byKey[key] = cl
		cl.order = append(cl.order, key)
		cl.size++
	}
	changed := cl.msg != "" && cl.msg != msg
	cl.msg = msg
	if retry == cl {
		cl.retrying = false
	} else {
		// The pod changed class since its retry began (its spec changed): the class it
		// left goes on with its next pod.
		s.retryNext(retry)
	}
	if changed {
		// The class's pods were told something else: try them all again, in order.
		for _, k := range cl.order[cl.next:] {
			if k != key && s.byKey[k] == cl {
				s.c.Enqueue(Name, k)
			}
		}
	}
}

// classOf finds (or makes) the class of a pod that begins to wait.
func (s *Scheduler) classOf(pod *corev1.Pod) *podClass {
	owner := pod.UID
	if ref := metav1.GetControllerOfNoCopy(pod); ref != nil {
		owner = ref.UID
	}
	for _, cl := range s.byOwner[owner] {
		if sameScheduling(cl.pod, pod) {
			return cl
		}
	}
	cl := &podClass{owner: owner, pod: pod}
	s.byOwner[owner] = append(s.byOwner[owner], cl)
	s.classes = append(s.classes, cl)
	return cl
}

// sameScheduling tells whether the filters answer the same for a and b on every node.
func sameScheduling(a, b *corev1.Pod) bool {
	if a.Spec.SchedulerName != b.Spec.SchedulerName || !mapsEqual(a.Spec.NodeSelector, b.Spec.NodeSelector) {
		return false
	}
	ac, am := podRequests(a)
	bc, bm := podRequests(b)
	return ac == bc && am == bm && reflect.DeepEqual(a.Spec.Affinity, b.Spec.Affinity) && reflect.DeepEqual(a.Spec.Tolerations, b.Spec.Tolerations)
}

// unwait forgets a pod that no longer waits (bound, gone, changed).
func (s *Scheduler) unwait(key string) {
	cl := s.byKey[key]
	if cl == nil {
		return
	}
	delete(s.byKey, key)
	cl.size--
	if cl.size == 0 {
		cl.order, cl.next = nil, 0
		list := s.byOwner[cl.owner]
		for i, c := range list {
			if c == cl {
				list = append(list[:i:i], list[i+1:]...)
				break
			}
		}
		if len(list) == 0 {
			delete(s.byOwner, cl.owner)
		} else {
			s.byOwner[cl.owner] = list
		}
		// s.classes drops it at the next retry round.
	}
}

// head returns the first pod of the class that still waits.
func (s *Scheduler) head(cl *podClass) (string, bool) {
	for cl.next < len(cl.order) {
		k := cl.order[cl.next]
		if s.byKey[k] == cl {
			return k, true
		}
		cl.next++
		if cl.next > 64 && 2*cl.next > len(cl.order) {
			// Keep the cost of dropping the done keys constant per key.
			cl.order = append([]string(nil), cl.order[cl.next:]...)
			cl.next = 0
		}
	}
	return "", false
}

// retryUnschedulable sends the head of every class back to the queue, in the order the
// classes were made.
func (s *Scheduler) retryUnschedulable() {
	live := s.classes[:0]
	for _, cl := range s.classes {
		if cl.size == 0 {
			continue
		}
		live = append(live, cl)
		if !cl.retrying {
			s.retryHead(cl)
		}
	}
	clear(s.classes[len(live):])
	s.classes = live
}

func (s *Scheduler) retryHead(cl *podClass) {
	k, ok := s.head(cl)
	cl.retrying = ok
	if ok {
		s.retrying[k] = cl
		s.c.Enqueue(Name, k)
	}
}

// retryNext goes on with a class's retry after its head was bound or went away.
func (s *Scheduler) retryNext(cl *podClass) {
	if cl == nil || !cl.retrying {
		return
	}
	s.retryHead(cl)
}
