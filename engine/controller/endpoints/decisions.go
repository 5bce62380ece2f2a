//lint:file-ignore SA1019 v1 Endpoints are deprecated since v1.33 and still served, as a v1.37 API server serves them

package endpoints

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"maps"
	"sort"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/dump"

	"github.com/kubetab/kubetab/engine/api"
)

// Names the controllers write into their objects.
const (
	// SliceManager is the managed-by label value of the slices this controller owns.
	SliceManager = "endpointslice-controller.k8s.io"
	// EndpointsManager is the managed-by label value of the Endpoints it writes.
	EndpointsManager = "endpoint-controller"

	// LabelEndpointsManagedBy labels Endpoints with their manager.
	LabelEndpointsManagedBy = "endpoints.kubernetes.io/managed-by"

	// maxEndpointsPerSlice is kube-controller-manager's --max-endpoints-per-slice default.
	maxEndpointsPerSlice = 100
)

// includedInSlices is ShouldPodBeInEndpoints for slices (terminating pods included): a pod
// with an IP that has not finished.
func included(pod *corev1.Pod, includeTerminating bool) bool {
	if pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed {
		return false
	}
	if pod.Status.PodIP == "" && len(pod.Status.PodIPs) == 0 {
		return false
	}
	return includeTerminating || pod.DeletionTimestamp == nil
}

// shouldSetHostname: a pod whose subdomain names the Service publishes its hostname.
func shouldSetHostname(pod *corev1.Pod, svc *corev1.Service) bool {
	return pod.Spec.Hostname != "" && pod.Spec.Subdomain == svc.Name && svc.Namespace == pod.Namespace
}

// podToEndpoint is the reconciler's podToEndpoint for an IPv4 slice.
func podToEndpoint(pod *corev1.Pod, node *corev1.Node, svc *corev1.Service) discoveryv1.Endpoint {
	serving := api.IsPodReady(pod)
	terminating := pod.DeletionTimestamp != nil
	// For compatibility, ready is never true for a terminating pod unless the Service
	// publishes addresses that are not ready.
	ready := svc.Spec.PublishNotReadyAddresses || (serving && !terminating)
	ep := discoveryv1.Endpoint{
		Addresses:  []string{pod.Status.PodIP},
		Conditions: discoveryv1.EndpointConditions{Ready: &ready, Serving: &serving, Terminating: &terminating},
		TargetRef:  &corev1.ObjectReference{Kind: "Pod", Namespace: pod.Namespace, Name: pod.Name, UID: pod.UID},
	}
	if pod.Spec.NodeName != "" {
		n := pod.Spec.NodeName
		ep.NodeName = &n
	}
	if node != nil {
		if z := node.Labels[corev1.LabelTopologyZone]; z != "" {
			ep.Zone = &z
		}
	}
	if shouldSetHostname(pod, svc) {
		h := pod.Spec.Hostname
		ep.Hostname = &h
	}
	return ep
}

// endpointPorts is getEndpointPorts: the Service's ports resolved on pod; a port whose
// named targetPort the pod lacks is left out.
func endpointPorts(svc *corev1.Service, pod *corev1.Pod) []discoveryv1.EndpointPort {
	ports := []discoveryv1.EndpointPort{}
	for i := range svc.Spec.Ports {
		sp := &svc.Spec.Ports[i]
		n, ok := api.FindPort(pod, sp)
		if !ok {
			continue
		}
		name, proto := sp.Name, sp.Protocol
		ports = append(ports, discoveryv1.EndpointPort{Name: &name, Port: &n, Protocol: &proto, AppProtocol: sp.AppProtocol})
	}
	return ports
}

// portsKey identifies a set of endpoint ports (NewPortMapKey).
func portsKey(ports []discoveryv1.EndpointPort) string {
	var b strings.Builder
	for _, p := range ports {
		if p.Name != nil {
			b.WriteString(*p.Name)
		}
		b.WriteByte('/')
		if p.Port != nil {
			b.WriteString(strconv.Itoa(int(*p.Port)))
		}
		b.WriteByte('/')
		if p.Protocol != nil {
			b.WriteString(string(*p.Protocol))
		}
		b.WriteByte('/')
		if p.AppProtocol != nil {
			b.WriteString(*p.AppProtocol)
		}
		b.WriteByte(';')
	}
	return b.String()
}

// sliceGroup is the desired endpoints of one set of ports, in pod order.
type sliceGroup struct {
	ports     []discoveryv1.EndpointPort
	endpoints []discoveryv1.Endpoint
}

// desiredGroups groups the endpoints of pods (in name order) by the ports they offer, in
// order of first appearance. nodeOf finds a pod's node (nil when unknown).
func desiredGroups(svc *corev1.Service, pods []*corev1.Pod, nodeOf func(string) *corev1.Node) []*sliceGroup {
	var groups []*sliceGroup
	byKey := map[string]*sliceGroup{}
	for _, pod := range pods {
		if !included(pod, true) {
			continue
		}
		ports := endpointPorts(svc, pod)
		k := portsKey(ports)
		g := byKey[k]
		if g == nil {
			g = &sliceGroup{ports: ports}
			byKey[k] = g
			groups = append(groups, g)
		}
		g.endpoints = append(g.endpoints, podToEndpoint(pod, nodeOf(pod.Spec.NodeName), svc))
	}
	return groups
}

// sliceLabels is setEndpointSliceLabels: the Service's labels but the reserved ones, the
// headless label for a Service without cluster IP, the service name and the manager.
func sliceLabels(svc *corev1.Service) map[string]string {
	l := map[string]string{}
	for k, v := range svc.Labels {
		if k != discoveryv1.LabelServiceName && k != discoveryv1.LabelManagedBy && k != corev1.IsHeadlessService {
			l[k] = v
		}
	}
	if !api.ServiceIPSet(svc) {
		l[corev1.IsHeadlessService] = ""
	}
	l[discoveryv1.LabelServiceName] = svc.Name
	l[discoveryv1.LabelManagedBy] = SliceManager
	return l
}

var serviceKind = corev1.SchemeGroupVersion.WithKind("Service")

// newSlice is newEndpointSlice: named by the API server from `<service>-`, owned by it.
func newSlice(svc *corev1.Service, ports []discoveryv1.EndpointPort) *discoveryv1.EndpointSlice {
	return &discoveryv1.EndpointSlice{
		ObjectMeta: metav1.ObjectMeta{
			GenerateName:    svc.Name + "-",
			Namespace:       svc.Namespace,
			Labels:          sliceLabels(svc),
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(svc, serviceKind)},
		},
		AddressType: discoveryv1.AddressTypeIPv4,
		Ports:       ports,
		Endpoints:   []discoveryv1.Endpoint{},
	}
}

// sliceChanges is what a reconcile writes: new slices (no name yet), changed ones, gone ones.
type sliceChanges struct {
	create, update, del []*discoveryv1.EndpointSlice
}

// reconcileSlices is the reconciler's reconcileByAddressType and reconcileByPortMapping,
// then finalize's turning of a create and a delete into an update: existing endpoints keep
// their place (updated when they changed), gone ones leave, new ones fill the slices that
// change anyway, then a slice with room, then new slices; a Service with no endpoints keeps
// one placeholder slice without ports. existing are the Service's slices, in name order;
// they are not changed (changed slices are copies).
func reconcileSlices(svc *corev1.Service, existing []*discoveryv1.EndpointSlice, groups []*sliceGroup) sliceChanges {
	var ch sliceChanges
	labels := sliceLabels(svc)
	byPorts := map[string][]*discoveryv1.EndpointSlice{}
	for _, s := range existing {
		if s.AddressType != discoveryv1.AddressTypeIPv4 || !ownedBy(s, svc) {
			ch.del = append(ch.del, s)
			continue
		}
		k := portsKey(s.Ports)
		byPorts[k] = append(byPorts[k], s)
	}
	wanted := map[string]bool{}
	for _, g := range groups {
		k := portsKey(g.ports)
		wanted[k] = true
		c := reconcileGroup(svc, labels, byPorts[k], g)
		ch.create = append(ch.create, c.create...)
		ch.update = append(ch.update, c.update...)
		ch.del = append(ch.del, c.del...)
	}
	for _, s := range existing {
		if s.AddressType == discoveryv1.AddressTypeIPv4 && ownedBy(s, svc) && !wanted[portsKey(s.Ports)] {
			ch.del = append(ch.del, s)
		}
	}
	if len(existing) == len(ch.del) && len(ch.create) == 0 {
		placeholder := newSlice(svc, []discoveryv1.EndpointPort{})
		if len(ch.del) == 1 && isPlaceholder(ch.del[0], placeholder) {
			ch.del = nil
		} else {
			ch.create = append(ch.create, placeholder)
		}
	}
	// Rather than create one slice and delete another, reuse the one that would go.
	for len(ch.create) > 0 {
		i := sliceToReuse(svc, ch.del)
		if i < 0 {
			break
		}
		s := ch.create[len(ch.create)-1]
		ch.create = ch.create[:len(ch.create)-1]
		old := ch.del[i]
		ch.del = append(ch.del[:i:i], ch.del[i+1:]...)
		reused := old.DeepCopy()
		reused.Labels, reused.Ports, reused.Endpoints = s.Labels, s.Ports, s.Endpoints
		ch.update = append(ch.update, reused)
	}
	return ch
}

func sliceToReuse(svc *corev1.Service, del []*discoveryv1.EndpointSlice) int {
	for i, s := range del {
		if s.AddressType == discoveryv1.AddressTypeIPv4 && ownedBy(s, svc) {
			return i
		}
	}
	return -1
}

func reconcileGroup(svc *corev1.Service, labels map[string]string, slices []*discoveryv1.EndpointSlice, g *sliceGroup) sliceChanges {
	var ch sliceChanges
	desired := make(map[string]int, len(g.endpoints)) // address -> index in g.endpoints
	for i, ep := range g.endpoints {
		desired[ep.Addresses[0]] = i
	}
	placed := make([]bool, len(g.endpoints))
	var changed, unchanged []*discoveryv1.EndpointSlice
	for _, s := range slices {
		var eps []discoveryv1.Endpoint
		updated := false
		for _, ep := range s.Endpoints {
			i, ok := desired[firstAddress(ep)]
			if !ok || placed[i] {
				continue
			}
			placed[i] = true
			eps = append(eps, g.endpoints[i])
			if !equality.Semantic.DeepEqual(&g.endpoints[i], &ep) {
				updated = true
			}
		}
		labelsChanged := !maps.Equal(s.Labels, labels)
		switch {
		case updated || len(eps) != len(s.Endpoints):
			if len(eps) == 0 {
				ch.del = append(ch.del, s)
				continue
			}
			n := s.DeepCopy()
			n.Endpoints, n.Labels = eps, labels
			changed = append(changed, n)
		case labelsChanged:
			n := s.DeepCopy()
			n.Labels = labels
			changed = append(changed, n)
		default:
			unchanged = append(unchanged, s)
		}
	}
	var rest []discoveryv1.Endpoint
	for i, ep := range g.endpoints {
		if !placed[i] {
			rest = append(rest, ep)
		}
	}
	// Fill the slices that change anyway, fullest first.
	sort.SliceStable(changed, func(i, j int) bool { return len(changed[i].Endpoints) > len(changed[j].Endpoints) })
	for _, s := range changed {
		for len(rest) > 0 && len(s.Endpoints) < maxEndpointsPerSlice {
			s.Endpoints, rest = append(s.Endpoints, rest[0]), rest[1:]
		}
	}
	for len(rest) > 0 {
		var fill *discoveryv1.EndpointSlice
		if len(rest) < maxEndpointsPerSlice {
			fill = sliceToFill(unchanged, len(rest))
		}
		if fill == nil {
			fill = newSlice(svc, g.ports)
		} else {
			unchanged = removeSlice(unchanged, fill)
			fill = fill.DeepCopy()
			fill.Labels = labels
		}
		for len(rest) > 0 && len(fill.Endpoints) < maxEndpointsPerSlice {
			fill.Endpoints, rest = append(fill.Endpoints, rest[0]), rest[1:]
		}
		if fill.Name == "" {
			ch.create = append(ch.create, fill)
		} else {
			changed = append(changed, fill)
		}
	}
	ch.update = changed
	return ch
}

// sliceToFill is getSliceToFill: the slice that will be closest to full with n more.
func sliceToFill(slices []*discoveryv1.EndpointSlice, n int) *discoveryv1.EndpointSlice {
	closest, best := maxEndpointsPerSlice, (*discoveryv1.EndpointSlice)(nil)
	for _, s := range slices {
		if d := maxEndpointsPerSlice - (n + len(s.Endpoints)); d >= 0 && d < closest {
			closest, best = d, s
		}
	}
	return best
}

func removeSlice(slices []*discoveryv1.EndpointSlice, s *discoveryv1.EndpointSlice) []*discoveryv1.EndpointSlice {
	out := slices[:0:0]
	for _, x := range slices {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

func firstAddress(ep discoveryv1.Endpoint) string {
	if len(ep.Addresses) == 0 {
		return ""
	}
	return ep.Addresses[0]
}

func ownedBy(s *discoveryv1.EndpointSlice, svc *corev1.Service) bool {
	for _, o := range s.OwnerReferences {
		if o.UID == svc.UID && o.Kind == "Service" && o.APIVersion == "v1" {
			return true
		}
	}
	return false
}

// isPlaceholder is placeholderSliceCompare: an empty slice of this Service with its labels.
func isPlaceholder(s, placeholder *discoveryv1.EndpointSlice) bool {
	return len(s.Endpoints) == 0 && len(s.Ports) == 0 && s.AddressType == placeholder.AddressType &&
		maps.Equal(s.Labels, placeholder.Labels) && equality.Semantic.DeepEqual(s.OwnerReferences, placeholder.OwnerReferences)
}

// endpointSubsets is the Endpoints controller's syncService: pods with an IP that have not
// finished (terminating ones only when not-ready addresses are published), one address
// per pod and port, packed by repackSubsets.
func endpointSubsets(svc *corev1.Service, pods []*corev1.Pod) []corev1.EndpointSubset {
	var subsets []corev1.EndpointSubset
	tolerate := svc.Spec.PublishNotReadyAddresses
	for _, pod := range pods {
		if !included(pod, tolerate) {
			continue
		}
		addr := corev1.EndpointAddress{IP: pod.Status.PodIP,
			TargetRef: &corev1.ObjectReference{Kind: "Pod", Namespace: pod.Namespace, Name: pod.Name, UID: pod.UID}}
		if pod.Spec.NodeName != "" {
			n := pod.Spec.NodeName
			addr.NodeName = &n
		}
		if shouldSetHostname(pod, svc) {
			addr.Hostname = pod.Spec.Hostname
		}
		ready := tolerate || api.IsPodReady(pod)
		add := func(ports []corev1.EndpointPort) {
			ss := corev1.EndpointSubset{Ports: ports}
			if ready {
				ss.Addresses = []corev1.EndpointAddress{addr}
			} else {
				ss.NotReadyAddresses = []corev1.EndpointAddress{addr}
			}
			subsets = append(subsets, ss)
		}
		if len(svc.Spec.Ports) == 0 {
			if api.IsHeadlessService(svc) {
				add([]corev1.EndpointPort{})
			}
			continue
		}
		for i := range svc.Spec.Ports {
			sp := &svc.Spec.Ports[i]
			n, ok := api.FindPort(pod, sp)
			if !ok {
				continue
			}
			add([]corev1.EndpointPort{{Name: sp.Name, Port: n, Protocol: sp.Protocol, AppProtocol: sp.AppProtocol}})
		}
	}
	return repackSubsets(subsets)
}

// repackSubsets is RepackSubsets: addresses grouped by the exact set of ports they offer
// (with their readiness), sorted as SortSubsets sorts them: addresses by IP then uid, ports
// and subsets by the FNV-128a hash of their spew dump, as upstream hashes them.
func repackSubsets(subsets []corev1.EndpointSubset) []corev1.EndpointSubset {
	type addrKey struct {
		ip  string
		uid string
	}
	type readyAddr struct {
		addr  *corev1.EndpointAddress
		ready bool
	}
	noPort := corev1.EndpointPort{Port: -1}
	var portOrder []corev1.EndpointPort
	byPort := map[corev1.EndpointPort]map[addrKey]readyAddr{}
	note := func(p corev1.EndpointPort, a *corev1.EndpointAddress, ready bool) {
		set := byPort[p]
		if set == nil {
			set = map[addrKey]readyAddr{}
			byPort[p] = set
			portOrder = append(portOrder, p)
		}
		k := addrKey{ip: a.IP}
		if a.TargetRef != nil {
			k.uid = string(a.TargetRef.UID)
		}
		// Not ready trumps ready.
		if have, ok := set[k]; !ok || have.ready {
			set[k] = readyAddr{a, ready}
		}
	}
	for i := range subsets {
		ss := &subsets[i]
		ports := ss.Ports
		if len(ports) == 0 {
			ports = []corev1.EndpointPort{noPort}
		}
		for _, p := range ports {
			p.AppProtocol = nil // a pointer cannot key the map; put back below
			for j := range ss.Addresses {
				note(p, &ss.Addresses[j], true)
			}
			for j := range ss.NotReadyAddresses {
				note(p, &ss.NotReadyAddresses[j], false)
			}
		}
	}
	appProtocol := map[corev1.EndpointPort]*string{}
	for i := range subsets {
		for _, p := range subsets[i].Ports {
			q := p
			q.AppProtocol = nil
			appProtocol[q] = p.AppProtocol
		}
	}
	// Group the ports by the set of addresses (and readiness) that offer them.
	var keys []string
	groups := map[string]*corev1.EndpointSubset{}
	for _, p := range portOrder {
		set := byPort[p]
		var ks []string
		for k, ra := range set {
			ks = append(ks, fmt.Sprintf("%s/%s/%v", k.ip, k.uid, ra.ready))
		}
		sort.Strings(ks)
		key := strings.Join(ks, ",")
		g := groups[key]
		if g == nil {
			g = &corev1.EndpointSubset{}
			groups[key] = g
			keys = append(keys, key)
			for _, ra := range set {
				if ra.ready {
					g.Addresses = append(g.Addresses, *ra.addr)
				} else {
					g.NotReadyAddresses = append(g.NotReadyAddresses, *ra.addr)
				}
			}
		}
		if p != noPort {
			q := p
			q.AppProtocol = appProtocol[p]
			g.Ports = append(g.Ports, q)
		}
	}
	out := []corev1.EndpointSubset{}
	for _, k := range keys {
		out = append(out, *groups[k])
	}
	for i := range out {
		sortAddresses(out[i].Addresses)
		sortAddresses(out[i].NotReadyAddresses)
		sort.Slice(out[i].Ports, func(a, b int) bool {
			return bytes.Compare(spewHash(out[i].Ports[a]), spewHash(out[i].Ports[b])) < 0
		})
	}
	sort.Slice(out, func(a, b int) bool { return bytes.Compare(spewHash(out[a]), spewHash(out[b])) < 0 })
	return out
}

func sortAddresses(a []corev1.EndpointAddress) {
	sort.Slice(a, func(i, j int) bool {
		if a[i].IP != a[j].IP {
			return a[i].IP < a[j].IP
		}
		if a[j].TargetRef == nil {
			return false
		}
		if a[i].TargetRef == nil {
			return true
		}
		return a[i].TargetRef.UID < a[j].TargetRef.UID
	})
}

// spewHash is hashutil.DeepHashObject with FNV-128a, as SortSubsets orders by.
func spewHash(obj any) []byte {
	h := fnv.New128a()
	fmt.Fprintf(h, "%v", dump.ForHash(obj))
	return h.Sum(nil)
}

// endpointsLabels: the Service's labels, the headless label when it has no cluster IP, and
// the manager.
func endpointsLabels(svc *corev1.Service) map[string]string {
	l := maps.Clone(svc.Labels)
	if l == nil {
		l = map[string]string{}
	}
	if !api.ServiceIPSet(svc) {
		l[corev1.IsHeadlessService] = ""
	} else {
		delete(l, corev1.IsHeadlessService)
	}
	l[LabelEndpointsManagedBy] = EndpointsManager
	return l
}

// triggerTimes is upstream's TriggerTimeTracker: per Service, the pods' Ready transition
// times and the Service's creation seen at the last sync.
type triggerTimes map[string]*triggerState

type triggerState struct {
	service time.Time
	pods    map[string]time.Time
}

// triggerTime is ComputeEndpointLastChangeTriggerTime: the Service's creation time on its
// first sync, later the earliest trigger time (a pod's Ready condition transition, the
// Service's creation) that changed since the last sync; zero when none did.
func (t triggerTimes) triggerTime(svc *corev1.Service, pods []*corev1.Pod) time.Time {
	key := svc.Namespace + "/" + svc.Name
	st, known := t[key]
	if st == nil {
		st = &triggerState{}
		t[key] = st
	}
	var earliest time.Time
	earlier := func(v time.Time) {
		if earliest.IsZero() || v.Before(earliest) {
			earliest = v
		}
	}
	podTimes := map[string]time.Time{}
	for _, pod := range pods {
		c := api.PodCondition(pod, corev1.PodReady)
		if c == nil || c.LastTransitionTime.IsZero() {
			continue
		}
		v := c.LastTransitionTime.Time
		podTimes[pod.Name] = v
		if v.After(st.pods[pod.Name]) {
			earlier(v)
		}
	}
	created := svc.CreationTimestamp.Time
	if created.After(st.service) {
		earlier(created)
	}
	st.pods, st.service = podTimes, created
	if !known {
		return created
	}
	return earliest
}

// setTriggerTime writes (or, for a zero time, removes) the last-change-trigger-time
// annotation on a fresh map.
func setTriggerTime(m *metav1.ObjectMeta, at time.Time) {
	a := maps.Clone(m.Annotations)
	if at.IsZero() {
		delete(a, corev1.EndpointsLastChangeTriggerTime)
	} else {
		if a == nil {
			a = map[string]string{}
		}
		a[corev1.EndpointsLastChangeTriggerTime] = at.UTC().Format(time.RFC3339Nano)
	}
	if len(a) == 0 {
		a = nil
	}
	m.Annotations = a
}

// MirrorManager is the managed-by label value of the slices mirrored from Endpoints.
const MirrorManager = "endpointslicemirroring-controller.k8s.io"

var endpointsKind = corev1.SchemeGroupVersion.WithKind("Endpoints")

// mirrorSlices is the EndpointSlice mirroring controller's view of Endpoints written by
// hand for a Service without selector: one IPv4 slice per distinct set of ports, owned by
// the Endpoints, with its labels and annotations (but the trigger time and the last
// applied configuration), ready addresses ready and the others not.
func mirrorSlices(ep *corev1.Endpoints) []*discoveryv1.EndpointSlice {
	var out []*discoveryv1.EndpointSlice
	byPorts := map[string]*discoveryv1.EndpointSlice{}
	for _, ss := range ep.Subsets {
		ports := []discoveryv1.EndpointPort{}
		for _, p := range ss.Ports {
			name, port, proto := p.Name, p.Port, p.Protocol
			ports = append(ports, discoveryv1.EndpointPort{Name: &name, Port: &port, Protocol: &proto, AppProtocol: p.AppProtocol})
		}
		k := portsKey(ports)
		s := byPorts[k]
		if s == nil {
			s = &discoveryv1.EndpointSlice{
				ObjectMeta: metav1.ObjectMeta{GenerateName: ep.Name + "-", Namespace: ep.Namespace,
					Labels:          map[string]string{},
					OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(ep, endpointsKind)}},
				AddressType: discoveryv1.AddressTypeIPv4,
				Ports:       ports,
				Endpoints:   []discoveryv1.Endpoint{},
			}
			for k, v := range ep.Labels {
				s.Labels[k] = v
			}
			s.Labels[discoveryv1.LabelServiceName] = ep.Name
			s.Labels[discoveryv1.LabelManagedBy] = MirrorManager
			for k, v := range ep.Annotations {
				if k != corev1.EndpointsLastChangeTriggerTime && k != corev1.LastAppliedConfigAnnotation {
					if s.Annotations == nil {
						s.Annotations = map[string]string{}
					}
					s.Annotations[k] = v
				}
			}
			byPorts[k] = s
			out = append(out, s)
		}
		add := func(addrs []corev1.EndpointAddress, ready bool) {
			for _, a := range addrs {
				if isIPv6(a.IP) {
					continue
				}
				r := ready
				e := discoveryv1.Endpoint{Addresses: []string{a.IP}, Conditions: discoveryv1.EndpointConditions{Ready: &r}, TargetRef: a.TargetRef, NodeName: a.NodeName}
				if a.Hostname != "" {
					h := a.Hostname
					e.Hostname = &h
				}
				s.Endpoints = append(s.Endpoints, e)
			}
		}
		add(ss.Addresses, true)
		add(ss.NotReadyAddresses, false)
	}
	return out
}

func isIPv6(ip string) bool { return strings.Contains(ip, ":") }

// reconcileMirrors matches the desired mirrored slices with the existing ones (in name
// order) by their ports: a match is updated when it differs, the rest created or deleted.
func reconcileMirrors(existing, desired []*discoveryv1.EndpointSlice) sliceChanges {
	var ch sliceChanges
	free := map[string][]*discoveryv1.EndpointSlice{}
	for _, s := range existing {
		free[portsKey(s.Ports)] = append(free[portsKey(s.Ports)], s)
	}
	for _, d := range desired {
		k := portsKey(d.Ports)
		if len(free[k]) == 0 {
			ch.create = append(ch.create, d)
			continue
		}
		cur := free[k][0]
		free[k] = free[k][1:]
		if maps.Equal(cur.Labels, d.Labels) && maps.Equal(cur.Annotations, d.Annotations) && equality.Semantic.DeepEqual(cur.Endpoints, d.Endpoints) &&
			equality.Semantic.DeepEqual(cur.OwnerReferences, d.OwnerReferences) {
			continue
		}
		n := cur.DeepCopy()
		n.Labels, n.Annotations, n.Endpoints, n.OwnerReferences = d.Labels, d.Annotations, d.Endpoints, d.OwnerReferences
		ch.update = append(ch.update, n)
	}
	for _, s := range existing {
		for _, f := range free[portsKey(s.Ports)] {
			if f == s {
				ch.del = append(ch.del, s)
			}
		}
	}
	return ch
}
