// Command record runs the scripts of testdata/realk8s against a real Kubernetes control
// plane and writes their transcripts (NAME.txt) and PROVENANCE.md, for realk8s's test to
// compare kubetab with. Each script gets a fresh refk8s cluster (../shared/tools/refk8s:
// real etcd, kube-apiserver, kube-controller-manager and kube-scheduler, fake kubelets)
// and real kubectl, run in the script's directory; the script starts at a whole minute of
// the wall clock, as kubetab's clock starts at 09:00:00. A shell script (realk8s.IsShell)
// runs whole in one bash in an empty workspace directory, its `kubetab` commands run by
// this program again (harness).
//
//	go run ./realk8s/record -refk8s PATH/bin/refk8s [-parallel 2] [NAME...]
//
// `make record-realk8s` builds refk8s first when REFK8S is not given. Nothing here runs in
// CI: the transcripts are committed.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/kubetab/kubetab/engine/terminal"
	"github.com/kubetab/kubetab/realk8s"
)

var (
	refk8sBin   = flag.String("refk8s", "", "the refk8s binary (bin/refk8s of a refk8s build)")
	dir         = flag.String("dir", "testdata/realk8s", "the scripts' directory, where transcripts and PROVENANCE.md are written")
	parallel    = flag.Int("parallel", 2, "clusters run at once (each takes ~0.3 core idle)")
	jobDuration = flag.Duration("job-duration", 120*time.Second, "refk8s up --job-duration: how long a luksa/batch-job container runs (the image sleeps 120 s)")
	keep        = flag.Bool("keep", false, "keep each cluster's directory (logs) after its script")
	portBase    = flag.Int("port-base", 20000, "refk8s up --port-base of the first cluster; the others add 10000 each")
)

// upFlags are the refk8s up flags every cluster gets, besides --dir and --port-base.
func upFlags() []string {
	return []string{"--job-duration", jobDuration.String()}
}

// The environment of the bash that runs a shell script: the cluster a `kubetab` command
// of the script acts on, and the binaries (see harness).
const (
	envHarness    = "REALK8S_HARNESS" // this program, which realk8s.BashPrelude's kubetab runs
	envClusterDir = "REALK8S_CLUSTER_DIR"
	envRefk8s     = "REALK8S_REFK8S"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("record: ")
	if d := os.Getenv(envClusterDir); d != "" {
		os.Exit(harness(d, os.Args[1:]))
	}
	flag.Parse()
	if *parallel < 1 || *portBase+10000*(*parallel-1)+6443 > 65535 {
		log.Fatal("-parallel and -port-base leave no room for the ports (each cluster uses port-base+257 to port-base+6443)")
	}
	if *refk8sBin == "" {
		log.Fatal("-refk8s PATH is required (make record-realk8s builds it)")
	}
	bin, err := filepath.Abs(*refk8sBin)
	if err != nil {
		log.Fatal(err)
	}
	scriptDir, err := filepath.Abs(*dir)
	if err != nil {
		log.Fatal(err)
	}
	names := flag.Args()
	if len(names) == 0 {
		all, _ := filepath.Glob(filepath.Join(scriptDir, "*.sh"))
		for _, s := range all {
			names = append(names, strings.TrimSuffix(filepath.Base(s), ".sh"))
		}
	}
	slices.Sort(names)

	var (
		mu       sync.Mutex
		recorded = map[string]provenance{}
		failed   []string
		versions string
		wg       sync.WaitGroup
	)
	work := make(chan string)
	for w := 0; w < *parallel; w++ {
		wg.Add(1)
		go func(portBase int) {
			defer wg.Done()
			for name := range work {
				p, v, err := record(bin, scriptDir, name, portBase)
				mu.Lock()
				if err != nil {
					log.Printf("%s: %v", name, err)
					failed = append(failed, name)
				} else {
					recorded[name] = p
					if versions == "" {
						versions = v
					}
				}
				mu.Unlock()
			}
		}(*portBase + 10000*w)
	}
	for _, n := range names {
		work <- n
	}
	close(work)
	wg.Wait()
	if len(recorded) > 0 {
		if err := writeProvenance(scriptDir, versions, recorded); err != nil {
			log.Fatal(err)
		}
	}
	if len(failed) > 0 {
		log.Fatalf("not recorded: %s", strings.Join(failed, ", "))
	}
}

// provenance is what PROVENANCE.md says of one transcript.
type provenance struct {
	start    time.Time
	duration time.Duration
}

// record runs one script on a fresh cluster and writes NAME.txt.
func record(bin, scriptDir, name string, portBase int) (provenance, string, error) {
	script, err := os.ReadFile(filepath.Join(scriptDir, name+".sh"))
	if err != nil {
		return provenance{}, "", err
	}
	c, err := up(bin, name, portBase)
	if err != nil {
		return provenance{}, "", err
	}
	defer c.down()
	var v bytes.Buffer
	c.kubectl(&v, nil, "version")

	// kubetab's clock starts at 09:00:00: start at a whole minute too, so that CronJob
	// schedules fall as many seconds after the start on both.
	now := time.Now()
	time.Sleep(now.Truncate(time.Minute).Add(time.Minute).Sub(now))
	start := time.Now().UTC()
	log.Printf("%s: running from %s", name, start.Format(time.RFC3339))
	var steps []realk8s.Step
	if realk8s.IsShell(string(script)) {
		steps, err = c.runShell(string(script))
	} else {
		steps, err = realk8s.Run(string(script), &executor{c: c, dir: scriptDir})
	}
	if err != nil {
		return provenance{}, "", err
	}
	p := provenance{start: start, duration: time.Since(start).Round(time.Second)}
	if err := os.WriteFile(filepath.Join(scriptDir, name+".txt"), []byte(realk8s.Format(steps)), 0o644); err != nil {
		return provenance{}, "", err
	}
	log.Printf("%s: recorded in %s", name, p.duration)
	return p, v.String(), nil
}

// cluster is one running `refk8s up`.
type cluster struct {
	bin, dir, home string
	up             *exec.Cmd
	exited         chan struct{}
}

func up(bin, name string, portBase int) (*cluster, error) {
	d, err := os.MkdirTemp("", "realk8s-"+name+"-")
	if err != nil {
		return nil, err
	}
	c := &cluster{bin: bin, dir: d, home: filepath.Join(d, "home"), exited: make(chan struct{})}
	if err := os.MkdirAll(c.home, 0o755); err != nil {
		return nil, err
	}
	logf, err := os.Create(filepath.Join(d, "up.log"))
	if err != nil {
		return nil, err
	}
	c.up = exec.Command(bin, append([]string{"up", "--dir", d, "--port-base", fmt.Sprint(portBase)}, upFlags()...)...)
	c.up.Stdout, c.up.Stderr = logf, logf
	if err := c.up.Start(); err != nil {
		return nil, err
	}
	go func() { c.up.Wait(); logf.Close(); close(c.exited) }()
	if err := c.ready(4 * time.Minute); err != nil {
		c.down()
		return nil, fmt.Errorf("cluster in %s: %v (see %s/up.log and logs/)", d, err, d)
	}
	return c, nil
}

// ready waits until the cluster is as a script expects a fresh one: the API server ready,
// four Ready nodes, and the default namespace's ServiceAccount and root CA ConfigMap (pods
// cannot be created before the ServiceAccount exists).
func (c *cluster) ready(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	checks := [][]string{
		{"get", "--raw", "/readyz"},
		{"wait", "--for=condition=Ready", "node", "--all", "--timeout=5s"},
		{"get", "serviceaccount", "default"},
		{"get", "configmap", "kube-root-ca.crt"},
	}
	nodes := regexp.MustCompile(`(?m)condition met$`)
	for _, args := range checks {
		for {
			var out bytes.Buffer
			code := c.kubectl(&out, nil, args...)
			if code == 0 && (args[0] != "wait" || len(nodes.FindAllString(out.String(), -1)) == 4) {
				break
			}
			select {
			case <-c.exited:
				return fmt.Errorf("refk8s up exited")
			default:
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("kubectl %s: %s", strings.Join(args, " "), strings.TrimSpace(out.String()))
			}
			time.Sleep(time.Second)
		}
	}
	return nil
}

func (c *cluster) down() {
	c.up.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.exited:
	case <-time.After(60 * time.Second):
		c.up.Process.Kill()
		<-c.exited
	}
	if !*keep {
		os.RemoveAll(c.dir)
	} else {
		log.Printf("kept %s", c.dir)
	}
}

// kubectl runs real kubectl with output and errors on one pipe, so their order is kept.
func (c *cluster) kubectl(out io.Writer, stdin *string, args ...string) int {
	return c.run(out, stdin, "", "kubectl", args...)
}

func (c *cluster) run(out io.Writer, stdin *string, wd, name string, args ...string) int {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.bin, append([]string{name}, args...)...)
	cmd.Dir = wd
	cmd.Env = c.env("/usr/bin:/bin")
	if stdin != nil {
		cmd.Stdin = strings.NewReader(*stdin)
	}
	cmd.Stdout, cmd.Stderr = out, out
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		fmt.Fprintf(out, "record: %v\n", err)
		return 1
	}
	return 0
}

// runShell runs a shell script (realk8s.IsShell) in one bash, as realk8s.WrapBash wraps
// it, in an empty workspace directory, with real kubectl first on PATH; a `kubetab`
// command runs this program again (harness).
func (c *cluster) runShell(script string) ([]realk8s.Step, error) {
	wrapped, err := realk8s.WrapBash(script)
	if err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	file := filepath.Join(c.dir, "script.bash")
	if err := os.WriteFile(file, []byte(wrapped), 0o644); err != nil {
		return nil, err
	}
	ws := filepath.Join(c.dir, "workspace")
	if err := os.MkdirAll(ws, 0o755); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", file)
	cmd.Dir = ws
	cmd.Env = append(c.env(filepath.Dir(c.bin)+":/usr/bin:/bin"),
		envHarness+"="+self, envClusterDir+"="+c.dir, envRefk8s+"="+c.bin)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	status := 0
	if err := cmd.Run(); err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			return nil, err
		}
		status = ee.ExitCode()
	}
	return realk8s.SplitBash(script, out.String(), status)
}

// harness runs a shell script's `kubetab` command on the cluster in dir, as executor does.
func harness(dir string, args []string) int {
	c := &cluster{bin: os.Getenv(envRefk8s), dir: dir, home: filepath.Join(dir, "home")}
	if len(args) == 0 {
		args = []string{""}
	}
	return (&executor{c: c}).kubetab(args, os.Stdout)
}

// env is the environment kubectl and bash run in.
func (c *cluster) env(path string) []string {
	return []string{
		"KUBECONFIG=" + filepath.Join(c.dir, "admin.kubeconfig"),
		"HOME=" + c.home,
		"PATH=" + path,
		"LANG=C",
		"TZ=UTC",
	}
}

// executor runs a script's commands on the real cluster: kubectl as itself, kubetab's
// commands as their real counterparts.
type executor struct {
	c   *cluster
	dir string
}

func (x *executor) Exec(args []string, stdin *string, out io.Writer) int {
	switch args[0] {
	case "kubectl", "k":
		return x.c.run(out, stdin, x.dir, "kubectl", args[1:]...)
	case "kubetab":
		return x.kubetab(args[1:], out)
	}
	fmt.Fprintf(out, "%s: command not found (the terminal runs kubectl, k and kubetab)\n", args[0])
	return terminal.ExitNotFound
}

// kubetab plays kubetab's commands on the real cluster: virtual time passes as wall time,
// a node's kubelet stops and starts as refk8s's fake one does.
func (x *executor) kubetab(args []string, out io.Writer) int {
	switch {
	case len(args) == 2 && args[0] == "advance":
		d, err := terminal.ParseDuration(args[1])
		if err != nil {
			fmt.Fprintf(out, "error: %v\n", err)
			return terminal.ExitUsage
		}
		time.Sleep(d)
		fmt.Fprintf(out, "time advanced %s to %s\n", terminal.FormatDuration(d), time.Now().UTC().Format(time.RFC3339))
		return 0
	case len(args) >= 3 && args[0] == "node":
		verb := map[string]string{"fail": "stop", "recover": "start", "add": "add"}[args[1]]
		if verb == "" {
			break
		}
		a := append([]string{verb, args[2], "--dir", x.c.dir}, args[3:]...)
		return x.c.run(out, nil, "", "node", a...)
	}
	fmt.Fprintf(out, "record: kubetab %s has no real counterpart\n", strings.Join(args, " "))
	return terminal.ExitUsage
}

func writeProvenance(scriptDir, versions string, recorded map[string]provenance) error {
	path := filepath.Join(scriptDir, "PROVENANCE.md")
	rows := map[string]string{}
	if old, err := os.ReadFile(path); err == nil {
		for _, l := range strings.Split(string(old), "\n") {
			if f := strings.Split(l, "|"); len(f) > 3 && strings.HasPrefix(l, "| `") {
				rows[strings.TrimSuffix(strings.Trim(strings.TrimSpace(f[1]), "`"), ".txt")] = l
			}
		}
	}
	for name, p := range recorded {
		rows[name] = fmt.Sprintf("| `%s.txt` | %s | %s |", name, p.start.Format(time.RFC3339), p.duration)
	}
	var names []string
	for n := range rows {
		names = append(names, n)
	}
	slices.Sort(names)
	var b strings.Builder
	fmt.Fprintf(&b, `# Provenance of the real transcripts

Each NAME.txt here is NAME.sh run by realk8s/record (`+"`make record-realk8s`"+`) with real
kubectl against a fresh refk8s cluster (../shared/tools/refk8s: embedded etcd, the real
kube-apiserver, kube-controller-manager and kube-scheduler of k8s.io/kubernetes, and fake
kubelets that take pods straight to Running, write no events, logs or probes). Each script
started at a whole minute of the wall clock; `+"`kubetab advance D`"+` slept D.

- kubectl version (client and server):

%s
- shell scripts (first line `+"`# shell`"+`) ran whole in bash with these tools on PATH:

%s
- refk8s up flags: `+"`%s`"+` (plus --dir and --port-base), other flags at their defaults
  (--workers 3, --termination grace, --kcm-qps 20, --kcm-burst 30)
- recorded on %s/%s with %s; the commands are NAME.sh's

| transcript | started (UTC) | took |
|---|---|---|
`, indent(versions), indent(shellTools()), strings.Join(upFlags(), " "), runtime.GOOS, runtime.GOARCH, runtime.Version())
	for _, n := range names {
		b.WriteString(rows[n] + "\n")
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// shellTools names the versions of bash and the tools the shell scripts pipe into.
func shellTools() string {
	out, err := exec.Command("bash", "-c", `bash --version | head -n 1; sort --version | head -n 1; grep --version | head -n 1; sed --version | head -n 1; awk -W version 2>&1 | head -n 1; jq --version`).CombinedOutput()
	if err != nil {
		return fmt.Sprintf("(unknown: %v)", err)
	}
	return string(out)
}

func indent(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		b.WriteString("      " + l + "\n")
	}
	return b.String()
}
