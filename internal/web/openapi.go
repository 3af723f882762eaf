package web

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/evaluate"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/proofread"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// apiEnum is an enumeration the API shares with the code: its values as the
// server reads and writes them, and each value's Chinese name where the code
// has one. The OpenAPI document's descriptions of these enumerations are
// written from here, so they cannot say 秘密 where the server means 机密.
type apiEnum struct {
	Name   string
	Values []string
	Label  func(string) string // nil: the values have no Chinese names
}

func apiEnums() []apiEnum {
	var levels apiEnum
	levels.Name = "密级"
	for _, l := range []document.Level{document.Unclassified, document.Confidential, document.Secret} {
		b, _ := l.MarshalText()
		levels.Values = append(levels.Values, string(b))
	}
	levels.Label = func(v string) string {
		var l document.Level
		if l.UnmarshalText([]byte(v)) != nil {
			return ""
		}
		return l.Label()
	}
	roles := apiEnum{Name: "角色", Label: func(v string) string { return org.Role(v).Label() }}
	for _, r := range org.AllRoles() {
		roles.Values = append(roles.Values, string(r))
	}
	kinds := apiEnum{Name: "单位类型", Label: func(v string) string { return org.UnitKind(v).Label() }}
	for _, k := range org.AllUnitKinds() {
		kinds.Values = append(kinds.Values, string(k))
	}
	ops := apiEnum{Name: "办理操作", Label: func(v string) string { return route.Op(v).Label() }}
	for _, o := range []route.Op{route.Acknowledge, route.Approve, route.Disagree, route.Return, route.Withdraw, route.Forward, route.AddReviewer, route.Urge} {
		ops.Values = append(ops.Values, string(o))
	}
	dirs := apiEnum{Name: "公文方向", Values: []string{store.Outgoing, store.Incoming}, Label: kindLabel}
	cats := apiEnum{Name: "校对类别"}
	for _, c := range proofread.Categories() {
		cats.Values = append(cats.Values, string(c))
	}
	sev := apiEnum{Name: "校对级别", Values: []string{string(proofread.SeverityError), string(proofread.SeverityWarning), string(proofread.SeverityHint)}}
	classes := apiEnum{Name: "考核单位类别", Label: func(v string) string { return evaluate.Class(v).Label() }}
	for _, c := range evaluate.Classes() {
		classes.Values = append(classes.Values, string(c))
	}
	inds := apiEnum{Name: "考核指标", Label: func(v string) string { return evaluate.Indicator(v).Label() }}
	for _, i := range evaluate.Indicators() {
		inds.Values = append(inds.Values, string(i))
	}
	return []apiEnum{levels, roles, kinds, ops, dirs, cats, sev, classes, inds}
}

// describe is the enumeration's values with their Chinese names, e.g.
// "unclassified：非密；confidential：秘密；secret：机密".
func (e apiEnum) describe() string {
	if e.Label == nil {
		return ""
	}
	parts := make([]string, len(e.Values))
	for i, v := range e.Values {
		parts[i] = v + "：" + e.Label(v)
	}
	return strings.Join(parts, "；")
}

func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	sort.Strings(x)
	sort.Strings(y)
	return slices.Equal(x, y)
}

// enumOf reads a schema's "enum" as strings (ok false if it has none or a
// value is not a string).
func enumOf(m map[string]any) ([]string, bool) {
	raw, ok := m["enum"].([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(raw))
	for _, v := range raw {
		s, ok := v.(string)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// walkJSON calls fn on every object in v, depth first.
func walkJSON(v any, fn func(map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		fn(x)
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			walkJSON(x[k], fn)
		}
	case []any:
		for _, y := range x {
			walkJSON(y, fn)
		}
	}
}

var apiMethods = []string{"get", "put", "post", "delete", "patch"}

// operationID names an operation that has no operationId from its method
// and path: GET /documents/{id}/versions is getDocumentsByIdVersions.
func operationID(method, path string) string {
	var b strings.Builder
	b.WriteString(method)
	for _, seg := range strings.Split(path, "/") {
		if seg == "" {
			continue
		}
		if strings.HasPrefix(seg, "{") {
			seg = "by-" + strings.Trim(seg, "{}")
		}
		for _, w := range strings.FieldsFunc(seg, func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

// finishOpenAPI completes the hand-written OpenAPI document with what the
// code knows: the Chinese names of the enumerations' values (apiEnums), an
// operationId for every operation that has none, and the 401 every
// operation answers without a valid session or token.
func finishOpenAPI(raw []byte) ([]byte, error) {
	var spec map[string]any
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	enums := apiEnums()
	walkJSON(spec, func(m map[string]any) {
		vals, ok := enumOf(m)
		if !ok {
			return
		}
		for _, e := range enums {
			if d := e.describe(); d != "" && sameSet(vals, e.Values) {
				prev, _ := m["description"].(string)
				if prev != "" {
					d = prev + "（" + d + "）"
				}
				m["description"] = d
			}
		}
	})
	paths, _ := spec["paths"].(map[string]any)
	for path, item := range paths {
		ops, _ := item.(map[string]any)
		for _, method := range apiMethods {
			op, ok := ops[method].(map[string]any)
			if !ok {
				continue
			}
			if id, _ := op["operationId"].(string); id == "" {
				op["operationId"] = operationID(method, path)
			}
			resp, _ := op["responses"].(map[string]any)
			if resp == nil {
				resp = map[string]any{}
				op["responses"] = resp
			}
			if _, ok := resp["401"]; !ok {
				resp["401"] = map[string]any{"description": "未登录或令牌无效（message in Chinese）",
					"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}}
			}
		}
	}
	return json.Marshal(spec)
}
