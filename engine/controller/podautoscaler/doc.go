// Package podautoscaler is the HorizontalPodAutoscaler controller (autoscaling/v2, component
// `horizontal-pod-autoscaler`), after upstream's pkg/controller/podautoscaler (v1.37,
// reconcileAutoscaler and the replica calculator).
//
// It owns: syncing each HPA when it is created or its spec changes, then every SyncPeriod (15 s
// of virtual time, the controller manager's --horizontal-pod-autoscaler-sync-period); reading
// the scale of the target (a Deployment, ReplicaSet or ReplicationController: spec.replicas,
// status.replicas and the selector) and writing spec.replicas back, as the scale subresource
// does; holding the replicas within minReplicas and maxReplicas ("Current number of replicas
// below Spec.MinReplicas"); computing the desired replicas of Resource and ContainerResource
// metrics (utilization of the pods' requests, or an average value) with upstream's tolerance
// (10 %), its treatment of unready and missing pods, its scale-up limit (twice the replicas,
// at least 4) or the HPA's behavior (policies, select policy, stabilization windows), and the
// downscale stabilization window (5 minutes) over its recommendations; the AbleToScale,
// ScalingActive, ScalingLimited and ScaledToZero conditions and the status; and the events
// upstream writes (SuccessfulRescale, FailedGetScale, FailedGetResourceMetric,
// FailedComputeMetricsReplicas, FailedRescale, SelectorRequired, InvalidSelector).
//
// The resource metrics come from a ResourceMetrics (engine/metrics, kubetab's metrics-server);
// without one, or while it does not serve, every resource metric fails as on a cluster
// without metrics-server. Pods, Object and External metrics need a custom or external metrics
// API, which kubetab has none of: they fail likewise. Two HPAs that select the same pods are
// not detected (upstream's AmbiguousSelector).
//
// It imports sim, store, events, api and apiserver; it must not import other controllers,
// the kubelet or engine/metrics (the metrics source is an interface, wired in engine/cluster).
// Its recommendations and scale events are kept in memory, keyed by HPA, as upstream keeps
// them; they are a function of the syncs so far, so a replayed journal rebuilds them.
package podautoscaler
