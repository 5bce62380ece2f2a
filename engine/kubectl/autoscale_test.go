package kubectl

import (
	"testing"
	"time"
)

const cpuPercentDeprecated = "Flag --cpu-percent has been deprecated, Use --cpu with percentage or resource quantity format (e.g., '70%' for utilization or '500m' for milliCPU).\n"

// kubectl autoscale, get and describe hpa as v1.37 prints them (realk8s/hpa has the same
// against a real control plane).
func TestAutoscale(t *testing.T) {
	s := newSession(t)
	runStepsIn(t, s, []step{
		{cmd: "create deployment web --image=nginx --replicas=2", out: "deployment.apps/web created\n"},
		{cmd: "run p --image=nginx", out: "pod/p created\n"},
		{cmd: "autoscale deployment/web", err: "error: --max=MAXPODS is required and must be at least 1, max: -1\n", code: 1},
		{cmd: "autoscale deployment/web --min=5 --max=3", err: "error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: 3, min: 5\n", code: 1},
		{cmd: "autoscale deployment/web --max=3 --cpu=50% --cpu-percent=50", err: cpuPercentDeprecated + "error: --cpu-percent and --cpu are mutually exclusive\n", code: 1},
		{cmd: "autoscale deployment/web --max=3 --cpu=lots", err: "error: invalid resource cpu value: lots\n", code: 1},
		{cmd: "autoscale pod/p --max=3", err: "error: cannot autoscale a Pod: could not find scale subresource for /v1, Resource=pods in discovery information\n", code: 1},
		{cmd: "autoscale rs/nothing --max=3", err: "Error from server (NotFound): replicasets.apps \"nothing\" not found\n", code: 1},
		{cmd: "autoscale deployment web --max=4 --cpu=500m --memory=200 --name=web-value --dry-run=client -o yaml", out: `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web-value
spec:
  maxReplicas: 4
  metrics:
  - resource:
      name: cpu
      target:
        averageValue: 500m
        type: AverageValue
    type: Resource
  - resource:
      name: memory
      target:
        averageValue: 200Mi
        type: AverageValue
    type: Resource
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
status:
  currentMetrics: null
  desiredReplicas: 0
`},
		{cmd: "autoscale deployment web --max=4 --dry-run=client", out: "horizontalpodautoscaler.autoscaling/web created (dry run)\n"},
		{cmd: "get hpa", err: "No resources found in default namespace.\n"},
		{cmd: "autoscale deployment/web --min=3 --max=10 --cpu-percent=80", out: "horizontalpodautoscaler.autoscaling/web autoscaled\n", err: cpuPercentDeprecated},
		{cmd: "autoscale deployment/web --max=3 --cpu=50% -o name", err: "Error from server (AlreadyExists): horizontalpodautoscalers.autoscaling \"web\" already exists\n", code: 1},
		{cmd: "get deploy web -o jsonpath={.spec.replicas}", out: "3"},
		{cmd: "get hpa", out: `NAME   REFERENCE        TARGETS              MINPODS   MAXPODS   REPLICAS   AGE
web    Deployment/web   cpu: <unknown>/80%   3         10        2          0s
`},
		{cmd: "describe hpa web", out: `Name:                                                  web
Namespace:                                             default
Labels:                                                <none>
Annotations:                                           <none>
CreationTimestamp:                                     Thu, 01 Jan 2026 09:00:00 +0000
Reference:                                             Deployment/web
Metrics:                                               ( current / target )
  resource cpu on pods  (as a percentage of request):  <unknown> / 80%
Min replicas:                                          3
Max replicas:                                          10
Deployment pods:                                       2 current / 3 desired
Conditions:
  Type          Status  Reason            Message
  ----          ------  ------            -------
  AbleToScale   True    SucceededRescale  the HPA controller was able to update the target scale to 3
  ScaledToZero  False   NotScaledToZero   the HPA controller did not scale the workload to zero
Events:
  Type    Reason             Age   From                       Message
  ----    ------             ----  ----                       -------
  Normal  SuccessfulRescale  0s    horizontal-pod-autoscaler  New size: 3; reason: Current number of replicas below Spec.MinReplicas
`},
		{cmd: "top pods", err: "error: Metrics API not available\n", code: 1},
		{cmd: "top nodes", err: "error: Metrics API not available\n", code: 1},
		{cmd: "delete hpa web", out: "horizontalpodautoscaler.autoscaling \"web\" deleted from default namespace\n"},
	})
}

// kubectl top with the metrics-server addon: the model's figures (engine/metrics).
func TestTop(t *testing.T) {
	s := newSession(t)
	if err := s.c.EnableMetricsServer(); err != nil {
		t.Fatal(err)
	}
	runStepsIn(t, s, []step{
		{cmd: "top pods", err: "error: the server is currently unable to handle the request (get pods.metrics.k8s.io)\n", code: 1},
		{cmd: "create deployment web --image=nginx --replicas=2", out: "deployment.apps/web created\n"},
	})
	if err := s.c.Advance(time.Minute); err != nil {
		t.Fatal(err)
	}
	runStepsIn(t, s, []step{
		{cmd: "top pods", out: "NAME                   CPU(cores)   MEMORY(bytes)   \nweb-5fc9f4bf66-d4rbl   1m           3Mi             \nweb-5fc9f4bf66-x5z8h   1m           3Mi             \n"},
		{cmd: "top pods -A --sort-by=memory --no-headers", out: "kube-system   metrics-server-69d6d8dc58-6c9r8   1m    18Mi   \ndefault       web-5fc9f4bf66-d4rbl              1m    3Mi    \ndefault       web-5fc9f4bf66-x5z8h              1m    3Mi    \n"},
		{cmd: "top pod web-5fc9f4bf66-x5z8h --containers", out: "POD                    NAME    CPU(cores)   MEMORY(bytes)   \nweb-5fc9f4bf66-x5z8h   nginx   1m           3Mi             \n"},
		{cmd: "top pods --sum", out: "NAME                   CPU(cores)   MEMORY(bytes)   \nweb-5fc9f4bf66-d4rbl   1m           3Mi             \nweb-5fc9f4bf66-x5z8h   1m           3Mi             \n                       ________     ________        \n                       2m           6Mi             \n"},
		{cmd: "top nodes", out: "NAME                    CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   \nkubetab-control-plane   100m         2%       512Mi           6%          \nkubetab-worker          101m         2%       530Mi           6%          \nkubetab-worker2         101m         2%       515Mi           6%          \nkubetab-worker3         101m         2%       515Mi           6%          \n"},
		{cmd: "top pods -l app=none", err: "No resources found in default namespace.\n"},
		{cmd: "top pod nothing", err: "Error from server (NotFound): pods \"nothing\" not found\n", code: 1},
	})
}
