//go:build unix && !wasm

package cli

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// lockDir takes an exclusive flock on the file name (created if missing), waiting up to
// wait for whoever holds it, and returns what releases it. The OS drops the lock when the
// process ends, so one killed mid-command never leaves the directory locked.
func lockDir(name string, wait time.Duration) (unlock func(), err error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("locking the state directory: %w", err)
	}
	deadline := time.Now().Add(wait)
	for delay := time.Millisecond; ; delay = min(2*delay, 50*time.Millisecond) {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() {
				syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				f.Close()
			}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("locking the state directory: %w", err)
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, busyError(name, wait)
		}
		time.Sleep(delay)
	}
}
