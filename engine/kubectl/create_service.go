package kubectl

import (
	"fmt"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
)

// createServiceOptions are `kubectl create service <type>`'s (create_service.go upstream):
// one command per Service type, each building the Service the same way.
type createServiceOptions struct {
	plainArgs
	typ                           corev1.ServiceType
	TCP                           []string
	ClusterIP, ExternalName       string
	NodePort                      int
	Output, DryRun, Validate, Mgr string
	SaveConfig                    bool
}

func createServiceCommand(name string, typ corev1.ServiceType, short string) *command {
	return &command{
		name:  name,
		short: short,
		usage: "create service " + name + " NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none] [options]",
		options: func(fs *flagSet) commandOptions {
			o := &createServiceOptions{typ: typ}
			if typ != corev1.ServiceTypeExternalName {
				fs.StringSlice(&o.TCP, "tcp", "")
			}
			switch typ {
			case corev1.ServiceTypeClusterIP:
				fs.String(&o.ClusterIP, "clusterip", "", "")
			case corev1.ServiceTypeNodePort:
				fs.Int(&o.NodePort, "node-port", "", 0)
			case corev1.ServiceTypeExternalName:
				fs.String(&o.ExternalName, "external-name", "", "")
				fs.StringSlice(&o.TCP, "tcp", "")
			}
			fs.String(&o.Output, "output", "o", "")
			addDryRun(fs, &o.DryRun)
			fs.Bool(&o.SaveConfig, "save-config", "", false)
			fs.String(&o.Validate, "validate", "", "strict").noOpt("true")
			fs.String(&o.Mgr, "field-manager", "", "kubectl-create")
			return o
		},
	}
}

var createServiceParent = &command{
	name:    "service",
	aliases: []string{"svc"},
	short:   "Create a service using a specified subcommand",
	usage:   "create service [flags] [options]",
	subcommands: []*command{
		createServiceCommand("clusterip", corev1.ServiceTypeClusterIP, "Create a ClusterIP service"),
		createServiceCommand("externalname", corev1.ServiceTypeExternalName, "Create an ExternalName service"),
		createServiceCommand("loadbalancer", corev1.ServiceTypeLoadBalancer, "Create a LoadBalancer service"),
		createServiceCommand("nodeport", corev1.ServiceTypeNodePort, "Create a NodePort service"),
	},
}

func (o *createServiceOptions) readOnly() bool { return !dryRunWrites(o.DryRun) }

func (o *createServiceOptions) validate(e *env) error {
	if len(o.args) != 1 {
		return e.usageError("exactly one NAME is required, got %d", len(o.args))
	}
	if len(o.TCP) == 0 && o.typ != corev1.ServiceTypeExternalName {
		return fmt.Errorf("at least one tcp port specifier must be provided")
	}
	if o.typ == corev1.ServiceTypeExternalName {
		if o.ExternalName == "" {
			return fmt.Errorf("--external-name must be specified")
		}
		if errs := validation.IsDNS1123Subdomain(o.ExternalName); len(errs) != 0 {
			return fmt.Errorf("invalid service external name %s", o.ExternalName)
		}
	}
	return nil
}

func (o *createServiceOptions) run(e *env) error {
	name := o.args[0]
	svc := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{"app": name}},
		Spec: corev1.ServiceSpec{
			Type:         o.typ,
			Selector:     map[string]string{"app": name},
			ExternalName: o.ExternalName,
			ClusterIP:    o.ClusterIP,
		},
	}
	for _, spec := range o.TCP {
		port, target, err := parseServicePorts(spec)
		if err != nil {
			return err
		}
		svc.Spec.Ports = append(svc.Spec.Ports, corev1.ServicePort{
			Name: strings.ReplaceAll(spec, ":", "-"), Port: port, TargetPort: target,
			Protocol: corev1.ProtocolTCP, NodePort: int32(o.NodePort),
		})
	}
	if o.SaveConfig {
		if _, err := setLastApplied(svc); err != nil {
			return err
		}
	}
	err := e.createGenerated(svc, o.DryRun, o.Output)
	if isAPIError(err) {
		// kubectl words the API server's answer into its own message.
		return fmt.Errorf("failed to create %s service: %v", o.typ, err)
	}
	return err
}

// parseServicePorts reads `port[:targetPort]`: a numeric port, and a target port by number
// or by container port name (the port itself when left out).
func parseServicePorts(spec string) (int32, intstr.IntOrString, error) {
	portText, targetText, hasTarget := strings.Cut(spec, ":")
	port, err := strconv.Atoi(portText)
	if err != nil {
		return 0, intstr.IntOrString{}, err
	}
	if !hasTarget {
		return int32(port), intstr.FromInt32(int32(port)), nil
	}
	if n, err := strconv.Atoi(targetText); err == nil {
		return int32(port), intstr.FromInt32(int32(n)), nil
	}
	return int32(port), intstr.FromString(targetText), nil
}
