package servicelb_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kubetab/kubetab/engine/terminal"
)

// A LoadBalancer Service is pending, then gets the pool's lowest free address; a Service of
// another class is left alone; an address given back is given again; the address reaches
// the Service's pods.
func TestLoadBalancerAddresses(t *testing.T) {
	s, err := terminal.New(terminal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	script := `kubectl create deployment web --image=nginx
kubectl expose deployment web --name=a --type=LoadBalancer --port=80
kubectl get svc a -o jsonpath='[{.status.loadBalancer.ingress[0].ip}]{"\n"}'
sleep 5
kubectl expose deployment web --name=b --type=LoadBalancer --port=81 --target-port=80
kubectl apply -f - <<END
apiVersion: v1
kind: Service
metadata: {name: other}
spec:
  type: LoadBalancer
  loadBalancerClass: example.com/lb
  selector: {app: web}
  ports: [{port: 82, targetPort: 80}]
END
sleep 5
kubectl get svc a b other -o jsonpath='{range .items[*]}{.metadata.name}={.status.loadBalancer.ingress[0].ip}/{.status.loadBalancer.ingress[0].ipMode} {end}{"\n"}'
curl -s http://172.18.255.201:81 | grep -c Welcome
kubectl get events --field-selector involvedObject.name=a -o custom-columns=REASON:.reason,FROM:.source.component --no-headers
kubectl delete svc a
kubectl expose deployment web --name=c --type=LoadBalancer --port=80
sleep 5
kubectl get svc c -o jsonpath='{.status.loadBalancer.ingress[0].ip}{"\n"}'
`
	if code := s.RunScript(script, &out); code != 0 {
		t.Fatalf("exit %d:\n%s", code, out.String())
	}
	for _, want := range []string{
		"\n[]\n", // pending at first
		"a=172.18.255.200/VIP b=172.18.255.201/VIP other=/ \n",
		"\n2\n", // nginx's page says Welcome twice
		"EnsuringLoadBalancer   service-controller\nEnsuredLoadBalancer    service-controller\n",
		"\n172.18.255.200\n", // a's address, given back, is c's
	} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("no %q in:\n%s", want, out.String())
		}
	}
}
