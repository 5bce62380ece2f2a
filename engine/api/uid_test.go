package api

import (
	"testing"

	"k8s.io/apimachinery/pkg/types"
)

func TestUIDRoundTrip(t *testing.T) {
	const uid types.UID = "0f3c2a4e-9b1d-4c8e-a7f6-5d2e1b0c9a8f"
	b, ok := ParseUID(uid)
	if !ok || FormatUID(b) != uid {
		t.Fatalf("ParseUID(%s) = %x, %v; formatted back %s", uid, b, ok, FormatUID(b))
	}
	for _, other := range []types.UID{"", "my-uid", "0F3C2A4E-9B1D-4C8E-A7F6-5D2E1B0C9A8F", "0f3c2a4e09b1d04c8e0a7f605d2e1b0c9a8f", "0f3c2a4e-9b1d-4c8e-a7f6-5d2e1b0c9a8g",
		"0f3c2a4e-9b1d-4c8e-a7f6-5d2e1b0c9a-f", "0f3c2a4e-9b1d-4c8e-a7f6-5d2e1b0c9a8\x00", "0f3c2a4e-9b1d-4c8e-a7f6+5d2e1b0c9a8f", "-f3c2a4e-9b1d-4c8e-a7f6-5d2e1b0c9a8f"} {
		if _, ok := ParseUID(other); ok {
			t.Errorf("ParseUID(%q) accepted a uid FormatUID does not write", other)
		}
	}
}
