package kubelet

import (
	"slices"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubetab/kubetab/engine/api"
)

var servicesResource = api.ResourceByName("services")

// serviceEnvironment is getServiceEnvVarMap and envvars.FromServices: the variables a
// container starts with for the Services that exist at that moment (the Service
// environment variables and the Docker-link-style ones), for the `kubernetes` Service
// always and for the pod's namespace's Services unless enableServiceLinks is false;
// Services without a cluster IP have none. The container's own env and envFrom override
// them, and $(VAR) references see them.
//
// The map is shared, read only, by the containers that start while the same versions of the
// same Services exist (most containers add no variables of their own: a ReplicaSet's
// thousands of pods then keep one map); containerEnvironment copies it before adding.
func (r *podRuntime) serviceEnvironment(pod *corev1.Pod) map[string]string {
	m := r.k.m
	links := pod.Spec.EnableServiceLinks == nil || *pod.Spec.EnableServiceLinks
	// found is gathered into the manager's scratch slice, copied only to be kept.
	found := m.servicesFound[:0]
	defer func() { clear(found); m.servicesFound = found[:0] }()
	store := m.c.Store
	if links {
		store.Each(servicesResource, pod.Namespace, func(o api.Object) bool {
			if svc := o.(*corev1.Service); pod.Namespace != metav1.NamespaceDefault || svc.Name != "kubernetes" {
				found = append(found, svc)
			}
			return true
		})
	}
	if o := store.Lookup(servicesResource, metav1.NamespaceDefault, "kubernetes"); o != nil {
		found = append(found, o.(*corev1.Service))
	}
	envKey := serviceEnvKey{pod.Namespace, links}
	if cached := m.serviceEnvs[envKey]; cached != nil && slices.Equal(cached.services, found) {
		return cached.env
	}
	n := 0
	lists := make([][]envVar, len(found))
	for i, svc := range found {
		lists[i] = m.serviceVarsOf(svc)
		n += len(lists[i])
	}
	env := make(map[string]string, n)
	for _, l := range lists {
		for _, v := range l {
			env[v.name] = v.value
		}
	}
	if m.serviceEnvs == nil || len(m.serviceEnvs) >= maxServiceVars {
		// Namespaces gone leave entries behind; starting over now and then bounds them.
		m.serviceEnvs = map[serviceEnvKey]*serviceEnv{}
	}
	m.serviceEnvs[envKey] = &serviceEnv{slices.Clone(found), env}
	return env
}

// serviceEnvKey and serviceEnv are a namespace's last Service environment: the Services
// (their stored versions: a new version is a new object) and the variables they made.
type serviceEnvKey struct {
	namespace string
	links     bool
}

type serviceEnv struct {
	services []*corev1.Service
	env      map[string]string
}

type envVar struct{ name, value string }

// serviceVarsOf is the variables one Service gives a container. They are kept per version of
// the Service: every container of every pod in the namespace starts with them.
func (m *Manager) serviceVarsOf(svc *corev1.Service) []envVar {
	if got, ok := m.serviceVars[svc.UID]; ok && got.resourceVersion == svc.ResourceVersion {
		return got.vars
	}
	var vars []envVar
	add := func(name, value string) { vars = append(vars, envVar{name, value}) }
	if api.ServiceIPSet(svc) && len(svc.Spec.Ports) > 0 {
		prefix := envVarName(svc.Name)
		ip := svc.Spec.ClusterIP
		add(prefix+"_SERVICE_HOST", ip)
		add(prefix+"_SERVICE_PORT", strconv.Itoa(int(svc.Spec.Ports[0].Port)))
		for _, p := range svc.Spec.Ports {
			if p.Name != "" {
				add(prefix+"_SERVICE_PORT_"+envVarName(p.Name), strconv.Itoa(int(p.Port)))
			}
		}
		for i, p := range svc.Spec.Ports {
			proto := string(p.Protocol)
			if proto == "" {
				proto = string(corev1.ProtocolTCP)
			}
			url := strings.ToLower(proto) + "://" + ip + ":" + strconv.Itoa(int(p.Port))
			if i == 0 {
				add(prefix+"_PORT", url)
			}
			pp := prefix + "_PORT_" + strconv.Itoa(int(p.Port)) + "_" + strings.ToUpper(proto)
			add(pp, url)
			add(pp+"_PROTO", strings.ToLower(proto))
			add(pp+"_PORT", strconv.Itoa(int(p.Port)))
			add(pp+"_ADDR", ip)
		}
	}
	if m.serviceVars == nil || len(m.serviceVars) >= maxServiceVars {
		// Deleted Services leave entries behind; starting over now and then bounds them.
		m.serviceVars = map[types.UID]serviceVars{}
	}
	m.serviceVars[svc.UID] = serviceVars{svc.ResourceVersion, vars}
	return vars
}

const maxServiceVars = 4096

type serviceVars struct {
	resourceVersion string
	vars            []envVar
}

// envVarName is makeEnvVariableName: upper case, dashes as underscores.
func envVarName(s string) string {
	return strings.ToUpper(strings.ReplaceAll(s, "-", "_"))
}
