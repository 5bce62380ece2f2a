package api

import (
	"math"
	"slices"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func ptrTo[T any](v T) *T { return &v }

// Default applies the API server's defaulting (pkg/apis/{core,apps,batch}/v1/defaults.go) to
// an object about to be created or updated, in place.
func Default(obj Object) {
	switch o := obj.(type) {
	case *corev1.Pod:
		defaultPodSpec(&o.Spec)
		defaultPodOnly(o)
	case *corev1.ReplicationController:
		defaultReplicationController(o)
	case *appsv1.ReplicaSet:
		if o.Spec.Replicas == nil {
			o.Spec.Replicas = ptrTo[int32](1)
		}
		defaultPodSpec(&o.Spec.Template.Spec)
	case *appsv1.DaemonSet:
		defaultDaemonSet(o)
	case *appsv1.Deployment:
		defaultDeployment(o)
	case *batchv1.Job:
		defaultJob(o)
	case *batchv1.CronJob:
		defaultCronJob(o)
	case *corev1.Namespace:
		if o.Status.Phase == "" {
			o.Status.Phase = corev1.NamespaceActive
		}
	case *corev1.Service:
		defaultService(o)
	case *corev1.ConfigMap:
		o.Data, o.BinaryData = nilIfEmpty(o.Data), nilIfEmpty(o.BinaryData)
	case *corev1.Secret:
		defaultSecret(o)
	//lint:ignore SA1019 v1 Endpoints are deprecated and still served
	case *corev1.Endpoints:
		defaultEndpoints(o)
	case *discoveryv1.EndpointSlice:
		defaultEndpointSlice(o)
	}
}

// defaultSecret is what the API server does to a Secret it decodes: the v1 conversion
// merges stringData into data (stringData wins) and drops it, as the internal type has no
// stringData, then SetDefaults_Secret makes the type Opaque.
func defaultSecret(s *corev1.Secret) {
	if len(s.StringData) > 0 {
		data := make(map[string][]byte, len(s.Data)+len(s.StringData))
		for k, v := range s.Data {
			data[k] = v
		}
		for k, v := range s.StringData {
			data[k] = []byte(v)
		}
		s.Data = data
	}
	s.StringData = nil
	s.Data = nilIfEmpty(s.Data)
	if s.Type == "" {
		s.Type = corev1.SecretTypeOpaque
	}
}

// nilIfEmpty is an empty map as the API server stores it (omitempty): absent. A Secret or
// ConfigMap compared with its stored version (immutable) must not differ by nil against
// empty.
func nilIfEmpty[V any](m map[string]V) map[string]V {
	if len(m) == 0 {
		return nil
	}
	return m
}

func defaultReplicationController(rc *corev1.ReplicationController) {
	if t := rc.Spec.Template; t != nil {
		if len(rc.Spec.Selector) == 0 && len(t.Labels) > 0 {
			rc.Spec.Selector = copyLabels(t.Labels)
		}
		if len(rc.Labels) == 0 && len(t.Labels) > 0 {
			rc.Labels = copyLabels(t.Labels)
		}
		defaultPodSpec(&t.Spec)
	}
	if rc.Spec.Replicas == nil {
		rc.Spec.Replicas = ptrTo[int32](1)
	}
}

func defaultDaemonSet(ds *appsv1.DaemonSet) {
	s := &ds.Spec.UpdateStrategy
	if s.Type == "" {
		s.Type = appsv1.RollingUpdateDaemonSetStrategyType
	}
	if s.Type == appsv1.RollingUpdateDaemonSetStrategyType {
		if s.RollingUpdate == nil {
			s.RollingUpdate = &appsv1.RollingUpdateDaemonSet{}
		}
		if s.RollingUpdate.MaxUnavailable == nil {
			s.RollingUpdate.MaxUnavailable = ptrTo(intstr.FromInt32(1))
		}
		if s.RollingUpdate.MaxSurge == nil {
			s.RollingUpdate.MaxSurge = ptrTo(intstr.FromInt32(0))
		}
	}
	if ds.Spec.RevisionHistoryLimit == nil {
		ds.Spec.RevisionHistoryLimit = ptrTo[int32](10)
	}
	defaultPodSpec(&ds.Spec.Template.Spec)
}

func defaultDeployment(d *appsv1.Deployment) {
	if d.Spec.Replicas == nil {
		d.Spec.Replicas = ptrTo[int32](1)
	}
	s := &d.Spec.Strategy
	if s.Type == "" {
		s.Type = appsv1.RollingUpdateDeploymentStrategyType
	}
	if s.Type == appsv1.RollingUpdateDeploymentStrategyType {
		if s.RollingUpdate == nil {
			s.RollingUpdate = &appsv1.RollingUpdateDeployment{}
		}
		if s.RollingUpdate.MaxUnavailable == nil {
			s.RollingUpdate.MaxUnavailable = ptrTo(intstr.FromString("25%"))
		}
		if s.RollingUpdate.MaxSurge == nil {
			s.RollingUpdate.MaxSurge = ptrTo(intstr.FromString("25%"))
		}
	}
	if d.Spec.RevisionHistoryLimit == nil {
		d.Spec.RevisionHistoryLimit = ptrTo[int32](10)
	}
	if d.Spec.ProgressDeadlineSeconds == nil {
		d.Spec.ProgressDeadlineSeconds = ptrTo[int32](600)
	}
	defaultPodSpec(&d.Spec.Template.Spec)
}

func defaultJob(j *batchv1.Job) {
	s := &j.Spec
	if s.Completions == nil && s.Parallelism == nil {
		s.Completions = ptrTo[int32](1)
		s.Parallelism = ptrTo[int32](1)
	}
	if s.Parallelism == nil {
		s.Parallelism = ptrTo[int32](1)
	}
	if s.BackoffLimit == nil {
		if s.BackoffLimitPerIndex != nil {
			s.BackoffLimit = ptrTo[int32](math.MaxInt32)
		} else {
			s.BackoffLimit = ptrTo[int32](6)
		}
	}
	if len(j.Labels) == 0 && len(s.Template.Labels) > 0 {
		j.Labels = copyLabels(s.Template.Labels)
	}
	if s.CompletionMode == nil {
		s.CompletionMode = ptrTo(batchv1.NonIndexedCompletion)
	}
	if s.Suspend == nil {
		s.Suspend = ptrTo(false)
	}
	if p := s.PodFailurePolicy; p != nil {
		for i := range p.Rules {
			for k := range p.Rules[i].OnPodConditions {
				if p.Rules[i].OnPodConditions[k].Status == "" {
					p.Rules[i].OnPodConditions[k].Status = corev1.ConditionTrue
				}
			}
		}
	}
	if s.PodReplacementPolicy == nil {
		if s.PodFailurePolicy != nil {
			s.PodReplacementPolicy = ptrTo(batchv1.Failed)
		} else {
			s.PodReplacementPolicy = ptrTo(batchv1.TerminatingOrFailed)
		}
	}
	if s.ManualSelector == nil {
		s.ManualSelector = ptrTo(false)
	}
	defaultPodSpec(&s.Template.Spec)
}

// Labels the API server puts on a Job's pod template and selector (pkg/apis/batch/types.go).
const (
	LabelControllerUID       = "batch.kubernetes.io/controller-uid"
	LabelJobName             = "batch.kubernetes.io/job-name"
	LegacyLabelControllerUID = "controller-uid"
	LegacyLabelJobName       = "job-name"
)

// DefaultJobSelector generates a Job's selector and template labels from its UID and name, as
// the job registry strategy does on create (generateSelector): labels the template already
// has are kept (validation refuses a conflict). The API server calls it after it has set the
// UID (which does not exist at Default time). A Job with manualSelector: true is left alone.
func DefaultJobSelector(job *batchv1.Job) {
	if job.Spec.ManualSelector != nil && *job.Spec.ManualSelector {
		return
	}
	uid := string(job.UID)
	if job.Spec.Template.Labels == nil {
		job.Spec.Template.Labels = map[string]string{}
	}
	l := job.Spec.Template.Labels
	for k, v := range map[string]string{LegacyLabelJobName: job.Name, LabelJobName: job.Name, LegacyLabelControllerUID: uid, LabelControllerUID: uid} {
		if _, found := l[k]; !found {
			l[k] = v
		}
	}
	if job.Spec.Selector == nil {
		job.Spec.Selector = &metav1.LabelSelector{}
	}
	if job.Spec.Selector.MatchLabels == nil {
		job.Spec.Selector.MatchLabels = map[string]string{}
	}
	if _, ok := job.Spec.Selector.MatchLabels[LabelControllerUID]; !ok {
		job.Spec.Selector.MatchLabels[LabelControllerUID] = uid
	}
}

func defaultCronJob(cj *batchv1.CronJob) {
	s := &cj.Spec
	if s.ConcurrencyPolicy == "" {
		s.ConcurrencyPolicy = batchv1.AllowConcurrent
	}
	if s.Suspend == nil {
		s.Suspend = ptrTo(false)
	}
	if s.SuccessfulJobsHistoryLimit == nil {
		s.SuccessfulJobsHistoryLimit = ptrTo[int32](3)
	}
	if s.FailedJobsHistoryLimit == nil {
		s.FailedJobsHistoryLimit = ptrTo[int32](1)
	}
	// Upstream defaults only the pod template inside the job template; the Job-level fields
	// (completions, backoffLimit, ...) are defaulted when the CronJob controller creates a Job.
	defaultPodSpec(&s.JobTemplate.Spec.Template.Spec)
}

func copyLabels(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func defaultPodSpec(s *corev1.PodSpec) {
	if s.DNSPolicy == "" {
		s.DNSPolicy = corev1.DNSClusterFirst
	}
	if s.RestartPolicy == "" {
		s.RestartPolicy = corev1.RestartPolicyAlways
	}
	if s.SecurityContext == nil {
		s.SecurityContext = &corev1.PodSecurityContext{}
	}
	if s.TerminationGracePeriodSeconds == nil {
		s.TerminationGracePeriodSeconds = ptrTo[int64](corev1.DefaultTerminationGracePeriodSeconds)
	}
	if s.SchedulerName == "" {
		s.SchedulerName = corev1.DefaultSchedulerName
	}
	for i := range s.InitContainers {
		defaultContainer(&s.InitContainers[i])
	}
	for i := range s.Containers {
		defaultContainer(&s.Containers[i])
	}
	for i := range s.Volumes {
		defaultVolume(&s.Volumes[i])
	}
}

func defaultVolume(v *corev1.Volume) {
	vs := &v.VolumeSource
	switch {
	case vs.ConfigMap != nil:
		if vs.ConfigMap.DefaultMode == nil {
			vs.ConfigMap.DefaultMode = ptrTo(corev1.ConfigMapVolumeSourceDefaultMode)
		}
	case vs.Secret != nil:
		if vs.Secret.DefaultMode == nil {
			vs.Secret.DefaultMode = ptrTo(corev1.SecretVolumeSourceDefaultMode)
		}
	case vs.HostPath != nil:
		if vs.HostPath.Type == nil {
			vs.HostPath.Type = ptrTo(corev1.HostPathUnset)
		}
	case *vs == (corev1.VolumeSource{}):
		vs.EmptyDir = &corev1.EmptyDirVolumeSource{}
	}
}

func defaultContainer(c *corev1.Container) {
	if c.TerminationMessagePath == "" {
		c.TerminationMessagePath = corev1.TerminationMessagePathDefault
	}
	if c.TerminationMessagePolicy == "" {
		c.TerminationMessagePolicy = corev1.TerminationMessageReadFile
	}
	if c.ImagePullPolicy == "" {
		c.ImagePullPolicy = DefaultImagePullPolicy(c.Image)
	}
	for i := range c.Ports {
		if c.Ports[i].Protocol == "" {
			c.Ports[i].Protocol = corev1.ProtocolTCP
		}
	}
	for i := range c.Env {
		if vf := c.Env[i].ValueFrom; vf != nil && vf.FieldRef != nil && vf.FieldRef.APIVersion == "" {
			vf.FieldRef.APIVersion = "v1"
		}
	}
	defaultProbe(c.LivenessProbe)
	defaultProbe(c.ReadinessProbe)
	defaultProbe(c.StartupProbe)
	if l := c.Lifecycle; l != nil {
		if l.PostStart != nil {
			defaultHTTPGet(l.PostStart.HTTPGet)
		}
		if l.PreStop != nil {
			defaultHTTPGet(l.PreStop.HTTPGet)
		}
	}
}

// DefaultImagePullPolicy is Always for an image with the `latest` tag or no tag (and no
// digest), IfNotPresent otherwise.
func DefaultImagePullPolicy(image string) corev1.PullPolicy {
	if strings.Contains(image, "@") {
		return corev1.PullIfNotPresent
	}
	name := image
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	_, tag, hasTag := strings.Cut(name, ":")
	if !hasTag || tag == "latest" {
		return corev1.PullAlways
	}
	return corev1.PullIfNotPresent
}

func defaultProbe(p *corev1.Probe) {
	if p == nil {
		return
	}
	if p.TimeoutSeconds == 0 {
		p.TimeoutSeconds = 1
	}
	if p.PeriodSeconds == 0 {
		p.PeriodSeconds = 10
	}
	if p.SuccessThreshold == 0 {
		p.SuccessThreshold = 1
	}
	if p.FailureThreshold == 0 {
		p.FailureThreshold = 3
	}
	defaultHTTPGet(p.HTTPGet)
}

func defaultHTTPGet(h *corev1.HTTPGetAction) {
	if h == nil {
		return
	}
	if h.Path == "" {
		h.Path = "/"
	}
	if h.Scheme == "" {
		h.Scheme = corev1.URISchemeHTTP
	}
}

// defaultPodOnly is what SetDefaults_Pod adds beyond SetDefaults_PodSpec: pods get it, pod
// templates do not (a template's enableServiceLinks stays unset, and the Deployment's
// pod-template-hash, computed over the whole template, depends on that).
func defaultPodOnly(pod *corev1.Pod) {
	if pod.Spec.EnableServiceLinks == nil {
		pod.Spec.EnableServiceLinks = ptrTo(corev1.DefaultEnableServiceLinks)
	}
	// SetDefaults_Pod, not the template's defaulting: limits without requests make the
	// requests (a Deployment's template keeps only its limits, and its pod-template-hash
	// is computed over them).
	for _, cs := range [][]corev1.Container{pod.Spec.InitContainers, pod.Spec.Containers} {
		for i := range cs {
			r := &cs[i].Resources
			if len(r.Limits) == 0 {
				continue
			}
			if r.Requests == nil {
				r.Requests = corev1.ResourceList{}
			}
			for name, q := range r.Limits {
				if _, ok := r.Requests[name]; !ok {
					r.Requests[name] = q.DeepCopy()
				}
			}
		}
	}
}

// Taint keys of the node lifecycle controller, tolerated for 300 s by every pod.
const (
	TaintNodeNotReady    = "node.kubernetes.io/not-ready"
	TaintNodeUnreachable = "node.kubernetes.io/unreachable"
)

// AdmitPod applies what the default admission plugins add to a pod being created (not to pod
// templates): DefaultTolerationSeconds (not-ready and unreachable NoExecute tolerations for
// 300 s, unless the pod already tolerates them), ServiceAccount (serviceAccountName
// "default", and the projected token volume: MountServiceAccountToken, which the API server
// calls with its random names) and Priority (priority 0, preemptionPolicy
// PreemptLowerPriority).
func AdmitPod(pod *corev1.Pod) {
	// Pods that controllers create from templates are defaulted here too, as the API server
	// defaults every pod it stores.
	defaultPodOnly(pod)
	s := &pod.Spec
	notReady, unreachable := false, false
	for _, t := range s.Tolerations {
		noExecute := t.Effect == corev1.TaintEffectNoExecute || t.Effect == ""
		if (t.Key == TaintNodeNotReady || t.Key == "") && noExecute {
			notReady = true
		}
		if (t.Key == TaintNodeUnreachable || t.Key == "") && noExecute {
			unreachable = true
		}
	}
	if !notReady {
		s.Tolerations = append(s.Tolerations, corev1.Toleration{Key: TaintNodeNotReady, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptrTo[int64](300)})
	}
	if !unreachable {
		s.Tolerations = append(s.Tolerations, corev1.Toleration{Key: TaintNodeUnreachable, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptrTo[int64](300)})
	}
	if s.ServiceAccountName == "" {
		s.ServiceAccountName = "default"
	}
	if s.DeprecatedServiceAccount == "" {
		s.DeprecatedServiceAccount = s.ServiceAccountName
	}
	if s.Priority == nil && s.PriorityClassName == "" {
		s.Priority = ptrTo[int32](0)
	}
	if s.PreemptionPolicy == nil {
		s.PreemptionPolicy = ptrTo(corev1.PreemptLowerPriority)
	}
}

// The ServiceAccount admission plugin's token volume (plugin/pkg/admission/serviceaccount).
const (
	ServiceAccountVolumePrefix = "kube-api-access-"
	ServiceAccountMountPath    = "/var/run/secrets/kubernetes.io/serviceaccount"
	// ServiceAccountTokenExpirationSeconds is the token's lifetime the volume asks for
	// (WarnOnlyBoundTokenExpirationSeconds: one hour and seven seconds).
	ServiceAccountTokenExpirationSeconds = 3607
	// RootCAConfigMap holds the cluster's CA certificate in every namespace.
	RootCAConfigMap = "kube-root-ca.crt"
)

// MountServiceAccountToken is the ServiceAccount admission plugin's token volume: unless
// the pod opts out (automountServiceAccountToken: false), every container and init container
// that mounts nothing at /var/run/secrets/kubernetes.io/serviceaccount mounts, read-only, a
// projected volume kube-api-access-xxxxx (the suffix from volumeSuffix) of the token, the
// kube-root-ca.crt ConfigMap's ca.crt and the pod's namespace. A pod that already has a
// kube-api-access-* volume keeps it.
func MountServiceAccountToken(pod *corev1.Pod, volumeSuffix func() string) {
	s := &pod.Spec
	if s.AutomountServiceAccountToken != nil && !*s.AutomountServiceAccountToken {
		return
	}
	name, has := "", false
	for _, v := range s.Volumes {
		if strings.HasPrefix(v.Name, ServiceAccountVolumePrefix) {
			name, has = v.Name, true
			break
		}
	}
	mount := func(cs []corev1.Container) bool {
		needs := false
		for i := range cs {
			if slices.ContainsFunc(cs[i].VolumeMounts, func(m corev1.VolumeMount) bool { return m.MountPath == ServiceAccountMountPath }) {
				continue
			}
			if name == "" {
				name = ServiceAccountVolumePrefix + volumeSuffix()
			}
			cs[i].VolumeMounts = append(cs[i].VolumeMounts, corev1.VolumeMount{Name: name, ReadOnly: true, MountPath: ServiceAccountMountPath})
			needs = true
		}
		return needs
	}
	needs := mount(s.InitContainers)
	needs = mount(s.Containers) || needs
	if has || !needs {
		return
	}
	s.Volumes = append(s.Volumes, corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{Projected: newServiceAccountVolume()}})
}

// serviceAccountVolume holds the parts of a kube-api-access volume's source, so that every
// pod's is one allocation instead of a dozen. Each pod has its own (stored objects are
// never mutated, but nothing is shared between pods either); every slice is full, so an
// append copies it.
type serviceAccountVolume struct {
	projected     corev1.ProjectedVolumeSource
	sources       [3]corev1.VolumeProjection
	token         corev1.ServiceAccountTokenProjection
	configMap     corev1.ConfigMapProjection
	caItems       [1]corev1.KeyToPath
	downwardAPI   corev1.DownwardAPIProjection
	downwardItems [1]corev1.DownwardAPIVolumeFile
	fieldRef      corev1.ObjectFieldSelector
	mode          int32
	expiration    int64
}

// newServiceAccountVolume is the projection of the token, the kube-root-ca.crt ConfigMap's
// ca.crt and the pod's namespace.
func newServiceAccountVolume() *corev1.ProjectedVolumeSource {
	v := &serviceAccountVolume{mode: corev1.ProjectedVolumeSourceDefaultMode, expiration: ServiceAccountTokenExpirationSeconds}
	v.token = corev1.ServiceAccountTokenProjection{Path: "token", ExpirationSeconds: &v.expiration}
	v.caItems[0] = corev1.KeyToPath{Key: "ca.crt", Path: "ca.crt"}
	v.configMap = corev1.ConfigMapProjection{LocalObjectReference: corev1.LocalObjectReference{Name: RootCAConfigMap}, Items: v.caItems[:]}
	v.fieldRef = corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "metadata.namespace"}
	v.downwardItems[0] = corev1.DownwardAPIVolumeFile{Path: "namespace", FieldRef: &v.fieldRef}
	v.downwardAPI = corev1.DownwardAPIProjection{Items: v.downwardItems[:]}
	v.sources = [3]corev1.VolumeProjection{{ServiceAccountToken: &v.token}, {ConfigMap: &v.configMap}, {DownwardAPI: &v.downwardAPI}}
	v.projected = corev1.ProjectedVolumeSource{DefaultMode: &v.mode, Sources: v.sources[:]}
	return &v.projected
}
