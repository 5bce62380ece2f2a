// Package dns is the cluster's DNS server as CoreDNS with kubeadm's Corefile answers pods:
// the kubernetes plugin for cluster.local (Services, headless Services' endpoints, pods
// named by hostname and subdomain, dashed pod IPs), NXDOMAIN for the other names of the
// zone, and nothing outside it (kubetab's cluster has no upstream resolver). A/AAAA
// answers of several records come in the order CoreDNS's loadbalance plugin shuffles them
// to, drawn from the cluster's "coredns" random stream.
//
// It answers from the store as CoreDNS answers from its informers: Services and
// EndpointSlices (ready endpoints, or all of them for a Service that publishes addresses
// that are not ready). It also says what the kubelet writes into a container's
// /etc/resolv.conf (ResolvConf).
//
// It imports store and api; like all of engine/ it does no I/O and reads no clock.
package dns
