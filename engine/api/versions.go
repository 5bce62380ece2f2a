package api

import (
	"encoding/json"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Versions a real API server serves besides the one kubetab stores, converted on decode:
// autoscaling/v1 HorizontalPodAutoscalers (targetCPUUtilizationPercentage) are stored as
// autoscaling/v2, as the API server stores them. Reading back gives v2, which is what
// kubectl asks for.

type conversion struct {
	// in is the version's Go type (what decoding checks the fields against and fills);
	// convert makes the stored version of it.
	in      func() any
	convert func(any) Object
}

func otherServedVersion(apiVersion, kind string) *conversion {
	if apiVersion == "autoscaling/v1" && kind == "HorizontalPodAutoscaler" {
		return &conversion{
			in:      func() any { return &hpaV1{} },
			convert: func(o any) Object { return hpaFromV1(o.(*hpaV1)) },
		}
	}
	return nil
}

// hpaV1 is autoscaling/v1's HorizontalPodAutoscaler as a manifest writes it: kubetab's own
// type, with the fields of k8s.io/api's (whose generated methods would come into the wasm
// with it); the status, which the API server drops on create, is not looked into.
type hpaV1 struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              struct {
		// v1's CrossVersionObjectReference has v2's fields.
		ScaleTargetRef                 autoscalingv2.CrossVersionObjectReference `json:"scaleTargetRef"`
		MinReplicas                    *int32                                    `json:"minReplicas,omitempty"`
		MaxReplicas                    int32                                     `json:"maxReplicas"`
		TargetCPUUtilizationPercentage *int32                                    `json:"targetCPUUtilizationPercentage,omitempty"`
	} `json:"spec,omitempty"`
	Status json.RawMessage `json:"status,omitempty"`
}

// hpaFromV1 is Convert_v1_HorizontalPodAutoscaler_To_autoscaling_HorizontalPodAutoscaler: the
// CPU target becomes a Resource metric (none given: none, which defaulting makes 80 %).
func hpaFromV1(in *hpaV1) *autoscalingv2.HorizontalPodAutoscaler {
	out := &autoscalingv2.HorizontalPodAutoscaler{ObjectMeta: in.ObjectMeta}
	out.Spec = autoscalingv2.HorizontalPodAutoscalerSpec{
		ScaleTargetRef: in.Spec.ScaleTargetRef,
		MinReplicas:    in.Spec.MinReplicas,
		MaxReplicas:    in.Spec.MaxReplicas,
	}
	if in.Spec.TargetCPUUtilizationPercentage != nil {
		out.Spec.Metrics = []autoscalingv2.MetricSpec{{
			Type: autoscalingv2.ResourceMetricSourceType,
			Resource: &autoscalingv2.ResourceMetricSource{
				Name:   corev1.ResourceCPU,
				Target: autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType, AverageUtilization: in.Spec.TargetCPUUtilizationPercentage},
			},
		}}
	}
	return out
}
