package apiserver

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The store has one writer: its Writer comes out of store.New, which only the simulation
// calls (handing the Writer straight to this package), and nothing else names the type. So
// every write of kubectl, the controllers, the kubelets, the node operations and the event
// recorder goes through the request path. Tests may build their own stores.
func TestTheStoreHasNoOtherWriter(t *testing.T) {
	const storePkg = "github.com/kubetab/kubetab/engine/store"
	allowed := map[string][]string{
		"New":    {"engine/sim"},
		"Writer": {"engine/apiserver", "engine/sim"},
	}
	root := filepath.Join("..", "..")
	found := map[string]int{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		dir := filepath.ToSlash(filepath.Dir(rel))
		if dir == "engine/store" {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		local := ""
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == storePkg {
				local = "store"
				if imp.Name != nil {
					local = imp.Name.Name
				}
			}
		}
		if local == "" {
			return nil
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); !ok || id.Name != local {
				return true
			}
			dirs, watched := allowed[sel.Sel.Name]
			if !watched {
				return true
			}
			found[sel.Sel.Name]++
			for _, d := range dirs {
				if d == dir {
					return true
				}
			}
			t.Errorf("%s uses store.%s: only %v may; everything else writes through the API server", rel, sel.Sel.Name, dirs)
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found["New"] == 0 || found["Writer"] == 0 {
		t.Fatalf("the walk found no use of store.New or store.Writer (%v): it checks nothing", found)
	}
}
