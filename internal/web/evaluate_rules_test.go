package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/evaluate"
)

// TestEvalRulesPages: the system administrator adds a version of the rules
// through the form (a bad form comes back as typed with every mistake in
// Chinese and nothing stored), the scoreboard of a period after its date is
// scored by it, a version not yet in force can be withdrawn and one in
// force cannot; a clerk reads the rules but cannot change them; the JSON
// API does the same.
func TestEvalRulesPages(t *testing.T) {
	e := newEnv(t) // 2026-11-30, 17:00 in Beijing
	ad := e.client()
	if code, _ := ad.login("sysadmin", demo.Password); code != http.StatusSeeOther {
		t.Fatal("login sysadmin")
	}
	code, body, _ := ad.get("/evaluate/rules")
	if code != http.StatusOK || !strings.Contains(body, `data-testid="eval-rule-form"`) || !strings.Contains(body, "第 1 版") || !strings.Contains(body, `value="2026-12-01"`) {
		t.Fatalf("rules page: %d %s", code, alert(body))
	}
	form := url.Values{"effective": {"2026-11-01"}, "note": {"保留的说明"}, "close_days": {"十"}, "reply_days": {"1"}, "error_ceiling": {"NaN"},
		"commend_share": {"20"}, "commend_min": {"90"}, "commend_floor": {"60"},
		"on_towns_sign_for": {"1"}, "w_towns_sign_for": {"0"}, "on_towns_info_score": {"1"}, "w_towns_info_score": {"50"},
		"on_departments_sign_for": {"1"}, "w_departments_sign_for": {"10"}, "on_offices_handover": {"1"}, "w_offices_handover": {"10"}}
	code, body, _ = ad.post("/evaluate/rules", form)
	for _, want := range []string{"须为整数", "请填写大于 0 的权重", "不是有效的数字", "保留的说明", `value="50"`} {
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, want) {
			t.Errorf("bad form: %d, want %q in %s", code, want, alert(body))
		}
	}
	form.Set("close_days", "10")
	form.Set("error_ceiling", "5")
	form.Set("w_towns_sign_for", "50")
	if code, body, _ = ad.post("/evaluate/rules", form); code != http.StatusUnprocessableEntity || !strings.Contains(body, "不能早于今天（2026-11-30）") {
		t.Errorf("a past date: %d %s", code, alert(body))
	}
	if rs, _ := e.store.EvalRules(t.Context()); len(rs) != 1 {
		t.Fatalf("a refused form stored %d versions", len(rs))
	}
	form.Set("effective", "2027-01-01")
	code, body, h := ad.post("/evaluate/rules", form)
	if code != http.StatusSeeOther || h.Get("Location") != "/evaluate/rules?version=2&notice=saved" {
		t.Fatalf("save: %d %s %s", code, h.Get("Location"), alert(body))
	}
	rs, _ := e.store.EvalRules(t.Context())
	if len(rs) != 2 || rs[1].Version != 2 || len(rs[1].Weights[evaluate.Towns]) != 2 || rs[1].Weights[evaluate.Towns][evaluate.SignFor] != 50 ||
		rs[1].CommendShare != 0.2 || rs[1].Note != "保留的说明" || len(rs[1].Weights[evaluate.Departments]) != 1 {
		t.Fatalf("stored %+v", rs)
	}
	if _, body, _ = ad.get("/evaluate/rules?version=2"); !strings.Contains(body, "待施行") || !strings.Contains(body, `data-testid="eval-rule-withdraw"`) {
		t.Errorf("version 2's page: %s", alert(body))
	}

	// A clerk reads the rules and the board follows them by period.
	cl := e.client()
	cl.login("wenmi", demo.Password)
	if code, body, _ := cl.get("/evaluate/rules?version=1"); code != http.StatusOK || strings.Contains(body, "eval-rule-form") || !strings.Contains(body, "现行") {
		t.Errorf("clerk's rules page: %d", code)
	}
	if code, _, _ := cl.post("/evaluate/rules", form); code != http.StatusForbidden {
		t.Errorf("a clerk saved rules: %d", code)
	}
	for period, want := range map[string]float64{"2026-12": 1, "2027-01": 2} {
		_, out, _ := cl.call("GET", "/api/v1/evaluate/board?class=towns&period="+period, nil)
		board, _ := out["board"].(map[string]any)
		rules, _ := board["rules"].(map[string]any)
		if rules["version"] != want {
			t.Errorf("%s scored by %v, want v%g", period, rules["version"], want)
		}
		if want == 2 && len(board["counted"].([]any)) != 2 {
			t.Errorf("2027-01 counts %v", board["counted"])
		}
	}

	// The API: fields left out keep the latest version's; only the latest,
	// not yet in force, can be withdrawn.
	ad.get("/evaluate/rules")
	code, out, _ := ad.call("POST", "/api/v1/evaluate/rules", map[string]any{"effective": "2027-03-01", "weights": map[string]any{"departments": map[string]any{"sign_for": 10}}})
	if code != http.StatusCreated || out["version"] != 3.0 {
		t.Fatalf("API add: %d %v", code, out)
	}
	if code, out, _ := ad.call("POST", "/api/v1/evaluate/rules", map[string]any{"effective": "2027-02-01"}); code != http.StatusUnprocessableEntity || !strings.Contains(out["error"].(string), "须晚于") {
		t.Errorf("API add before the latest: %d %v", code, out)
	}
	if code, out, _ := ad.call("DELETE", "/api/v1/evaluate/rules/2", nil); code != http.StatusUnprocessableEntity || !strings.Contains(out["error"].(string), "只能撤销最新") {
		t.Errorf("withdraw v2: %d %v", code, out)
	}
	if code, _, _ := ad.call("DELETE", "/api/v1/evaluate/rules/3", nil); code != http.StatusNoContent {
		t.Errorf("withdraw v3: %d", code)
	}
	if code, out, _ := cl.call("GET", "/api/v1/evaluate/rules", nil); code != http.StatusOK || len(out["rules"].([]any)) != 2 {
		t.Errorf("API list: %d %v", code, out)
	}
	if code, body, _ := ad.post("/evaluate/rules/1/withdraw", nil); code != http.StatusUnprocessableEntity || !strings.Contains(body, "只能撤销最新") {
		t.Errorf("withdraw v1 by form: %d %s", code, alert(body))
	}
}

// TestEvalUnitsPages: a rename through the page renames the unit and the
// scoreboard shows the earlier name for earlier periods; a bad merge comes
// back as typed with a Chinese message; a merge folds the town into its
// successor and can be withdrawn; a clerk reads the list only.
func TestEvalUnitsPages(t *testing.T) {
	e := newEnv(t)
	ad := e.client()
	ad.login("sysadmin", demo.Password)
	baisha, shiqiao := e.unit("白沙镇"), e.unit("石桥镇")
	if code, body, _ := ad.get("/evaluate/units"); code != http.StatusOK || !strings.Contains(body, "尚未记录") || !strings.Contains(body, `data-testid="eval-change-form"`) {
		t.Fatalf("units page: %d %s", code, alert(body))
	}
	rename := url.Values{"kind": {"rename"}, "unit": {baisha.ID}, "new_name": {"清澜区白沙街道"}, "on": {"2026-11-01"}}
	if code, _, _ := ad.post("/evaluate/units", rename); code != http.StatusSeeOther {
		t.Fatalf("rename: %d", code)
	}
	if u, _ := e.store.Unit(t.Context(), baisha.ID); u.Name != "清澜区白沙街道" {
		t.Errorf("the org still calls it %q", u.Name)
	}
	merge := url.Values{"kind": {"merge"}, "unit": {shiqiao.ID}, "into": {shiqiao.ID}, "on": {"2026-11-15"}}
	code, body, _ := ad.post("/evaluate/units", merge)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "单位不能并入自身") || !strings.Contains(body, `value="2026-11-15"`) {
		t.Errorf("merge into itself: %d %s", code, alert(body))
	}
	merge.Set("into", baisha.ID)
	if code, body, _ := ad.post("/evaluate/units", merge); code != http.StatusSeeOther {
		t.Fatalf("merge: %d %s", code, alert(body))
	}
	cl := e.client()
	cl.login("wenmi", demo.Password)
	code, body, _ = cl.get("/evaluate/units")
	if code != http.StatusOK || !strings.Contains(body, "此前名称“"+baisha.Name+"”") || !strings.Contains(body, "并入清澜区白沙街道") || strings.Contains(body, "eval-change-form") {
		t.Errorf("clerk's list: %d %s", code, body)
	}
	if code, _, _ := cl.post("/evaluate/units", rename); code != http.StatusForbidden {
		t.Errorf("a clerk recorded a change: %d", code)
	}
	names := func(period string) []string {
		_, out, _ := cl.call("GET", "/api/v1/evaluate/board?class=towns&period="+period, nil)
		var ns []string
		for _, r := range out["board"].(map[string]any)["rows"].([]any) {
			ns = append(ns, r.(map[string]any)["name"].(string))
		}
		return ns
	}
	oct, nov := strings.Join(names("2026-10"), "、"), strings.Join(names("2026-11"), "、")
	if !strings.Contains(oct, baisha.Name) || !strings.Contains(oct, shiqiao.Name) || !strings.Contains(nov, "清澜区白沙街道") || strings.Contains(nov, shiqiao.Name) {
		t.Errorf("October %s; November %s", oct, nov)
	}
	_, out, _ := cl.call("GET", "/api/v1/evaluate/unit-changes", nil)
	if chs, _ := out["changes"].([]any); len(chs) != 2 {
		t.Fatalf("API changes: %v", out)
	}
	ad.get("/evaluate/units")
	if code, _, _ := ad.call("DELETE", "/api/v1/evaluate/unit-changes/"+shiqiao.ID+"/merge/2026-11-15", nil); code != http.StatusNoContent {
		t.Errorf("withdraw merge: %d", code)
	}
	if code, out, _ := ad.call("POST", "/api/v1/evaluate/unit-changes", map[string]any{"unit": shiqiao.ID, "kind": "merge", "into": e.unit("区财政局").ID, "on": "2026-11-15"}); code != http.StatusUnprocessableEntity || !strings.Contains(out["error"].(string), "同类") {
		t.Errorf("merge into a department: %d %v", code, out)
	}
	if !strings.Contains(strings.Join(names("2026-11"), "、"), shiqiao.Name) {
		t.Error("a withdrawn merge still folds 石桥镇")
	}
}
