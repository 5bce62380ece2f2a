package events

import (
	"fmt"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

// format must read exactly as fmt.Sprintf, whichever way it formats.
func TestFormatAsSprintf(t *testing.T) {
	for _, c := range []struct {
		format string
		args   []any
	}{
		{"Created pod: %s", []any{"hello-29454300-x7k2p"}},
		{"Pulling image %q", []any{"luksa/kubia:v1"}},
		{"quote \"%q\" and tab %q", []any{"a\"b", "c\td\u00e9\x01"}},
		{"Scaled up replica set %s from %d to %d", []any{"rs", 3, int32(10)}},
		{"%v of %v (%d)", []any{"a", 7, int64(-9)}},
		{"100%% done by %s", []any{"me"}},
		{"trailing %", []any{}},
		{"trailing %s %", []any{"x"}},
		{"missing %s %s", []any{"one"}},
		{"extra %s", []any{"one", "two"}},
		{"width %5s", []any{"x"}},
		{"flag %-d", []any{3}},
		{"wrong verb %d", []any{"str"}},
		{"wrong verb %s", []any{3}},
		{"float %v", []any{1.5}},
		{"named string %s", []any{corev1.PodRunning}},
		{"error %v", []any{fmt.Errorf("boom")}},
		{"no verbs", nil},
		{"%s", []any{""}},
	} {
		if got, want := format(c.format, c.args), fmt.Sprintf(c.format, c.args...); got != want {
			t.Errorf("format(%q, %v) = %q, want %q", c.format, c.args, got, want)
		}
	}
}
