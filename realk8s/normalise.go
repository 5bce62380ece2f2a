package realk8s

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// A Normaliser rewrites what two honest runs of one script cannot agree on, and nothing
// else: what is random (generated names, UIDs, IPs a real allocator picks), what depends on
// the wall clock (timestamps, ages, durations) and what only a kubelet does (refk8s fakes
// the kubelets: no image pulls, no kubelet events). Each rule below says what it hides and
// why. Differences kubetab has on purpose or until a feature lands are not hidden here:
// they are listed in expected.go.
//
// One Normaliser reads one transcript's steps in order (the CronJob rule numbers schedule
// times from the first it sees).
type Normaliser struct {
	// Script is the script's text: a name it writes is no generated name.
	Script string

	firstMinute int // the first CronJob schedule time seen, in minutes since the epoch
}

// Normalise returns a step's output with the rules applied.
func (n *Normaliser) Normalise(out string) string {
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	var res []string
	for i := 0; i < len(lines); {
		if t, end := readTable(lines, i); t != nil {
			res = append(res, n.table(t)...)
			i = end
			continue
		}
		res = append(res, n.text(lines[i]))
		i++
	}
	if out == "" {
		return ""
	}
	return strings.Join(res, "\n") + "\n"
}

var (
	// Rule: UIDs are random (the API server's uuid; kubetab's are seeded). Replaced
	// with a UID of x's, so that a table keeps its widths.
	uidRE = regexp.MustCompile(`\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`)

	// Rule: timestamps are the wall clock on the real cluster and virtual time in kubetab
	// (which starts at 2026-01-01T09:00:00Z): RFC 3339 (YAML, jsonpath, `kubetab advance`)
	// and kubectl describe's RFC 1123 form become <time>.
	rfc3339RE = regexp.MustCompile(`\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)`)
	rfc1123RE = regexp.MustCompile(`\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d [+-]\d{4}`)

	// Rule: generated names end in five random characters from apimachinery's alphabet
	// (SimpleNameGenerator: consonants and digits without vowels or 0, 1, 3). The suffix
	// becomes XXXXX (same width; upper case never occurs in a name), unless the script
	// itself writes the name (fortune-https is no generated name). Pod-template-hash
	// values are kept: kubetab computes them as the Deployment controller does.
	generatedRE = regexp.MustCompile(`[a-z0-9][-a-z0-9.]*-[bcdfghjklmnpqrstvwxz2456789]{5}\b`)

	// Rule: a CronJob names its Jobs after the scheduled time in minutes since the epoch,
	// which on the real cluster is the wall clock's. The number becomes its distance from
	// the first one the transcript shows: <T>, <T+1>, ... (the recorder starts each
	// script at a whole minute, as kubetab's clock starts at 09:00:00).
	cronSuffixRE = regexp.MustCompile(`([a-z0-9])-(2\d{7})\b`)

	// Rule: pod IPs come from the node's pod CIDR in the order a real kubelet (or
	// kubetab's) hands them out and Service IPs from the API server's random allocator:
	// 10.244.0.0/16 and 10.96.0.0/12 addresses become x's, except the kubernetes
	// Service's 10.96.0.1, which both give. Node addresses (172.18.0.N) are kept: refk8s
	// registers its fake nodes as kubetab's.
	podIPRE     = regexp.MustCompile(`\b10\.244\.\d{1,3}\.\d{1,3}\b`)
	serviceIPRE = regexp.MustCompile(`\b10\.(9[6-9]|10\d|11[01])\.\d{1,3}\.\d{1,3}\b`)

	// Rule: NodePorts the API server picks are random within 30000-32767: in PORT(S)
	// cells, describe's NodePort lines and YAML.
	nodePortRE = regexp.MustCompile(`(:|nodePort: |NodePort:\s+\S+\s+)3[0-2]\d{3}\b`)

	// Rule: resourceVersions count every write in the cluster (a real one has written
	// thousands of objects before the script starts).
	resourceVersionRE = regexp.MustCompile(`(resourceVersion: )"\d+"`)

	// Rule: container IDs are the runtime's random IDs, and image IDs the digests a pull
	// resolved: refk8s's fake kubelet pulls nothing and makes both up.
	containerIDRE = regexp.MustCompile(`\b(containerd|docker|cri-o)://[0-9a-f]+`)
	imageIDRE     = regexp.MustCompile(`^(\s*(Image ID:\s+|imageID: )\S+@sha256:)[0-9a-f]{64}$`)

	// Rule: Job and rollout durations in describe's key-value lines depend on image pulls
	// (none on refk8s's fake kubelets) and on how long each command takes in wall time.
	durationLineRE = regexp.MustCompile(`^(\s*Duration:\s+)\S+$`)

	// durationRE is one kubectl age or duration (HumanDuration, ShortHumanDuration):
	// 5s, 2m30s, 3h, 4d5h, 2y100d.
	durationRE = regexp.MustCompile(`\b(\d+[smhdy])+\b`)

	// Rule: bash names the script file and line before a builtin's error (`/tmp/.../
	// script.bash: line 50: wait: %1: no such job`), where the recorder's temporary file
	// is; kubetab's shell says `sh: ` as a shell run with -c does. The message after it is
	// compared.
	bashPrefixRE = regexp.MustCompile(`^\S*/script\.bash: line \d+: `)
)

// text applies the rules for running text to one line.
func (n *Normaliser) text(s string) string {
	s = uidRE.ReplaceAllString(s, "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")
	s = rfc3339RE.ReplaceAllString(s, "<time>")
	s = rfc1123RE.ReplaceAllString(s, "<time>")
	s = generatedRE.ReplaceAllStringFunc(s, n.generated)
	s = cronSuffixRE.ReplaceAllStringFunc(s, n.cronSuffix)
	s = podIPRE.ReplaceAllString(s, "10.244.x.x")
	s = serviceIPRE.ReplaceAllStringFunc(s, func(ip string) string {
		if ip == "10.96.0.1" {
			return ip
		}
		return "10.96.x.x"
	})
	s = nodePortRE.ReplaceAllString(s, "${1}3XXXX")
	s = resourceVersionRE.ReplaceAllString(s, `${1}"N"`)
	s = containerIDRE.ReplaceAllString(s, "$1://<id>")
	s = imageIDRE.ReplaceAllString(s, "${1}<digest>")
	s = durationLineRE.ReplaceAllString(s, "${1}<duration>")
	s = bashPrefixRE.ReplaceAllString(s, "sh: ")
	return s
}

func (n *Normaliser) generated(name string) string {
	if n.written(name) {
		return name
	}
	return name[:len(name)-5] + "XXXXX"
}

// written tells whether the script writes name as a word of its own.
func (n *Normaliser) written(name string) bool {
	for s := n.Script; ; {
		i := strings.Index(s, name)
		if i < 0 {
			return false
		}
		before, after := byte(' '), byte(' ')
		if i > 0 {
			before = s[i-1]
		}
		if j := i + len(name); j < len(s) {
			after = s[j]
		}
		if !isNameByte(before) && !isNameByte(after) {
			return true
		}
		s = s[i+1:]
	}
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.'
}

func (n *Normaliser) cronSuffix(m string) string {
	i := strings.LastIndexByte(m, '-')
	v, _ := strconv.Atoi(m[i+1:])
	if n.firstMinute == 0 {
		n.firstMinute = v
	}
	d := v - n.firstMinute
	switch {
	case d == 0:
		return m[:i] + "-<T>"
	case d > 0:
		return fmt.Sprintf("%s-<T+%d>", m[:i], d)
	}
	return fmt.Sprintf("%s-<T%d>", m[:i], d)
}

// A table is kubectl's tabwriter output: a header line whose column names are separated
// by two or more blanks, optionally an underline of dashes (describe), then rows aligned
// on the header's columns.
type table struct {
	indent string
	header []string
	starts []int // where each column begins
	rows   [][]string
	dashes []string // describe's underline, as written
}

var headerWordRE = regexp.MustCompile(`^[A-Z][A-Za-z0-9()/_.-]*( [A-Za-z0-9()/_.-]+)*$`)

// readTable reads the table starting at lines[i], if one does: its rows are the lines
// that follow with the header's indentation and its columns (a blank line, one indented
// less or more, or one not aligned on the columns ends it).
func readTable(lines []string, i int) (*table, int) {
	h := lines[i]
	indent := h[:len(h)-len(strings.TrimLeft(h, " "))]
	t := &table{indent: indent}
	for off := len(indent); off < len(h); {
		end := strings.Index(h[off:], "  ")
		if end < 0 {
			end = len(h) - off
		}
		word := h[off : off+end]
		t.header = append(t.header, word)
		t.starts = append(t.starts, off)
		off += end
		for off < len(h) && h[off] == ' ' {
			off++
		}
	}
	if len(t.header) < 2 || !t.isHeader(i, lines) {
		return nil, i
	}
	j := i + 1
	if j < len(lines) && strings.Trim(lines[j], " -") == "" && strings.Contains(lines[j], "--") {
		t.dashes = t.cells(lines[j])
		j++
	}
	for ; j < len(lines); j++ {
		l := lines[j]
		if !strings.HasPrefix(l, indent) || len(l) == len(indent) || l[len(indent)] == ' ' || !t.aligned(l) {
			break
		}
		t.rows = append(t.rows, t.cells(l))
	}
	return t, j
}

// isHeader: every column name is in kubectl's header style, all capitals (get) or
// capitalised above a line of dashes (describe's Events, Conditions, ...).
func (t *table) isHeader(i int, lines []string) bool {
	underlined := i+1 < len(lines) && strings.Trim(lines[i+1], " -") == "" && strings.Contains(lines[i+1], "--")
	for _, w := range t.header {
		if !headerWordRE.MatchString(w) || !underlined && strings.ToUpper(w) != w {
			return false
		}
	}
	return true
}

// aligned tells whether l can be a row: a blank before each column it reaches, as the
// tabwriter pads every cell (a line after the table, like a warning, has none).
func (t *table) aligned(l string) bool {
	for _, start := range t.starts[1:] {
		if start < len(l) && l[start-1] != ' ' {
			return false
		}
	}
	return true
}

func (t *table) cells(l string) []string {
	c := make([]string, len(t.starts))
	for k, start := range t.starts {
		if start >= len(l) {
			break
		}
		end := len(l)
		if k+1 < len(t.starts) && t.starts[k+1] < len(l) {
			end = t.starts[k+1]
		}
		c[k] = strings.TrimSpace(l[start:end])
	}
	return c
}

// Rule: columns that hold ages or durations (AGE, LAST SEEN, DURATION, LAST SCHEDULE,
// describe's Age) depend on the wall clock and on image pulls: every duration in them
// becomes <d>, so `41s (x4 over 41s)` reads `<d> (x4 over <d>)` and its count still counts.
var timeColumns = map[string]bool{"AGE": true, "LAST SEEN": true, "FIRST SEEN": true, "DURATION": true, "LAST SCHEDULE": true, "Age": true}

// kubeletReasons are the reasons of the events a kubelet writes (pkg/kubelet/events).
var kubeletReasons = map[string]bool{
	"Pulling": true, "Pulled": true, "Created": true, "Started": true, "Killing": true,
	"Failed": true, "BackOff": true, "ErrImageNeverPull": true, "InspectFailed": true,
	"Unhealthy": true, "ProbeWarning": true, "FailedMount": true, "SandboxChanged": true,
	"FailedCreatePodSandBox": true, "Starting": true, "NodeReady": true,
	"NodeNotReady": true, "NodeHasSufficientMemory": true, "NodeHasNoDiskPressure": true,
	"NodeHasSufficientPID": true, "NodeAllocatableEnforced": true, "Simulated": true,
	"ExceededGracePeriod": true, "FailedPostStartHook": true, "FailedPreStopHook": true,
}

// table normalises a table's cells, lays it out again (a normalised cell may be wider or
// narrower) and, when it names generated objects, sorts its rows.
//
// Rule: kubectl sorts rows by name, and generated names sort at random, so a table whose
// cells held a generated name is compared as a sorted list of rows.
//
// Rule: refk8s's fake kubelets write no events, so the kubelet's events are dropped from
// both sides: rows whose From or SOURCE is the kubelet (describe), or whose REASON is one
// of the kubelet's in `kubectl get events`.
func (n *Normaliser) table(t *table) []string {
	var rows [][]string
	generated := false
	for _, r := range t.rows {
		if t.fromKubelet(r) {
			continue
		}
		nr := make([]string, len(r))
		for k, c := range r {
			if timeColumns[t.header[k]] {
				c = durationRE.ReplaceAllString(c, "<d>")
			}
			nr[k] = n.text(c)
			generated = generated || strings.Contains(nr[k], "-XXXXX")
		}
		rows = append(rows, nr)
	}
	if generated {
		slices.SortFunc(rows, func(a, b []string) int { return strings.Compare(strings.Join(a, "\x00"), strings.Join(b, "\x00")) })
	}
	all := append([][]string{t.header}, rows...)
	if t.dashes != nil {
		all = slices.Insert(all, 1, t.dashes)
	}
	widths := make([]int, len(t.header))
	for _, r := range all {
		for k, c := range r {
			widths[k] = max(widths[k], len(c))
		}
	}
	out := make([]string, len(all))
	for i, r := range all {
		var b strings.Builder
		b.WriteString(t.indent)
		for k, c := range r {
			b.WriteString(c)
			if k+1 < len(r) {
				b.WriteString(strings.Repeat(" ", widths[k]-len(c)+3))
			}
		}
		out[i] = strings.TrimRight(b.String(), " ")
	}
	return out
}

func (t *table) fromKubelet(r []string) bool {
	for k, h := range t.header {
		switch h {
		case "From", "FROM", "SOURCE":
			if r[k] == "kubelet" || strings.HasPrefix(r[k], "kubelet,") {
				return true
			}
		case "REASON":
			if slices.Contains(t.header, "OBJECT") && kubeletReasons[r[k]] {
				return true
			}
		}
	}
	return false
}
