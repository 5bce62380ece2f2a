//go:build !wasm

package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	osfs "github.com/hack-pad/hackpadfs/os"

	"github.com/kubetab/kubetab/engine/persist"
)

// loadState reads the cluster saved in dir as the next invocation would.
func loadState(t *testing.T, dir string) (persist.State, error) {
	t.Helper()
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	fsys, err := osfs.NewFS().Sub(strings.TrimPrefix(filepath.ToSlash(abs), "/"))
	if err != nil {
		t.Fatal(err)
	}
	return persist.Load(fsys)
}

// Concurrent invocations on one state directory run one at a time: every one that
// succeeds has its change in the final state, and the state always loads.
func TestConcurrentWritersLoseNothing(t *testing.T) {
	trials, writers := 20, 20
	if testing.Short() {
		trials = 2
	}
	for trial := range trials {
		state := filepath.Join(t.TempDir(), "st")
		var wg sync.WaitGroup
		ok := make([]bool, writers)
		outputs := make([]string, writers)
		for i := range writers {
			wg.Go(func() {
				cmd := exec.Command(os.Args[0], "--state", state, "kubectl", "label", "namespace", "default", fmt.Sprintf("k%d=v", i))
				cmd.Env = append(os.Environ(), childEnv+"=1")
				out, err := cmd.CombinedOutput()
				outputs[i] = string(out)
				var exit *exec.ExitError
				if err != nil && !errors.As(err, &exit) {
					t.Errorf("writer %d: %v", i, err)
				}
				ok[i] = err == nil
			})
		}
		wg.Wait()
		st, err := loadState(t, state)
		if err != nil {
			t.Fatalf("trial %d: the state does not load: %v", trial, err)
		}
		labels := map[string]bool{}
		for _, e := range st.Journal {
			labels[string(e.Args[len(e.Args)-1])] = true
		}
		succeeded := 0
		for i := range writers {
			if !ok[i] {
				// Only a writer that waited too long for the lock may fail, and it says so.
				if !strings.Contains(outputs[i], "another kubetab is using the cluster") {
					t.Errorf("trial %d: writer %d failed: %s", trial, i, outputs[i])
				}
				continue
			}
			succeeded++
			if !labels[fmt.Sprintf("k%d=v", i)] {
				t.Errorf("trial %d: writer %d exited 0 but its label is not in the state (output %q)", trial, i, outputs[i])
			}
		}
		if succeeded == 0 {
			t.Fatalf("trial %d: no writer succeeded", trial)
		}
		if len(st.Journal) != succeeded {
			t.Errorf("trial %d: %d commands journaled, %d succeeded", trial, len(st.Journal), succeeded)
		}
		if left, _ := filepath.Glob(filepath.Join(state, persist.TempPrefix+"*")); len(left) > 0 {
			t.Errorf("trial %d: temporary files left: %v", trial, left)
		}
	}
}

// A second invocation waits for the lock, then gives up with a clear message.
func TestBusyStateDirectory(t *testing.T) {
	state := t.TempDir()
	defer func(old time.Duration) { lockWait = old }(lockWait)
	lockWait = 50 * time.Millisecond
	d, err := openStateDir(state)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, errOut, code := runCLI(t, "", "--state", state, "kubectl", "get", "ns")
	if code != 1 || !strings.Contains(errOut, "another kubetab is using the cluster in "+state) {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if waited := time.Since(start); waited < lockWait {
		t.Fatalf("gave up after %s, before the %s wait", waited, lockWait)
	}
	d.close()
	if out, errOut, code := runCLI(t, "", "--state", state, "kubectl", "get", "ns", "-o", "name"); code != 0 || !strings.Contains(out, "namespace/default") {
		t.Fatalf("after the lock was released: exit %d\n%s%s", code, out, errOut)
	}
}

// A cluster.json that cannot be read fails every command, which names the file and says
// what to do, and is left as it was; reset replaces it and keeps it as .prev.
func TestUnreadableStateIsAnErrorAndUntouched(t *testing.T) {
	damages := map[string]func(t *testing.T, file string){
		"empty": func(t *testing.T, file string) { os.WriteFile(file, nil, 0o644) },
		"cut short": func(t *testing.T, file string) {
			b, _ := os.ReadFile(file)
			os.WriteFile(file, b[:len(b)/2], 0o644)
		},
		"not json":  func(t *testing.T, file string) { os.WriteFile(file, []byte("hello"), 0o644) },
		"directory": func(t *testing.T, file string) { os.Remove(file); os.Mkdir(file, 0o755) },
		"no permission": func(t *testing.T, file string) {
			if os.Geteuid() == 0 {
				t.Skip("root reads any file")
			}
			os.Chmod(file, 0)
		},
	}
	for name, damage := range damages {
		t.Run(name, func(t *testing.T) {
			state := filepath.Join(t.TempDir(), "st")
			file := filepath.Join(state, "cluster.json")
			for _, ns := range []string{"first", "second"} {
				if _, errOut, code := runCLI(t, "", "--state", state, "kubectl", "create", "namespace", ns); code != 0 {
					t.Fatal(errOut)
				}
			}
			damage(t, file)
			snapshot := func() string {
				fi, err := os.Stat(file)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := os.ReadFile(file)
				prev, _ := os.ReadFile(file + ".prev")
				return fmt.Sprintf("%v %d %q %q", fi.Mode(), fi.Size(), b, prev)
			}
			before := snapshot()
			for _, args := range [][]string{{"kubectl", "get", "ns"}, {"kubectl", "create", "namespace", "third"}, {"advance", "1m"}, {"--seed", "4", "kubectl", "get", "ns"}} {
				out, errOut, code := runCLI(t, "", append([]string{"--state", state}, args...)...)
				if code != 1 || out != "" {
					t.Fatalf("%q: exit %d, stdout %q", args, code, out)
				}
				for _, want := range []string{"cannot load the cluster saved in " + file, "Nothing was changed", "kubetab --state " + state + " reset", "mv " + file + ".prev " + file} {
					if !strings.Contains(errOut, want) {
						t.Errorf("%q: stderr does not say %q:\n%s", args, want, errOut)
					}
				}
				if after := snapshot(); after != before {
					t.Fatalf("%q changed the state directory:\n%s\n%s", args, before, after)
				}
			}
			out, errOut, code := runCLI(t, "", "--state", state, "reset")
			if name == "directory" {
				// A directory cannot take the place of the file .prev: reset says what to do.
				if code != 1 || !strings.Contains(errOut, "move it away by hand") {
					t.Fatalf("reset: exit %d\n%s%s", code, out, errOut)
				}
				return
			}
			if code != 0 || !strings.Contains(errOut, "kept as "+file+".prev") {
				t.Fatalf("reset: exit %d\n%s%s", code, out, errOut)
			}
			if st, err := loadState(t, state); err != nil || len(st.Journal) != 0 {
				t.Fatalf("after reset: %+v, %v", st, err)
			}
		})
	}
}

// --seed and --start shape a new cluster before or after the verb, and it is saved even
// when the first command changes nothing.
func TestSeedAndStartShapeANewCluster(t *testing.T) {
	start := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, args := range [][]string{
		{"--seed", "7", "--start", "2025-03-01T00:00:00Z", "reset"},
		{"reset", "--seed", "7", "--start", "2025-03-01T00:00:00Z"},
		{"--seed", "7", "--start", "2025-03-01T00:00:00Z", "kubectl", "get", "ns"},
		{"--seed=7", "--start=2025-03-01T00:00:00Z", "run", "-"},
	} {
		state := filepath.Join(t.TempDir(), "st")
		if out, errOut, code := runCLI(t, "kubectl get ns\n", append([]string{"--state", state}, args...)...); code != 0 {
			t.Fatalf("%q: exit %d\n%s%s", args, code, out, errOut)
		}
		st, err := loadState(t, state)
		if err != nil || st.Seed != 7 || !st.Start.Equal(start) {
			t.Fatalf("%q saved %+v, %v", args, st, err)
		}
		out, _, _ := runCLI(t, "", "--state", state, "advance", "1m")
		if out != "time advanced 1m to 2025-03-01T00:01:00Z\n" {
			t.Fatalf("%q, then advance: %q", args, out)
		}
	}
	// Without them, a read-only first command leaves the directory empty, so that a later
	// --seed still shapes the cluster.
	state := filepath.Join(t.TempDir(), "st")
	runCLI(t, "", "--state", state, "kubectl", "get", "ns")
	if _, err := loadState(t, state); !errors.Is(err, persist.ErrNoState) {
		t.Fatalf("a plain read saved a cluster: %v", err)
	}
	for _, bad := range []string{"0001-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "9001-01-01T00:00:00Z", "9999-12-31T00:00:00Z"} {
		_, errOut, code := runCLI(t, "", "--state", state, "--start", bad, "kubectl", "get", "ns")
		if code != 2 || !strings.Contains(errOut, "outside the years 1970 to 9000") {
			t.Errorf("--start %s: exit %d, %q", bad, code, errOut)
		}
	}
}

// Files, standard input and scripts are read through a limit: one over it is refused as
// soon as the limit is passed, and nothing of it enters the journal.
func TestInputsAreBounded(t *testing.T) {
	state := filepath.Join(t.TempDir(), "st")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, errOut, code := runCLI(t, "", "--state", state, "kubectl", "apply", "-f", "/dev/zero")
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	if code != 1 || errOut != "error: the file \"/dev/zero\" is larger than kubetab's limit of 1 MiB\n" {
		t.Fatalf("-f /dev/zero: exit %d, %q", code, errOut)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
		t.Errorf("-f /dev/zero allocated %d bytes", alloc)
	}
	if took > 10*time.Second {
		t.Errorf("-f /dev/zero took %s", took)
	}

	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	os.WriteFile(big, bytes.Repeat([]byte("# padding\n"), 200_000), 0o644)
	if _, errOut, code := runCLI(t, "", "--state", state, "kubectl", "apply", "-f", big); code != 1 || !strings.Contains(errOut, "larger than kubetab's limit of 1 MiB") {
		t.Fatalf("-f big.yaml: exit %d, %q", code, errOut)
	}
	if _, errOut, code := runCLI(t, strings.Repeat("# padding\n", 200_000), "--state", state, "kubectl", "apply", "-f", "-"); code != 1 || errOut != "error: the input from STDIN is larger than kubetab's limit of 1 MiB\n" {
		t.Fatalf("-f - with 2 MB: exit %d, %q", code, errOut)
	}
	if _, errOut, code := runCLI(t, strings.Repeat("# padding\n", 200_000), "--state", state, "run", "-"); code != 1 || !strings.Contains(errOut, "larger than kubetab's limit") {
		t.Fatalf("run - with 2 MB: exit %d, %q", code, errOut)
	}
	if _, errOut, code := runCLI(t, "", "--state", state, "run", big); code != 1 || !strings.Contains(errOut, "larger than kubetab's limit") {
		t.Fatalf("run big.yaml: exit %d, %q", code, errOut)
	}
	if b, err := os.ReadFile(filepath.Join(state, "cluster.json")); err == nil && len(b) > 64<<10 {
		t.Errorf("the journal grew to %d bytes", len(b))
	}
}
