package kubelet

import (
	"maps"
	"math/rand/v2"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/dns"
	"github.com/kubetab/kubetab/engine/events"
	"github.com/kubetab/kubetab/engine/kubelet/sh"
	"github.com/kubetab/kubetab/engine/proxy"
	"github.com/kubetab/kubetab/engine/sim"
	"github.com/kubetab/kubetab/engine/store"
)

// Component is the source of the kubelets' events and the name of their controller.
const Component = "kubelet"

// MaxLogLines is how many lines one container's log keeps (the real kubelet rotates at
// 10 MiB); older lines are dropped.
const MaxLogLines = 10_000

// minimumGracePeriod is the shortest kill the kubelet does (minimumGracePeriodInSeconds).
const minimumGracePeriod = 2 * time.Second

var (
	podsResource  = api.ResourceByName("pods")
	nodesResource = api.ResourceByName("nodes")
)

// Manager holds the kubelets of one cluster, one per node, and the pods they run.
type Manager struct {
	c *sim.Cluster
	// execIDs draws the ids of failed execs (ExecStartError).
	execIDs *rand.Rand
	nodes   map[string]*Kubelet
	pods    map[string]*podRuntime // by "namespace/name"
	// The pods by address (podByIP): those with one from their node's pod CIDR in its
	// kubelet's podsAt, found through byCIDR (cidrBits are the prefix lengths the nodes'
	// CIDRs have); the others (hostNetwork pods: the node's address) in hostNetwork.
	byCIDR      map[netip.Prefix]*Kubelet
	cidrBits    []int
	hostNetwork map[string]*podRuntime
	// payloads are the volume payloads the pods share, payloadWork the map a payload is
	// gathered into (volumes.go).
	payloads    payloads
	payloadWork map[string]volumeFile
	// containerWords are what the containers' events say, by name (pod.go).
	containerWords map[containerWordsKey]*containerWords
	// images are the image references the pods' specs name (images.go).
	images map[string]*containerImage
	// scripts keeps the containers' compiled shell scripts: the pods of a Job or a
	// CronJob run the same script over and over.
	scripts sh.Scripts
	// statusWork is writeStatus's working copy of a pod, waitingStates the containers'
	// waiting states without a message, by reason (status.go).
	statusWork    corev1.Pod
	waitingStates map[string]*corev1.ContainerStateWaiting
	// serviceVars are the environment variables of each Service, by uid (serviceenv.go).
	serviceVars map[types.UID]serviceVars
	// carried holds the saved state of the pods a restarted kubelet admits again
	// (restart.go), until it does.
	carried map[types.UID]*PodState
	// serviceEnvs are the Service environments shared by the containers, by namespace
	// (serviceenv.go).
	serviceEnvs map[serviceEnvKey]*serviceEnv
	// servicesFound is serviceEnvironment's scratch list of Services.
	servicesFound []*corev1.Service

	// Proxy is the nodes' kube-proxy and DNS the cluster DNS (network.go); without them
	// pods reach each other by pod IP only.
	Proxy *proxy.Proxy
	DNS   *dns.Server
}

// Kubelet is the kubelet of one node.
type Kubelet struct {
	m    *Manager
	name string
	node *corev1.Node
	rec  *events.Recorder
	// api writes as this node's kubelet; rand is its own random stream (pull times,
	// container ids), so that one node's draws change nothing on another.
	api  *apiserver.Client
	rand *rand.Rand
	// volumeStream numbers the directories the kubelet writes volumes into (volumes.go).
	volumeStream *rand.Rand

	// stopped: the kubelet is down (FailNode). Its containers keep running, but it writes
	// nothing and takes no action until it is resumed.
	stopped   bool
	stoppedAt time.Time

	images map[string]bool // normalised references already pulled
	// pullFreeAt: pulls are serialised per node (serializeImagePulls), so a pull starts when
	// the previous one ends; the difference is the "including waiting" of the Pulled event.
	pullFreeAt time.Time

	cidr   netip.Prefix
	ipUsed ipSet
	// podsAt are the pods by their address's offset in cidr.
	podsAt  []*podRuntime
	gateway string
	// statusHostIPs is the status.hostIPs its pods share (status.go).
	statusHostIPs []corev1.HostIP
	// hostIPAddr is the InternalIP of hostIPOf, the node as last looked at (hostIP).
	hostIPOf   *corev1.Node
	hostIPAddr string
	// userAgent is its probes' User-Agent, for the kubelet version userAgentOf (probe.go).
	userAgent, userAgentOf string
}

// New adds the kubelets to c and returns their manager.
func New(c *sim.Cluster) *Manager {
	m := &Manager{c: c, nodes: map[string]*Kubelet{}, pods: map[string]*podRuntime{},
		byCIDR: map[netip.Prefix]*Kubelet{}, hostNetwork: map[string]*podRuntime{},
		execIDs: c.Stream(Component + "/exec")}
	c.Watch("nodes", m.onNode)
	c.Watch("pods", m.onPod)
	c.Watch("configmaps", m.onConfigObject)
	c.Watch("secrets", m.onConfigObject)
	c.AddController(Component, m.sync)
	return m
}

func podKey(namespace, name string) string { return namespace + "/" + name }

func (m *Manager) onNode(ev store.WatchEvent) {
	node := ev.Object.(*corev1.Node)
	switch ev.Type {
	case store.Deleted:
		k := m.nodes[node.Name]
		if k == nil {
			return
		}
		for _, key := range m.podKeysOn(k) {
			m.pods[key].forget()
		}
		if m.byCIDR[k.cidr] == k {
			delete(m.byCIDR, k.cidr)
		}
		delete(m.nodes, node.Name)
	default:
		k := m.nodes[node.Name]
		if k == nil {
			k = m.newKubelet(node)
			m.nodes[node.Name] = k
		}
		k.node = node
	}
}

func (m *Manager) newKubelet(node *corev1.Node) *Kubelet {
	k := &Kubelet{m: m, name: node.Name, node: node, rec: m.c.Recorder(Component, node.Name), images: map[string]bool{},
		api: m.c.API.Client(Component + "/" + node.Name), rand: m.c.Stream(Component + "/" + node.Name)}
	if p, err := netip.ParsePrefix(node.Spec.PodCIDR); err == nil && p.Addr().Is4() {
		k.cidr = p.Masked()
		k.gateway = addrAt(k.cidr, 1)
		m.byCIDR[k.cidr] = k
		if !slices.Contains(m.cidrBits, k.cidr.Bits()) {
			m.cidrBits = append(m.cidrBits, k.cidr.Bits())
			slices.Sort(m.cidrBits)
		}
	}
	return k
}

// podByIP is the pod at an address, or nil.
func (m *Manager) podByIP(ip string) *podRuntime {
	if r := m.hostNetwork[ip]; r != nil {
		return r
	}
	a, err := netip.ParseAddr(ip)
	if err != nil || !a.Is4() {
		return nil
	}
	for _, bits := range m.cidrBits {
		p, _ := a.Prefix(bits)
		if k := m.byCIDR[p]; k != nil {
			if off := offsetIn(p, a); off < uint32(len(k.podsAt)) {
				return k.podsAt[off]
			}
			return nil
		}
	}
	return nil
}

// setPodAt records r as the pod at its address.
func (k *Kubelet) setPodAt(r *podRuntime) {
	switch {
	case r.ipOffset != 0:
		off := int(r.ipOffset)
		if off >= len(k.podsAt) {
			k.podsAt = slices.Grow(k.podsAt, off+1-len(k.podsAt))[:off+1]
		}
		k.podsAt[off] = r
	case r.ip != "":
		k.m.hostNetwork[r.ip] = r
	}
}

// clearPodAt forgets r as the pod at its address, if it still is.
func (k *Kubelet) clearPodAt(r *podRuntime) {
	switch off := int(r.ipOffset); {
	case off != 0:
		if off < len(k.podsAt) && k.podsAt[off] == r {
			k.podsAt[off] = nil
		}
	case r.ip != "" && k.m.hostNetwork[r.ip] == r:
		delete(k.m.hostNetwork, r.ip)
	}
}

func (m *Manager) podKeysOn(k *Kubelet) []string {
	var keys []string
	for key, r := range m.pods {
		if r.k == k {
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)
	return keys
}

func (m *Manager) onPod(ev store.WatchEvent) {
	pod := ev.Object.(*corev1.Pod)
	if ev.Type != store.Deleted && pod.Spec.NodeName == "" {
		// Not bound yet (a pod's node never changes once set): no kubelet runs it.
		return
	}
	if ev.Type == store.Modified && ev.Old.(*corev1.Pod).Spec.NodeName == "" {
		// Just bound: no kubelet has taken it yet (it takes only pods bound when it syncs).
		m.c.Enqueue(Component, podKey(pod.Namespace, pod.Name))
		return
	}
	// The key is looked up without being kept (no copy on the heap), and made to keep only
	// when the pod is queued: most events are status writes.
	r := m.pods[podKey(pod.Namespace, pod.Name)]
	if r != nil && r.pod.UID != pod.UID {
		r = nil
	}
	if ev.Type == store.Deleted {
		if r != nil {
			r.forget()
		}
		return
	}
	if r != nil {
		// Every version, status writes included: the runtime holds the one stored, never
		// one the store has replaced.
		r.follow(pod)
	}
	if ev.Type == store.Modified {
		old := ev.Old.(*corev1.Pod)
		if r != nil && old.Spec.NodeName == pod.Spec.NodeName &&
			old.DeletionTimestamp.Equal(pod.DeletionTimestamp) && equalGrace(old.DeletionGracePeriodSeconds, pod.DeletionGracePeriodSeconds) &&
			(len(r.volumes) == 0 || maps.Equal(old.Labels, pod.Labels) && maps.Equal(old.Annotations, pod.Annotations)) {
			// A status write (ours or the node controller's), or a change of metadata
			// no volume of the pod shows: nothing for the kubelet to do.
			return
		}
	}
	m.c.Enqueue(Component, podKey(pod.Namespace, pod.Name))
}

func equalGrace(a, b *int64) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

func (m *Manager) sync(key string) (time.Duration, error) {
	ns, name, _ := strings.Cut(key, "/")
	obj, err := m.c.Store.Get(podsResource, ns, name)
	r := m.pods[key]
	if err != nil && apierrors.IsNotFound(err) {
		if r != nil {
			r.forget()
		}
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	pod := obj.(*corev1.Pod)
	if r != nil && (r.pod.UID != pod.UID || r.k.name != pod.Spec.NodeName) {
		// Another pod of the same name: the old one's containers are gone with it.
		r.forget()
		r = nil
	}
	k := m.nodes[pod.Spec.NodeName]
	if k == nil || k.stopped {
		return 0, nil
	}
	if r == nil {
		switch {
		case pod.DeletionTimestamp != nil:
			// Never started here: nothing to stop.
			return 0, m.confirmDeletion(pod)
		case pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed:
			return 0, nil
		}
		k.admit(pod, key)
		return 0, nil
	}
	if pod.DeletionTimestamp != nil {
		r.kill(pod)
		return 0, nil
	}
	r.podUpdated(pod)
	return 0, nil
}

// confirmDeletion is the kubelet's final delete: the containers are gone.
func (m *Manager) confirmDeletion(pod *corev1.Pod) error {
	zero := int64(0)
	_, err := m.clientFor(pod).Delete(podsResource, pod.Namespace, pod.Name, apiserver.DeleteOptions{GracePeriodSeconds: &zero, UID: pod.UID})
	if apierrors.IsNotFound(err) || apierrors.IsConflict(err) {
		return nil
	}
	return err
}

// Stop stops the kubelet of a node: no more status writes or actions; its containers keep
// running and its pods keep their last reported state.
func (m *Manager) Stop(node string) error {
	k := m.nodes[node]
	if k == nil {
		return apierrors.NewNotFound(nodesResource.GroupResource(), node)
	}
	if !k.stopped {
		k.stopped = true
		k.stoppedAt = m.c.Now()
	}
	return nil
}

// Stopped tells whether a node's kubelet is stopped and since when: what the node
// lifecycle controller learns from the missing heartbeats.
func (m *Manager) Stopped(node string) (since time.Time, stopped bool) {
	k := m.nodes[node]
	if k == nil || !k.stopped {
		return time.Time{}, false
	}
	return k.stoppedAt, true
}

// Resume starts a stopped kubelet again: it records its start-up events, posts conditions
// (the Ready ones given), then stops the pods deleted meanwhile and reports the others.
func (m *Manager) Resume(node string, conditions []corev1.NodeCondition) error {
	k := m.nodes[node]
	if k == nil {
		return apierrors.NewNotFound(nodesResource.GroupResource(), node)
	}
	if !k.stopped {
		return nil
	}
	k.stopped = false
	obj, err := m.c.Store.Get(nodesResource, "", node)
	if err != nil {
		return err
	}
	n := obj.(*corev1.Node).DeepCopy()
	n.Status.Conditions = conditions
	if _, err := k.api.UpdateStatus(n, apiserver.UpdateOptions{HandOver: true}); err != nil {
		return err
	}
	k.node = n
	m.RecordStartup(node)
	for _, key := range m.podKeysOn(k) {
		m.pods[key].resume()
	}
	// Pods bound here while the kubelet was down, and deletions it missed.
	m.c.Store.Each(podsResource, "", func(o api.Object) bool {
		if p := o.(*corev1.Pod); p.Spec.NodeName == node {
			m.c.Enqueue(Component, podKey(p.Namespace, p.Name))
		}
		return true
	})
	for _, key := range m.podKeysOn(k) {
		m.c.Enqueue(Component, key)
	}
	return nil
}

// RecordStartup records the events a kubelet emits when it starts and registers its node.
func (m *Manager) RecordStartup(node string) {
	k := m.nodes[node]
	if k == nil {
		return
	}
	n := k.node
	k.rec.Eventf(n, corev1.EventTypeNormal, "Starting", "Starting kubelet.")
	for _, s := range []string{"NodeHasSufficientMemory", "NodeHasNoDiskPressure", "NodeHasSufficientPID"} {
		k.rec.Eventf(n, corev1.EventTypeNormal, s, "Node %s status is now: %s", node, s)
	}
	k.rec.Eventf(n, corev1.EventTypeNormal, "NodeAllocatableEnforced", "Updated Node Allocatable limit across pods")
	k.rec.Eventf(n, corev1.EventTypeNormal, "NodeReady", "Node %s status is now: %s", node, "NodeReady")
}

// offsetIn is the position of IPv4 address a in prefix p (addrAt's inverse).
func offsetIn(p netip.Prefix, a netip.Addr) uint32 {
	return ipv4(a) - ipv4(p.Addr())
}

// ipv4 is an IPv4 address as a number.
func ipv4(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// addrAt is the address offset positions into an IPv4 prefix.
func addrAt(p netip.Prefix, offset uint32) string {
	v := ipv4(p.Addr()) + offset
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}).String()
}

// allocateIP hands out the lowest free address of the node's pod CIDR (.1 is the gateway).
func (k *Kubelet) allocateIP() (string, uint32, bool) {
	if !k.cidr.IsValid() {
		return "", 0, false
	}
	size := uint32(1) << (32 - k.cidr.Bits())
	last := min(size-2, 65534)
	off, ok := k.ipUsed.take(2, last)
	if !ok {
		return "", 0, false
	}
	return addrAt(k.cidr, off), off, true
}

// hostIP is the node's InternalIP, looked up once per version of the node.
func (k *Kubelet) hostIP() string {
	if k.hostIPOf != k.node {
		k.hostIPOf, k.hostIPAddr = k.node, ""
		for _, a := range k.node.Status.Addresses {
			if a.Type == corev1.NodeInternalIP {
				k.hostIPAddr = a.Address
				break
			}
		}
	}
	return k.hostIPAddr
}

// randomHex is n hex digits from a random stream (container and exec ids).
func randomHex(r *rand.Rand, n int) string { return prefixedHex("", r, n) }

// containerID is a new container's id: containerd's scheme and 64 random hex digits.
func containerID(r *rand.Rand) string { return prefixedHex("containerd://", r, 64) }

// prefixedHex is prefix followed by n hex digits from a random stream, made in one piece.
func prefixedHex(prefix string, r *rand.Rand, n int) string {
	const hexDigits = "0123456789abcdef"
	var b strings.Builder
	b.Grow(len(prefix) + n)
	b.WriteString(prefix)
	for i := 0; i < n; i += 16 {
		v := r.Uint64()
		for j := 0; j < 16 && i+j < n; j++ {
			b.WriteByte(hexDigits[v>>(60-4*j)&0xf])
		}
	}
	return b.String()
}

func (k *Kubelet) randMillis(lo, hi int) time.Duration {
	return time.Duration(lo+k.rand.IntN(hi-lo+1)) * time.Millisecond
}

// timerLabel names a kubelet timer of the pod, or of one of its containers, for UIs and
// tests ("kubelet kubetab-worker pull default/kubia", "... container default/kubia/kubia"),
// more appended: one string made at once.
func (r *podRuntime) timerLabel(what, container, more string) string {
	if container == "" {
		return Component + " " + r.k.name + " " + what + " " + r.pod.Namespace + "/" + r.pod.Name + more
	}
	return Component + " " + r.k.name + " " + what + " " + r.pod.Namespace + "/" + r.pod.Name + "/" + container + more
}

// clientFor is the API client of the kubelet of pod's node (the manager's own for a pod
// bound to no node it knows).
func (m *Manager) clientFor(pod *corev1.Pod) *apiserver.Client {
	if k := m.nodes[pod.Spec.NodeName]; k != nil {
		return k.api
	}
	return m.c.API.Client(Component)
}
