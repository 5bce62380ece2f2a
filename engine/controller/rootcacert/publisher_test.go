package rootcacert_test

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/apiserver"
	"github.com/kubetab/kubetab/engine/cluster"
	"github.com/kubetab/kubetab/engine/controller/rootcacert"
)

var configMaps = api.ResourceByName("configmaps")

// rootCA returns the namespace's kube-root-ca.crt, or nil.
func rootCA(c *cluster.Cluster, ns string) *corev1.ConfigMap {
	o := c.Store.Lookup(configMaps, ns, rootcacert.ConfigMapName)
	if o == nil {
		return nil
	}
	return o.(*corev1.ConfigMap)
}

func settle(t *testing.T, c *cluster.Cluster) {
	t.Helper()
	if err := c.Settle(); err != nil {
		t.Fatal(err)
	}
}

// Every namespace has kube-root-ca.crt, a new one too; the publisher makes it again when
// it is deleted and puts its data back when it is changed.
func TestEveryNamespaceHasTheRootCA(t *testing.T) {
	c, err := cluster.New(cluster.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	settle(t, c)
	for _, ns := range []string{"default", "kube-system", "kube-public", "kube-node-lease"} {
		cm := rootCA(c, ns)
		if cm == nil || cm.Data[rootcacert.Key] != rootcacert.RootCA || cm.Annotations[rootcacert.DescriptionAnnotation] != rootcacert.Description {
			t.Errorf("%s: %+v", ns, cm)
		}
	}

	cl := c.API.Client("test")
	if _, err := cl.Create(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "team"}}, apiserver.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	settle(t, c)
	if rootCA(c, "team") == nil {
		t.Error("no kube-root-ca.crt in a new namespace")
	}

	if _, err := cl.Delete(configMaps, "team", rootcacert.ConfigMapName, apiserver.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	settle(t, c)
	if rootCA(c, "team") == nil {
		t.Error("a deleted kube-root-ca.crt is not made again")
	}

	cm := rootCA(c, "team").DeepCopy()
	cm.Data = map[string]string{rootcacert.Key: "tampered", "extra": "x"}
	cm.Annotations = nil
	if _, err := cl.Update(cm, apiserver.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	settle(t, c)
	if cm := rootCA(c, "team"); len(cm.Data) != 1 || cm.Data[rootcacert.Key] != rootcacert.RootCA || cm.Annotations[rootcacert.DescriptionAnnotation] == "" {
		t.Errorf("a changed kube-root-ca.crt is not put back: %+v", cm)
	}

	// A namespace being deleted gets no new one: the deletion finishes.
	if _, err := cl.Delete(api.ResourceByName("namespaces"), "", "team", apiserver.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := c.Advance(time.Minute); err != nil {
		t.Fatal(err)
	}
	if ns := c.Store.Lookup(api.ResourceByName("namespaces"), "", "team"); ns != nil {
		t.Errorf("namespace team still there: %+v", ns.(*corev1.Namespace).Status)
	}
}
