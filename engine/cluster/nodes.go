package cluster

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/store"
)

// Names and facts of the default cluster's nodes, shaped like a kind cluster's.
const (
	ControlPlaneNode = "kubetab-control-plane"
	KubeletVersion   = api.Version
	RoleLabelPrefix  = "node-role.kubernetes.io/"
	ControlPlaneRole = "control-plane"
)

// DefaultWorkers are the worker nodes of a fresh cluster.
var DefaultWorkers = []string{"kubetab-worker", "kubetab-worker2", "kubetab-worker3"}

// DefaultNamespaces exist in every fresh cluster.
var DefaultNamespaces = []string{"default", "kube-node-lease", "kube-public", "kube-system"}

var nodesResource = api.ResourceByName("nodes")

// NewNode builds a Ready node. index picks its internal IP and pod CIDR, so each node gets a
// distinct range (see PodCIDR).
func NewNode(name string, index int, controlPlane bool, labels map[string]string, now metav1.Time) *corev1.Node {
	l := map[string]string{
		"beta.kubernetes.io/arch": "amd64",
		"beta.kubernetes.io/os":   "linux",
		"kubernetes.io/arch":      "amd64",
		"kubernetes.io/hostname":  name,
		"kubernetes.io/os":        "linux",
	}
	var taints []corev1.Taint
	if controlPlane {
		l[RoleLabelPrefix+ControlPlaneRole] = ""
		l["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
		taints = append(taints, corev1.Taint{Key: RoleLabelPrefix + ControlPlaneRole, Effect: corev1.TaintEffectNoSchedule})
	}
	for k, v := range labels {
		l[k] = v
	}
	cidr := PodCIDR(index)
	capacity := corev1.ResourceList{
		corev1.ResourceCPU:              resource.MustParse("4"),
		corev1.ResourceMemory:           resource.MustParse("8148288Ki"),
		corev1.ResourceEphemeralStorage: resource.MustParse("102626232Ki"),
		corev1.ResourcePods:             resource.MustParse("110"),
		"hugepages-2Mi":                 resource.MustParse("0"),
	}
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name:   name,
			Labels: l,
			Annotations: map[string]string{
				"node.alpha.kubernetes.io/ttl":                           "0",
				"volumes.kubernetes.io/controller-managed-attach-detach": "true",
			},
		},
		Spec: corev1.NodeSpec{PodCIDR: cidr, PodCIDRs: []string{cidr}, ProviderID: "kubetab://" + name, Taints: taints},
		Status: corev1.NodeStatus{
			Capacity:    capacity,
			Allocatable: capacity.DeepCopy(),
			Phase:       "",
			Conditions:  ReadyConditions(now),
			Addresses: []corev1.NodeAddress{
				{Type: corev1.NodeInternalIP, Address: fmt.Sprintf("172.18.%d.%d", (index+2)/256, (index+2)%256)},
				{Type: corev1.NodeHostName, Address: name},
			},
			DaemonEndpoints: corev1.NodeDaemonEndpoints{KubeletEndpoint: corev1.DaemonEndpoint{Port: 10250}},
			NodeInfo: corev1.NodeSystemInfo{
				MachineID:               fmt.Sprintf("%032x", index+1),
				SystemUUID:              fmt.Sprintf("%032x", index+1),
				BootID:                  fmt.Sprintf("%032x", index+1),
				KernelVersion:           "6.8.0-kubetab",
				OSImage:                 "Debian GNU/Linux 12 (bookworm)",
				ContainerRuntimeVersion: "containerd://2.1.3",
				KubeletVersion:          KubeletVersion,
				OperatingSystem:         "linux",
				Architecture:            "amd64",
			},
		},
	}
}

// ReadyConditions are a healthy kubelet's node conditions, all set at now.
func ReadyConditions(now metav1.Time) []corev1.NodeCondition {
	cond := func(t corev1.NodeConditionType, s corev1.ConditionStatus, reason, msg string) corev1.NodeCondition {
		return corev1.NodeCondition{Type: t, Status: s, LastHeartbeatTime: now, LastTransitionTime: now, Reason: reason, Message: msg}
	}
	return []corev1.NodeCondition{
		cond(corev1.NodeMemoryPressure, corev1.ConditionFalse, "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
		cond(corev1.NodeDiskPressure, corev1.ConditionFalse, "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
		cond(corev1.NodePIDPressure, corev1.ConditionFalse, "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
		cond(corev1.NodeReady, corev1.ConditionTrue, "KubeletReady", "kubelet is posting ready status"),
	}
}

// FreeNodeIndex returns the smallest index whose pod CIDR no node uses.
func FreeNodeIndex(s *store.Store) int {
	used := map[string]bool{}
	s.Each(nodesResource, "", func(o api.Object) bool {
		used[o.(*corev1.Node).Spec.PodCIDR] = true
		return true
	})
	for i := 0; ; i++ {
		if !used[PodCIDR(i)] {
			return i
		}
	}
}

// PodCIDR is the pod range of the node with this index: 10.244.<index>.0/24 as in a kind
// cluster for the first 256 nodes, then on into 10.245.0.0/16 and beyond, so that a
// thousand-node benchmark still gets valid, distinct ranges.
func PodCIDR(index int) string {
	return fmt.Sprintf("10.%d.%d.0/24", 244+index/256, index%256)
}
