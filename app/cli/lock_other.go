//go:build !unix && !wasm

package cli

import (
	"errors"
	"fmt"
	"os"
	"time"
)

// lockDir holds the lock by creating the file name exclusively, waiting up to wait for
// whoever holds it, and returns what releases it (removes the file). Without flock a
// process killed mid-command leaves the file behind: the error says to remove it.
func lockDir(name string, wait time.Duration) (unlock func(), err error) {
	deadline := time.Now().Add(wait)
	for delay := time.Millisecond; ; delay = min(2*delay, 50*time.Millisecond) {
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			f.Close()
			return func() { os.Remove(name) }, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("locking the state directory: %w", err)
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%w (if no kubetab is running, remove %s)", busyError(name, wait), name)
		}
		time.Sleep(delay)
	}
}
