// Package servicelb is the cluster's load balancer: the cloud provider's service controller
// (upstream's k8s.io/cloud-provider controllers/service, as kind's cloud-provider-kind runs
// it). A Service of type LoadBalancer without a loadBalancerClass gets an address from the
// kind network's pool 172.18.255.200–250 (the lowest one no other Service holds, or the
// spec's loadBalancerIP when it is free and in the pool) a few seconds after it asks, with
// the EnsuringLoadBalancer and EnsuredLoadBalancer events; kube-proxy (engine/proxy) then
// routes the address's ports to the Service. Deleting the Service, or changing its type,
// frees the address (the API server clears the status).
//
// Imports sim, apiserver and api; writes as the service-controller client.
package servicelb
