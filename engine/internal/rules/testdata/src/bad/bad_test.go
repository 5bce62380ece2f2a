package bad

import (
	"os"
	"testing"
	"time"
)

// Tests may read the wall clock and the host: nothing here is reported.
func TestWallClock(t *testing.T) {
	go func() {}()
	_ = time.Now()
	_ = os.Getenv("HOME")
}
