package podautoscaler

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/events"
	"github.com/kubetab/kubetab/engine/sim"
	"github.com/kubetab/kubetab/engine/store"
)

// ControllerName is the controller's name, its API client's and its events' source.
const ControllerName = "horizontal-pod-autoscaler"

// SyncPeriod is how often each HPA is reconciled, and DownscaleStabilizationWindow how far
// back its recommendations hold a scale-down (kube-controller-manager's defaults).
const (
	SyncPeriod                   = 15 * time.Second
	DownscaleStabilizationWindow = 5 * time.Minute
)

// The built-in scale-up limit of an HPA without behavior: twice the replicas, at least 4.
const (
	scaleUpLimitFactor  = 2.0
	scaleUpLimitMinimum = 4.0
)

var (
	hpaResource  = api.ResourceByName("horizontalpodautoscalers")
	podsResource = api.ResourceByName("pods")
)

// Controller is the HPA controller of one cluster.
type Controller struct {
	api      *apiserver.Client
	cluster  *sim.Cluster
	store    *store.Store
	recorder *events.Recorder
	metrics  ResourceMetrics
	// What upstream keeps in memory per HPA key: recent recommendations (stabilization) and
	// scale events (behavior policies).
	recommendations map[string][]timestampedRecommendation
	scaleUpEvents   map[string][]timestampedScaleEvent
	scaleDownEvents map[string][]timestampedScaleEvent
}

type timestampedRecommendation struct {
	recommendation int32
	timestamp      time.Time
}

type timestampedScaleEvent struct {
	replicaChange int32
	timestamp     time.Time
	outdated      bool
}

// New adds the HPA controller to c, reading resource metrics from metrics.
func New(c *sim.Cluster, metrics ResourceMetrics) *Controller {
	hc := &Controller{
		api:             c.API.Client(ControllerName),
		cluster:         c,
		store:           c.Store,
		recorder:        c.Recorder(ControllerName, ""),
		metrics:         metrics,
		recommendations: map[string][]timestampedRecommendation{},
		scaleUpEvents:   map[string][]timestampedScaleEvent{},
		scaleDownEvents: map[string][]timestampedScaleEvent{},
	}
	c.AddController(ControllerName, hc.sync)
	c.Watch(hpaResource.Name, hc.onHPA)
	return hc
}

// onHPA syncs a new HPA, and one whose spec changed, at once; its status writes wait for
// the next period, as upstream's rate-limited queue makes them.
func (hc *Controller) onHPA(ev store.WatchEvent) {
	h := ev.Object.(*autoscalingv2.HorizontalPodAutoscaler)
	key := h.Namespace + "/" + h.Name
	switch ev.Type {
	case store.Added:
		hc.cluster.Enqueue(ControllerName, key)
	case store.Modified:
		if ev.Old.(*autoscalingv2.HorizontalPodAutoscaler).Generation != h.Generation {
			hc.cluster.Enqueue(ControllerName, key)
		}
	case store.Deleted:
		hc.cluster.Enqueue(ControllerName, key)
	}
}

func (hc *Controller) sync(key string) (time.Duration, error) {
	ns, name, _ := strings.Cut(key, "/")
	obj := hc.store.Lookup(hpaResource, ns, name)
	if obj == nil {
		delete(hc.recommendations, key)
		delete(hc.scaleUpEvents, key)
		delete(hc.scaleDownEvents, key)
		return 0, nil
	}
	// Errors are reported in the HPA's events and conditions; the HPA is looked at again
	// after the period either way (upstream's fixed-interval rate limiter).
	hc.reconcile(obj.(*autoscalingv2.HorizontalPodAutoscaler), key)
	return SyncPeriod, nil
}

// scale is what the scale subresource of the target says.
type scale struct {
	obj          api.Object
	resource     *api.Resource
	spec, status int32
	selector     string
}

// getScale reads the target's scale as the HPA's scale client does.
func (hc *Controller) getScale(h *autoscalingv2.HorizontalPodAutoscaler) (*scale, error) {
	ref := h.Spec.ScaleTargetRef
	gv, err := schema.ParseGroupVersion(ref.APIVersion)
	if err != nil {
		return nil, err
	}
	r := api.ResourceForKind(ref.Kind)
	if r == nil || r.Group != gv.Group {
		return nil, fmt.Errorf("no matches for kind %q in group %q", ref.Kind, gv.Group)
	}
	obj, err := hc.store.Get(r, h.Namespace, ref.Name)
	if err != nil {
		return nil, err
	}
	s := &scale{obj: obj, resource: r}
	switch o := obj.(type) {
	case *appsv1.Deployment:
		s.spec, s.status = deref(o.Spec.Replicas), o.Status.Replicas
		s.selector = selectorString(o.Spec.Selector)
	case *appsv1.ReplicaSet:
		s.spec, s.status = deref(o.Spec.Replicas), o.Status.Replicas
		s.selector = selectorString(o.Spec.Selector)
	case *corev1.ReplicationController:
		s.spec, s.status = deref(o.Spec.Replicas), o.Status.Replicas
		s.selector = labels.SelectorFromSet(o.Spec.Selector).String()
	default:
		return nil, errors.New("the server could not find the requested resource")
	}
	return s, nil
}

func deref(p *int32) int32 {
	if p == nil {
		return 1
	}
	return *p
}

func selectorString(sel *metav1.LabelSelector) string {
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return ""
	}
	return s.String()
}

// updateScale writes the target's replicas, as the scale subresource does.
func (hc *Controller) updateScale(s *scale, replicas int32) error {
	obj := s.obj.DeepCopyObject().(api.Object)
	switch o := obj.(type) {
	case *appsv1.Deployment:
		o.Spec.Replicas = &replicas
	case *appsv1.ReplicaSet:
		o.Spec.Replicas = &replicas
	case *corev1.ReplicationController:
		o.Spec.Replicas = &replicas
	}
	_, err := hc.api.Update(obj, apiserver.UpdateOptions{HandOver: true})
	return err
}

// reconcile is reconcileAutoscaler.
func (hc *Controller) reconcile(shared *autoscalingv2.HorizontalPodAutoscaler, key string) {
	h := shared.DeepCopy()
	original := shared.Status.DeepCopy()
	now := hc.cluster.Now()

	sc, err := hc.getScale(h)
	if err != nil {
		hc.recorder.Eventf(h, corev1.EventTypeWarning, "FailedGetScale", "%s", err.Error())
		setCondition(h, now, autoscalingv2.AbleToScale, corev1.ConditionFalse, "FailedGetScale", "the HPA controller was unable to get the target's current scale: %v", err)
		hc.updateStatusIfNeeded(original, h)
		return
	}
	setCondition(h, now, autoscalingv2.AbleToScale, corev1.ConditionTrue, "SucceededGetScale", "the HPA controller was able to get the target's current scale")
	currentReplicas := sc.spec
	if hc.recommendations[key] == nil {
		hc.recommendations[key] = []timestampedRecommendation{{currentReplicas, now}}
	}

	minReplicas := int32(1)
	if h.Spec.MinReplicas != nil {
		minReplicas = *h.Spec.MinReplicas
	}
	hasObjectOrExternal := hasObjectOrExternalMetrics(h)
	scaledToZero := conditionTrue(h, autoscalingv2.ScaledToZero)

	var (
		desiredReplicas int32
		rescaleReason   string
		metricStatuses  []autoscalingv2.MetricStatus
	)
	rescale, computeMetrics := true, true
	switch {
	case currentReplicas == 0:
		if !((minReplicas != 0 && scaledToZero) || (scaledToZero && hasObjectOrExternal)) {
			computeMetrics, rescale = false, false
			setCondition(h, now, autoscalingv2.ScalingActive, corev1.ConditionFalse, "ScalingDisabled", "scaling is disabled since the replica count of the target is zero")
		}
	case currentReplicas > h.Spec.MaxReplicas:
		rescaleReason = "Current number of replicas above Spec.MaxReplicas"
		desiredReplicas, computeMetrics = h.Spec.MaxReplicas, false
	case currentReplicas < minReplicas:
		rescaleReason = "Current number of replicas below Spec.MinReplicas"
		desiredReplicas, computeMetrics = minReplicas, false
	}

	if computeMetrics {
		metricReplicas, metricName, statuses, err := hc.computeReplicasForMetrics(h, sc)
		metricStatuses = statuses
		if err != nil && metricReplicas == -1 {
			setStatus(h, now, currentReplicas, h.Status.DesiredReplicas, metricStatuses, false)
			hc.updateStatusIfNeeded(original, h)
			hc.recorder.Eventf(h, corev1.EventTypeWarning, "FailedComputeMetricsReplicas", "%s", err.Error())
			return
		}
		rescaleMetric := ""
		if metricReplicas > desiredReplicas {
			desiredReplicas, rescaleMetric = metricReplicas, metricName
		}
		if desiredReplicas > currentReplicas {
			rescaleReason = fmt.Sprintf("%s above target", rescaleMetric)
		}
		if desiredReplicas < currentReplicas {
			rescaleReason = "All metrics below target"
		}
		if h.Spec.Behavior == nil {
			desiredReplicas = hc.normalizeDesiredReplicas(h, key, now, currentReplicas, desiredReplicas, minReplicas)
		} else {
			desiredReplicas = hc.normalizeDesiredReplicasWithBehaviors(h, key, now, currentReplicas, desiredReplicas, minReplicas)
		}
		if currentReplicas == 0 && minReplicas != 0 && scaledToZero && desiredReplicas < minReplicas {
			desiredReplicas = minReplicas
			if rescaleReason == "" {
				rescaleReason = "Current number of replicas below Spec.MinReplicas"
			}
		}
		rescale = desiredReplicas != currentReplicas
	}

	if rescale {
		if err := hc.updateScale(sc, desiredReplicas); err != nil {
			hc.recorder.Eventf(h, corev1.EventTypeWarning, "FailedRescale", "New size: %d; reason: %s; error: %v", desiredReplicas, rescaleReason, err.Error())
			setCondition(h, now, autoscalingv2.AbleToScale, corev1.ConditionFalse, "FailedUpdateScale", "the HPA controller was unable to update the target scale: %v", err)
			setStatus(h, now, currentReplicas, h.Status.DesiredReplicas, metricStatuses, false)
			hc.updateStatusIfNeeded(original, h)
			return
		}
		setCondition(h, now, autoscalingv2.AbleToScale, corev1.ConditionTrue, "SucceededRescale", "the HPA controller was able to update the target scale to %d", desiredReplicas)
		hc.recorder.Eventf(h, corev1.EventTypeNormal, "SuccessfulRescale", "New size: %d; reason: %s", desiredReplicas, rescaleReason)
		hc.storeScaleEvent(h.Spec.Behavior, key, now, currentReplicas, desiredReplicas)
		// HPAScaleToZero is on in v1.37: every rescale says whether it went to zero.
		if currentReplicas > 0 && desiredReplicas == 0 && minReplicas == 0 && hasObjectOrExternal {
			setCondition(h, now, autoscalingv2.ScaledToZero, corev1.ConditionTrue, "ScaledToZero", "the HPA controller scaled the workload to zero")
		} else {
			setCondition(h, now, autoscalingv2.ScaledToZero, corev1.ConditionFalse, "NotScaledToZero", "the HPA controller did not scale the workload to zero")
		}
	} else {
		desiredReplicas = currentReplicas
	}
	setStatus(h, now, currentReplicas, desiredReplicas, metricStatuses, rescale)
	hc.updateStatusIfNeeded(original, h)
}

// computeReplicasForMetrics proposes replicas for each metric and takes the largest; -1
// when every metric failed, or some did and the others would scale down.
func (hc *Controller) computeReplicasForMetrics(h *autoscalingv2.HorizontalPodAutoscaler, sc *scale) (int32, string, []autoscalingv2.MetricStatus, error) {
	now := hc.cluster.Now()
	sel, err := hc.validateAndParseSelector(h, sc.selector)
	if err != nil {
		return -1, "", nil, err
	}
	statuses := make([]autoscalingv2.MetricStatus, len(h.Spec.Metrics))
	var (
		replicas         int32
		metric           string
		invalid          int
		invalidErr       error
		invalidCondition autoscalingv2.HorizontalPodAutoscalerCondition
	)
	for i, spec := range h.Spec.Metrics {
		proposal, name, cond, err := hc.computeReplicasForMetric(h, spec, sc, sel, &statuses[i])
		if err != nil {
			if invalid == 0 {
				invalidCondition, invalidErr = cond, err
			}
			invalid++
			continue
		}
		if replicas == 0 || proposal > replicas {
			replicas, metric = proposal, name
		}
	}
	if invalidErr != nil {
		invalidErr = fmt.Errorf("invalid metrics (%v invalid out of %v), first error is: %w", invalid, len(h.Spec.Metrics), invalidErr)
	}
	if invalid >= len(h.Spec.Metrics) || (invalid > 0 && replicas < sc.spec) {
		setCondition(h, now, invalidCondition.Type, invalidCondition.Status, invalidCondition.Reason, "%s", invalidCondition.Message)
		return -1, "", statuses, invalidErr
	}
	setCondition(h, now, autoscalingv2.ScalingActive, corev1.ConditionTrue, "ValidMetricFound", "the HPA was able to successfully calculate a replica count from %s", metric)
	return replicas, metric, statuses, invalidErr
}

func (hc *Controller) validateAndParseSelector(h *autoscalingv2.HorizontalPodAutoscaler, selector string) (labels.Selector, error) {
	now := hc.cluster.Now()
	if selector == "" {
		msg := "selector is required"
		hc.recorder.Eventf(h, corev1.EventTypeWarning, "SelectorRequired", "%s", msg)
		setCondition(h, now, autoscalingv2.ScalingActive, corev1.ConditionFalse, "InvalidSelector", "the HPA target's scale is missing a selector")
		return nil, errors.New(msg)
	}
	sel, err := labels.Parse(selector)
	if err != nil {
		msg := fmt.Sprintf("couldn't convert selector into a corresponding internal selector object: %v", err)
		hc.recorder.Eventf(h, corev1.EventTypeWarning, "InvalidSelector", "%s", msg)
		setCondition(h, now, autoscalingv2.ScalingActive, corev1.ConditionFalse, "InvalidSelector", "%s", msg)
		return nil, errors.New(msg)
	}
	return sel, nil
}

// computeReplicasForMetric proposes replicas for one metric and fills in its status; on
// failure it returns the ScalingActive condition to set.
func (hc *Controller) computeReplicasForMetric(h *autoscalingv2.HorizontalPodAutoscaler, spec autoscalingv2.MetricSpec, sc *scale, sel labels.Selector, status *autoscalingv2.MetricStatus) (int32, string, autoscalingv2.HorizontalPodAutoscalerCondition, error) {
	// The event and the condition say what failed; the error returned (for the
	// FailedComputeMetricsReplicas event) says which metric's value, as upstream wraps it.
	fail := func(reason string, err error) (int32, string, autoscalingv2.HorizontalPodAutoscalerCondition, error) {
		hc.recorder.Eventf(h, corev1.EventTypeWarning, reason, "%s", err.Error())
		cond := autoscalingv2.HorizontalPodAutoscalerCondition{
			Type: autoscalingv2.ScalingActive, Status: corev1.ConditionFalse, Reason: reason,
			Message: fmt.Sprintf("the HPA was unable to compute the replica count: %v", err),
		}
		switch spec.Type {
		case autoscalingv2.ResourceMetricSourceType:
			err = fmt.Errorf("failed to get %s resource metric value: %w", spec.Resource.Name, err)
		case autoscalingv2.ContainerResourceMetricSourceType:
			err = fmt.Errorf("failed to get %s container metric value: %w", spec.ContainerResource.Container, err)
		case autoscalingv2.PodsMetricSourceType:
			err = fmt.Errorf("failed to get pods metric value: %w", err)
		case autoscalingv2.ObjectMetricSourceType:
			err = fmt.Errorf("failed to get object metric value: %w", err)
		case autoscalingv2.ExternalMetricSourceType:
			err = fmt.Errorf("failed to get %s external metric value: %w", spec.External.Metric.Name, err)
		}
		return 0, "", cond, err
	}
	switch spec.Type {
	case autoscalingv2.ResourceMetricSourceType, autoscalingv2.ContainerResourceMetricSourceType:
		name, target, container, reason := corev1.ResourceName(""), autoscalingv2.MetricTarget{}, "", "FailedGetResourceMetric"
		if spec.Type == autoscalingv2.ResourceMetricSourceType {
			name, target = spec.Resource.Name, spec.Resource.Target
		} else {
			name, target, container, reason = spec.ContainerResource.Name, spec.ContainerResource.Target, spec.ContainerResource.Container, "FailedGetContainerResourceMetric"
		}
		replicas, value, _, err := hc.resourceReplicas(sc.spec, target, name, h.Namespace, sel, container)
		if err != nil {
			return fail(reason, err)
		}
		metricName := fmt.Sprintf("%s resource", name)
		if target.AverageValue == nil {
			metricName = fmt.Sprintf("%s resource utilization (percentage of request)", name)
			if container != "" {
				metricName = fmt.Sprintf("%s container resource utilization (percentage of request)", name)
			}
		}
		if container == "" {
			*status = autoscalingv2.MetricStatus{Type: spec.Type, Resource: &autoscalingv2.ResourceMetricStatus{Name: name, Current: value}}
		} else {
			*status = autoscalingv2.MetricStatus{Type: spec.Type, ContainerResource: &autoscalingv2.ContainerResourceMetricStatus{Name: name, Container: container, Current: value}}
		}
		return replicas, metricName, autoscalingv2.HorizontalPodAutoscalerCondition{}, nil
	case autoscalingv2.PodsMetricSourceType:
		return fail("FailedGetPodsMetric", fmt.Errorf("unable to get metric %s: unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered", spec.Pods.Metric.Name))
	case autoscalingv2.ObjectMetricSourceType:
		return fail("FailedGetObjectMetric", fmt.Errorf("unable to get metric %s: %s on %s %s/unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered",
			spec.Object.Metric.Name, spec.Object.DescribedObject.Kind, h.Namespace, spec.Object.DescribedObject.Name))
	case autoscalingv2.ExternalMetricSourceType:
		return fail("FailedGetExternalMetric", fmt.Errorf("unable to get external metric %s/%s/%v: unable to fetch metrics from external metrics API: no external metrics API (external.metrics.k8s.io) registered",
			h.Namespace, spec.External.Metric.Name, spec.External.Metric.Selector))
	}
	return fail("InvalidMetricSourceType", fmt.Errorf("unknown metric source type %q", string(spec.Type)))
}

func (hc *Controller) podsSelected(ns string, sel labels.Selector) []*corev1.Pod {
	var pods []*corev1.Pod
	hc.store.Each(podsResource, ns, func(o api.Object) bool {
		if sel.Matches(labels.Set(o.GetLabels())) {
			pods = append(pods, o.(*corev1.Pod))
		}
		return true
	})
	return pods
}

// normalizeDesiredReplicas applies the downscale stabilization window and the built-in
// limits to an HPA without behavior.
func (hc *Controller) normalizeDesiredReplicas(h *autoscalingv2.HorizontalPodAutoscaler, key string, now time.Time, currentReplicas, prenormalized, minReplicas int32) int32 {
	stabilized := hc.stabilizeRecommendation(key, now, prenormalized)
	if stabilized != prenormalized {
		setCondition(h, now, autoscalingv2.AbleToScale, corev1.ConditionTrue, "ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation")
	} else {
		setCondition(h, now, autoscalingv2.AbleToScale, corev1.ConditionTrue, "ReadyForNewScale", "recommended size matches current size")
	}
	desired, reason, message := convertDesiredReplicasWithRules(currentReplicas, stabilized, minReplicas, h.Spec.MaxReplicas)
	status := corev1.ConditionTrue
	if desired == stabilized {
		status = corev1.ConditionFalse
	}
	setCondition(h, now, autoscalingv2.ScalingLimited, status, reason, "%s", message)
	return desired
}

// stabilizeRecommendation records the recommendation and returns the highest of those
// within the downscale stabilization window.
func (hc *Controller) stabilizeRecommendation(key string, now time.Time, prenormalized int32) int32 {
	highest := prenormalized
	cutoff := now.Add(-DownscaleStabilizationWindow)
	recs := hc.recommendations[key]
	old := -1
	for i, rec := range recs {
		if rec.timestamp.Before(cutoff) {
			old = i
		} else if rec.recommendation > highest {
			highest = rec.recommendation
		}
	}
	if old >= 0 {
		recs[old] = timestampedRecommendation{prenormalized, now}
	} else {
		hc.recommendations[key] = append(recs, timestampedRecommendation{prenormalized, now})
	}
	return highest
}

func convertDesiredReplicasWithRules(currentReplicas, desired, minReplicas, maxReplicas int32) (int32, string, string) {
	scaleUpLimit := int32(math.Max(scaleUpLimitFactor*float64(currentReplicas), scaleUpLimitMinimum))
	maximum, reason, message := maxReplicas, "TooManyReplicas", "the desired replica count is more than the maximum replica count"
	if maxReplicas > scaleUpLimit {
		maximum, reason, message = scaleUpLimit, "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate"
	}
	switch {
	case desired < minReplicas:
		return minReplicas, "TooFewReplicas", "the desired replica count is less than the minimum replica count"
	case desired > maximum:
		return maximum, reason, message
	}
	return desired, "DesiredWithinRange", "the desired count is within the acceptable range"
}

// updateStatusIfNeeded writes the status when it changed.
func (hc *Controller) updateStatusIfNeeded(original *autoscalingv2.HorizontalPodAutoscalerStatus, h *autoscalingv2.HorizontalPodAutoscaler) {
	if equality.Semantic.DeepEqual(original, &h.Status) {
		return
	}
	if _, err := hc.api.UpdateStatus(h, apiserver.UpdateOptions{HandOver: true}); err != nil {
		hc.recorder.Eventf(h, corev1.EventTypeWarning, "FailedUpdateStatus", "%s", err.Error())
	}
}

// setStatus rebuilds the status as upstream's setStatus does.
func setStatus(h *autoscalingv2.HorizontalPodAutoscaler, now time.Time, currentReplicas, desiredReplicas int32, metrics []autoscalingv2.MetricStatus, rescale bool) {
	generation := h.Generation
	h.Status = autoscalingv2.HorizontalPodAutoscalerStatus{
		CurrentReplicas:    currentReplicas,
		DesiredReplicas:    desiredReplicas,
		LastScaleTime:      h.Status.LastScaleTime,
		CurrentMetrics:     metrics,
		Conditions:         h.Status.Conditions,
		ObservedGeneration: &generation,
	}
	if rescale {
		t := metav1.NewTime(now)
		h.Status.LastScaleTime = &t
	}
}

// setCondition sets a condition, appending a new type at the end; the transition time
// moves only when the status does.
func setCondition(h *autoscalingv2.HorizontalPodAutoscaler, now time.Time, t autoscalingv2.HorizontalPodAutoscalerConditionType, status corev1.ConditionStatus, reason, format string, args ...any) {
	conds := h.Status.Conditions
	i := 0
	for i < len(conds) && conds[i].Type != t {
		i++
	}
	if i == len(conds) {
		conds = append(conds, autoscalingv2.HorizontalPodAutoscalerCondition{Type: t})
	}
	c := &conds[i]
	if c.Status != status {
		c.LastTransitionTime = metav1.NewTime(now)
	}
	c.Status, c.Reason, c.Message = status, reason, fmt.Sprintf(format, args...)
	h.Status.Conditions = conds
}

func conditionTrue(h *autoscalingv2.HorizontalPodAutoscaler, t autoscalingv2.HorizontalPodAutoscalerConditionType) bool {
	for _, c := range h.Status.Conditions {
		if c.Type == t {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

func hasObjectOrExternalMetrics(h *autoscalingv2.HorizontalPodAutoscaler) bool {
	for _, m := range h.Spec.Metrics {
		if m.Type == autoscalingv2.ObjectMetricSourceType || m.Type == autoscalingv2.ExternalMetricSourceType {
			return true
		}
	}
	return false
}
