package rootcacert

import (
	"maps"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/sim"
	"github.com/kubetab/kubetab/engine/store"
)

// Name is the controller's name, and its API client's.
const Name = "root-ca-cert-publisher"

// ConfigMapName is the ConfigMap the controller keeps in every namespace, and its key.
const (
	ConfigMapName = "kube-root-ca.crt"
	Key           = "ca.crt"
)

// DescriptionAnnotation and Description say what the ConfigMap is for, as upstream's do.
const (
	DescriptionAnnotation = "kubernetes.io/description"
	Description           = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. " +
		"No other usage is guaranteed across distributions of Kubernetes clusters."
)

// RootCA is the cluster's CA certificate: one fixed self-signed certificate (CN kubernetes,
// valid from 2025-12-31 for ten years), the same in every kubetab cluster.
const RootCA = `-----BEGIN CERTIFICATE-----
MIIC7jCCAdagAwIBAgIIPGiVa2biFeQwDQYJKoZIhvcNAQELBQAwFTETMBEGA1UE
AxMKa3ViZXJuZXRlczAeFw0yNTEyMzEwOTAwMDBaFw0zNTEyMjkwOTAwMDBaMBUx
EzARBgNVBAMTCmt1YmVybmV0ZXMwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEK
AoIBAQC6YA7ezXEeA2wQ3C/Hg8WhgL+nMlaLK6ojoT3ZMd+JsR+5+8Y6gon7c/dO
h5jWAPbEHupKBc8LGUpJzEmTieeDyUIZWVrHfdk6rOLurw0xid6QwbP7H73quvyi
t3CfOQSYR5eQa5pOOjKfd8w35oJ6xJsZC47CtVD2l86daeC0mR2TIwB7u79AQ4mm
2DuQU0vEv4i9Qai2jgHTGUtK5WkgaRZ5/g+t1L95srZBcx+EPowU5a2gdDJa4lFN
qggCFOFQQJqS9zYkE/m7rN528Ros4efHtiKZEbsQSk5XsbLV+0Mi5xUfsR0TBTsZ
9W11Tvkd6fDtzaHhMJ9bVzrO3NqVAgMBAAGjQjBAMA4GA1UdDwEB/wQEAwICpDAP
BgNVHRMBAf8EBTADAQH/MB0GA1UdDgQWBBS9G3MgK8WS3ctslrKqPn2GNthKpDAN
BgkqhkiG9w0BAQsFAAOCAQEAoozz9aKO+gCQ1KBf1p5NJPIAkcCJ1ZL6KbHnu9cG
YOBqxMEB5BbydUfnx7EzM5P8gGUE9Lxx4AiM5oukRKTqNKh8PlyXnlSghWzQvNzY
VvJHObq6KRTOZZyPAgDdkm7KoZEkbegH2OZdy4z7hihKH9B/JwmL9ljw8Ux78IU1
s0qbfca5r+JJH48ODF7A/tyjfc9Y2jtpPD11WqE9FNsxJwovDSzNemJwMGtgMgdw
argeHsimdQHqS28i+PkSvmGrdod+m7vORri8OpAXwqdLlwjfoDP/NVqhLs13EvD7
FOS3up/JK9khH3xn57NWI4RLdN+PmO2a54ViG9rnmWuNYw==
-----END CERTIFICATE-----
`

var (
	namespacesResource = api.ResourceByName("namespaces")
	configMapsResource = api.ResourceByName("configmaps")
)

// Publisher is the root-ca-cert-publisher of one cluster.
type Publisher struct {
	c   *sim.Cluster
	api *apiserver.Client
}

// New adds the publisher to c.
func New(c *sim.Cluster) *Publisher {
	p := &Publisher{c: c, api: c.API.Client(Name)}
	c.Watch(namespacesResource.Name, p.onNamespace)
	c.Watch(configMapsResource.Name, p.onConfigMap)
	c.AddController(Name, p.sync)
	return p
}

// onNamespace queues a new namespace, and one that is (still) active when it changes.
func (p *Publisher) onNamespace(ev store.WatchEvent) {
	if ev.Type == store.Deleted {
		return
	}
	if ns := ev.Object.(*corev1.Namespace); ev.Type == store.Added || ns.Status.Phase == corev1.NamespaceActive {
		p.c.Enqueue(Name, ns.Name)
	}
}

// onConfigMap queues the namespace of a kube-root-ca.crt that changed or went away.
func (p *Publisher) onConfigMap(ev store.WatchEvent) {
	if ev.Type != store.Added && ev.Object.GetName() == ConfigMapName {
		p.c.Enqueue(Name, ev.Object.GetNamespace())
	}
}

// sync makes the namespace's kube-root-ca.crt what it should be.
func (p *Publisher) sync(ns string) (time.Duration, error) {
	if p.c.Store.Lookup(namespacesResource, "", ns) == nil {
		return 0, nil
	}
	data := map[string]string{Key: RootCA}
	cur := p.c.Store.Lookup(configMapsResource, ns, ConfigMapName)
	if cur == nil {
		_, err := p.api.Create(&corev1.ConfigMap{
			ObjectMeta: metav1.ObjectMeta{Name: ConfigMapName, Namespace: ns, Annotations: map[string]string{DescriptionAnnotation: Description}},
			Data:       data,
		}, apiserver.CreateOptions{HandOver: true})
		// Not again in a namespace that is gone or being deleted.
		if apierrors.IsNotFound(err) || apierrors.IsForbidden(err) {
			return 0, nil
		}
		return 0, err
	}
	cm := cur.(*corev1.ConfigMap)
	if maps.Equal(cm.Data, data) && cm.Annotations[DescriptionAnnotation] != "" {
		return 0, nil
	}
	cm = cm.DeepCopy()
	cm.Data = data
	if cm.Annotations == nil {
		cm.Annotations = map[string]string{}
	}
	cm.Annotations[DescriptionAnnotation] = Description
	_, err := p.api.Update(cm, apiserver.UpdateOptions{HandOver: true})
	return 0, err
}
