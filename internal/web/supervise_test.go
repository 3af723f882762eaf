package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/supervise"
	"github.com/shuniu-oa/shuniu/internal/web"
)

var supItemLink = regexp.MustCompile(`/supervise/items/([A-Za-z0-9_-]+)`)

// TestSupervisionPages walks an item through the pages and forms: 立项 with
// a refused form keeping its input, 签收 by both units, a progress report,
// an extension asked and granted, 申请办结, 退回, again, 办结; then the lists,
// statistics, 督办通报 (page and xlsx), inbox and JSON API answer.
func TestSupervisionPages(t *testing.T) {
	e := newSupEnv(t)
	dev, fin := e.unit("区发改局"), e.unit("区财政局")
	finHead := e.head(fin.ID)

	sup := e.client()
	sup.login("ducha", demo.Password)
	code, body, _ := sup.get("/supervise/new")
	if code != http.StatusOK || !strings.Contains(body, "督办立项") {
		t.Fatalf("new form: %d", code)
	}
	form := url.Values{"source": {"leader"}, "title": {"背街小巷路灯修复"}, "instruction": {"请于十个工作日内完成修复。"},
		"lead_unit": {dev.ID}, "co_unit": {fin.ID}, "workdays": {"abc"}, "schedule": {"每周五"}, "assign": {"1"}}
	code, body, _ = sup.post("/supervise", form)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "工作日数") || !strings.Contains(body, "背街小巷路灯修复") {
		t.Fatalf("bad form not refused with input kept: %d", code)
	}
	form.Set("workdays", "10")
	code, _, h := sup.post("/supervise", form)
	if code != http.StatusSeeOther {
		t.Fatalf("create: %d", code)
	}
	m := supItemLink.FindStringSubmatch(h.Get("Location"))
	if m == nil {
		t.Fatalf("location %q", h.Get("Location"))
	}
	id := m[1]
	page := "/supervise/items/" + id

	lead, co := e.client(), e.client()
	lead.login("chengban", demo.Password)
	co.login(finHead.Login, demo.Password)
	// A stranger to the item may not open it.
	other := e.client()
	other.login(e.head(e.unit("区教育局").ID).Login, demo.Password)
	if code, _, _ := other.get(page); code != http.StatusForbidden {
		t.Fatalf("stranger: %d", code)
	}
	for _, c := range []struct {
		cl   *client
		unit string
	}{{lead, dev.ID}, {co, fin.ID}} {
		c.cl.get(page)
		if code, body, _ := c.cl.post(page+"/sign_for", url.Values{"unit": {c.unit}}); code != http.StatusSeeOther {
			t.Fatalf("sign for %s: %d %s", c.unit, code, firstLines(body, "alert", 3))
		}
	}
	// A report without text is refused, in Chinese, on the item page.
	if code, body, _ := lead.post(page+"/report", url.Values{"unit": {dev.ID}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "请填写进展情况") {
		t.Fatalf("empty report: %d", code)
	}
	lead.post(page+"/report", url.Values{"unit": {dev.ID}, "text": {"已排查路灯 120 盏"}})
	e.clock.t = e.clock.t.Add(20 * time.Minute)
	lead.get(page)
	if code, body, _ := lead.post(page+"/request_extension", url.Values{"unit": {dev.ID}, "asked": {"2027-01-29"}, "reason": {"材料采购延迟"}}); code != http.StatusSeeOther {
		t.Fatalf("extension: %d %s", code, firstLines(body, "alert", 3))
	}
	sup.get(page)
	if code, body, hh := sup.post(page+"/decide_extension", url.Values{"seq": {"999"}, "decision": {"grant"}}); code == http.StatusSeeOther {
		t.Fatalf("decided an extension that does not exist: %d %s %v", code, firstLines(body, "alert", 3), hh)
	} else if !strings.Contains(body, "延期") {
		t.Fatalf("unknown extension: %s", firstLines(body, "alert", 3))
	}
	it, err := e.store.SupItem(t.Context(), id)
	if err != nil || len(it.Extensions) != 1 {
		t.Fatal(it.Extensions, err)
	}
	seq := it.Extensions[0].Seq
	if code, body, _ := sup.post(page+"/decide_extension", url.Values{"seq": {strconv.Itoa(seq)}, "decision": {"grant"}}); code != http.StatusSeeOther {
		t.Fatalf("grant: %d %s", code, firstLines(body, "alert", 3))
	}
	lead.get(page)
	lead.post(page+"/request_close", url.Values{"text": {"已全部修复"}})
	sup.get(page)
	if code, body, _ := sup.post(page+"/review", url.Values{"decision": {"return"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "退回须说明理由") {
		t.Fatalf("return without reason: %d", code)
	}
	sup.post(page+"/review", url.Values{"decision": {"return"}, "reason": {"缺少照片佐证"}})
	lead.get(page)
	lead.post(page+"/sign_for", url.Values{"unit": {dev.ID}})
	if code, body, _ := lead.post(page+"/request_close", url.Values{"text": {"已全部修复，附照片"}}); code != http.StatusSeeOther {
		t.Fatalf("resubmit: %d %s", code, firstLines(body, "alert", 3))
	}
	sup.get(page)
	sup.post(page+"/review", url.Values{"decision": {"close"}})
	it, err = e.store.SupItem(t.Context(), id)
	if err != nil || it.State != supervise.Closed || len(it.Submits) != 2 || it.ExtensionsGranted() != 1 {
		t.Fatalf("%s %d %v", it.State, len(it.Submits), err)
	}
	_, body, _ = sup.get(page)
	for _, want := range []string{"已办结", "缺少照片佐证", "材料采购延迟", "已排查路灯 120 盏"} {
		if !strings.Contains(body, want) {
			t.Errorf("item page lacks %q", want)
		}
	}
	for _, p := range []string{"/supervise", "/supervise?tab=closed", "/supervise/stats", "/supervise/bulletin", "/supervise/import", "/inbox",
		"/supervise/stats/items?metric=closed_on_time&from=2026-01-01&to=2026-12-31&lead=" + dev.ID} {
		code, body, _ := sup.get(p)
		if code != http.StatusOK {
			t.Errorf("%s: %d %s", p, code, firstLines(body, "alert", 3))
		}
		if strings.HasPrefix(p, "/supervise/stats/items") && !strings.Contains(body, "背街小巷路灯修复") {
			t.Errorf("click-through lacks the item")
		}
	}
	_, body, _ = sup.get("/supervise/stats?from=2026-01-01&to=2026-12-31")
	if !strings.Contains(body, "<svg") || !strings.Contains(body, "100.0%") {
		t.Errorf("stats page: no chart or rate")
	}
	// The drill-down links carry the period and the unit as a query, not one
	// escaped value ("?from%3d…" once opened the whole district's items).
	link := "/supervise/stats/items?from=2026-01-01&to=2026-12-31&lead=" + dev.ID + "&metric=items"
	if strings.Contains(body, "%3d") || !strings.Contains(strings.ReplaceAll(body, "&amp;", "&"), link) {
		t.Errorf("stats page: drill-down link mis-encoded; want %s", link)
	}
	if _, body, _ := sup.get(link); !strings.Contains(body, "背街小巷路灯修复") {
		t.Errorf("drill-down by unit lacks the item")
	}
	resp, err := sup.http.Get(e.srv.URL + "/supervise/bulletin.xlsx")
	if err != nil || resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheet") {
		t.Fatalf("xlsx: %v %v", resp, err)
	}
	resp.Body.Close()
	// The JSON API.
	code, out, _ := lead.call("GET", "/api/v1/supervise/items/"+id, nil)
	if code != http.StatusOK || out["item"] == nil {
		t.Fatalf("api item: %d", code)
	}
	code, out, _ = sup.call("GET", "/api/v1/supervise/items?tab=all", nil)
	if code != http.StatusOK || len(out["items"].([]any)) != 1 {
		t.Fatalf("api list: %d %v", code, out)
	}
	code, out, _ = sup.call("POST", "/api/v1/supervise/items", map[string]any{"source": "leader", "title": "农贸市场提升改造",
		"instruction": "请牵头推进。", "lead_unit": fin.ID, "workdays": 20, "schedule": "每月25日", "assign": true})
	if code != http.StatusCreated {
		t.Fatalf("api create: %d %v", code, out)
	}
	id2 := out["id"].(string)
	code, out, _ = co.call("POST", "/api/v1/supervise/items/"+id2+"/sign_for", map[string]any{"unit": fin.ID})
	if code != http.StatusOK || out["state"] != "in_progress" {
		t.Fatalf("api sign for: %d %v", code, out)
	}
	code, out, _ = co.call("POST", "/api/v1/supervise/items/"+id2+"/review", map[string]any{"decision": "close"})
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("api refusal: %d %v", code, out)
	}
}

// newSupEnv is newDocEnv with the server's errors logged to the test.
func newSupEnv(t *testing.T) *env {
	t.Helper()
	c := &clock{t: time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)} // 09:30 in Beijing, a Monday
	s := storetest.SQLite(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler)})
	d := demo.NewDistrict(c.now())
	if err := demo.Seed(context.Background(), s, d); err != nil {
		t.Fatal(err)
	}
	dataDir := t.TempDir()
	h, err := web.New(s, web.Options{Version: "test", Logger: slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelError})), DataDir: dataDir})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h.Handler())
	t.Cleanup(ts.Close)
	return &env{t: t, srv: ts, store: s, clock: c, d: d, dataDir: dataDir}
}

type testLog struct{ t *testing.T }

func (l testLog) Write(b []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// 督办通报 numbers its overdue items from 1, as a printed 通报 does.
func TestBulletinNumbersFromOne(t *testing.T) {
	e := newSupEnv(t)
	dev := e.unit("区发改局")
	sup := e.client()
	sup.login("ducha", demo.Password)
	sup.get("/supervise/new")
	form := url.Values{"source": {"leader"}, "title": {"农贸市场改造"}, "instruction": {"请抓紧完成。"},
		"lead_unit": {dev.ID}, "workdays": {"1"}, "schedule": {"每周五"}, "assign": {"1"}}
	if code, body, _ := sup.post("/supervise", form); code != http.StatusSeeOther {
		t.Fatalf("create: %d %s", code, firstLines(body, "alert", 3))
	}
	e.clock.t = e.clock.t.Add(15 * 24 * time.Hour)
	sup = e.client() // the first session has long expired
	sup.login("ducha", demo.Password)
	_, body, _ := sup.get("/supervise/bulletin")
	i := strings.Index(body, `data-testid="bulletin-overdue"`)
	if i < 0 {
		t.Fatalf("no overdue table")
	}
	if row := body[i:]; !strings.Contains(row, "<tr><td>1</td><td>农贸市场改造</td>") {
		t.Errorf("first overdue row not numbered 1: %s", row[:min(len(row), 400)])
	}
}
