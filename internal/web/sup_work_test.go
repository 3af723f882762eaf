package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/demo"
)

// TestSupervisionOnWorkbench: an item assigned to a unit is on that unit's
// workbench until it signs for it.
func TestSupervisionOnWorkbench(t *testing.T) {
	e := newSupEnv(t)
	dev := e.unit("区发改局")
	sup := e.client()
	sup.login("ducha", demo.Password)
	sup.get("/supervise/new")
	if code, _, _ := sup.post("/supervise", url.Values{"source": {"leader"}, "title": {"背街小巷路灯修复"}, "instruction": {"请于十个工作日内完成修复。"},
		"lead_unit": {dev.ID}, "workdays": {"10"}, "schedule": {"每周五"}, "assign": {"1"}}); code != http.StatusSeeOther {
		t.Fatalf("create: %d", code)
	}
	lead := e.client()
	lead.login("chengban", demo.Password)
	_, body, _ := lead.get("/workbench")
	if !strings.Contains(body, "背街小巷路灯修复") || !strings.Contains(body, "督办") {
		t.Fatal("the assigned item is not on the lead unit's workbench")
	}
	other := e.client()
	other.login("wenmi", demo.Password)
	if _, body, _ := other.get("/workbench"); strings.Contains(body, "背街小巷路灯修复") {
		t.Error("another unit's workbench shows the item")
	}
}
