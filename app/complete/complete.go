package complete

import (
	"sort"
	"strings"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/terminal"
)

// kubectlVerbs are the commands kubetab's kubectl offers (engine/kubectl's command table).
var kubectlVerbs = []string{
	"annotate", "api-resources", "apply", "cluster-info", "config", "cordon", "create", "delete",
	"describe", "drain", "edit", "exec", "explain", "get", "kustomize", "label", "logs", "patch", "replace",
	"run", "scale", "uncordon", "version", "wait",
}

var kubetabCommands = []string{"advance", "help", "node", "reset"}
var kubetabNodeActions = []string{"add", "fail", "recover", "remove"}

// The tables below are switches and slices rather than maps: a slice of constants is data
// in the wasm, where a map literal is code that builds the map when the page starts.

// globalFlags go with every verb.
var globalFlags = []string{"--namespace", "-n", "--help"}

// verbFlags are the flags worth offering per verb.
var verbFlags = []struct {
	verb  string
	flags []string
}{
	{"get", []string{"--output", "-o", "--watch", "-w", "--watch-only", "--selector", "-l", "--show-labels", "--all-namespaces", "-A", "--field-selector", "--label-columns", "-L", "--sort-by", "--no-headers"}},
	{"describe", []string{"--selector", "-l", "--all-namespaces", "-A", "--show-events"}},
	{"delete", []string{"--filename", "-f", "--kustomize", "-k", "--selector", "-l", "--all", "--cascade", "--grace-period", "--now", "--force", "--wait"}},
	{"apply", []string{"--filename", "-f", "--kustomize", "-k", "--output", "-o", "--dry-run", "--recursive", "-R"}},
	{"create", []string{"--filename", "-f", "--kustomize", "-k", "--output", "-o", "--dry-run", "--save-config"}},
	{"replace", []string{"--filename", "-f", "--force"}},
	{"logs", []string{"--follow", "-f", "--previous", "-p", "--container", "-c", "--tail", "--since", "--timestamps"}},
	{"scale", []string{"--replicas", "--current-replicas", "--filename", "-f"}},
	{"label", []string{"--overwrite", "--selector", "-l", "--all", "--list"}},
	{"annotate", []string{"--overwrite", "--selector", "-l", "--all", "--list"}},
	{"wait", []string{"--for", "--timeout", "--selector", "-l", "--all"}},
	{"drain", []string{"--ignore-daemonsets", "--delete-emptydir-data", "--force", "--grace-period", "--timeout"}},
	{"edit", []string{"--output", "-o"}},
	{"exec", []string{"--container", "-c", "--stdin", "-i", "--tty", "-t"}},
	{"run", []string{"--image", "--restart", "--labels", "--env", "--port", "--command", "--replicas", "--rm", "-i", "-t"}},
	{"patch", []string{"--type", "--patch", "-p"}},
	{"explain", []string{"--recursive", "--api-version"}},
	{"cordon", []string{"--dry-run"}},
	{"uncordon", []string{"--dry-run"}},
}

// flagsOf is verb's entry of verbFlags (none for a verb without one).
func flagsOf(verb string) []string {
	for _, v := range verbFlags {
		if v.verb == verb {
			return v.flags
		}
	}
	return nil
}

// takesValue tells whether flag takes the next word as its value (unless written
// --flag=value).
func takesValue(flag string) bool {
	switch flag {
	case "-n", "--namespace", "-o", "--output", "-l", "--selector",
		"-c", "--container", "--replicas", "--for", "--timeout",
		"--field-selector", "-L", "--label-columns", "--sort-by", "--tail",
		"--since", "--image", "--restart", "--env", "--port",
		"--type", "--grace-period", "--cascade", "--current-replicas", "--api-version":
		return true
	}
	return false
}

var outputFormats = []string{"json", "jsonpath=", "name", "wide", "yaml", "custom-columns="}

// isResourceVerb tells whether verb's first argument is a resource type (or TYPE/NAME) and
// its later ones names.
func isResourceVerb(verb string) bool {
	switch verb {
	case "get", "describe", "delete", "edit", "label", "annotate", "scale", "patch", "wait", "explain":
		return true
	}
	return false
}

// isNodeVerb tells whether verb's arguments are nodes.
func isNodeVerb(verb string) bool {
	return verb == "cordon" || verb == "uncordon" || verb == "drain"
}

// Names lists names for completion: kind is a resource's plural name ("pods", "nodes",
// "namespaces") or "files" for the workspace; namespace applies to namespaced resources.
type Names func(kind, namespace string) []string

// Result is the result of pressing Tab.
type Result struct {
	Line       string
	Cursor     int
	Candidates []string // what matched, for display when more than one did
}

// Line completes the word at cursor: the line and cursor after Tab, and the candidates.
func Line(line string, cursor int, names Names) Result {
	cursor = max(0, min(cursor, len(line)))
	prefix, start := terminal.Complete(line, cursor)
	cands := candidatesFor(line[:start], prefix, names)
	res := Result{Line: line, Cursor: cursor, Candidates: cands}
	if len(cands) == 0 {
		return res
	}
	insert := ""
	switch {
	case len(cands) == 1:
		insert = cands[0]
		if !strings.HasSuffix(insert, "/") && !strings.HasSuffix(insert, "=") {
			insert = quoteWord(insert) + " "
		} else {
			insert = quoteWord(insert)
		}
	default:
		common := commonPrefix(cands)
		if len(common) <= len(prefix) {
			return res
		}
		insert = quoteWord(common)
	}
	res.Line = line[:start] + insert + line[cursor:]
	res.Cursor = start + len(insert)
	return res
}

// quoteWord quotes a completed word for the terminal language when it needs quoting.
func quoteWord(w string) string {
	if w == "" {
		return w
	}
	return terminal.Quote([]string{w})
}

func commonPrefix(ss []string) string {
	p := ss[0]
	for _, s := range ss[1:] {
		for !strings.HasPrefix(s, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}

// lastCommand returns the words of the last command before the cursor's word.
func lastCommand(before string) []string {
	cut := 0
	inS, inD := false, false
	for i := 0; i < len(before); i++ {
		c := before[i]
		switch {
		case inS:
			inS = c != '\''
		case inD:
			if c == '\\' {
				i++
			} else {
				inD = c != '"'
			}
		case c == '\'':
			inS = true
		case c == '"':
			inD = true
		case c == ';' || c == '|' || c == '&' || c == '\n':
			cut = i + 1
		}
	}
	words, err := terminal.SplitWords(before[cut:])
	if err != nil {
		return strings.Fields(before[cut:])
	}
	return words
}

func candidatesFor(before, prefix string, names Names) []string {
	words := lastCommand(before)
	var pool []string
	switch {
	case len(words) == 0:
		pool = []string{"k", "kubectl", "kubetab"}
	case words[0] == "kubectl" || words[0] == "k":
		pool = kubectlCandidates(words[1:], prefix, names)
	case words[0] == "kubetab":
		pool = kubetabCandidates(words[1:], prefix, names)
	}
	return filterPrefix(pool, prefix)
}

func kubectlCandidates(args []string, prefix string, names Names) []string {
	ns := "default"
	var pos []string
	prevFlag := ""
	for _, a := range args {
		if prevFlag != "" {
			if prevFlag == "-n" || prevFlag == "--namespace" {
				ns = a
			}
			prevFlag = ""
			continue
		}
		if strings.HasPrefix(a, "-") && a != "-" {
			if k, v, ok := strings.Cut(a, "="); ok {
				if k == "--namespace" || k == "-n" {
					ns = v
				}
			} else if takesValue(a) || a == "--filename" || a == "-f" && !(len(pos) > 0 && pos[0] == "logs") {
				// -f is --filename except for logs, where it is --follow.
				prevFlag = a
			}
			continue
		}
		pos = append(pos, a)
	}
	verb := ""
	if len(pos) > 0 {
		verb = pos[0]
	}
	switch prevFlag {
	case "-n", "--namespace":
		return names("namespaces", "")
	case "-o", "--output":
		return outputFormats
	case "-f", "--filename":
		return names("files", "")
	case "":
	default:
		return nil
	}
	if strings.HasPrefix(prefix, "-") {
		return append(append([]string(nil), flagsOf(verb)...), globalFlags...)
	}
	if verb == "" {
		return kubectlVerbs
	}
	n := len(pos) // arguments after the verb so far, plus one for the verb
	switch {
	case isResourceVerb(verb):
		if n == 1 {
			if typ, _, ok := strings.Cut(prefix, "/"); ok {
				return typedNames(typ, ns, names)
			}
			return resourceWords(verb == "explain")
		}
		if verb == "explain" || strings.Contains(pos[1], "/") {
			return nil
		}
		if r := api.LookupResource(pos[1]); r != nil {
			return names(r.Name, ns)
		}
	case isNodeVerb(verb):
		return names("nodes", "")
	case verb == "logs" || verb == "exec":
		if n == 1 {
			if typ, _, ok := strings.Cut(prefix, "/"); ok {
				return typedNames(typ, ns, names)
			}
			return names("pods", ns)
		}
	}
	return nil
}

// resourceWords lists what may be typed for a resource: plural, singular and short names.
func resourceWords(pluralOnly bool) []string {
	var out []string
	for _, r := range api.Resources() {
		out = append(out, r.Name)
		if !pluralOnly {
			out = append(out, r.Singular)
			out = append(out, r.ShortNames...)
		}
	}
	return out
}

// typedNames completes TYPE/NAME.
func typedNames(typ, ns string, names Names) []string {
	r := api.LookupResource(typ)
	if r == nil {
		return nil
	}
	var out []string
	for _, n := range names(r.Name, ns) {
		out = append(out, typ+"/"+n)
	}
	return out
}

func kubetabCandidates(args []string, prefix string, names Names) []string {
	switch {
	case len(args) == 0:
		return kubetabCommands
	case args[0] == "node" && len(args) == 1:
		return kubetabNodeActions
	case args[0] == "node" && len(args) == 2 && args[1] != "add":
		return names("nodes", "")
	case args[0] == "node" && args[1] == "add" && strings.HasPrefix(prefix, "-"):
		return []string{"--label"}
	case args[0] == "reset" && strings.HasPrefix(prefix, "-"):
		return []string{"--seed", "--start"}
	}
	return nil
}

func filterPrefix(pool []string, prefix string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range pool {
		if strings.HasPrefix(s, prefix) && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}
