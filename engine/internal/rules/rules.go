package rules

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// A Finding is one use of something the engine must not use.
type Finding struct {
	Pos  token.Position // Filename is slash-separated and relative to the checked file system
	Dir  string         // the package's directory, such as "engine/kubelet"
	Rule string         // "import os", "time.Now", "go statement", ...
	Why  string
}

func (f Finding) String() string {
	return fmt.Sprintf("%s:%d: %s: %s", f.Pos.Filename, f.Pos.Line, f.Rule, f.Why)
}

// The reasons, shared by the rules below.
const (
	whyWallClock = "reads the wall clock: the engine's time is virtual (sim.Cluster.Clock)"
	whyTimer     = "waits on the wall clock or starts a runtime timer: schedule on the virtual clock"
	whyIO        = "the engine does no I/O: files, environment, processes and network differ between hosts and the browser"
	whyGlobal    = "the global generator is seeded at random per process: draw from the cluster's seeded stream"
	whyHostZone  = "depends on the host's time zone (the browser's in a tab)"
	whyDot       = "a dot import hides this package's names from the engine rules"
)

// importRules forbid a package (and, with tree, every package below it).
var importRules = []struct {
	path string
	tree bool
	why  string
}{
	{"os", true, whyIO},
	{"io/ioutil", false, whyIO},
	{"net", true, whyIO},
	{"syscall", true, "reaches the host, or with syscall/js the browser: the engine runs the same natively and in a tab"},
	{"plugin", false, "loads code from the host"},
	{"log", true, "writes to the host's stderr: the engine reports through events and return values"},
	{"path/filepath", false, "uses the host's separators: the engine's paths are slash paths (package path)"},
	{"runtime", true, "behaviour must not depend on the platform or the Go scheduler"},
	{"unsafe", false, "memory layout tricks tie the engine to one platform, and nothing in a simulation needs them"},
	{"crypto/rand", false, "reads the host's entropy: draw from the cluster's seeded stream"},
	{"hash/maphash", false, "its seeds are random per process"},
	{"time/tzdata", false, "time zones come from engine/zoneinfo; this would add a second copy of the database to the wasm"},
	{"k8s.io/apimachinery/pkg/util/wait", false, "polls on goroutines against the wall clock"},
	{"k8s.io/utils/clock", true, "a wall clock (or a fake one standing in for it): the engine's clock is engine/clock"},
}

// memberRules forbid names a package exports: those in names, or with allBut every name
// but those listed.
var memberRules = map[string]struct {
	name   string // the package's own name, for an import without one
	names  map[string]string
	allBut map[string]bool
	why    string // for every name that allBut does not list
}{
	"time": {name: "time", names: map[string]string{
		"Now": whyWallClock, "Since": whyWallClock, "Until": whyWallClock,
		"Sleep": whyTimer, "After": whyTimer, "AfterFunc": whyTimer, "Tick": whyTimer,
		"NewTimer": whyTimer, "NewTicker": whyTimer,
		"LoadLocation": "reads the host's zone database before the embedded one: use zoneinfo.LoadLocation (engine/zoneinfo)",
		"Local":        whyHostZone,
		"Parse":        whyHostZone + " when the offset matches it: use time.ParseInLocation(layout, s, time.UTC)",
		// Unless the call is followed at once by .UTC() or .In(loc) (see exempt).
		"Unix": whyHostZone + ": add .UTC()", "UnixMilli": whyHostZone + ": add .UTC()", "UnixMicro": whyHostZone + ": add .UTC()",
	}},
	"math/rand/v2": {name: "rand", allBut: randConstructors, why: whyGlobal},
	"math/rand":    {name: "rand", allBut: randConstructors, why: whyGlobal},
	"k8s.io/apimachinery/pkg/util/rand": {name: "rand", allBut: map[string]bool{"SafeEncodeString": true},
		why: "apimachinery's global generator is seeded from the wall clock"},
	"k8s.io/apimachinery/pkg/apis/meta/v1": {name: "v1", names: map[string]string{
		"Now": whyWallClock, "NowMicro": whyWallClock,
	}},
	"github.com/robfig/cron/v3": {name: "cron", names: map[string]string{
		"ParseStandard": whyCronZone, "NewParser": whyCronZone,
		"New": "runs jobs on goroutines against the wall clock",
	}},
	"fmt": {name: "fmt", names: map[string]string{
		"Print": whyStdout, "Printf": whyStdout, "Println": whyStdout,
		"Scan": whyStdin, "Scanf": whyStdin, "Scanln": whyStdin,
	}},
}

const (
	whyCronZone = "reads TZ= zones from the host's database and defaults to the host's zone: use api.ParseCronSchedule"
	whyStdout   = "writes to the host's stdout: the engine writes to the io.Writer it is given"
	whyStdin    = "reads the host's stdin: the engine reads the io.Reader it is given"
)

// randConstructors build seeded generators, which the engine uses; the types are allowed too.
var randConstructors = map[string]bool{
	"New": true, "NewPCG": true, "NewChaCha8": true, "NewSource": true, "NewZipf": true,
	"Rand": true, "Source": true, "PCG": true, "ChaCha8": true, "Zipf": true,
}

// Check reads every Go file below dir in fsys but tests (and testdata, and the directories
// the go command ignores) and returns each use of what the engine must not use, in file and
// line order.
func Check(fsys fs.FS, dir string) ([]Finding, error) {
	fset := token.NewFileSet()
	var found []Finding
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != dir && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return fs.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") ||
			strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			return nil
		}
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		// Object resolution (the default mode) tells a local variable from a package name.
		f, err := parser.ParseFile(fset, p, src, 0)
		if err != nil {
			return err
		}
		found = append(found, checkFile(fset, f, path.Dir(p))...)
		return nil
	})
	sort.SliceStable(found, func(i, j int) bool {
		a, b := found[i].Pos, found[j].Pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return found, err
}

func checkFile(fset *token.FileSet, f *ast.File, dir string) []Finding {
	var found []Finding
	report := func(pos token.Pos, rule, why string) {
		found = append(found, Finding{Pos: fset.Position(pos), Dir: dir, Rule: rule, Why: why})
	}
	// names maps each name this file gives an imported package with rules on its members.
	names := map[string]string{}
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		for _, r := range importRules {
			if p == r.path || r.tree && strings.HasPrefix(p, r.path+"/") {
				report(imp.Pos(), "import "+p, r.why)
			}
		}
		m, ok := memberRules[p]
		if !ok {
			continue
		}
		switch {
		case imp.Name == nil:
			names[m.name] = p
		case imp.Name.Name == ".":
			report(imp.Pos(), "dot import "+p, whyDot)
		case imp.Name.Name != "_":
			names[imp.Name.Name] = p
		}
	}
	exempt := map[*ast.SelectorExpr]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			report(n.Pos(), "go statement", "goroutines run in an order the engine does not choose")
		case *ast.CallExpr:
			// time.Unix(...).UTC() and time.Unix(...).In(loc) name their zone.
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "UTC" || sel.Sel.Name == "In") {
				if inner, ok := sel.X.(*ast.CallExpr); ok {
					if fun, ok := inner.Fun.(*ast.SelectorExpr); ok {
						exempt[fun] = true
					}
				}
			}
		case *ast.SelectorExpr:
			id, ok := n.X.(*ast.Ident)
			// A resolved identifier is declared in this file (a variable, a parameter), so
			// it is not a package name even where it has one's spelling.
			if !ok || id.Obj != nil || exempt[n] {
				return true
			}
			p, ok := names[id.Name]
			if !ok {
				return true
			}
			m := memberRules[p]
			if why, ok := m.names[n.Sel.Name]; ok {
				report(n.Pos(), p+"."+n.Sel.Name, why)
			} else if m.allBut != nil && !m.allBut[n.Sel.Name] {
				report(n.Pos(), p+"."+n.Sel.Name, m.why)
			}
		}
		return true
	})
	return found
}
