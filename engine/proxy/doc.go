// Package proxy is kube-proxy in iptables mode, on every node: where a TCP connection to a
// Service's address goes.
//
// A connection to a cluster IP and one of the Service's ports, to a node's InternalIP and
// one of its node ports, or to one of its external IPs, is sent to one endpoint of that
// port, read from the Service's EndpointSlices as kube-proxy reads them
// (CategorizeEndpoints): the ready endpoints, or, when none is ready, those serving while
// terminating; for a Local traffic policy only those on the node the connection enters.
// The endpoint is drawn from the node's own random stream ("kube-proxy/<node>"), as the
// statistic-mode rules spread connections, so successive requests spread over the pods
// and a given seed always spreads them alike. With sessionAffinity ClientIP a client keeps
// its endpoint while it is still usable and the affinity has not timed out.
//
// What iptables mode does when there is nowhere to go (docs/decisions.md): a Service port
// without any endpoint is REJECTed (the client sees "connection refused"); one whose
// endpoints are all elsewhere under a Local policy is DROPped, as is a cluster IP on a port
// the Service does not have (the client times out).
//
// It imports store and api; it keeps only the session affinity table between calls.
package proxy
