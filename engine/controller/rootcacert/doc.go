// Package rootcacert is the root-ca-cert-publisher controller (upstream's
// pkg/controller/certificates/rootcacertpublisher, v1.37): every active namespace holds a
// ConfigMap kube-root-ca.crt with the cluster's CA certificate (ca.crt) and the
// kubernetes.io/description annotation, which the ServiceAccount admission's projected
// token volume (kube-api-access-xxxxx) mounts as ca.crt in every pod. The controller
// creates it in a new namespace, makes it again when it is deleted, and puts its data and
// annotation back when they are changed. kubetab's cluster has one fixed CA certificate
// (RootCA): nothing in kubetab verifies TLS.
//
// Imports sim, apiserver and api; writes as the root-ca-cert-publisher client.
package rootcacert
