package access

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestAllActionsComplete: every Action constant declared in the package is
// in AllActions once, so tables and tests that range over it (the role
// table, the matrix) cannot miss a domain's new action.
func TestAllActionsComplete(t *testing.T) {
	fset := token.NewFileSet()
	files, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var declared []Action
	for _, fi := range files {
		if !strings.HasSuffix(fi.Name(), ".go") || strings.HasSuffix(fi.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, fi.Name(), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, sp := range g.Specs {
				vs := sp.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Action" {
					continue
				}
				for _, v := range vs.Values {
					lit, ok := v.(*ast.BasicLit)
					if !ok {
						continue
					}
					s, err := strconv.Unquote(lit.Value)
					if err != nil {
						t.Fatal(err)
					}
					declared = append(declared, Action(s))
				}
			}
		}
	}
	all := AllActions()
	if len(declared) < 20 {
		t.Fatalf("found only %d declared actions: the parse missed some", len(declared))
	}
	for _, a := range declared {
		if !slices.Contains(all, a) {
			t.Errorf("action %s is declared but not in AllActions", a)
		}
	}
	seen := map[Action]bool{}
	for _, a := range all {
		if seen[a] {
			t.Errorf("action %s twice in AllActions", a)
		}
		seen[a] = true
		if d := Decide(Subject{}, a, Object{}); d.Allow || d.Reason == "" {
			t.Errorf("%s without a subject: %+v", a, d)
		}
	}
}
