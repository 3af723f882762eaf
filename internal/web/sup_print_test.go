package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/demo"
)

// TestSupervisionForms prints an item's 督办单 and an urging's 催办单 from the
// layout engine's forms, with the item's real values.
func TestSupervisionForms(t *testing.T) {
	e := newProofEnv(t, true)
	dev := e.unit("区发改局")
	sup := e.client()
	sup.login("ducha", demo.Password)
	sup.get("/supervise/new")
	code, _, h := sup.post("/supervise", url.Values{"source": {"leader"}, "title": {"背街小巷路灯修复"}, "instruction": {"请于十个工作日内完成修复。"},
		"lead_unit": {dev.ID}, "workdays": {"10"}, "schedule": {"每周五"}, "assign": {"1"}})
	m := supItemLink.FindStringSubmatch(h.Get("Location"))
	if code != http.StatusSeeOther || m == nil {
		t.Fatalf("create: %d", code)
	}
	page := "/supervise/items/" + m[1]
	sup.get(page)
	if code, _, _ := sup.post(page+"/urge", url.Values{"unit": {dev.ID}, "text": {"请抓紧推进，周五前反馈。"}}); code != http.StatusSeeOther {
		t.Fatalf("urge: %d", code)
	}
	_, body, _ := sup.get(page)
	um := regexp.MustCompile(`/supervise/items/[^"]+/urgings/\d+/sheet\.pdf`).FindString(body)
	if !strings.Contains(body, page+"/sheet.pdf") || um == "" {
		t.Fatal("the item page has no print links")
	}
	// The 督办编号 is 督字〔year〕N号 on the page, in the list and on the sheet.
	number := regexp.MustCompile(`督字〔\d{4}〕\d+号`).FindString(body)
	if number == "" {
		t.Fatal("the item page shows no 督办编号")
	}
	if _, list, _ := sup.get("/supervise?q=" + url.QueryEscape(number)); !strings.Contains(list, number) || !strings.Contains(list, "背街小巷路灯修复") {
		t.Errorf("the list searched by %s does not show it", number)
	}
	for path, want := range map[string][]string{
		page + "/sheet.pdf": {"督办单", number, "背街小巷路灯修复", "请于十个工作日内完成修复。", "清澜区发展和改革局", "领导交办"},
		um:                  {"催办单", number + "-", "请抓紧推进，周五前反馈。", "第1次", "尚未签收"},
	} {
		code, pdf, _ := sup.fetch(path)
		if code != 200 || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Fatalf("%s: %d", path, code)
		}
		text := pdfText(t, pdf)
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %q", path, w)
			}
		}
	}
	other := e.client()
	other.login(e.head(e.unit("区教育局").ID).Login, demo.Password)
	if code, _, _ := other.fetch(page + "/sheet.pdf"); code != http.StatusForbidden {
		t.Errorf("stranger prints the 督办单: %d", code)
	}
}
