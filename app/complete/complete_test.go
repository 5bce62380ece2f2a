package complete

import (
	"reflect"
	"testing"
)

func TestCompleteLine(t *testing.T) {
	names := func(kind, ns string) []string {
		switch kind + "@" + ns {
		case "pods@default":
			return []string{"kubia-4x7p2", "kubia-9zq2m", "batch-job-abc"}
		case "pods@kube-system":
			return []string{"ssd-monitor-x1"}
		case "nodes@":
			return []string{"kubetab-control-plane", "kubetab-worker", "kubetab-worker2"}
		case "namespaces@":
			return []string{"default", "kube-system"}
		case "replicationcontrollers@default":
			return []string{"kubia"}
		case "files@":
			return []string{"kubia-rc.yaml", "my file.yaml"}
		}
		return nil
	}
	tests := []struct {
		name       string
		line       string
		wantLine   string
		wantCands  []string
		cursorAtEn bool
	}{
		{"command", "kubec", "kubectl ", []string{"kubectl"}, true},
		{"command choices", "k", "k", []string{"k", "kubectl", "kubetab"}, true},
		{"verb", "kubectl ge", "kubectl get ", []string{"get"}, true},
		{"verb common prefix", "kubectl c", "kubectl c", []string{"cluster-info", "config", "cordon", "create"}, true},
		{"resource type", "kubectl get replicationc", "kubectl get replicationcontroller", []string{"replicationcontroller", "replicationcontrollers"}, true},
		{"short name", "k get rc", "k get rc ", []string{"rc"}, true},
		{"pod names", "kubectl delete po kubia-4", "kubectl delete po kubia-4x7p2 ", []string{"kubia-4x7p2"}, true},
		{"pod names common", "kubectl logs kub", "kubectl logs kubia-", []string{"kubia-4x7p2", "kubia-9zq2m"}, true},
		{"namespace flag", "kubectl get pods -n kube-s", "kubectl get pods -n kube-system ", []string{"kube-system"}, true},
		{"names in namespace", "kubectl -n kube-system logs ss", "kubectl -n kube-system logs ssd-monitor-x1 ", []string{"ssd-monitor-x1"}, true},
		{"type/name", "kubectl describe rc/k", "kubectl describe rc/kubia ", []string{"rc/kubia"}, true},
		{"flags", "kubectl get pods --wat", "kubectl get pods --watch", []string{"--watch", "--watch-only"}, true},
		{"output formats", "kubectl get po -o ya", "kubectl get po -o yaml ", []string{"yaml"}, true},
		{"files", "kubectl apply -f kub", "kubectl apply -f kubia-rc.yaml ", []string{"kubia-rc.yaml"}, true},
		{"file needing quotes", "kubectl apply -f my", "kubectl apply -f 'my file.yaml' ", []string{"my file.yaml"}, true},
		{"logs -f is follow", "kubectl logs -f kubia-9", "kubectl logs -f kubia-9zq2m ", []string{"kubia-9zq2m"}, true},
		{"node verbs", "kubectl cordon kubetab-worker2", "kubectl cordon kubetab-worker2 ", []string{"kubetab-worker2"}, true},
		{"kubetab", "kubetab no", "kubetab node ", []string{"node"}, true},
		{"kubetab node action", "kubetab node f", "kubetab node fail ", []string{"fail"}, true},
		{"kubetab node name", "kubetab node fail kubetab-w", "kubetab node fail kubetab-worker", []string{"kubetab-worker", "kubetab-worker2"}, true},
		{"after &&", "kubectl get po && kubectl get n", "kubectl get po && kubectl get n", []string{"namespace", "namespaces", "no", "node", "nodes", "ns"}, true},
		{"nothing", "kubectl get pods kubia-4x7p2 zz", "kubectl get pods kubia-4x7p2 zz", nil, true},
		{"unknown command", "echo hi", "echo hi", nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Line(tc.line, len(tc.line), names)
			if got.Line != tc.wantLine {
				t.Errorf("line %q, want %q", got.Line, tc.wantLine)
			}
			if !reflect.DeepEqual(got.Candidates, tc.wantCands) {
				t.Errorf("candidates %q, want %q", got.Candidates, tc.wantCands)
			}
			if got.Line != tc.line && got.Cursor != len(got.Line) {
				t.Errorf("cursor %d, want %d", got.Cursor, len(got.Line))
			}
		})
	}
}

func TestCompleteLineMidLine(t *testing.T) {
	got := Line("kubectl ge pods", len("kubectl ge"), func(string, string) []string { return nil })
	if got.Line != "kubectl get  pods" || got.Cursor != len("kubectl get ") {
		t.Fatalf("%+v", got)
	}
}
