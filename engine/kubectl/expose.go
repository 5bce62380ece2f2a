package kubectl

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kubetab/kubetab/engine/api"
)

// exposeOptions are kubectl expose's (pkg/cmd/expose): a Service for a pod, a Service, a
// ReplicationController, a ReplicaSet or a Deployment, whose selector, ports and labels it
// takes unless the flags say otherwise.
type exposeOptions struct {
	plainArgs
	resourceFlags
	Output, DryRun                                 string
	Protocol, Port, Type, LoadBalancerIP, Selector string
	Labels, TargetPort, ExternalIP, Name           string
	SessionAffinity, ClusterIP                     string
	SaveConfig                                     bool
}

var exposeCommand = &command{
	name:  "expose",
	short: "Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service",
	usage: "expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type]",
	options: func(fs *flagSet) commandOptions {
		o := &exposeOptions{}
		fs.String(&o.Protocol, "protocol", "", "")
		fs.String(&o.Port, "port", "", "")
		fs.String(&o.Type, "type", "", "")
		fs.String(&o.LoadBalancerIP, "load-balancer-ip", "", "")
		fs.String(&o.Selector, "selector", "", "")
		fs.String(&o.Labels, "labels", "l", "")
		fs.String(&o.TargetPort, "target-port", "", "")
		fs.String(&o.ExternalIP, "external-ip", "", "")
		fs.String(&o.Name, "name", "", "")
		fs.String(&o.SessionAffinity, "session-affinity", "", "")
		fs.String(&o.ClusterIP, "cluster-ip", "", "")
		fs.Bool(&o.SaveConfig, "save-config", "", false)
		fs.String(&o.Output, "output", "o", "")
		addDryRun(fs, &o.DryRun)
		o.filenameFlags.add(fs)
		return o
	},
}

func (o *exposeOptions) readOnly() bool { return !dryRunWrites(o.DryRun) }

func (o *exposeOptions) run(e *env) error {
	r, err := e.resources(resourceRequest{resourceFlags: o.resourceFlags, args: o.args})
	if err != nil {
		return err
	}
	for _, info := range r.infos {
		if info.err != nil {
			return info.err
		}
		if err := o.expose(e, info.obj); err != nil {
			return err
		}
	}
	return nil
}

// expose makes and creates the Service for one object, as RunExpose's visitor does.
func (o *exposeOptions) expose(e *env, obj api.Object) error {
	x := *o // each object starts from the flags
	switch obj.(type) {
	case *corev1.ReplicationController, *corev1.Service, *corev1.Pod, *appsv1.Deployment, *appsv1.ReplicaSet:
	default:
		return fmt.Errorf("cannot expose a %s", api.GroupKindOf(obj))
	}
	defaultName := obj.GetName()
	if len(defaultName) > validation.DNS1035LabelMaxLength {
		defaultName = defaultName[:validation.DNS1035LabelMaxLength]
	}
	if x.Selector == "" {
		s, err := selectorForObject(obj)
		if err != nil {
			return fmt.Errorf("couldn't retrieve selectors via --selector flag or introspection: %v", err)
		}
		x.Selector = s
	}
	var ports []string
	if x.Port == "" {
		ports = portsForObject(obj)
		switch {
		case len(ports) == 0 && x.ClusterIP != corev1.ClusterIPNone:
			return fmt.Errorf("couldn't find port via --port flag or introspection")
		case len(ports) == 1:
			x.Port, ports = ports[0], nil
		}
	}
	if x.Labels == "" {
		x.Labels = makeLabels(obj.GetLabels())
	}
	svc, err := x.service(defaultName, ports, protocolsForObject(obj))
	if err != nil {
		return err
	}
	if x.SaveConfig {
		if _, err := setLastApplied(svc); err != nil {
			return err
		}
	}
	api.SetTypeMeta(svc)
	dry, err := dryRunClient(x.DryRun)
	if err != nil {
		return err
	}
	if dry {
		if e.nsSet {
			svc.Namespace = e.ns
		}
		return e.printResult(x.Output, svc, "exposed (dry run)")
	}
	svc.Namespace = e.ns
	created, err := e.createObject(svc)
	if err != nil {
		return err
	}
	return e.printResult(x.Output, created, "exposed")
}

// service is createService: the Service the flags (and what was read from the object)
// describe. ports are the object's ports when it has several and --port was not given.
func (o *exposeOptions) service(defaultName string, ports []string, protocols map[string][]string) (*corev1.Service, error) {
	selector, err := parseLabelSpec(o.Selector)
	if err != nil {
		return nil, err
	}
	var lbls map[string]string
	if o.Labels != "" {
		if lbls, err = parseLabelSpec(o.Labels); err != nil {
			return nil, err
		}
	}
	name := o.Name
	if name == "" {
		name = defaultName
	}
	portStrings := ports
	if len(ports) == 0 && o.Port != "" {
		portStrings = strings.Split(o.Port, ",")
	}
	var sps []corev1.ServicePort
	for i, ps := range portStrings {
		port, err := strconv.Atoi(ps)
		if err != nil {
			return nil, err
		}
		portName := ""
		if len(portStrings) > 1 {
			portName = fmt.Sprintf("port-%d", i+1)
		}
		protocol := o.Protocol
		if protocol == "" {
			protocol = "TCP"
			if ps := protocols[ps]; len(ps) == 1 {
				protocol = ps[0]
			} else if len(ps) > 1 {
				for _, p := range ps {
					sps = append(sps, corev1.ServicePort{Name: fmt.Sprintf("port-%d-%s", i+1, strings.ToLower(p)), Port: int32(port), Protocol: corev1.Protocol(p)})
				}
				continue
			}
		}
		sps = append(sps, corev1.ServicePort{Name: portName, Port: int32(port), Protocol: corev1.Protocol(protocol)})
	}
	svc := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: lbls},
		Spec:       corev1.ServiceSpec{Selector: selector, Ports: sps},
	}
	for i := range svc.Spec.Ports {
		if o.TargetPort != "" {
			svc.Spec.Ports[i].TargetPort = intstr.Parse(o.TargetPort)
		} else {
			svc.Spec.Ports[i].TargetPort = intstr.FromInt32(svc.Spec.Ports[i].Port)
		}
	}
	if o.ExternalIP != "" {
		svc.Spec.ExternalIPs = []string{o.ExternalIP}
	}
	svc.Spec.Type = corev1.ServiceType(o.Type)
	if svc.Spec.Type == corev1.ServiceTypeLoadBalancer {
		svc.Spec.LoadBalancerIP = o.LoadBalancerIP
	}
	switch a := corev1.ServiceAffinity(o.SessionAffinity); a {
	case "":
	case corev1.ServiceAffinityNone, corev1.ServiceAffinityClientIP:
		svc.Spec.SessionAffinity = a
	default:
		return nil, fmt.Errorf("unknown session affinity: %s", o.SessionAffinity)
	}
	svc.Spec.ClusterIP = o.ClusterIP
	return svc, nil
}

// selectorForObject is mapBasedSelectorForObject, as `key=value,...`.
func selectorForObject(obj api.Object) (string, error) {
	switch o := obj.(type) {
	case *corev1.ReplicationController:
		return makeLabels(o.Spec.Selector), nil
	case *corev1.Pod:
		if len(o.Labels) == 0 {
			return "", fmt.Errorf("the pod has no labels and cannot be exposed")
		}
		return makeLabels(o.Labels), nil
	case *corev1.Service:
		if o.Spec.Selector == nil {
			return "", fmt.Errorf("the service has no pod selector set")
		}
		return makeLabels(o.Spec.Selector), nil
	case *appsv1.Deployment:
		if o.Spec.Selector == nil || len(o.Spec.Selector.MatchLabels) == 0 {
			return "", fmt.Errorf("invalid deployment: no selectors, therefore cannot be exposed")
		}
		if len(o.Spec.Selector.MatchExpressions) > 0 {
			return "", fmt.Errorf("couldn't convert expressions - \"%+v\" to map-based selector format", o.Spec.Selector.MatchExpressions)
		}
		return makeLabels(o.Spec.Selector.MatchLabels), nil
	case *appsv1.ReplicaSet:
		if o.Spec.Selector == nil {
			return "", fmt.Errorf("invalid replicaset: no selectors, therefore cannot be exposed")
		}
		if len(o.Spec.Selector.MatchExpressions) > 0 {
			return "", fmt.Errorf("couldn't convert expressions - \"%+v\" to map-based selector format", o.Spec.Selector.MatchExpressions)
		}
		return makeLabels(o.Spec.Selector.MatchLabels), nil
	}
	return "", fmt.Errorf("cannot extract pod selector from %T", obj)
}

// exposedPodSpec is the pod spec whose container ports an object offers.
func exposedPodSpec(obj api.Object) *corev1.PodSpec {
	switch o := obj.(type) {
	case *corev1.ReplicationController:
		if o.Spec.Template != nil {
			return &o.Spec.Template.Spec
		}
	case *corev1.Pod:
		return &o.Spec
	case *appsv1.Deployment:
		return &o.Spec.Template.Spec
	case *appsv1.ReplicaSet:
		return &o.Spec.Template.Spec
	}
	return nil
}

// portsForObject is portsForObject: the distinct container ports (a Service's ports), in
// order.
func portsForObject(obj api.Object) []string {
	var out []string
	seen := map[string]bool{}
	add := func(p int32) {
		if k := strconv.Itoa(int(p)); !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	if svc, ok := obj.(*corev1.Service); ok {
		for _, p := range svc.Spec.Ports {
			add(p.Port)
		}
		return out
	}
	if spec := exposedPodSpec(obj); spec != nil {
		for _, c := range spec.Containers {
			for _, p := range c.Ports {
				add(p.ContainerPort)
			}
		}
	}
	return out
}

// protocolsForObject is MultiProtocolsForObject: the protocols of each port number.
func protocolsForObject(obj api.Object) map[string][]string {
	out := map[string][]string{}
	add := func(port int32, proto corev1.Protocol) {
		k := strconv.Itoa(int(port))
		for _, p := range out[k] {
			if p == string(proto) {
				return
			}
		}
		out[k] = append(out[k], string(proto))
	}
	if svc, ok := obj.(*corev1.Service); ok {
		for _, p := range svc.Spec.Ports {
			add(p.Port, p.Protocol)
		}
		return out
	}
	if spec := exposedPodSpec(obj); spec != nil {
		for _, c := range spec.Containers {
			for _, p := range c.Ports {
				add(p.ContainerPort, p.Protocol)
			}
		}
	}
	return out
}

// makeLabels is MakeLabels: `key=value` pairs joined by commas, in key order.
func makeLabels(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	pairs := make([]string, len(keys))
	for i, k := range keys {
		pairs[i] = k + "=" + m[k]
	}
	return strings.Join(pairs, ",")
}

// parseLabelSpec is expose's parseLabels.
func parseLabelSpec(spec string) (map[string]string, error) {
	if spec == "" {
		return nil, fmt.Errorf("no label spec passed")
	}
	out := map[string]string{}
	for _, kv := range strings.Split(spec, ",") {
		parts := strings.Split(kv, "=")
		if len(parts) != 2 {
			return nil, fmt.Errorf("unexpected label spec: %s", kv)
		}
		if parts[0] == "" {
			return nil, fmt.Errorf("unexpected empty label key")
		}
		out[parts[0]] = parts[1]
	}
	return out, nil
}
