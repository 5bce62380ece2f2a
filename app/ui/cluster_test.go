package ui

import (
	"net/url"
	"testing"

	"github.com/kubetab/kubetab/app/session"
	"github.com/kubetab/kubetab/app/snapshot"
)

func TestGroupCounts(t *testing.T) {
	if s := groupCounts(snapshot.Owner{Kind: "ReplicationController", Desired: 3, Current: 3, Ready: 2}); s != "desired 3 · current 3 · ready 2" {
		t.Errorf("groupCounts %q", s)
	}
	if s := groupCounts(snapshot.Owner{Kind: "Job", Desired: 5, Current: 2, Ready: 1}); s != "completions 1/5 · active 2" {
		t.Errorf("job counts %q", s)
	}
	if s := groupCounts(snapshot.Owner{Kind: "ReplicaSet", Desired: -1, Pods: 2}); s != "2 pods (owner not found)" {
		t.Errorf("orphan counts %q", s)
	}
}

func TestContextOf(t *testing.T) {
	for raw, want := range map[string]string{
		"http://h/":                         session.Playground,
		"http://h/tutorial":                 session.Playground,
		"http://h/tutorial/02-rc":           session.LessonContext("02-rc"),
		"http://h/p/tutorial/02-rc":         session.LessonContext("02-rc"),
		"http://h/s/abcdefghijklmnop":       session.SharedContext("abcdefghijklmnop"),
		"http://h/?shared=abcdefghijklmnop": session.SharedContext("abcdefghijklmnop"),
		"http://h/?shared=../x":             session.Playground,
	} {
		u, _ := url.Parse(raw)
		if got := ContextOf(u); got != want {
			t.Errorf("ContextOf(%s) = %q, want %q", raw, got, want)
		}
	}
}

func TestNextWords(t *testing.T) {
	for label, want := range map[string]string{
		"kubelet kubetab-worker probe default/kubia-x/kubia liveness": "kubia-x liveness probe",
		"kubelet kubetab-worker sandbox default/kubia-x":              "kubia-x starts",
		"kubelet kubetab-worker2 pull other/web-1":                    "web-1 image pull",
		"kubelet kubetab-worker restart default/kubia-x/kubia":        "kubia-x restarts",
		"kubelet kubetab-worker sync default/web-1":                   "web-1 volumes refresh",
		"kubelet kubetab-worker mount default/web-1":                  "web-1 volume mount retry",
		"cronjob-controller default/hello":                            "cronjob hello",
		"node-controller kubetab-worker":                              "node kubetab-worker",
		"deployment-controller other/web":                             "other/web progress check",
		"pod-garbage-collector default/x":                             "pod-garbage-collector x",
		"odd":                                                         "odd",
	} {
		if got := nextWords(label); got != want {
			t.Errorf("nextWords(%q) = %q, want %q", label, got, want)
		}
	}
}
