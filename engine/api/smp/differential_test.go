package smp

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/strategicpatch"
	"sigs.k8s.io/yaml"
)

// This file holds the harness that compares the package with apimachinery's strategicpatch,
// which tests may import (test imports do not reach the browser build).

// mustJSON converts a YAML (or JSON) document to JSON; "" stays empty.
func mustJSON(tb testing.TB, doc string) []byte {
	tb.Helper()
	if strings.TrimSpace(doc) == "" {
		return nil
	}
	j, err := yaml.YAMLToJSON([]byte(doc))
	if err != nil {
		tb.Fatalf("bad test YAML: %v\n%s", err, doc)
	}
	return j
}

// generic decodes JSON into plain maps and lists for semantic comparison.
func generic(tb testing.TB, data []byte) any {
	tb.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		tb.Fatalf("bad JSON %s: %v", data, err)
	}
	return v
}

// typed round-trips JSON through the Go type, as kubectl does with a patched object, so
// that a null and an absent field compare equal.
func typed(tb testing.TB, data []byte, dataStruct any) any {
	tb.Helper()
	obj := reflect.New(reflect.TypeOf(dataStruct).Elem()).Interface()
	if err := json.Unmarshal(data, obj); err != nil {
		tb.Fatalf("patched object does not decode: %v\n%s", err, data)
	}
	out, err := json.Marshal(obj)
	if err != nil {
		tb.Fatal(err)
	}
	return generic(tb, out)
}

func upstreamThreeWay(original, modified, current []byte, dataStruct any) ([]byte, error) {
	meta, err := strategicpatch.NewPatchMetaFromStruct(dataStruct)
	if err != nil {
		return nil, err
	}
	return strategicpatch.CreateThreeWayMergePatch(original, modified, current, meta, true)
}

func show(data []byte) string {
	var v any
	if json.Unmarshal(data, &v) != nil {
		return string(data)
	}
	out, _ := json.MarshalIndent(v, "", "  ")
	return string(out)
}

// outcome is what both implementations made of one three-way apply.
type outcome struct {
	patch, applied []byte
	err            error
}

// compareThreeWay runs kubectl apply's two steps (three-way patch, then the server's merge
// into current) with both implementations and reports every difference: in the error (one
// fails, the other does not), in the patch (semantically), and in the applied object (after
// a round trip through the Go type). It returns this package's outcome.
func compareThreeWay(tb testing.TB, original, modified, current []byte, dataStruct any) outcome {
	tb.Helper()
	upPatch, upErr := upstreamThreeWay(original, modified, current, dataStruct)
	ourPatch, ourErr := CreateThreeWayMergePatch(original, modified, current, dataStruct, true)
	if (upErr == nil) != (ourErr == nil) {
		tb.Fatalf("three-way patch: upstream error %v, ours %v\noriginal %s\nmodified %s\ncurrent %s\nupstream patch %s\nour patch %s",
			upErr, ourErr, original, modified, current, upPatch, ourPatch)
	}
	if upErr != nil {
		return outcome{err: ourErr}
	}
	if !reflect.DeepEqual(generic(tb, upPatch), generic(tb, ourPatch)) {
		tb.Errorf("three-way patches differ\noriginal %s\nmodified %s\ncurrent %s\nupstream %s\nours     %s",
			original, modified, current, show(upPatch), show(ourPatch))
	}
	upApplied, upErr := strategicpatch.StrategicMergePatch(current, upPatch, dataStruct)
	ourApplied, ourErr := StrategicMergePatch(current, ourPatch, dataStruct)
	crossApplied, crossErr := StrategicMergePatch(current, upPatch, dataStruct)
	if (upErr == nil) != (ourErr == nil) || (upErr == nil) != (crossErr == nil) {
		tb.Fatalf("apply: upstream error %v, ours %v, ours on upstream's patch %v\ncurrent %s\npatch %s", upErr, ourErr, crossErr, current, upPatch)
	}
	if upErr != nil {
		return outcome{patch: ourPatch, err: ourErr}
	}
	want := typed(tb, upApplied, dataStruct)
	if got := typed(tb, ourApplied, dataStruct); !reflect.DeepEqual(want, got) {
		tb.Errorf("applied objects differ\noriginal %s\nmodified %s\ncurrent %s\nupstream patch %s\nupstream result %s\nour result %s",
			original, modified, current, upPatch, show(upApplied), show(ourApplied))
	}
	if got := typed(tb, crossApplied, dataStruct); !reflect.DeepEqual(want, got) {
		tb.Errorf("applying upstream's patch differs\ncurrent %s\npatch %s\nupstream result %s\nour result %s",
			current, upPatch, show(upApplied), show(crossApplied))
	}
	return outcome{patch: ourPatch, applied: ourApplied}
}

// comparePatch applies one patch to current with both implementations and compares the
// results (error or not; the object as JSON, and after a round trip through the Go type).
func comparePatch(tb testing.TB, current, patch []byte, dataStruct any) ([]byte, error) {
	tb.Helper()
	up, upErr := strategicpatch.StrategicMergePatch(current, patch, dataStruct)
	ours, ourErr := StrategicMergePatch(current, patch, dataStruct)
	if (upErr == nil) != (ourErr == nil) {
		tb.Fatalf("patch: upstream error %v, ours %v\ncurrent %s\npatch %s\nupstream %s\nours %s", upErr, ourErr, current, patch, up, ours)
	}
	if upErr != nil {
		return nil, ourErr
	}
	if !reflect.DeepEqual(typed(tb, up, dataStruct), typed(tb, ours, dataStruct)) {
		tb.Errorf("patched objects differ\ncurrent %s\npatch %s\nupstream %s\nours %s", current, patch, show(up), show(ours))
	}
	return ours, nil
}
