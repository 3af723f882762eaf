package web_test

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/web"
)

// served is the OpenAPI document as the server serves it.
func served(t *testing.T) map[string]any {
	t.Helper()
	e := newEnv(t)
	code, spec, _ := e.client().call("GET", "/api/v1/openapi.json", nil)
	if code != 200 {
		t.Fatalf("openapi.json: %d", code)
	}
	return spec
}

func walk(v any, fn func(map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		fn(x)
		for _, y := range x {
			walk(y, fn)
		}
	case []any:
		for _, y := range x {
			walk(y, fn)
		}
	}
}

// TestOpenAPIEnumsAgreeWithServer: every enumeration the API shares with the
// code has exactly the code's values, its description names each value as
// the code does (秘密 is confidential, 机密 secret — the document once said
// the opposite), and no free text pairs a value with another's name.
func TestOpenAPIEnumsAgreeWithServer(t *testing.T) {
	spec := served(t)
	enums := web.APIEnums()
	owner := map[string]int{}
	for i, e := range enums {
		for _, v := range e.Values {
			owner[v] = i
		}
	}
	found := map[string]bool{}
	walk(spec, func(m map[string]any) {
		raw, ok := m["enum"].([]any)
		if !ok {
			return
		}
		var vals []string
		for _, v := range raw {
			if s, ok := v.(string); ok {
				vals = append(vals, s)
			}
		}
		for _, e := range enums {
			shared := 0
			for _, v := range vals {
				if slices.Contains(e.Values, v) {
					shared++
				}
			}
			if shared*2 <= len(vals) {
				continue // another enumeration sharing a word (office, leader)
			}
			a, b := slices.Clone(vals), slices.Clone(e.Values)
			sort.Strings(a)
			sort.Strings(b)
			if !slices.Equal(a, b) {
				t.Errorf("%s: the document lists %v, the server %v", e.Name, vals, e.Values)
				continue
			}
			found[e.Name] = true
			if e.Label == nil {
				continue
			}
			desc, _ := m["description"].(string)
			for _, v := range e.Values {
				if !strings.Contains(desc, v+"："+e.Label(v)) {
					t.Errorf("%s: the description %q does not name %s as %s", e.Name, desc, v, e.Label(v))
				}
			}
		}
	})
	for _, e := range enums {
		if !found[e.Name] {
			t.Errorf("the document has no %s enumeration", e.Name)
		}
	}
	// Free text: "secret (机密)" must pair a value with its own name.
	pair := regexp.MustCompile(`\b([a-z_]+) \((\p{Han}+)\)`)
	walk(spec, func(m map[string]any) {
		for _, k := range []string{"description", "summary"} {
			s, _ := m[k].(string)
			for _, p := range pair.FindAllStringSubmatch(s, -1) {
				i, ok := owner[p[1]]
				if !ok || enums[i].Label == nil {
					continue
				}
				if want := enums[i].Label(p[1]); want != p[2] {
					t.Errorf("%q calls %s %s; the server calls it %s", s, p[1], p[2], want)
				}
			}
		}
	})
}

// TestOpenAPIOperations applies the rules client generators need (a
// standard linter's recommended ones): every operation has a unique
// operationId and at least one 4xx response, and every 4xx response says
// what comes back.
func TestOpenAPIOperations(t *testing.T) {
	spec := served(t)
	paths, _ := spec["paths"].(map[string]any)
	if len(paths) < 30 {
		t.Fatalf("%d paths", len(paths))
	}
	ids := map[string]string{}
	for path, item := range paths {
		for method, raw := range item.(map[string]any) {
			op, ok := raw.(map[string]any)
			if !ok || !slices.Contains([]string{"get", "put", "post", "delete", "patch"}, method) {
				continue
			}
			where := strings.ToUpper(method) + " " + path
			id, _ := op["operationId"].(string)
			if id == "" {
				t.Errorf("%s has no operationId", where)
			} else if other, dup := ids[id]; dup {
				t.Errorf("%s and %s share the operationId %s", where, other, id)
			}
			ids[id] = where
			resp, _ := op["responses"].(map[string]any)
			has4xx := false
			for code, r := range resp {
				if strings.HasPrefix(code, "4") {
					has4xx = true
					if d, _ := r.(map[string]any)["description"].(string); d == "" {
						t.Errorf("%s: response %s has no description", where, code)
					}
				}
			}
			if !has4xx {
				t.Errorf("%s has no 4xx response", where)
			}
		}
	}
}

// TestWorkbenchJSONCarriesTaskIDs: a client acts on its 待办 from
// /workbench alone — each document item names the document and the task.
func TestWorkbenchJSONCarriesTaskIDs(t *testing.T) {
	e := newDocEnv(t)
	c := e.client()
	c.login("wenmi", demo.Password)
	id := c.createDraft("清澜区人民政府办公室关于做好冬季防火工作的通知", "0", e.towns(1)[0].ID)
	code, out, _ := c.call("GET", "/api/v1/workbench", nil)
	if code != 200 {
		t.Fatalf("workbench: %d", code)
	}
	todo, _ := out["lists"].(map[string]any)["todo"].([]any)
	for _, raw := range todo {
		it := raw.(map[string]any)
		if it["document_id"] == id {
			if task, _ := it["task"].(float64); task <= 0 {
				t.Fatalf("the item carries no task: %v", it)
			}
			return
		}
	}
	t.Fatalf("the draft is not on the workbench: %v", todo)
}
