package kubectl

import (
	"fmt"
	"strings"
)

// unservedResources are the resources a v1.37 API server's discovery lists that kubetab does not
// serve (`kubectl api-resources -o wide` on a fresh cluster, the ones kubetab lacks):
// api-resources lists them with kubetab's own, as a real cluster would, and a command that
// names one says kubetab does not simulate it.
var unservedResources = []discoveredResource{
	{"bindings", "", "v1", true, "Binding", "create", ""},
	{"componentstatuses", "cs", "v1", false, "ComponentStatus", "get,list", ""},
	{"limitranges", "limits", "v1", true, "LimitRange", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"persistentvolumeclaims", "pvc", "v1", true, "PersistentVolumeClaim", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"persistentvolumes", "pv", "v1", false, "PersistentVolume", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"podtemplates", "", "v1", true, "PodTemplate", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"resourcequotas", "quota", "v1", true, "ResourceQuota", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"serviceaccounts", "sa", "v1", true, "ServiceAccount", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"mutatingadmissionpolicies", "", "admissionregistration.k8s.io/v1", false, "MutatingAdmissionPolicy", "create,delete,deletecollection,get,list,patch,update,watch", "api-extensions"},
	{"mutatingadmissionpolicybindings", "", "admissionregistration.k8s.io/v1", false, "MutatingAdmissionPolicyBinding", "create,delete,deletecollection,get,list,patch,update,watch", "api-extensions"},
	{"mutatingwebhookconfigurations", "", "admissionregistration.k8s.io/v1", false, "MutatingWebhookConfiguration", "create,delete,deletecollection,get,list,patch,update,watch", "api-extensions"},
	{"validatingadmissionpolicies", "", "admissionregistration.k8s.io/v1", false, "ValidatingAdmissionPolicy", "create,delete,deletecollection,get,list,patch,update,watch", "api-extensions"},
	{"validatingadmissionpolicybindings", "", "admissionregistration.k8s.io/v1", false, "ValidatingAdmissionPolicyBinding", "create,delete,deletecollection,get,list,patch,update,watch", "api-extensions"},
	{"validatingwebhookconfigurations", "", "admissionregistration.k8s.io/v1", false, "ValidatingWebhookConfiguration", "create,delete,deletecollection,get,list,patch,update,watch", "api-extensions"},
	{"customresourcedefinitions", "crd,crds", "apiextensions.k8s.io/v1", false, "CustomResourceDefinition", "create,delete,deletecollection,get,list,patch,update,watch", "api-extensions"},
	{"apiservices", "", "apiregistration.k8s.io/v1", false, "APIService", "create,delete,deletecollection,get,list,patch,update,watch", "api-extensions"},
	{"controllerrevisions", "", "apps/v1", true, "ControllerRevision", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"statefulsets", "sts", "apps/v1", true, "StatefulSet", "create,delete,deletecollection,get,list,patch,update,watch", "all"},
	{"selfsubjectreviews", "", "authentication.k8s.io/v1", false, "SelfSubjectReview", "create", ""},
	{"tokenreviews", "", "authentication.k8s.io/v1", false, "TokenReview", "create", ""},
	{"localsubjectaccessreviews", "", "authorization.k8s.io/v1", true, "LocalSubjectAccessReview", "create", ""},
	{"selfsubjectaccessreviews", "", "authorization.k8s.io/v1", false, "SelfSubjectAccessReview", "create", ""},
	{"selfsubjectrulesreviews", "", "authorization.k8s.io/v1", false, "SelfSubjectRulesReview", "create", ""},
	{"subjectaccessreviews", "", "authorization.k8s.io/v1", false, "SubjectAccessReview", "create", ""},
	{"certificatesigningrequests", "csr", "certificates.k8s.io/v1", false, "CertificateSigningRequest", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"clustertrustbundles", "", "certificates.k8s.io/v1", false, "ClusterTrustBundle", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"podcertificaterequests", "", "certificates.k8s.io/v1", true, "PodCertificateRequest", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"leases", "", "coordination.k8s.io/v1", true, "Lease", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"events", "ev", "events.k8s.io/v1", true, "Event", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"flowschemas", "", "flowcontrol.apiserver.k8s.io/v1", false, "FlowSchema", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"prioritylevelconfigurations", "", "flowcontrol.apiserver.k8s.io/v1", false, "PriorityLevelConfiguration", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"ingressclasses", "", "networking.k8s.io/v1", false, "IngressClass", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"ingresses", "ing", "networking.k8s.io/v1", true, "Ingress", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"ipaddresses", "ip", "networking.k8s.io/v1", false, "IPAddress", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"networkpolicies", "netpol", "networking.k8s.io/v1", true, "NetworkPolicy", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"servicecidrs", "", "networking.k8s.io/v1", false, "ServiceCIDR", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"runtimeclasses", "", "node.k8s.io/v1", false, "RuntimeClass", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"poddisruptionbudgets", "pdb", "policy/v1", true, "PodDisruptionBudget", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"clusterrolebindings", "", "rbac.authorization.k8s.io/v1", false, "ClusterRoleBinding", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"clusterroles", "", "rbac.authorization.k8s.io/v1", false, "ClusterRole", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"rolebindings", "", "rbac.authorization.k8s.io/v1", true, "RoleBinding", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"roles", "", "rbac.authorization.k8s.io/v1", true, "Role", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"deviceclasses", "", "resource.k8s.io/v1", false, "DeviceClass", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"devicetaintrules", "", "resource.k8s.io/v1", false, "DeviceTaintRule", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"resourceclaims", "", "resource.k8s.io/v1", true, "ResourceClaim", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"resourceclaimtemplates", "", "resource.k8s.io/v1", true, "ResourceClaimTemplate", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"resourceslices", "", "resource.k8s.io/v1", false, "ResourceSlice", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"priorityclasses", "pc", "scheduling.k8s.io/v1", false, "PriorityClass", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"csidrivers", "", "storage.k8s.io/v1", false, "CSIDriver", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"csinodes", "", "storage.k8s.io/v1", false, "CSINode", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"csistoragecapacities", "", "storage.k8s.io/v1", true, "CSIStorageCapacity", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"storageclasses", "sc", "storage.k8s.io/v1", false, "StorageClass", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"volumeattachments", "", "storage.k8s.io/v1", false, "VolumeAttachment", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"volumeattributesclasses", "vac", "storage.k8s.io/v1", false, "VolumeAttributesClass", "create,delete,deletecollection,get,list,patch,update,watch", ""},
	{"storageversionmigrations", "", "storagemigration.k8s.io/v1", false, "StorageVersionMigration", "create,delete,deletecollection,get,list,patch,update,watch", ""},
}

// discoveredResource is one row of a real API server's discovery.
type discoveredResource struct {
	name, shortNames, apiVersion string
	namespaced                   bool
	kind, verbs, categories      string
}

// group is the resource's API group ("" for the core group).
func (d *discoveredResource) group() string {
	g, _, ok := strings.Cut(d.apiVersion, "/")
	if !ok {
		return ""
	}
	return g
}

// unservedResource finds the resource kubetab does not serve that typed names, as kubectl
// resolves a type: plural, singular, short name, or any of these with its group.
func unservedResource(typed string) *discoveredResource {
	typed = strings.ToLower(typed)
	for i := range unservedResources {
		d := &unservedResources[i]
		names := append([]string{d.name, strings.ToLower(d.kind)}, strings.Split(d.shortNames, ",")...)
		for _, n := range names {
			if n != "" && (typed == n || d.group() != "" && typed == n+"."+d.group()) {
				return d
			}
		}
	}
	return nil
}

// notSimulatedError is kubetab's answer to a resource type a real cluster serves and
// kubetab does not.
type notSimulatedError struct{ d *discoveredResource }

func (e *notSimulatedError) Error() string {
	name := e.d.name
	if g := e.d.group(); g != "" {
		name += "." + g
	}
	return fmt.Sprintf("kubetab does not simulate %s (%s %s) yet; a real cluster serves them", name, e.d.apiVersion, e.d.kind)
}
