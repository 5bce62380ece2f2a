package api

import (
	"strings"
	"testing"

	autoscalingv2 "k8s.io/api/autoscaling/v2"
)

// The errors a v1.37 API server gives for these HPAs (kubectl apply --dry-run=server on
// refk8s), in its order.
func TestValidateHPA(t *testing.T) {
	tests := []struct {
		name, manifest string
		want           []string
	}{
		{"scale to zero and missing fields", `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: bad1
spec:
  minReplicas: 0
  scaleTargetRef:
    apiVersion: v1
    kind: Deployment
`, []string{
			"spec.scaleTargetRef.name: Required value",
			`spec.scaleTargetRef.apiVersion: Invalid value: "v1": apiVersion must specify API group`,
			"spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas",
			"spec.maxReplicas: Required value",
		}},
		{"metrics", `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: bad2
spec:
  minReplicas: 5
  maxReplicas: 3
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  metrics:
  - type: Resource
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 0
  - type: Pods
    resource:
      name: cpu
      target:
        type: Foo
        averageValue: 100m
`, []string{
			"spec.maxReplicas: Invalid value: 3: must be greater than or equal to `minReplicas`",
			"spec.metrics[0].resource: Required value: must populate information for the given metric source",
			"spec.metrics[1].resource.target.averageUtilization: Invalid value: 0: must be greater than 0",
			`spec.metrics[2].resource.target.type: Invalid value: "Foo": must be either Utilization, Value, or AverageValue`,
			"spec.metrics[2].pods: Required value: must populate information for the given metric source",
		}},
		{"behavior", `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: bad3
spec:
  maxReplicas: -1
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web/x
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 4000
      selectPolicy: Foo
      policies:
      - type: Bar
        value: 0
        periodSeconds: 2000
    scaleUp:
      policies: []
`, []string{
			"spec.maxReplicas: Invalid value: -1: must be greater than or equal to `minReplicas`",
			`spec.scaleTargetRef.name: Invalid value: "web/x": may not contain '/'`,
			"spec.behavior.scaleUp.policies: Required value: must specify at least one Policy",
			"spec.behavior.scaleDown.stabilizationWindowSeconds: Invalid value: 4000: must be less than or equal to 3600",
			`spec.behavior.scaleDown.selectPolicy: Unsupported value: "Foo": supported values: "Disabled", "Max", "Min"`,
			`spec.behavior.scaleDown.policies[0].type: Unsupported value: "Bar": supported values: "Percent", "Pods"`,
			"spec.behavior.scaleDown.policies[0].value: Invalid value: 0: must be greater than zero",
			"spec.behavior.scaleDown.policies[0].periodSeconds: Invalid value: 2000: must be less than or equal to 1800",
			"spec.maxReplicas: Invalid value: -1: must be greater than or equal to 1",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj := decodeOne(t, tt.manifest)
			Default(obj)
			var got []string
			for _, e := range ValidateCreate(obj) {
				got = append(got, e.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// SetDefaults_HorizontalPodAutoscaler: minReplicas 1 and 80 % CPU; a behavior given is
// filled in, scaleDown's window left to the controller.
func TestDefaultHPA(t *testing.T) {
	obj := decodeOne(t, `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  maxReplicas: 5
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  behavior:
    scaleDown:
      selectPolicy: Min
`)
	Default(obj)
	h := obj.(*autoscalingv2.HorizontalPodAutoscaler)
	if *h.Spec.MinReplicas != 1 || len(h.Spec.Metrics) != 1 || h.Spec.Metrics[0].Resource.Name != "cpu" || *h.Spec.Metrics[0].Resource.Target.AverageUtilization != 80 {
		t.Errorf("spec = %+v", h.Spec)
	}
	up, down := h.Spec.Behavior.ScaleUp, h.Spec.Behavior.ScaleDown
	if *up.StabilizationWindowSeconds != 0 || *up.SelectPolicy != "Max" || len(up.Policies) != 2 || up.Policies[0].Value != 4 || up.Policies[1].Value != 100 {
		t.Errorf("scaleUp = %+v", up)
	}
	if down.StabilizationWindowSeconds != nil || *down.SelectPolicy != "Min" || len(down.Policies) != 1 || down.Policies[0].Type != "Percent" {
		t.Errorf("scaleDown = %+v", down)
	}
	if errs := ValidateCreate(obj); len(errs) != 0 {
		t.Errorf("defaulted HPA invalid: %v", errs)
	}
}

// autoscaling/v1 is served and stored as v2; v2beta2 is a legacy version with v2's fields.
func TestDecodeHPAVersions(t *testing.T) {
	docs := Decode([]byte(`apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  name: php-apache
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: php-apache}
  minReplicas: 1
  maxReplicas: 10
  targetCPUUtilizationPercentage: 50
---
apiVersion: autoscaling/v2beta2
kind: HorizontalPodAutoscaler
metadata:
  name: old
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: old}
  maxReplicas: 3
---
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  name: typo
spec:
  maxReplica: 3
`))
	if len(docs) != 3 || docs[0].Err != nil || docs[1].Err != nil {
		t.Fatalf("docs = %+v", docs)
	}
	h := docs[0].Object.(*autoscalingv2.HorizontalPodAutoscaler)
	if h.APIVersion != "autoscaling/v2" || len(docs[0].Warnings) != 0 || *h.Spec.Metrics[0].Resource.Target.AverageUtilization != 50 || h.Spec.MaxReplicas != 10 || h.Spec.ScaleTargetRef.Name != "php-apache" {
		t.Errorf("v1 = %+v, warnings %q", h, docs[0].Warnings)
	}
	if len(docs[1].Warnings) != 1 || !strings.Contains(docs[1].Warnings[0], "autoscaling/v2beta2 HorizontalPodAutoscaler is no longer served since Kubernetes v1.26") {
		t.Errorf("v2beta2 warnings = %q", docs[1].Warnings)
	}
	if docs[2].Err == nil || !strings.Contains(docs[2].Err.Error(), `unknown field "spec.maxReplica"`) {
		t.Errorf("typo: %v", docs[2].Err)
	}
}
