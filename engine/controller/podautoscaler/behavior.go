package podautoscaler

import (
	"math"
	"time"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
)

// An HPA with spec.behavior: its stabilization windows and scaling policies
// (normalizeDesiredReplicasWithBehaviors upstream). The API server has filled in every rule
// but scaleDown's window, which is the controller's DownscaleStabilizationWindow.

func (hc *Controller) normalizeDesiredReplicasWithBehaviors(h *autoscalingv2.HorizontalPodAutoscaler, key string, now time.Time, currentReplicas, prenormalized, minReplicas int32) int32 {
	b := h.Spec.Behavior
	if b.ScaleDown != nil && b.ScaleDown.StabilizationWindowSeconds == nil {
		w := int32(DownscaleStabilizationWindow.Seconds())
		b.ScaleDown.StabilizationWindowSeconds = &w
	}
	up, down := b.ScaleUp, b.ScaleDown
	stabilized, reason, message := hc.stabilizeWithBehaviors(key, now, up, down, currentReplicas, prenormalized)
	if stabilized != prenormalized {
		setCondition(h, now, autoscalingv2.AbleToScale, corev1.ConditionTrue, reason, "%s", message)
	} else {
		setCondition(h, now, autoscalingv2.AbleToScale, corev1.ConditionTrue, "ReadyForNewScale", "recommended size matches current size")
	}
	desired, reason, message := hc.convertWithBehaviorRate(key, now, up, down, minReplicas, h.Spec.MaxReplicas, currentReplicas, stabilized)
	status := corev1.ConditionTrue
	if desired == stabilized {
		status = corev1.ConditionFalse
	}
	setCondition(h, now, autoscalingv2.ScalingLimited, status, reason, "%s", message)
	return desired
}

// stabilizeWithBehaviors keeps the recommendation between the lowest of the scale-up
// window's and the highest of the scale-down window's, and records it.
func (hc *Controller) stabilizeWithBehaviors(key string, now time.Time, up, down *autoscalingv2.HPAScalingRules, currentReplicas, desired int32) (int32, string, string) {
	upCutoff := now.Add(-time.Duration(*up.StabilizationWindowSeconds) * time.Second)
	downCutoff := now.Add(-time.Duration(*down.StabilizationWindowSeconds) * time.Second)
	upRec, downRec := desired, desired
	recs := hc.recommendations[key]
	old := -1
	for i, rec := range recs {
		if rec.timestamp.After(upCutoff) {
			upRec = min(rec.recommendation, upRec)
		}
		if rec.timestamp.After(downCutoff) {
			downRec = max(rec.recommendation, downRec)
		}
		if rec.timestamp.Before(upCutoff) && rec.timestamp.Before(downCutoff) {
			old = i
		}
	}
	recommendation := max(currentReplicas, upRec)
	recommendation = min(recommendation, downRec)
	if old >= 0 {
		recs[old] = timestampedRecommendation{desired, now}
	} else {
		hc.recommendations[key] = append(recs, timestampedRecommendation{desired, now})
	}
	if desired >= currentReplicas {
		return recommendation, "ScaleUpStabilized", "recent recommendations were lower than current one, applying the lowest recent recommendation"
	}
	return recommendation, "ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation"
}

// convertWithBehaviorRate holds the change within what the policies allow in their periods.
func (hc *Controller) convertWithBehaviorRate(key string, now time.Time, up, down *autoscalingv2.HPAScalingRules, minReplicas, maxReplicas, currentReplicas, desired int32) (int32, string, string) {
	ups, downs := hc.scaleUpEvents[key], hc.scaleDownEvents[key]
	switch {
	case desired > currentReplicas:
		limit := max(scaleLimit(now, currentReplicas, ups, downs, up, true), currentReplicas)
		maximum, reason, message := maxReplicas, "TooManyReplicas", "the desired replica count is more than the maximum replica count"
		if maximum > limit {
			maximum, reason, message = limit, "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate"
		}
		if desired > maximum {
			return maximum, reason, message
		}
	case desired < currentReplicas:
		limit := min(scaleLimit(now, currentReplicas, ups, downs, down, false), currentReplicas)
		minimum, reason, message := minReplicas, "TooFewReplicas", "the desired replica count is less than the minimum replica count"
		if minimum < limit {
			minimum, reason, message = limit, "ScaleDownLimit", "the desired replica count is decreasing faster than the maximum scale rate"
		}
		if desired < minimum {
			return minimum, reason, message
		}
	}
	return desired, "DesiredWithinRange", "the desired count is within the acceptable range"
}

// scaleLimit is calculateScaleUpLimitWithScalingRules (up) or
// calculateScaleDownLimitWithBehaviors: the furthest the policies let the replicas go.
func scaleLimit(now time.Time, currentReplicas int32, ups, downs []timestampedScaleEvent, rules *autoscalingv2.HPAScalingRules, up bool) int32 {
	if *rules.SelectPolicy == autoscalingv2.DisabledPolicySelect {
		return currentReplicas
	}
	// The Max policy allows the biggest change: the highest limit up, the lowest down.
	biggest := *rules.SelectPolicy != autoscalingv2.MinChangePolicySelect
	pick := func(a, b int32) int32 {
		if biggest == up {
			return max(a, b)
		}
		return min(a, b)
	}
	result := int32(math.MaxInt32)
	if biggest == up {
		result = math.MinInt32
	}
	for _, p := range rules.Policies {
		start := currentReplicas - changeInPeriod(now, p.PeriodSeconds, ups) + changeInPeriod(now, p.PeriodSeconds, downs)
		var proposed int32
		switch {
		case p.Type == autoscalingv2.PodsScalingPolicy && up:
			proposed = start + p.Value
		case p.Type == autoscalingv2.PodsScalingPolicy:
			proposed = start - p.Value
		case up:
			proposed = int32(math.Ceil(float64(start) * (1 + float64(p.Value)/100)))
		default:
			proposed = int32(float64(start) * (1 - float64(p.Value)/100))
		}
		result = pick(result, proposed)
	}
	return result
}

func changeInPeriod(now time.Time, periodSeconds int32, events []timestampedScaleEvent) int32 {
	cutoff := now.Add(-time.Duration(periodSeconds) * time.Second)
	var n int32
	for _, e := range events {
		if e.timestamp.After(cutoff) {
			n += e.replicaChange
		}
	}
	return n
}

// storeScaleEvent remembers a rescale of an HPA with behavior, reusing an entry older than
// the longest policy period.
func (hc *Controller) storeScaleEvent(b *autoscalingv2.HorizontalPodAutoscalerBehavior, key string, now time.Time, prev, next int32) {
	if b == nil {
		return
	}
	events, rules, change := hc.scaleUpEvents, b.ScaleUp, next-prev
	if next <= prev {
		events, rules, change = hc.scaleDownEvents, b.ScaleDown, prev-next
	}
	var longest int32
	for _, p := range rules.Policies {
		longest = max(longest, p.PeriodSeconds)
	}
	cutoff := now.Add(-time.Duration(longest) * time.Second)
	list := events[key]
	old := -1
	for i := range list {
		if list[i].timestamp.Before(cutoff) {
			list[i].outdated = true
		}
		if list[i].outdated {
			old = i
		}
	}
	e := timestampedScaleEvent{change, now, false}
	if old >= 0 {
		list[old] = e
	} else {
		events[key] = append(list, e)
	}
}
