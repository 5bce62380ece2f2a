package api

import (
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/kubetab/kubetab/engine/zoneinfo"
)

// InvalidError is the API server's 422 answer for a failed validation. Its Error() reads
// `ReplicationController "x" is invalid: ...`; kubectl prints it prefixed with "The ".
func InvalidError(obj Object, errs field.ErrorList) error {
	return apierrors.NewInvalid(GroupKindOf(obj), obj.GetName(), errs)
}

const selectorMismatch = "`selector` does not match template `labels`"

// ValidateCreate validates an object (already defaulted) as the API server does on create:
// its metadata, then the rest.
func ValidateCreate(obj Object) field.ErrorList {
	return append(ValidateMeta(obj), validateSpec(obj)...)
}

// ValidateMeta validates an object's metadata (ValidateObjectMeta with its kind's rule for
// names).
func ValidateMeta(obj Object) field.ErrorList {
	m := metaOf(obj)
	if m == nil {
		return nil
	}
	switch obj.(type) {
	case *corev1.Namespace:
		return validateMeta(m, false, dns1123Label)
	case *corev1.Node:
		return validateMeta(m, false, dns1123Subdomain)
	case *corev1.Service:
		// v1.37 names services as DNS labels (RelaxedServiceNameValidation, GA), no
		// longer as RFC 1035 labels.
		return validateMeta(m, true, dns1123Label)
	}
	return validateMeta(m, true, dns1123Subdomain)
}

// validateSpec validates everything of a new object but its metadata.
func validateSpec(obj Object) field.ErrorList {
	switch o := obj.(type) {
	case *corev1.Pod:
		return validatePodSpec(&o.Spec, field.NewPath("spec"))
	case *corev1.ReplicationController:
		return validateReplicationController(o)
	case *appsv1.ReplicaSet:
		return validateReplicaSetLike(o.Spec.Replicas, o.Spec.Selector, &o.Spec.Template, o.Spec.MinReadySeconds, "ReplicaSet", "deployment")
	case *appsv1.Deployment:
		return validateDeployment(o)
	case *appsv1.DaemonSet:
		return validateDaemonSet(o)
	case *batchv1.Job:
		return validateJob(o)
	case *batchv1.CronJob:
		return validateCronJobSpec(&o.Spec, nil, field.NewPath("spec"))
	case *autoscalingv2.HorizontalPodAutoscaler:
		return validateHPA(o, nil)
	case *corev1.ConfigMap:
		return validateConfigMap(o)
	case *corev1.Secret:
		return validateSecret(o)
	case *corev1.Service:
		return validateService(o, nil)
	//lint:ignore SA1019 v1 Endpoints are deprecated and still served
	case *corev1.Endpoints:
		return validateEndpoints(o, nil)
	case *discoveryv1.EndpointSlice:
		return validateEndpointSlice(o, nil)
	}
	return nil
}

// ValidateUpdate validates an update of old to obj: the object itself, then what may not
// change.
func ValidateUpdate(obj, old Object) field.ErrorList {
	return ValidateChangedParts(obj, old, true, true)
}

// ValidateChangedParts is ValidateUpdate for an update known to leave the metadata (when
// !metaChanged) or everything else (when !restChanged) as stored: a part left as it is
// passed the same validation when it was stored, and is not validated again. It is how the
// API server keeps the busiest writes (a finalizer removed, an event's count bumped) cheap.
func ValidateChangedParts(obj, old Object, metaChanged, restChanged bool) field.ErrorList {
	var errs field.ErrorList
	if metaChanged {
		if om, nm := metaOf(old), metaOf(obj); om != nil && nm != nil {
			// An update without a resourceVersion is unconditional: the registry fills it in
			// from the stored object before validating (AllowUnconditionalUpdate).
			if nm.ResourceVersion == "" {
				nm = nm.DeepCopy()
				nm.ResourceVersion = om.ResourceVersion
			}
			if !metaUpdateSurelyValid(nm, om) {
				errs = apivalidation.ValidateObjectMetaUpdate(nm, om, field.NewPath("metadata"))
			}
		}
		errs = append(errs, ValidateMeta(obj)...)
	}
	if restChanged {
		errs = append(errs, validateSpecUpdate(obj, old)...)
	}
	return dedupe(errs)
}

// validateSpecUpdate validates everything but the metadata of an updated object: as on
// create, then what may not change.
func validateSpecUpdate(obj, old Object) field.ErrorList {
	spec := field.NewPath("spec")
	var errs field.ErrorList
	switch o := obj.(type) {
	case *corev1.Pod:
		errs = validateSpec(obj)
		if op, ok := old.(*corev1.Pod); ok {
			errs = append(errs, validatePodSpecUpdate(&o.Spec, &op.Spec, spec)...)
		}
	case *appsv1.ReplicaSet:
		errs = validateSpec(obj)
		if op, ok := old.(*appsv1.ReplicaSet); ok {
			errs = append(errs, immutableSelector(o.Spec.Selector, op.Spec.Selector, spec.Child("selector"))...)
		}
	case *appsv1.Deployment:
		errs = validateSpec(obj)
		if op, ok := old.(*appsv1.Deployment); ok {
			errs = append(errs, immutableSelector(o.Spec.Selector, op.Spec.Selector, spec.Child("selector"))...)
		}
	case *appsv1.DaemonSet:
		errs = validateSpec(obj)
		if op, ok := old.(*appsv1.DaemonSet); ok {
			errs = append(errs, immutableSelector(o.Spec.Selector, op.Spec.Selector, spec.Child("selector"))...)
		}
	case *batchv1.Job:
		errs = validateSpec(obj)
		if op, ok := old.(*batchv1.Job); ok {
			errs = append(errs, apivalidation.ValidateImmutableField(o.Spec.Completions, op.Spec.Completions, spec.Child("completions"))...)
			errs = append(errs, immutableSelector(o.Spec.Selector, op.Spec.Selector, spec.Child("selector"))...)
			if !apiequality.Semantic.DeepEqual(o.Spec.Template, op.Spec.Template) {
				errs = append(errs, field.Invalid(spec.Child("template"), internalValue{o.Spec.Template}, "field is immutable"))
			}
			if !apiequality.Semantic.DeepEqual(o.Spec.CompletionMode, op.Spec.CompletionMode) {
				errs = append(errs, field.Invalid(spec.Child("completionMode"), o.Spec.CompletionMode, "field is immutable"))
			}
		}
	case *batchv1.CronJob:
		var oldSpec *batchv1.CronJobSpec
		if op, ok := old.(*batchv1.CronJob); ok {
			oldSpec = &op.Spec
		}
		errs = validateCronJobSpec(&o.Spec, oldSpec, spec)
	case *autoscalingv2.HorizontalPodAutoscaler:
		op, _ := old.(*autoscalingv2.HorizontalPodAutoscaler)
		errs = validateHPA(o, op)
	case *corev1.ConfigMap:
		if op, ok := old.(*corev1.ConfigMap); ok {
			return validateConfigMapUpdate(o, op)
		}
		errs = validateSpec(obj)
	case *corev1.Secret:
		if op, ok := old.(*corev1.Secret); ok {
			return validateSecretUpdate(o, op)
		}
		errs = validateSpec(obj)
	case *corev1.Service:
		if op, ok := old.(*corev1.Service); ok {
			errs = validateServiceUpdate(o, op)
		} else {
			errs = validateSpec(obj)
		}
	//lint:ignore SA1019 v1 Endpoints are deprecated and still served
	case *corev1.Endpoints:
		//lint:ignore SA1019 v1 Endpoints are deprecated and still served
		op, _ := old.(*corev1.Endpoints)
		errs = validateEndpoints(o, op)
	case *discoveryv1.EndpointSlice:
		op, _ := old.(*discoveryv1.EndpointSlice)
		errs = validateEndpointSlice(o, op)
	default:
		errs = validateSpec(obj)
	}
	return errs
}

func immutableSelector(sel, old *metav1.LabelSelector, p *field.Path) field.ErrorList {
	if apiequality.Semantic.DeepEqual(sel, old) {
		return nil
	}
	return field.ErrorList{field.Invalid(p, sel, "field is immutable")}
}

// dedupe drops errors repeated by running create validation inside update validation.
func dedupe(errs field.ErrorList) field.ErrorList {
	seen := map[string]bool{}
	var out field.ErrorList
	for _, e := range errs {
		if k := e.Error(); !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}

func metaOf(obj Object) *metav1.ObjectMeta {
	if obj == nil {
		return nil
	}
	if a, ok := obj.(interface{ GetObjectMeta() metav1.Object }); ok {
		if m, ok := a.GetObjectMeta().(*metav1.ObjectMeta); ok {
			return m
		}
	}
	return nil
}

// validateMeta is ValidateObjectMeta, with names of the given rule. A name still to be
// generated from generateName is checked as generateName plus five characters. Metadata that
// metaSurelyValid accepts skips apimachinery's walk, which builds a field path for every
// label and annotation whether or not it is wrong: every pod and event written goes
// through here.
func validateMeta(m *metav1.ObjectMeta, namespaced bool, rule nameRule) field.ErrorList {
	if m.Name == "" && m.GenerateName != "" {
		m = m.DeepCopy()
		m.Name = m.GenerateName + "xxxxx"
	}
	if metaSurelyValid(m, namespaced, rule) {
		return nil
	}
	return apivalidation.ValidateObjectMeta(m, namespaced, rule.fn(), field.NewPath("metadata"))
}

func validateReplicationController(rc *corev1.ReplicationController) field.ErrorList {
	var errs field.ErrorList
	spec := field.NewPath("spec")
	if rc.Spec.Replicas != nil {
		errs = append(errs, apivalidation.ValidateNonnegativeField(int64(*rc.Spec.Replicas), spec.Child("replicas"))...)
	}
	errs = append(errs, apivalidation.ValidateNonnegativeField(int64(rc.Spec.MinReadySeconds), spec.Child("minReadySeconds"))...)
	if len(rc.Spec.Selector) == 0 {
		errs = append(errs, field.Required(spec.Child("selector"), ""))
	} else {
		errs = append(errs, metav1validation.ValidateLabels(rc.Spec.Selector, spec.Child("selector"))...)
	}
	tp := spec.Child("template")
	t := rc.Spec.Template
	if t == nil {
		return append(errs, field.Required(tp, ""))
	}
	sel := labels.Set(rc.Spec.Selector).AsSelector()
	if !sel.Empty() && !sel.Matches(labels.Set(t.Labels)) {
		errs = append(errs, field.Invalid(tp.Child("metadata", "labels"), t.Labels, selectorMismatch))
	}
	errs = append(errs, validatePodTemplate(t, tp)...)
	errs = append(errs, restartAlwaysOnly(&t.Spec, tp, "ReplicationController", false)...)
	return errs
}

// restartAlwaysOnly holds for the pod templates of RC, RS, Deployment and DaemonSet.
func restartAlwaysOnly(s *corev1.PodSpec, tp *field.Path, kind string, forbidden bool) field.ErrorList {
	var errs field.ErrorList
	if s.RestartPolicy != corev1.RestartPolicyAlways {
		errs = append(errs, field.NotSupported(tp.Child("spec", "restartPolicy"), s.RestartPolicy, []string{string(corev1.RestartPolicyAlways)}))
	}
	if s.ActiveDeadlineSeconds != nil {
		msg := "activeDeadlineSeconds in " + kind + " is not Supported"
		if forbidden {
			errs = append(errs, field.Forbidden(tp.Child("spec", "activeDeadlineSeconds"), msg))
		} else {
			errs = append(errs, field.Invalid(tp.Child("spec", "activeDeadlineSeconds"), *s.ActiveDeadlineSeconds, msg))
		}
	}
	return errs
}

// validateReplicaSetLike is ValidateReplicaSetSpec / the selector and template part of
// ValidateDeploymentSpec (emptyFor names the kind in the "empty selector" message, which
// upstream says "deployment" for both).
func validateReplicaSetLike(replicas *int32, selector *metav1.LabelSelector, t *corev1.PodTemplateSpec, minReady int32, kind, emptyFor string) field.ErrorList {
	spec := field.NewPath("spec")
	var errs field.ErrorList
	if replicas != nil {
		errs = append(errs, apivalidation.ValidateNonnegativeField(int64(*replicas), spec.Child("replicas"))...)
	}
	errs = append(errs, apivalidation.ValidateNonnegativeField(int64(minReady), spec.Child("minReadySeconds"))...)
	if selector == nil {
		errs = append(errs, field.Required(spec.Child("selector"), ""))
	} else {
		errs = append(errs, metav1validation.ValidateLabelSelector(selector, metav1validation.LabelSelectorValidationOptions{}, spec.Child("selector"))...)
		if len(selector.MatchLabels)+len(selector.MatchExpressions) == 0 {
			errs = append(errs, field.Invalid(spec.Child("selector"), selector, "empty selector is invalid for "+emptyFor))
		}
	}
	tp := spec.Child("template")
	sel, err := metav1.LabelSelectorAsSelector(selector)
	if err != nil {
		return append(errs, field.Invalid(spec.Child("selector"), selector, "invalid label selector"))
	}
	if !sel.Empty() && !sel.Matches(labels.Set(t.Labels)) {
		errs = append(errs, field.Invalid(tp.Child("metadata", "labels"), t.Labels, selectorMismatch))
	}
	errs = append(errs, validatePodTemplate(t, tp)...)
	errs = append(errs, restartAlwaysOnly(&t.Spec, tp, kind, true)...)
	return errs
}

func validateDeployment(d *appsv1.Deployment) field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, validateReplicaSetLike(d.Spec.Replicas, d.Spec.Selector, &d.Spec.Template, d.Spec.MinReadySeconds, "ReplicaSet", "deployment")...)
	spec := field.NewPath("spec")
	st := spec.Child("strategy")
	switch d.Spec.Strategy.Type {
	case appsv1.RecreateDeploymentStrategyType:
		if d.Spec.Strategy.RollingUpdate != nil {
			errs = append(errs, field.Forbidden(st.Child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'"))
		}
	case appsv1.RollingUpdateDeploymentStrategyType:
		if ru := d.Spec.Strategy.RollingUpdate; ru == nil {
			errs = append(errs, field.Required(st.Child("rollingUpdate"), "this should be defaulted and never be nil"))
		} else {
			rp := st.Child("rollingUpdate")
			errs = append(errs, validateIntOrPercent(ru.MaxUnavailable, rp.Child("maxUnavailable"))...)
			errs = append(errs, validateIntOrPercent(ru.MaxSurge, rp.Child("maxSurge"))...)
			if intOrPercentValue(ru.MaxUnavailable) == 0 && intOrPercentValue(ru.MaxSurge) == 0 {
				errs = append(errs, field.Invalid(rp.Child("maxUnavailable"), ru.MaxUnavailable, "may not be 0 when `maxSurge` is 0"))
			}
			errs = append(errs, notMoreThan100Percent(ru.MaxUnavailable, rp.Child("maxUnavailable"))...)
		}
	default:
		errs = append(errs, field.NotSupported(st, d.Spec.Strategy, []string{string(appsv1.RecreateDeploymentStrategyType), string(appsv1.RollingUpdateDeploymentStrategyType)}))
	}
	if d.Spec.RevisionHistoryLimit != nil {
		errs = append(errs, apivalidation.ValidateNonnegativeField(int64(*d.Spec.RevisionHistoryLimit), spec.Child("revisionHistoryLimit"))...)
	}
	if p := d.Spec.ProgressDeadlineSeconds; p != nil {
		errs = append(errs, apivalidation.ValidateNonnegativeField(int64(*p), spec.Child("progressDeadlineSeconds"))...)
		if *p <= d.Spec.MinReadySeconds {
			errs = append(errs, field.Invalid(spec.Child("progressDeadlineSeconds"), *p, "must be greater than minReadySeconds"))
		}
	}
	return errs
}

func validateIntOrPercent(v *intstr.IntOrString, p *field.Path) field.ErrorList {
	if v == nil {
		return nil
	}
	if v.Type == intstr.String {
		var errs field.ErrorList
		for _, msg := range validation.IsValidPercent(v.StrVal) {
			errs = append(errs, field.Invalid(p, v.StrVal, msg))
		}
		return errs
	}
	return apivalidation.ValidateNonnegativeField(int64(v.IntValue()), p)
}

// notMoreThan100Percent is IsNotMoreThan100Percent: a valid percentage above 100%.
func notMoreThan100Percent(v *intstr.IntOrString, p *field.Path) field.ErrorList {
	if v == nil || v.Type != intstr.String || len(validation.IsValidPercent(v.StrVal)) != 0 || intOrPercentValue(v) <= 100 {
		return nil
	}
	return field.ErrorList{field.Invalid(p, *v, "must not be greater than 100%")}
}

func intOrPercentValue(v *intstr.IntOrString) int {
	if v == nil {
		return 0
	}
	if v.Type == intstr.String {
		var n int
		if _, err := fmt.Sscanf(v.StrVal, "%d%%", &n); err != nil {
			return 0
		}
		return n
	}
	return v.IntValue()
}

func validateDaemonSet(ds *appsv1.DaemonSet) field.ErrorList {
	var errs field.ErrorList
	spec := field.NewPath("spec")
	sp := spec.Child("selector")
	tp := spec.Child("template")
	errs = append(errs, metav1validation.ValidateLabelSelector(ds.Spec.Selector, metav1validation.LabelSelectorValidationOptions{}, sp)...)
	sel, err := metav1.LabelSelectorAsSelector(ds.Spec.Selector)
	if err == nil && !sel.Matches(labels.Set(ds.Spec.Template.Labels)) {
		errs = append(errs, field.Invalid(tp.Child("metadata", "labels"), ds.Spec.Template.Labels, selectorMismatch))
	}
	if ds.Spec.Selector != nil && len(ds.Spec.Selector.MatchLabels)+len(ds.Spec.Selector.MatchExpressions) == 0 {
		errs = append(errs, field.Invalid(sp, ds.Spec.Selector, "empty selector is invalid for daemonset"))
	}
	errs = append(errs, validatePodTemplate(&ds.Spec.Template, tp)...)
	errs = append(errs, restartAlwaysOnly(&ds.Spec.Template.Spec, tp, "DaemonSet", true)...)
	errs = append(errs, apivalidation.ValidateNonnegativeField(int64(ds.Spec.MinReadySeconds), spec.Child("minReadySeconds"))...)
	us := spec.Child("updateStrategy")
	switch ds.Spec.UpdateStrategy.Type {
	case appsv1.OnDeleteDaemonSetStrategyType:
	case appsv1.RollingUpdateDaemonSetStrategyType:
		ru := ds.Spec.UpdateStrategy.RollingUpdate
		if ru == nil {
			errs = append(errs, field.Required(us.Child("rollingUpdate"), ""))
			break
		}
		rp := us.Child("rollingUpdate")
		errs = append(errs, validateIntOrPercent(ru.MaxUnavailable, rp.Child("maxUnavailable"))...)
		errs = append(errs, validateIntOrPercent(ru.MaxSurge, rp.Child("maxSurge"))...)
		hasUnavailable, hasSurge := intOrPercentValue(ru.MaxUnavailable) != 0, intOrPercentValue(ru.MaxSurge) != 0
		switch {
		case hasUnavailable && hasSurge:
			errs = append(errs, field.Invalid(rp.Child("maxSurge"), ru.MaxSurge, "may not be set when maxUnavailable is non-zero"))
		case !hasUnavailable && !hasSurge:
			errs = append(errs, field.Required(rp.Child("maxUnavailable"), "cannot be 0 when maxSurge is 0"))
		}
	default:
		errs = append(errs, field.NotSupported(us, ds.Spec.UpdateStrategy, []string{string(appsv1.RollingUpdateDaemonSetStrategyType), string(appsv1.OnDeleteDaemonSetStrategyType)}))
	}
	if ds.Spec.RevisionHistoryLimit != nil {
		errs = append(errs, apivalidation.ValidateNonnegativeField(int64(*ds.Spec.RevisionHistoryLimit), spec.Child("revisionHistoryLimit"))...)
	}
	return errs
}

func validateJob(j *batchv1.Job) field.ErrorList {
	var errs field.ErrorList
	spec := field.NewPath("spec")
	manual := j.Spec.ManualSelector != nil && *j.Spec.ManualSelector
	// Without manualSelector the selector is generated from the UID (DefaultJobSelector),
	// which the store may call after validation; only a manual selector must be present.
	if j.Spec.Selector == nil {
		if manual {
			errs = append(errs, field.Required(spec.Child("selector"), ""))
		}
	} else {
		if sel := j.Spec.Selector; len(sel.MatchExpressions) == 0 && plainLabels(sel.MatchLabels) {
			// The usual selector (the generated controller-uid): valid, and matched by hand
			// without building a labels.Selector, which validates every key again.
			for k, v := range sel.MatchLabels {
				if w, ok := j.Spec.Template.Labels[k]; !ok || w != v {
					errs = append(errs, field.Invalid(spec.Child("template", "metadata", "labels"), j.Spec.Template.Labels, selectorMismatch))
					break
				}
			}
		} else {
			errs = append(errs, metav1validation.ValidateLabelSelector(j.Spec.Selector, metav1validation.LabelSelectorValidationOptions{}, spec.Child("selector"))...)
			if sel, err := metav1.LabelSelectorAsSelector(j.Spec.Selector); err == nil && !sel.Matches(labels.Set(j.Spec.Template.Labels)) {
				errs = append(errs, field.Invalid(spec.Child("template", "metadata", "labels"), j.Spec.Template.Labels, selectorMismatch))
			}
		}
	}
	return append(errs, validateJobSpec(&j.Spec, spec)...)
}

var (
	podFailurePolicyActions  = []string{"Count", "FailIndex", "FailJob", "Ignore"}
	exitCodesOperators       = []string{"In", "NotIn"}
	podConditionStatuses     = []string{"False", "True", "Unknown"}
	podReplacementPolicies   = []string{"Failed", "TerminatingOrFailed"}
	supportedCompletionModes = []string{string(batchv1.NonIndexedCompletion), string(batchv1.IndexedCompletion)}
)

func validateJobSpec(s *batchv1.JobSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	nonneg := func(v *int32, name string) {
		if v != nil && *v < 0 {
			errs = append(errs, apivalidation.ValidateNonnegativeField(int64(*v), p.Child(name))...)
		}
	}
	nonneg(s.Parallelism, "parallelism")
	nonneg(s.Completions, "completions")
	if s.ActiveDeadlineSeconds != nil && *s.ActiveDeadlineSeconds < 0 {
		errs = append(errs, apivalidation.ValidateNonnegativeField(*s.ActiveDeadlineSeconds, p.Child("activeDeadlineSeconds"))...)
	}
	nonneg(s.BackoffLimit, "backoffLimit")
	nonneg(s.TTLSecondsAfterFinished, "ttlSecondsAfterFinished")
	nonneg(s.BackoffLimitPerIndex, "backoffLimitPerIndex")
	nonneg(s.MaxFailedIndexes, "maxFailedIndexes")
	if s.MaxFailedIndexes != nil && s.BackoffLimitPerIndex == nil {
		errs = append(errs, field.Required(p.Child("backoffLimitPerIndex"), "when maxFailedIndexes is specified"))
	}
	indexed := s.CompletionMode != nil && *s.CompletionMode == batchv1.IndexedCompletion
	if s.CompletionMode != nil {
		if !indexed && *s.CompletionMode != batchv1.NonIndexedCompletion {
			errs = append(errs, field.NotSupported(p.Child("completionMode"), *s.CompletionMode, supportedCompletionModes))
		}
		if indexed {
			if s.Completions == nil {
				errs = append(errs, field.Required(p.Child("completions"), "when completion mode is Indexed"))
			}
			if s.Parallelism != nil && *s.Parallelism > 100000 {
				errs = append(errs, field.Invalid(p.Child("parallelism"), *s.Parallelism, "must be less than or equal to 100000 when completion mode is Indexed"))
			}
			if s.Completions != nil && s.MaxFailedIndexes != nil && *s.MaxFailedIndexes > *s.Completions {
				errs = append(errs, field.Invalid(p.Child("maxFailedIndexes"), *s.MaxFailedIndexes, "must be less than or equal to completions"))
			}
		}
	}
	if !indexed {
		if s.BackoffLimitPerIndex != nil {
			errs = append(errs, field.Invalid(p.Child("backoffLimitPerIndex"), *s.BackoffLimitPerIndex, "requires indexed completion mode"))
		}
		if s.MaxFailedIndexes != nil {
			errs = append(errs, field.Invalid(p.Child("maxFailedIndexes"), *s.MaxFailedIndexes, "requires indexed completion mode"))
		}
	}
	if s.PodFailurePolicy != nil {
		errs = append(errs, validatePodFailurePolicy(s, p.Child("podFailurePolicy"))...)
	}
	if s.SuccessPolicy != nil {
		if !indexed {
			errs = append(errs, field.Invalid(p.Child("successPolicy"), *s.SuccessPolicy, "requires indexed completion mode"))
		} else {
			errs = append(errs, validateSuccessPolicy(s, p.Child("successPolicy"))...)
		}
	}
	if r := s.PodReplacementPolicy; r != nil {
		if s.PodFailurePolicy != nil {
			if *r != batchv1.Failed {
				errs = append(errs, field.NotSupported(p.Child("podReplacementPolicy"), *r, []string{"Failed"}))
			}
		} else if *r != batchv1.Failed && *r != batchv1.TerminatingOrFailed {
			errs = append(errs, field.NotSupported(p.Child("podReplacementPolicy"), *r, podReplacementPolicies))
		}
	}
	tp := p.Child("template")
	errs = append(errs, validatePodTemplate(&s.Template, tp)...)
	rp := func() *field.Path { return tp.Child("spec", "restartPolicy") }
	switch rest := s.Template.Spec.RestartPolicy; {
	case rest == corev1.RestartPolicyAlways || rest == "":
		errs = append(errs, field.Required(rp(), `valid values: "OnFailure", "Never"`))
	case rest != corev1.RestartPolicyOnFailure && rest != corev1.RestartPolicyNever:
		errs = append(errs, field.NotSupported(rp(), rest, []string{"OnFailure", "Never"}))
	case s.PodFailurePolicy != nil && rest != corev1.RestartPolicyNever:
		errs = append(errs, field.Invalid(rp(), rest, `only "Never" is supported when podFailurePolicy is specified`))
	}
	return errs
}

func validatePodFailurePolicy(s *batchv1.JobSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	rulesPath := p.Child("rules")
	if len(s.PodFailurePolicy.Rules) > 20 {
		errs = append(errs, field.TooMany(rulesPath, len(s.PodFailurePolicy.Rules), 20))
	}
	names := sets.New[string]()
	for _, c := range s.Template.Spec.Containers {
		names.Insert(c.Name)
	}
	for _, c := range s.Template.Spec.InitContainers {
		names.Insert(c.Name)
	}
	for i, rule := range s.PodFailurePolicy.Rules {
		rp := rulesPath.Index(i)
		ap := rp.Child("action")
		switch {
		case rule.Action == "":
			errs = append(errs, field.Required(ap, fmt.Sprintf("valid values: %q", podFailurePolicyActions)))
		case rule.Action == batchv1.PodFailurePolicyActionFailIndex:
			if s.BackoffLimitPerIndex == nil {
				errs = append(errs, field.Invalid(ap, rule.Action, "requires the backoffLimitPerIndex to be set"))
			}
		case !contains(podFailurePolicyActions, string(rule.Action)):
			errs = append(errs, field.NotSupported(ap, rule.Action, podFailurePolicyActions))
		}
		if oe := rule.OnExitCodes; oe != nil {
			op := rp.Child("onExitCodes")
			switch {
			case oe.Operator == "":
				errs = append(errs, field.Required(op.Child("operator"), fmt.Sprintf("valid values: %q", exitCodesOperators)))
			case !contains(exitCodesOperators, string(oe.Operator)):
				errs = append(errs, field.NotSupported(op.Child("operator"), oe.Operator, exitCodesOperators))
			}
			if oe.ContainerName != nil && !names.Has(*oe.ContainerName) {
				errs = append(errs, field.Invalid(op.Child("containerName"), *oe.ContainerName, "must be one of the container or initContainer names in the pod template"))
			}
			vp := op.Child("values")
			if len(oe.Values) == 0 {
				errs = append(errs, field.Invalid(vp, oe.Values, "at least one value is required"))
			}
			ordered, seen := true, sets.New[int32]()
			for k, v := range oe.Values {
				if oe.Operator == batchv1.PodFailurePolicyOnExitCodesOpIn && v == 0 {
					errs = append(errs, field.Invalid(vp.Index(k), v, "must not be 0 for the In operator"))
				}
				if seen.Has(v) {
					errs = append(errs, field.Duplicate(vp.Index(k), v))
				}
				seen.Insert(v)
				if k > 0 && oe.Values[k-1] > v {
					ordered = false
				}
			}
			if !ordered {
				errs = append(errs, field.Invalid(vp, oe.Values, "must be ordered"))
			}
		}
		for k, pat := range rule.OnPodConditions {
			pp := rp.Child("onPodConditions").Index(k)
			for _, msg := range validation.IsQualifiedName(string(pat.Type)) {
				errs = append(errs, field.Invalid(pp.Child("type"), string(pat.Type), msg))
			}
			switch {
			case pat.Status == "":
				errs = append(errs, field.Required(pp.Child("status"), fmt.Sprintf("valid values: %q", podConditionStatuses)))
			case !contains(podConditionStatuses, string(pat.Status)):
				errs = append(errs, field.NotSupported(pp.Child("status"), pat.Status, podConditionStatuses))
			}
		}
		if rule.OnExitCodes != nil && len(rule.OnPodConditions) > 0 {
			errs = append(errs, field.Invalid(rp, field.OmitValueType{}, "specifying both OnExitCodes and OnPodConditions is not supported"))
		}
		if rule.OnExitCodes == nil && len(rule.OnPodConditions) == 0 {
			errs = append(errs, field.Invalid(rp, field.OmitValueType{}, "specifying one of OnExitCodes and OnPodConditions is required"))
		}
	}
	return errs
}

func validateSuccessPolicy(s *batchv1.JobSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	rulesPath := p.Child("rules")
	if len(s.SuccessPolicy.Rules) == 0 {
		errs = append(errs, field.Required(rulesPath, "at least one rules must be specified when the successPolicy is specified"))
	}
	completions := int32(0)
	if s.Completions != nil {
		completions = *s.Completions
	}
	for i, rule := range s.SuccessPolicy.Rules {
		rp := rulesPath.Index(i)
		if rule.SucceededCount == nil && rule.SucceededIndexes == nil {
			errs = append(errs, field.Required(rp, "at least one of succeededCount or succeededIndexes must be specified"))
		}
		var total int32
		if rule.SucceededIndexes != nil {
			n, err := parseIndexes(*rule.SucceededIndexes, completions)
			if err != nil {
				errs = append(errs, field.Invalid(rp.Child("succeededIndexes"), *rule.SucceededIndexes, "error parsing succeededIndexes: "+err.Error()))
			}
			total = n
		}
		if c := rule.SucceededCount; c != nil {
			switch {
			case *c < 0:
				errs = append(errs, field.Invalid(rp.Child("succeededCount"), *c, "must be greater than or equal to 0"))
			case *c > completions:
				errs = append(errs, field.Invalid(rp.Child("succeededCount"), *c, fmt.Sprintf("must be less than or equal to %d (the number of specified completions)", completions)))
			case rule.SucceededIndexes != nil && *c > total:
				errs = append(errs, field.Invalid(rp.Child("succeededCount"), *c, fmt.Sprintf("must be less than or equal to %d (the number of indexes in the specified succeededIndexes field)", total)))
			}
		}
	}
	return errs
}

// parseIndexes checks an index interval list ("1,3-5") and counts its indexes.
func parseIndexes(s string, completions int32) (int32, error) {
	if s == "" {
		return 0, nil
	}
	var total int32
	last := int32(-1)
	for _, iv := range strings.Split(s, ",") {
		parts := strings.Split(iv, "-")
		if len(parts) > 2 {
			return 0, fmt.Errorf("the fragment %q violates the requirement that an index interval can have at most two parts separated by '-'", iv)
		}
		var bounds [2]int32
		for k, part := range parts {
			var n int32
			if _, err := fmt.Sscanf(part, "%d", &n); err != nil || fmt.Sprint(n) != part {
				return 0, fmt.Errorf("cannot convert string to integer for index: %q", part)
			}
			if n >= completions {
				return 0, fmt.Errorf("too large index: %q", part)
			}
			bounds[k] = n
		}
		if len(parts) == 1 {
			bounds[1] = bounds[0]
		} else if bounds[0] >= bounds[1] {
			return 0, fmt.Errorf("non-increasing order, previous: %d, current: %d", bounds[0], bounds[1])
		}
		if last >= bounds[0] {
			return 0, fmt.Errorf("non-increasing order, previous: %d, current: %d", last, bounds[0])
		}
		total += bounds[1] - bounds[0] + 1
		last = bounds[1]
	}
	return total, nil
}

func validateCronJobSpec(s, old *batchv1.CronJobSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	sp := p.Child("schedule")
	if s.Schedule == "" {
		errs = append(errs, field.Required(sp, ""))
	} else {
		if _, err := ParseCronSchedule(s.Schedule); err != nil {
			errs = append(errs, field.Invalid(sp, s.Schedule, err.Error()))
		}
		allowTZ := old != nil && strings.Contains(old.Schedule, "TZ")
		switch {
		case allowTZ && strings.Contains(s.Schedule, "TZ") && s.TimeZone != nil:
			errs = append(errs, field.Invalid(sp, s.Schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"))
		case !allowTZ && strings.Contains(s.Schedule, "TZ"):
			errs = append(errs, field.Invalid(sp, s.Schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"))
		}
	}
	if s.StartingDeadlineSeconds != nil {
		errs = append(errs, apivalidation.ValidateNonnegativeField(*s.StartingDeadlineSeconds, p.Child("startingDeadlineSeconds"))...)
	}
	if old == nil || !apiequality.Semantic.DeepEqual(old.TimeZone, s.TimeZone) {
		errs = append(errs, validateTimeZone(s.TimeZone, p.Child("timeZone"))...)
	}
	cp := p.Child("concurrencyPolicy")
	switch s.ConcurrencyPolicy {
	case batchv1.AllowConcurrent, batchv1.ForbidConcurrent, batchv1.ReplaceConcurrent:
	case "":
		errs = append(errs, field.Required(cp, ""))
	default:
		errs = append(errs, field.NotSupported(cp, s.ConcurrencyPolicy, []string{"Allow", "Forbid", "Replace"}))
	}
	jp := p.Child("jobTemplate")
	errs = append(errs, validateJobSpec(&s.JobTemplate.Spec, jp.Child("spec"))...)
	if s.JobTemplate.Spec.Selector != nil {
		errs = append(errs, field.Invalid(jp.Child("spec", "selector"), s.JobTemplate.Spec.Selector, "`selector` will be auto-generated"))
	}
	if m := s.JobTemplate.Spec.ManualSelector; m != nil && *m {
		errs = append(errs, field.NotSupported(jp.Child("spec", "manualSelector"), *m, []string{"nil", "false"}))
	}
	if s.SuccessfulJobsHistoryLimit != nil {
		errs = append(errs, apivalidation.ValidateNonnegativeField(int64(*s.SuccessfulJobsHistoryLimit), p.Child("successfulJobsHistoryLimit"))...)
	}
	if s.FailedJobsHistoryLimit != nil {
		errs = append(errs, apivalidation.ValidateNonnegativeField(int64(*s.FailedJobsHistoryLimit), p.Child("failedJobsHistoryLimit"))...)
	}
	return errs
}

func validateTimeZone(tz *string, p *field.Path) field.ErrorList {
	if tz == nil {
		return nil
	}
	if *tz == "" {
		return field.ErrorList{field.Invalid(p, *tz, "timeZone must be nil or non-empty string")}
	}
	for _, part := range strings.Split(*tz, "/") {
		if part == "." || part == ".." || strings.HasPrefix(part, "-") || !validTimeZonePart(part) {
			return field.ErrorList{field.Invalid(p, *tz, "unknown time zone "+*tz)}
		}
	}
	var errs field.ErrorList
	if strings.EqualFold(*tz, "Local") {
		errs = append(errs, field.Invalid(p, *tz, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"))
	}
	if _, err := zoneinfo.LoadLocation(*tz); err != nil {
		errs = append(errs, field.Invalid(p, *tz, err.Error()))
	}
	return errs
}

// validTimeZonePart is the IANA naming rule for one component: 1–14 of [A-Za-z.-_0-9+].
func validTimeZonePart(s string) bool {
	if len(s) < 1 || len(s) > 14 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".-_+", r)) {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// validatePodTemplate is ValidatePodTemplateSpec: template labels and annotations, then the
// pod spec.
func validatePodTemplate(t *corev1.PodTemplateSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if !plainLabels(t.Labels) {
		errs = metav1validation.ValidateLabels(t.Labels, p.Child("metadata", "labels"))
	}
	if len(t.Annotations) > 0 {
		errs = append(errs, apivalidation.ValidateAnnotations(t.Annotations, p.Child("metadata", "annotations"))...)
	}
	return append(errs, validatePodSpec(&t.Spec, p.Child("spec"))...)
}

var (
	restartPolicies   = []string{"Always", "OnFailure", "Never"}
	dnsPolicies       = []string{"ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"}
	pullPolicies      = []string{"Always", "IfNotPresent", "Never"}
	protocols         = []string{"SCTP", "TCP", "UDP"}
	messagePolicies   = []string{"File", "FallbackToLogsOnError"}
	uriSchemes        = []string{"HTTP", "HTTPS"}
	tolerationEffects = []string{"NoExecute", "NoSchedule", "PreferNoSchedule"}
)

func validatePodSpec(s *corev1.PodSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	volumes := sets.New[string]()
	// Paths are made when an error needs them: most pods have none.
	for i, v := range s.Volumes {
		vp := lazyPath(func() *field.Path { return p.Child("volumes").Index(i) })
		switch {
		case v.Name == "":
			errs = append(errs, field.Required(vp.Child("name"), ""))
		case volumes.Has(v.Name):
			errs = append(errs, field.Duplicate(vp.Child("name"), v.Name))
		case plainName(v.Name, false, false):
		default:
			for _, msg := range validation.IsDNS1123Label(v.Name) {
				errs = append(errs, field.Invalid(vp.Child("name"), v.Name, msg))
			}
		}
		volumes.Insert(v.Name)
		if n := countVolumeSources(&v.VolumeSource); n == 0 {
			errs = append(errs, field.Required(vp(), "must specify a volume type"))
		} else if n > 1 {
			errs = append(errs, field.Forbidden(vp(), "may not specify more than 1 volume type"))
		} else {
			errs = append(errs, validateVolumeSource(&v.VolumeSource, vp)...)
		}
	}
	names := sets.New[string]()
	if len(s.Containers) == 0 {
		errs = append(errs, field.Required(p.Child("containers"), ""))
	}
	for i := range s.InitContainers {
		errs = append(errs, validateContainer(&s.InitContainers[i], func() *field.Path { return p.Child("initContainers").Index(i) }, names, volumes, true)...)
	}
	for i := range s.Containers {
		errs = append(errs, validateContainer(&s.Containers[i], func() *field.Path { return p.Child("containers").Index(i) }, names, volumes, false)...)
	}
	switch {
	case s.RestartPolicy == "":
		errs = append(errs, field.Required(p.Child("restartPolicy"), ""))
	case !contains(restartPolicies, string(s.RestartPolicy)):
		errs = append(errs, field.NotSupported(p.Child("restartPolicy"), s.RestartPolicy, restartPolicies))
	}
	switch {
	case s.DNSPolicy == "":
		errs = append(errs, field.Required(p.Child("dnsPolicy"), ""))
	case !contains(dnsPolicies, string(s.DNSPolicy)):
		errs = append(errs, field.NotSupported(p.Child("dnsPolicy"), s.DNSPolicy, dnsPolicies))
	}
	if s.TerminationGracePeriodSeconds != nil && *s.TerminationGracePeriodSeconds < 0 {
		errs = append(errs, apivalidation.ValidateNonnegativeField(*s.TerminationGracePeriodSeconds, p.Child("terminationGracePeriodSeconds"))...)
	}
	if a := s.ActiveDeadlineSeconds; a != nil && (*a < 1 || *a > 2147483647) {
		errs = append(errs, field.Invalid(p.Child("activeDeadlineSeconds"), *a, validation.InclusiveRangeError(1, 2147483647)))
	}
	if !plainLabels(s.NodeSelector) {
		errs = append(errs, metav1validation.ValidateLabels(s.NodeSelector, p.Child("nodeSelector"))...)
	}
	if s.NodeName != "" {
		for _, msg := range validation.IsDNS1123Subdomain(s.NodeName) {
			errs = append(errs, field.Invalid(p.Child("nodeName"), s.NodeName, msg))
		}
	}
	for i, t := range s.Tolerations {
		errs = append(errs, validateToleration(t, func() *field.Path { return p.Child("tolerations").Index(i) })...)
	}
	return errs
}

func countVolumeSources(vs *corev1.VolumeSource) int {
	n := 0
	for _, set := range []bool{vs.HostPath != nil, vs.EmptyDir != nil, vs.GCEPersistentDisk != nil, vs.AWSElasticBlockStore != nil,
		vs.GitRepo != nil, vs.Secret != nil, vs.NFS != nil, vs.ISCSI != nil, vs.Glusterfs != nil, vs.PersistentVolumeClaim != nil,
		vs.RBD != nil, vs.FlexVolume != nil, vs.Cinder != nil, vs.CephFS != nil, vs.Flocker != nil, vs.DownwardAPI != nil,
		vs.FC != nil, vs.AzureFile != nil, vs.ConfigMap != nil, vs.VsphereVolume != nil, vs.Quobyte != nil, vs.AzureDisk != nil,
		vs.PhotonPersistentDisk != nil, vs.Projected != nil, vs.PortworxVolume != nil, vs.ScaleIO != nil, vs.StorageOS != nil,
		vs.CSI != nil, vs.Ephemeral != nil, vs.Image != nil} {
		if set {
			n++
		}
	}
	return n
}

func validateToleration(t corev1.Toleration, p lazyPath) field.ErrorList {
	var errs field.ErrorList
	if t.Key != "" && !plainKey(t.Key) {
		errs = append(errs, metav1validation.ValidateLabelName(t.Key, p.Child("key"))...)
	}
	if t.Key == "" && t.Operator != corev1.TolerationOpExists {
		errs = append(errs, field.Invalid(p.Child("operator"), string(t.Operator), "operator must be Exists when `key` is empty, which means \"match all values and all keys\""))
	}
	if t.TolerationSeconds != nil && t.Effect != corev1.TaintEffectNoExecute {
		errs = append(errs, field.Invalid(p.Child("effect"), string(t.Effect), "effect must be 'NoExecute' when `tolerationSeconds` is set"))
	}
	switch t.Operator {
	case corev1.TolerationOpEqual, "":
		if plainLabelValue(t.Value) {
			break
		}
		for _, msg := range validation.IsValidLabelValue(t.Value) {
			errs = append(errs, field.Invalid(p.Child("operator"), t.Value, msg))
		}
	case corev1.TolerationOpExists:
		if t.Value != "" {
			errs = append(errs, field.Invalid(p.Child("operator"), t.Value, "value must be empty when `operator` is 'Exists'"))
		}
	default:
		errs = append(errs, field.NotSupported(p.Child("operator"), t.Operator, []string{"Equal", "Exists"}))
	}
	if t.Effect != "" && !contains(tolerationEffects, string(t.Effect)) {
		errs = append(errs, field.NotSupported(p.Child("effect"), t.Effect, tolerationEffects))
	}
	return errs
}

func validateContainer(c *corev1.Container, p lazyPath, names, volumes sets.Set[string], init bool) field.ErrorList {
	var errs field.ErrorList
	np := lazyPath(func() *field.Path { return p.Child("name") })
	switch {
	case c.Name == "":
		errs = append(errs, field.Required(np(), ""))
	case names.Has(c.Name):
		errs = append(errs, field.Duplicate(np(), c.Name))
	case plainName(c.Name, false, false):
	default:
		for _, msg := range validation.IsDNS1123Label(c.Name) {
			errs = append(errs, field.Invalid(np(), c.Name, msg))
		}
	}
	names.Insert(c.Name)
	if strings.TrimSpace(c.Image) == "" {
		errs = append(errs, field.Required(p.Child("image"), ""))
	} else if c.Image != strings.TrimSpace(c.Image) {
		errs = append(errs, field.Invalid(p.Child("image"), c.Image, "must not have leading or trailing whitespace"))
	}
	switch {
	case c.ImagePullPolicy == "":
		errs = append(errs, field.Required(p.Child("imagePullPolicy"), ""))
	case !contains(pullPolicies, string(c.ImagePullPolicy)):
		errs = append(errs, field.NotSupported(p.Child("imagePullPolicy"), c.ImagePullPolicy, pullPolicies))
	}
	switch {
	case c.TerminationMessagePolicy == "":
		errs = append(errs, field.Required(p.Child("terminationMessagePolicy"), "must be 'File' or 'FallbackToLogsOnError'"))
	case !contains(messagePolicies, string(c.TerminationMessagePolicy)):
		errs = append(errs, field.NotSupported(p.Child("terminationMessagePolicy"), c.TerminationMessagePolicy, messagePolicies))
	}
	portNames := sets.New[string]()
	for i, port := range c.Ports {
		// The path is made when an error needs it: most ports are fine.
		pp := lazyPath(func() *field.Path { return p.Child("ports").Index(i) })
		if port.Name != "" {
			for _, msg := range validation.IsValidPortName(port.Name) {
				errs = append(errs, field.Invalid(pp.Child("name"), port.Name, msg))
			}
			if portNames.Has(port.Name) {
				errs = append(errs, field.Duplicate(pp.Child("name"), port.Name))
			}
			portNames.Insert(port.Name)
		}
		if port.ContainerPort == 0 {
			errs = append(errs, field.Required(pp.Child("containerPort"), ""))
		} else if !validPortNum(port.ContainerPort) {
			errs = append(errs, portNumErrs(pp.Child("containerPort"), port.ContainerPort)...)
		}
		if port.HostPort != 0 && !validPortNum(port.HostPort) {
			errs = append(errs, portNumErrs(pp.Child("hostPort"), port.HostPort)...)
		}
		if !contains(protocols, string(port.Protocol)) {
			errs = append(errs, protocolErrs(pp.Child("protocol"), port.Protocol)...)
		}
	}
	for i, e := range c.Env {
		ep := lazyPath(func() *field.Path { return p.Child("env").Index(i) })
		if e.Name == "" {
			errs = append(errs, field.Required(ep.Child("name"), ""))
		} else {
			for _, msg := range validation.IsRelaxedEnvVarName(e.Name) {
				errs = append(errs, field.Invalid(ep.Child("name"), e.Name, msg))
			}
		}
	}
	for i, m := range c.VolumeMounts {
		mp := lazyPath(func() *field.Path { return p.Child("volumeMounts").Index(i) })
		if m.Name == "" {
			errs = append(errs, field.Required(mp.Child("name"), ""))
		} else if !volumes.Has(m.Name) {
			errs = append(errs, field.NotFound(mp.Child("name"), m.Name))
		}
		if m.MountPath == "" {
			errs = append(errs, field.Required(mp.Child("mountPath"), ""))
		}
	}
	if len(c.Resources.Limits)+len(c.Resources.Requests) > 0 {
		errs = append(errs, validateResources(&c.Resources, p.Child("resources"))...)
	}
	if init && c.RestartPolicy == nil {
		// Plain init containers run to completion and may not have probes.
		if c.LivenessProbe != nil || c.ReadinessProbe != nil || c.StartupProbe != nil {
			errs = append(errs, field.Forbidden(p.Child(probeOrder(c)), "may not be set for init containers without restartPolicy=Always"))
		}
		return errs
	}
	if c.LivenessProbe != nil {
		errs = append(errs, validateProbe(c.LivenessProbe, p.Child("livenessProbe"), true, false)...)
	}
	if c.ReadinessProbe != nil {
		errs = append(errs, validateProbe(c.ReadinessProbe, p.Child("readinessProbe"), false, true)...)
	}
	if c.StartupProbe != nil {
		errs = append(errs, validateProbe(c.StartupProbe, p.Child("startupProbe"), true, false)...)
	}
	return errs
}

// lazyPath is a field path built at its first Child: validation makes a path for every
// element it checks, but needs one only for an error.
type lazyPath func() *field.Path

func (l lazyPath) Child(name string, more ...string) *field.Path { return l().Child(name, more...) }

// child and index are the lazy paths of a child and an element.
func (l lazyPath) child(name string) lazyPath { return func() *field.Path { return l().Child(name) } }
func (l lazyPath) index(i int) lazyPath       { return func() *field.Path { return l().Index(i) } }

// probeOrder names the first probe an init container sets, for a deterministic message.
func probeOrder(c *corev1.Container) string {
	switch {
	case c.LivenessProbe != nil:
		return "livenessProbe"
	case c.ReadinessProbe != nil:
		return "readinessProbe"
	default:
		return "startupProbe"
	}
}

func validateResources(r *corev1.ResourceRequirements, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, name := range sortedResourceNames(r.Limits) {
		q := r.Limits[name]
		if q.Sign() < 0 {
			errs = append(errs, field.Invalid(p.Child("limits").Key(string(name)), q.String(), "must be greater than or equal to 0"))
		}
	}
	for _, name := range sortedResourceNames(r.Requests) {
		q := r.Requests[name]
		rp := p.Child("requests").Key(string(name))
		if q.Sign() < 0 {
			errs = append(errs, field.Invalid(rp, q.String(), "must be greater than or equal to 0"))
		}
		if lim, ok := r.Limits[name]; ok && q.Cmp(lim) > 0 {
			errs = append(errs, field.Invalid(rp, q.String(), fmt.Sprintf("must be less than or equal to %s limit of %s", name, lim.String())))
		}
	}
	return errs
}

func sortedResourceNames(l corev1.ResourceList) []corev1.ResourceName {
	names := make([]corev1.ResourceName, 0, len(l))
	for n := range l {
		names = append(names, n)
	}
	for i := 1; i < len(names); i++ {
		for j := i; j > 0 && names[j] < names[j-1]; j-- {
			names[j], names[j-1] = names[j-1], names[j]
		}
	}
	return names
}

func validateProbe(pr *corev1.Probe, p *field.Path, successMustBeOne, readiness bool) field.ErrorList {
	if pr == nil {
		return nil
	}
	var errs field.ErrorList
	h := &pr.ProbeHandler
	n := 0
	if h.Exec != nil {
		n++
		if len(h.Exec.Command) == 0 {
			errs = append(errs, field.Required(p.Child("exec", "command"), ""))
		}
	}
	if h.HTTPGet != nil {
		n++
		hp := p.Child("httpGet")
		if h.HTTPGet.Path == "" {
			errs = append(errs, field.Required(hp.Child("path"), ""))
		}
		errs = append(errs, validatePortNumOrName(h.HTTPGet.Port, hp.Child("port"))...)
		if !contains(uriSchemes, string(h.HTTPGet.Scheme)) {
			errs = append(errs, field.NotSupported(hp.Child("scheme"), h.HTTPGet.Scheme, uriSchemes))
		}
	}
	if h.TCPSocket != nil {
		n++
		errs = append(errs, validatePortNumOrName(h.TCPSocket.Port, p.Child("tcpSocket", "port"))...)
	}
	if h.GRPC != nil {
		n++
		for _, msg := range validation.IsValidPortNum(int(h.GRPC.Port)) {
			errs = append(errs, field.Invalid(p.Child("grpc", "port"), h.GRPC.Port, msg))
		}
	}
	switch {
	case n == 0:
		errs = append(errs, field.Required(p, "must specify a handler type"))
	case n > 1:
		errs = append(errs, field.Forbidden(p, "may not specify more than 1 handler type"))
	}
	errs = append(errs, apivalidation.ValidateNonnegativeField(int64(pr.InitialDelaySeconds), p.Child("initialDelaySeconds"))...)
	errs = append(errs, apivalidation.ValidateNonnegativeField(int64(pr.TimeoutSeconds), p.Child("timeoutSeconds"))...)
	errs = append(errs, apivalidation.ValidateNonnegativeField(int64(pr.PeriodSeconds), p.Child("periodSeconds"))...)
	errs = append(errs, apivalidation.ValidateNonnegativeField(int64(pr.SuccessThreshold), p.Child("successThreshold"))...)
	errs = append(errs, apivalidation.ValidateNonnegativeField(int64(pr.FailureThreshold), p.Child("failureThreshold"))...)
	if successMustBeOne && pr.SuccessThreshold != 1 {
		errs = append(errs, field.Invalid(p.Child("successThreshold"), pr.SuccessThreshold, "must be 1"))
	}
	if g := pr.TerminationGracePeriodSeconds; g != nil {
		if readiness {
			errs = append(errs, field.Invalid(p.Child("terminationGracePeriodSeconds"), *g, "must not be set for readinessProbes"))
		} else if *g <= 0 {
			errs = append(errs, field.Invalid(p.Child("terminationGracePeriodSeconds"), *g, "must be greater than 0"))
		}
	}
	return errs
}

func validatePortNumOrName(port intstr.IntOrString, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if port.Type == intstr.Int {
		for _, msg := range validation.IsValidPortNum(port.IntValue()) {
			errs = append(errs, field.Invalid(p, port.IntValue(), msg))
		}
		return errs
	}
	for _, msg := range validation.IsValidPortName(port.StrVal) {
		errs = append(errs, field.Invalid(p, port.StrVal, msg))
	}
	return errs
}

const podUpdateForbidden = "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"

// validatePodSpecUpdate allows what a running pod's spec may change: images, a shorter
// activeDeadlineSeconds, added tolerations, and (as the binding subresource does) a nodeName
// set for the first time.
func validatePodSpecUpdate(s, old *corev1.PodSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if old.ActiveDeadlineSeconds != nil {
		if s.ActiveDeadlineSeconds == nil {
			errs = append(errs, field.Invalid(p.Child("activeDeadlineSeconds"), s.ActiveDeadlineSeconds, "must not update from a positive integer to nil value"))
		} else if *s.ActiveDeadlineSeconds > *old.ActiveDeadlineSeconds {
			errs = append(errs, field.Invalid(p.Child("activeDeadlineSeconds"), *s.ActiveDeadlineSeconds, "must be less than or equal to previous value"))
		}
	}
	a, b := s.DeepCopy(), old.DeepCopy()
	if len(a.Containers) == len(b.Containers) {
		for i := range a.Containers {
			a.Containers[i].Image = b.Containers[i].Image
		}
	}
	if len(a.InitContainers) == len(b.InitContainers) {
		for i := range a.InitContainers {
			a.InitContainers[i].Image = b.InitContainers[i].Image
		}
	}
	a.ActiveDeadlineSeconds = b.ActiveDeadlineSeconds
	a.TerminationGracePeriodSeconds = b.TerminationGracePeriodSeconds
	if b.NodeName == "" {
		b.NodeName = a.NodeName
	}
	// Tolerations may only be added to.
	if len(a.Tolerations) >= len(b.Tolerations) && apiequality.Semantic.DeepEqual(a.Tolerations[:len(b.Tolerations)], b.Tolerations) {
		a.Tolerations = b.Tolerations
	}
	if !apiequality.Semantic.DeepEqual(a, b) {
		errs = append(errs, field.Forbidden(p, podUpdateForbidden))
	}
	return errs
}
