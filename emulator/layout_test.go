package emulator

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestELBReachesEC2OnlyThroughItsInterface checks the seam of services.go: the ELB code
// names none of EC2's types and reaches the EC2 state only as elb.ec2 (an ec2Reader).
func TestELBReachesEC2OnlyThroughItsInterface(t *testing.T) {
	files, err := filepath.Glob("elb_*.go")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "dataplane.go", "deviations.go", "deviations_modes.go", "extensions.go")
	ec2Types := map[string]bool{"ec2State": true, "instance": true, "subnet": true, "vpc": true, "securityGroup": true, "sgRule": true}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		var visit func(n ast.Node) bool
		visit = func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr: // x.name: a field or method name is no type
				if n.Sel.Name == "ec2" {
					if x, ok := n.X.(*ast.SelectorExpr); !ok || x.Sel.Name != "elb" {
						t.Errorf("%s: EC2 state reached other than through elb.ec2", fset.Position(n.Pos()))
					}
				}
				ast.Inspect(n.X, visit)
				return false
			case *ast.Field: // field names are no types
				ast.Inspect(n.Type, visit)
				return false
			case *ast.KeyValueExpr:
				if _, ok := n.Key.(*ast.Ident); !ok {
					ast.Inspect(n.Key, visit)
				}
				ast.Inspect(n.Value, visit)
				return false
			case *ast.Ident:
				if ec2Types[n.Name] {
					t.Errorf("%s: ELB code names EC2's %s", fset.Position(n.Pos()), n.Name)
				}
			}
			return true
		}
		ast.Inspect(f, visit)
	}
}
