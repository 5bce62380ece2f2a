package api

import (
	"fmt"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/validate/content"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// HorizontalPodAutoscalers (autoscaling/v2): the API server's defaulting
// (pkg/apis/autoscaling/v2/defaults.go) and validation (pkg/apis/autoscaling/validation),
// with the options its v1.37 strategy passes (HPAScaleToZero on: minReplicas may be 0 when
// an Object or External metric is given).

// DefaultCPUUtilization is the target of an HPA created without metrics (percent).
const DefaultCPUUtilization = 80

// defaultHPA is SetDefaults_HorizontalPodAutoscaler.
func defaultHPA(h *autoscalingv2.HorizontalPodAutoscaler) {
	if h.Spec.MinReplicas == nil {
		h.Spec.MinReplicas = ptrTo[int32](1)
	}
	if len(h.Spec.Metrics) == 0 {
		h.Spec.Metrics = []autoscalingv2.MetricSpec{{
			Type: autoscalingv2.ResourceMetricSourceType,
			Resource: &autoscalingv2.ResourceMetricSource{
				Name:   corev1.ResourceCPU,
				Target: autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType, AverageUtilization: ptrTo[int32](DefaultCPUUtilization)},
			},
		}}
	}
	// A behavior that is given gets every unset rule filled in; none given stays none (the
	// controller then applies its built-in rules).
	if b := h.Spec.Behavior; b != nil {
		maxPolicy := autoscalingv2.MaxChangePolicySelect
		b.ScaleUp = fillScalingRules(b.ScaleUp, autoscalingv2.HPAScalingRules{
			StabilizationWindowSeconds: ptrTo[int32](0),
			SelectPolicy:               &maxPolicy,
			Policies: []autoscalingv2.HPAScalingPolicy{
				{Type: autoscalingv2.PodsScalingPolicy, Value: 4, PeriodSeconds: 15},
				{Type: autoscalingv2.PercentScalingPolicy, Value: 100, PeriodSeconds: 15},
			},
		})
		b.ScaleDown = fillScalingRules(b.ScaleDown, autoscalingv2.HPAScalingRules{
			SelectPolicy: &maxPolicy,
			Policies:     []autoscalingv2.HPAScalingPolicy{{Type: autoscalingv2.PercentScalingPolicy, Value: 100, PeriodSeconds: 15}},
		})
	}
}

func fillScalingRules(from *autoscalingv2.HPAScalingRules, to autoscalingv2.HPAScalingRules) *autoscalingv2.HPAScalingRules {
	if from == nil {
		return &to
	}
	if from.SelectPolicy != nil {
		to.SelectPolicy = from.SelectPolicy
	}
	if from.StabilizationWindowSeconds != nil {
		to.StabilizationWindowSeconds = from.StabilizationWindowSeconds
	}
	if from.Policies != nil {
		to.Policies = from.Policies
	}
	if from.Tolerance != nil {
		to.Tolerance = from.Tolerance
	}
	return &to
}

// Upper bounds of a scaling rule (seconds).
const (
	maxHPAPeriodSeconds                 = 1800
	maxHPAStabilizationWindowSeconds    = 3600
	hpaMinReplicasLowerBound            = 0
	hpaMissingSourceMsg                 = "must populate information for the given metric source"
	hpaTargetBothMsg                    = "may not set both a target raw value and a target utilization"
	hpaTargetNeitherMsg                 = "must set either a target raw value or a target utilization"
	hpaScaleToZeroNeedsObjectOrExternal = "must specify at least one Object or External metric to support scaling to zero replicas"
)

// validateHPA is validateHorizontalPodAutoscalerSpec; old is the stored HPA on an update.
func validateHPA(h, old *autoscalingv2.HorizontalPodAutoscaler) field.ErrorList {
	p := field.NewPath("spec")
	s := &h.Spec
	// The bounds' own checks are declarative validation's in v1.37: the API server lists
	// them after the others.
	var errs, declarative field.ErrorList
	if s.MinReplicas != nil && *s.MinReplicas < hpaMinReplicasLowerBound {
		declarative = append(declarative, field.Invalid(p.Child("minReplicas"), *s.MinReplicas, fmt.Sprintf("must be greater than or equal to %d", hpaMinReplicasLowerBound)))
	}
	if s.MaxReplicas == 0 {
		declarative = append(declarative, field.Required(p.Child("maxReplicas"), ""))
	} else if s.MaxReplicas < 0 {
		declarative = append(declarative, field.Invalid(p.Child("maxReplicas"), s.MaxReplicas, "must be greater than or equal to 1"))
	}
	if s.MinReplicas != nil && s.MaxReplicas < *s.MinReplicas {
		errs = append(errs, field.Invalid(p.Child("maxReplicas"), s.MaxReplicas, "must be greater than or equal to `minReplicas`"))
	}
	ref := s.ScaleTargetRef
	// The API version is checked unless an update keeps the target's kind and version; a
	// ReplicationController is the one scalable kind of the core group.
	checkVersion := old == nil || old.Spec.ScaleTargetRef.APIVersion != ref.APIVersion || old.Spec.ScaleTargetRef.Kind != ref.Kind
	errs = append(errs, validateObjectReference(ref, p.Child("scaleTargetRef"), checkVersion, ref.Kind == "ReplicationController")...)
	hasObjectOrExternal := false
	for i := range s.Metrics {
		errs = append(errs, validateMetricSpec(&s.Metrics[i], p.Child("metrics").Index(i))...)
		if t := s.Metrics[i].Type; t == autoscalingv2.ObjectMetricSourceType || t == autoscalingv2.ExternalMetricSourceType {
			hasObjectOrExternal = true
		}
	}
	if s.MinReplicas != nil && *s.MinReplicas == 0 && !hasObjectOrExternal {
		errs = append(errs, field.Forbidden(p.Child("metrics"), hpaScaleToZeroNeedsObjectOrExternal))
	}
	if b := s.Behavior; b != nil {
		errs = append(errs, validateScalingRules(b.ScaleUp, p.Child("behavior", "scaleUp"))...)
		errs = append(errs, validateScalingRules(b.ScaleDown, p.Child("behavior", "scaleDown"))...)
	}
	return append(errs, declarative...)
}

func validateObjectReference(ref autoscalingv2.CrossVersionObjectReference, p *field.Path, checkVersion, allowCoreGroup bool) field.ErrorList {
	var errs field.ErrorList
	if ref.Kind == "" {
		errs = append(errs, field.Required(p.Child("kind"), ""))
	} else {
		for _, msg := range content.IsPathSegmentName(ref.Kind) {
			errs = append(errs, field.Invalid(p.Child("kind"), ref.Kind, msg))
		}
	}
	if ref.Name == "" {
		errs = append(errs, field.Required(p.Child("name"), ""))
	} else {
		for _, msg := range content.IsPathSegmentName(ref.Name) {
			errs = append(errs, field.Invalid(p.Child("name"), ref.Name, msg))
		}
	}
	if checkVersion {
		gv, err := schema.ParseGroupVersion(ref.APIVersion)
		switch {
		case err != nil:
			errs = append(errs, field.Invalid(p.Child("apiVersion"), ref.APIVersion, err.Error()))
		case gv.Group == "" && !allowCoreGroup:
			errs = append(errs, field.Invalid(p.Child("apiVersion"), ref.APIVersion, "apiVersion must specify API group"))
		}
	}
	return errs
}

var validMetricSourceTypes = []string{
	string(autoscalingv2.ContainerResourceMetricSourceType), string(autoscalingv2.ExternalMetricSourceType),
	string(autoscalingv2.ObjectMetricSourceType), string(autoscalingv2.PodsMetricSourceType),
	string(autoscalingv2.ResourceMetricSourceType),
}

func validateMetricSpec(m *autoscalingv2.MetricSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if m.Type == "" {
		errs = append(errs, field.Required(p.Child("type"), "must specify a metric source type"))
	}
	// The sources that are set, in upstream's order; only the first is validated.
	type source struct {
		name string
		set  bool
	}
	present := []string{}
	for _, s := range []source{{"object", m.Object != nil}, {"external", m.External != nil}, {"pods", m.Pods != nil}, {"resource", m.Resource != nil}, {"containerResource", m.ContainerResource != nil}} {
		if s.set {
			present = append(present, s.name)
		}
	}
	if len(present) > 0 {
		switch present[0] {
		case "object":
			errs = append(errs, validateObjectReference(m.Object.DescribedObject, p.Child("object", "describedObject"), true, true)...)
			errs = append(errs, validateMetricIdentifier(m.Object.Metric, p.Child("object", "metric"))...)
			errs = append(errs, validateMetricTarget(m.Object.Target, p.Child("object", "target"))...)
			if m.Object.Target.Value == nil && m.Object.Target.AverageValue == nil {
				errs = append(errs, field.Required(p.Child("object", "target", "averageValue"), "must set either a target value or averageValue"))
			}
		case "external":
			t := m.External.Target
			errs = append(errs, validateMetricIdentifier(m.External.Metric, p.Child("external", "metric"))...)
			errs = append(errs, validateMetricTarget(t, p.Child("external", "target"))...)
			if t.Value == nil && t.AverageValue == nil {
				errs = append(errs, field.Required(p.Child("external", "target", "averageValue"), "must set either a target value for metric or a per-pod target"))
			}
			if t.Value != nil && t.AverageValue != nil {
				errs = append(errs, field.Forbidden(p.Child("external", "target", "value"), "may not set both a target value for metric and a per-pod target"))
			}
		case "pods":
			errs = append(errs, validateMetricIdentifier(m.Pods.Metric, p.Child("pods", "metric"))...)
			errs = append(errs, validateMetricTarget(m.Pods.Target, p.Child("pods", "target"))...)
			if m.Pods.Target.AverageValue == nil {
				errs = append(errs, field.Required(p.Child("pods", "target", "averageValue"), "must specify a positive target averageValue"))
			}
		case "resource":
			errs = append(errs, validateResourceTarget(m.Resource.Name, "", m.Resource.Target, p.Child("resource"), false)...)
		case "containerResource":
			errs = append(errs, validateResourceTarget(m.ContainerResource.Name, m.ContainerResource.Container, m.ContainerResource.Target, p.Child("containerResource"), true)...)
		}
	}
	// The source the type names must be set.
	var expected string
	var set bool
	switch m.Type {
	case autoscalingv2.ObjectMetricSourceType:
		expected, set = "object", m.Object != nil
	case autoscalingv2.PodsMetricSourceType:
		expected, set = "pods", m.Pods != nil
	case autoscalingv2.ResourceMetricSourceType:
		expected, set = "resource", m.Resource != nil
	case autoscalingv2.ExternalMetricSourceType:
		expected, set = "external", m.External != nil
	case autoscalingv2.ContainerResourceMetricSourceType:
		expected, set = "containerResource", m.ContainerResource != nil
	default:
		// Upstream reports an unknown type twice (once per check); the API server's
		// error list drops the duplicate.
		errs = append(errs, field.NotSupported(p.Child("type"), m.Type, validMetricSourceTypes))
	}
	if expected != "" && !set {
		errs = append(errs, field.Required(p.Child(expected), hpaMissingSourceMsg))
	}
	if len(present) > 1 {
		for _, name := range present {
			if name != expected {
				errs = append(errs, field.Forbidden(p.Child(name), "must populate the given metric source only"))
			}
		}
	}
	return errs
}

func validateResourceTarget(name corev1.ResourceName, container string, t autoscalingv2.MetricTarget, p *field.Path, isContainer bool) field.ErrorList {
	var errs field.ErrorList
	if name == "" {
		errs = append(errs, field.Required(p.Child("name"), "must specify a resource name"))
	}
	if isContainer {
		if container == "" {
			errs = append(errs, field.Required(p.Child("container"), "must specify a container"))
		}
	}
	errs = append(errs, validateMetricTarget(t, p.Child("target"))...)
	if t.AverageUtilization == nil && t.AverageValue == nil {
		errs = append(errs, field.Required(p.Child("target", "averageUtilization"), hpaTargetNeitherMsg))
	}
	if t.AverageUtilization != nil && t.AverageValue != nil {
		errs = append(errs, field.Forbidden(p.Child("target", "averageValue"), hpaTargetBothMsg))
	}
	return errs
}

func validateMetricTarget(t autoscalingv2.MetricTarget, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if t.Type == "" {
		errs = append(errs, field.Required(p.Child("type"), "must specify a metric target type"))
	}
	if t.Type != autoscalingv2.UtilizationMetricType && t.Type != autoscalingv2.ValueMetricType && t.Type != autoscalingv2.AverageValueMetricType {
		errs = append(errs, field.Invalid(p.Child("type"), t.Type, "must be either Utilization, Value, or AverageValue"))
	}
	if t.Value != nil && t.Value.Sign() != 1 {
		errs = append(errs, field.Invalid(p.Child("value"), t.Value.String(), "must be positive"))
	}
	if t.AverageValue != nil && t.AverageValue.Sign() != 1 {
		errs = append(errs, field.Invalid(p.Child("averageValue"), t.AverageValue.String(), "must be positive"))
	}
	if t.AverageUtilization != nil && *t.AverageUtilization < 1 {
		errs = append(errs, field.Invalid(p.Child("averageUtilization"), *t.AverageUtilization, "must be greater than 0"))
	}
	return errs
}

func validateMetricIdentifier(id autoscalingv2.MetricIdentifier, p *field.Path) field.ErrorList {
	if id.Name == "" {
		return field.ErrorList{field.Required(p.Child("name"), "must specify a metric name")}
	}
	var errs field.ErrorList
	for _, msg := range content.IsPathSegmentName(id.Name) {
		errs = append(errs, field.Invalid(p.Child("name"), id.Name, msg))
	}
	return errs
}

var validSelectPolicies = []string{string(autoscalingv2.DisabledPolicySelect), string(autoscalingv2.MaxChangePolicySelect), string(autoscalingv2.MinChangePolicySelect)}
var validScalingPolicyTypes = []string{string(autoscalingv2.PercentScalingPolicy), string(autoscalingv2.PodsScalingPolicy)}

func validateScalingRules(r *autoscalingv2.HPAScalingRules, p *field.Path) field.ErrorList {
	if r == nil {
		return nil
	}
	var errs field.ErrorList
	if w := r.StabilizationWindowSeconds; w != nil && *w < 0 {
		errs = append(errs, field.Invalid(p.Child("stabilizationWindowSeconds"), *w, "must be greater than or equal to zero"))
	}
	if w := r.StabilizationWindowSeconds; w != nil && *w > maxHPAStabilizationWindowSeconds {
		errs = append(errs, field.Invalid(p.Child("stabilizationWindowSeconds"), *w, fmt.Sprintf("must be less than or equal to %d", maxHPAStabilizationWindowSeconds)))
	}
	if sp := r.SelectPolicy; sp != nil {
		switch *sp {
		case autoscalingv2.MaxChangePolicySelect, autoscalingv2.MinChangePolicySelect, autoscalingv2.DisabledPolicySelect:
		default:
			errs = append(errs, field.NotSupported(p.Child("selectPolicy"), *sp, validSelectPolicies))
		}
	}
	if len(r.Policies) == 0 {
		errs = append(errs, field.Required(p.Child("policies"), "must specify at least one Policy"))
	}
	for i, pol := range r.Policies {
		pp := p.Child("policies").Index(i)
		if pol.Type != autoscalingv2.PodsScalingPolicy && pol.Type != autoscalingv2.PercentScalingPolicy {
			errs = append(errs, field.NotSupported(pp.Child("type"), pol.Type, validScalingPolicyTypes))
		}
		if pol.Value <= 0 {
			errs = append(errs, field.Invalid(pp.Child("value"), pol.Value, "must be greater than zero"))
		}
		if pol.PeriodSeconds <= 0 {
			errs = append(errs, field.Invalid(pp.Child("periodSeconds"), pol.PeriodSeconds, "must be greater than zero"))
		}
		if pol.PeriodSeconds > maxHPAPeriodSeconds {
			errs = append(errs, field.Invalid(pp.Child("periodSeconds"), pol.PeriodSeconds, fmt.Sprintf("must be less than or equal to %d", maxHPAPeriodSeconds)))
		}
	}
	if r.Tolerance != nil && r.Tolerance.Sign() < 0 {
		errs = append(errs, field.Invalid(p.Child("tolerance"), r.Tolerance.String(), "must be greater than or equal to 0"))
	}
	return errs
}
