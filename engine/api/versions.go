package api

import (
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
)

// Versions a real API server serves besides the one kubetab stores, converted on decode:
// autoscaling/v1 HorizontalPodAutoscalers (targetCPUUtilizationPercentage) are stored as
// autoscaling/v2, as the API server stores them. Reading back gives v2, which is what
// kubectl asks for.

type conversion struct {
	// in is the version's Go type; convert makes the stored version of it.
	in      func() Object
	convert func(Object) Object
}

func otherServedVersion(apiVersion, kind string) *conversion {
	if apiVersion == "autoscaling/v1" && kind == "HorizontalPodAutoscaler" {
		return &conversion{
			in:      func() Object { return &autoscalingv1.HorizontalPodAutoscaler{} },
			convert: func(o Object) Object { return hpaFromV1(o.(*autoscalingv1.HorizontalPodAutoscaler)) },
		}
	}
	return nil
}

// hpaFromV1 is Convert_v1_HorizontalPodAutoscaler_To_autoscaling_HorizontalPodAutoscaler: the
// CPU target becomes a Resource metric (none given: none, which defaulting makes 80 %).
func hpaFromV1(in *autoscalingv1.HorizontalPodAutoscaler) *autoscalingv2.HorizontalPodAutoscaler {
	out := &autoscalingv2.HorizontalPodAutoscaler{ObjectMeta: in.ObjectMeta}
	out.Spec = autoscalingv2.HorizontalPodAutoscalerSpec{
		ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{
			Kind: in.Spec.ScaleTargetRef.Kind, Name: in.Spec.ScaleTargetRef.Name, APIVersion: in.Spec.ScaleTargetRef.APIVersion,
		},
		MinReplicas: in.Spec.MinReplicas,
		MaxReplicas: in.Spec.MaxReplicas,
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
