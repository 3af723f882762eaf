package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/demo"
)

// TestDutyAPI: the office generates, edits, publishes and prints a roster
// through the API and pages; bad input is refused in Chinese and changes
// nothing; a holder's 替班 is approved and moves the shift; someone outside
// the office and off the roster is refused, and the refusal audited.
func TestDutyAPI(t *testing.T) {
	e := newEnv(t)
	e.clock.t = time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)
	office := e.unit("政府办")
	zhuren := e.client()
	zhuren.login("zhuren", demo.Password)
	leaders := []string{e.byLogin("lingdao").ID, e.byLogin("zhuren").ID}
	staff := []string{e.byLogin("wenmi").ID, e.byLogin("ducha").ID, e.byLogin("jiyao").ID}
	body := func(from, to string) map[string]any {
		return map[string]any{"unit_id": office.ID, "title": "国庆值班", "from": from, "to": to, "mode": "daily", "leaders": leaders, "staff": staff}
	}
	for _, bad := range []struct {
		body map[string]any
		want string
	}{
		{body("2026-12-09", "2026-12-07"), "早于"},
		{body("2026-12-07", "2027-06-01"), "最多排 92 天"},
		{map[string]any{"unit_id": office.ID, "title": "x", "from": "2026-12-07", "to": "2026-12-08", "mode": "daily", "leaders": []string{}, "staff": staff}, "请至少选择一名带班领导"},
		{map[string]any{"unit_id": office.ID, "title": "x", "from": "2026-12-07", "to": "2026-12-08", "mode": "daily", "leaders": []string{"nobody"}, "staff": staff}, "不存在的人员"},
	} {
		code, out, _ := zhuren.call("POST", "/api/v1/duty/rosters", bad.body)
		if code != http.StatusUnprocessableEntity || !strings.Contains(out["error"].(string), bad.want) {
			t.Errorf("%v: %d %v, want 422 with %q", bad.body["to"], code, out, bad.want)
		}
	}
	if code, out, _ := zhuren.call("GET", "/api/v1/duty/rosters", nil); code != 200 || out["rosters"] != nil {
		t.Errorf("refused input left rosters: %d %v", code, out)
	}
	code, out, _ := zhuren.call("POST", "/api/v1/duty/rosters", body("2026-12-07", "2026-12-13"))
	if code != http.StatusCreated {
		t.Fatalf("create: %d %v", code, out)
	}
	id := out["id"].(string)
	code, out, _ = zhuren.call("POST", "/api/v1/duty/rosters/"+id+"/assign", map[string]any{"date": "2026-12-07", "post": "staff", "person": staff[2]})
	if code != 200 {
		t.Fatalf("assign: %d %v", code, out)
	}
	code, out, _ = zhuren.call("POST", "/api/v1/duty/rosters/"+id+"/publish", map[string]any{})
	if code != 200 || out["state"] != "published" {
		t.Fatalf("publish: %d %v", code, out)
	}
	if code, out, _ := zhuren.call("POST", "/api/v1/duty/rosters/"+id+"/assign", map[string]any{"date": "2026-12-07", "post": "staff", "person": staff[0]}); code != 422 || !strings.Contains(out["error"].(string), "换班申请") {
		t.Errorf("assign after publishing: %d %v", code, out)
	}
	code, page, _ := zhuren.get("/duty/rosters/" + id + "/print")
	if code != 200 || !strings.Contains(page, "国庆值班") || !strings.Contains(page, e.byLogin("jiyao").Name) || strings.Contains(page, "申请换班") {
		t.Errorf("print: %d", code)
	}
	// jiyao, Monday's 值班员 after the edit, asks wenmi to cover; the director approves.
	jiyao := e.client()
	jiyao.login("jiyao", demo.Password)
	code, out, _ = jiyao.call("POST", "/api/v1/duty/rosters/"+id+"/swap", map[string]any{"kind": "cover", "post": "staff", "date": "2026-12-07", "to": staff[0]})
	if code != 422 || !strings.Contains(out["error"].(string), "理由") {
		t.Errorf("swap without a reason: %d %v", code, out)
	}
	code, out, _ = jiyao.call("POST", "/api/v1/duty/rosters/"+id+"/swap", map[string]any{"kind": "cover", "post": "staff", "date": "2026-12-07", "to": staff[0], "reason": "参加培训"})
	if code != 200 {
		t.Fatalf("swap: %d %v", code, out)
	}
	swap := out["id"].(string)
	if code, _, _ := jiyao.call("POST", "/api/v1/duty/rosters/"+id+"/approve", map[string]any{"swap": swap}); code != http.StatusForbidden {
		t.Errorf("the requester approves: %d", code)
	}
	if code, out, _ = zhuren.call("POST", "/api/v1/duty/rosters/"+id+"/approve", map[string]any{"swap": swap, "note": "同意"}); code != 200 || out["state"] != "approved" {
		t.Fatalf("approve: %d %v", code, out)
	}
	code, out, _ = zhuren.call("GET", "/api/v1/duty/rosters/"+id, nil)
	if sh := out["roster"].(map[string]any)["shifts"].([]any)[0].(map[string]any); code != 200 || sh["staff_id"] != staff[0] {
		t.Errorf("Monday after the swap: %d %v", code, sh)
	}
	// Outside the office and off the roster.
	chengban := e.client()
	chengban.login("chengban", demo.Password)
	if code, _, _ := chengban.call("GET", "/api/v1/duty/rosters/"+id, nil); code != http.StatusForbidden {
		t.Errorf("a stranger reads the roster: %d", code)
	}
	if code, _, _ := chengban.call("GET", "/api/v1/duty/warnings", nil); code != http.StatusForbidden {
		t.Errorf("a stranger reads the warnings: %d", code)
	}
	if code, out, _ := chengban.call("GET", "/api/v1/duty/rosters", nil); code != 200 || out["rosters"] != nil {
		t.Errorf("a stranger's list: %d %v", code, out)
	}
	if code, out, _ := zhuren.call("GET", "/api/v1/duty/warnings", nil); code != 200 || len(out["organs"].([]any)) == 0 {
		t.Errorf("the office's warnings: %d %v", code, out)
	}
}
