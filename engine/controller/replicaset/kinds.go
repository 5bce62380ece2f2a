package replicaset

import (
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubetab/kubetab/engine/api"
)

// ownerKind adapts one owner type to the shared controller code, as upstream's
// pkg/controller/replication converts RCs to ReplicaSets and back.
type ownerKind struct {
	resource  *api.Resource
	component string
	gvk       schema.GroupVersionKind
	// view reads the fields the controller needs; the object stays shared.
	view func(api.Object) ownerView
	// selector parses the owner's selector; called once per generation.
	selector func(api.Object) (labels.Selector, error)
	// withStatus returns a copy of obj carrying status.
	withStatus func(obj api.Object, status appsv1.ReplicaSetStatus) api.Object
}

// ownerView is what the controller reads of a ReplicaSet or ReplicationController. Status is
// always in ReplicaSet terms.
type ownerView struct {
	replicas        int32
	minReadySeconds int32
	template        *corev1.PodTemplateSpec
	status          appsv1.ReplicaSetStatus
}

func replicasOrDefault(p *int32) int32 {
	if p == nil {
		return 1 // the API default
	}
	return *p
}

var replicaSetKind = &ownerKind{
	resource:  api.ResourceByName("replicasets"),
	component: ComponentReplicaSet,
	gvk:       appsv1.SchemeGroupVersion.WithKind("ReplicaSet"),
	view: func(obj api.Object) ownerView {
		rs := obj.(*appsv1.ReplicaSet)
		return ownerView{
			replicas:        replicasOrDefault(rs.Spec.Replicas),
			minReadySeconds: rs.Spec.MinReadySeconds,
			template:        &rs.Spec.Template,
			status:          rs.Status,
		}
	},
	selector: func(obj api.Object) (labels.Selector, error) {
		return metav1.LabelSelectorAsSelector(obj.(*appsv1.ReplicaSet).Spec.Selector)
	},
	withStatus: func(obj api.Object, status appsv1.ReplicaSetStatus) api.Object {
		// Only the status is written (UpdateStatus), so a shallow copy suffices.
		rs := *obj.(*appsv1.ReplicaSet)
		rs.Status = status
		return &rs
	},
}

var replicationControllerKind = &ownerKind{
	resource:  api.ResourceByName("replicationcontrollers"),
	component: ComponentReplicationController,
	gvk:       corev1.SchemeGroupVersion.WithKind("ReplicationController"),
	view: func(obj api.Object) ownerView {
		rc := obj.(*corev1.ReplicationController)
		return ownerView{
			replicas:        replicasOrDefault(rc.Spec.Replicas),
			minReadySeconds: rc.Spec.MinReadySeconds,
			template:        rc.Spec.Template,
			status:          rcStatusToRS(rc.Status),
		}
	},
	selector: func(obj api.Object) (labels.Selector, error) {
		rc := obj.(*corev1.ReplicationController)
		if len(rc.Spec.Selector) == 0 {
			// Validation forbids it; select nothing rather than everything.
			return labels.Nothing(), nil
		}
		return labels.SelectorFromSet(rc.Spec.Selector), nil
	},
	withStatus: func(obj api.Object, status appsv1.ReplicaSetStatus) api.Object {
		rc := *obj.(*corev1.ReplicationController)
		rc.Status = rsStatusToRC(status)
		return &rc
	},
}

func rcStatusToRS(in corev1.ReplicationControllerStatus) appsv1.ReplicaSetStatus {
	out := appsv1.ReplicaSetStatus{
		Replicas:             in.Replicas,
		FullyLabeledReplicas: in.FullyLabeledReplicas,
		ReadyReplicas:        in.ReadyReplicas,
		AvailableReplicas:    in.AvailableReplicas,
		ObservedGeneration:   in.ObservedGeneration,
	}
	for _, c := range in.Conditions {
		out.Conditions = append(out.Conditions, appsv1.ReplicaSetCondition{
			Type: appsv1.ReplicaSetConditionType(c.Type), Status: c.Status,
			LastTransitionTime: c.LastTransitionTime, Reason: c.Reason, Message: c.Message,
		})
	}
	return out
}

func rsStatusToRC(in appsv1.ReplicaSetStatus) corev1.ReplicationControllerStatus {
	out := corev1.ReplicationControllerStatus{
		Replicas:             in.Replicas,
		FullyLabeledReplicas: in.FullyLabeledReplicas,
		ReadyReplicas:        in.ReadyReplicas,
		AvailableReplicas:    in.AvailableReplicas,
		ObservedGeneration:   in.ObservedGeneration,
	}
	for _, c := range in.Conditions {
		out.Conditions = append(out.Conditions, corev1.ReplicationControllerCondition{
			Type: corev1.ReplicationControllerConditionType(c.Type), Status: c.Status,
			LastTransitionTime: c.LastTransitionTime, Reason: c.Reason, Message: c.Message,
		})
	}
	return out
}
