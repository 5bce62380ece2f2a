package kubelet

import (
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
)

var servicesResource = api.ResourceByName("services")

// serviceEnvironment is getServiceEnvVarMap and envvars.FromServices: the variables a
// container starts with for the Services that exist at that moment (the Service
// environment variables and the Docker-link-style ones), for the `kubernetes` Service
// always and for the pod's namespace's Services unless enableServiceLinks is false;
// Services without a cluster IP have none. The container's own env and envFrom override
// them, and $(VAR) references see them.
func (r *podRuntime) serviceEnvironment(pod *corev1.Pod) map[string]string {
	env := map[string]string{}
	links := pod.Spec.EnableServiceLinks == nil || *pod.Spec.EnableServiceLinks
	add := func(svc *corev1.Service) {
		if !api.ServiceIPSet(svc) || len(svc.Spec.Ports) == 0 {
			return
		}
		prefix := envVarName(svc.Name)
		ip := svc.Spec.ClusterIP
		env[prefix+"_SERVICE_HOST"] = ip
		env[prefix+"_SERVICE_PORT"] = strconv.Itoa(int(svc.Spec.Ports[0].Port))
		for _, p := range svc.Spec.Ports {
			if p.Name != "" {
				env[prefix+"_SERVICE_PORT_"+envVarName(p.Name)] = strconv.Itoa(int(p.Port))
			}
		}
		for i, p := range svc.Spec.Ports {
			proto := string(p.Protocol)
			if proto == "" {
				proto = string(corev1.ProtocolTCP)
			}
			url := strings.ToLower(proto) + "://" + ip + ":" + strconv.Itoa(int(p.Port))
			if i == 0 {
				env[prefix+"_PORT"] = url
			}
			pp := prefix + "_PORT_" + strconv.Itoa(int(p.Port)) + "_" + strings.ToUpper(proto)
			env[pp] = url
			env[pp+"_PROTO"] = strings.ToLower(proto)
			env[pp+"_PORT"] = strconv.Itoa(int(p.Port))
			env[pp+"_ADDR"] = ip
		}
	}
	store := r.k.m.c.Store
	if links {
		store.Each(servicesResource, pod.Namespace, func(o api.Object) bool {
			if svc := o.(*corev1.Service); pod.Namespace != metav1.NamespaceDefault || svc.Name != "kubernetes" {
				add(svc)
			}
			return true
		})
	}
	if o := store.Lookup(servicesResource, metav1.NamespaceDefault, "kubernetes"); o != nil {
		add(o.(*corev1.Service))
	}
	return env
}

// envVarName is makeEnvVariableName: upper case, dashes as underscores.
func envVarName(s string) string {
	return strings.ToUpper(strings.ReplaceAll(s, "-", "_"))
}
