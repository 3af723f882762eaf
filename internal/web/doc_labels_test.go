package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/route"
)

// TestCountersignRecordAndPostLabels: a 会签 asked of a person reads "同意
// 综合科科长 某某：同意。" — their post, then their name once (it read "同意
// 某某 某某：同意。"), on the document page and the 发文稿纸; and the header
// names a 科长 who also does the 文秘's work by their post, 科长.
func TestCountersignRecordAndPostLabels(t *testing.T) {
	e := newProofEnv(t, false)
	office := e.unit("政府办")
	rec := e.proofDraft(document.Unclassified)
	e.toReview(rec)
	cs := e.child(office.ID, "综合科")
	signer := e.head(cs.ID)
	e.act(e.byLogin("wenmi"), rec.ID, route.Request{Op: route.Approve, Comment: "核稿无误",
		Next: []route.NextTask{{Assignee: route.Assignee{Kind: route.Person, Person: signer.ID}}}})
	e.act(signer, rec.ID, route.Request{Op: route.Approve, Comment: "同意。"})

	director := e.client()
	director.login(e.head(office.ID).Login, demo.Password)
	for _, path := range []string{"/docs/" + rec.ID, "/docs/" + rec.ID + "/sheet"} {
		_, body, _ := director.get(path)
		if strings.Contains(body, signer.Name+" "+signer.Name) || strings.Contains(body, "<b>"+signer.Name+"</b>") {
			t.Errorf("%s repeats the signer's name", path)
		}
		if !strings.Contains(body, "综合科科长") || strings.Count(body, signer.Name) == 0 {
			t.Errorf("%s does not name the post asked to sign", path)
		}
	}

	sectionHead := e.head(e.child(office.ID, "秘书科").ID)
	c := e.client()
	c.login(sectionHead.Login, demo.Password)
	_, body, _ := c.get("/workbench")
	if !strings.Contains(body, `data-testid="who-label">科长<`) {
		t.Error("the 秘书科科长 is not labelled 科长 in the header")
	}
}

// TestStepButtonsCarryTheirVerb: the button that finishes a step says what
// the step does — 签收, then 登记 (it said 同意), then 拟办.
func TestStepButtonsCarryTheirVerb(t *testing.T) {
	e := newDocEnv(t)
	office := e.unit("政府办")
	rec, err := e.store.RegisterIncoming(context.Background(), e.byLogin("jiyao"), office.ID,
		document.Document{Type: document.Notice, Title: "云泽市人民政府关于做好冬季安全生产工作的通知"}, "云泽市人民政府")
	if err != nil {
		t.Fatal(err)
	}
	c := e.client()
	c.login("wenmi", demo.Password)
	button := regexp.MustCompile(`data-testid="approve">([^<]+)<`)
	for _, step := range []string{"签收", "登记"} {
		_, body, _ := c.get("/docs/" + rec.ID)
		m := button.FindStringSubmatch(body)
		if m == nil || m[1] != step {
			t.Fatalf("the button at %s reads %v", step, m)
		}
		key := map[string]string{"签收": "sign_for", "登记": "register"}[step]
		if code, _, _ := c.post("/docs/"+rec.ID+"/act", url.Values{"task": {taskOf(t, body, key)}, "op": {"approve"}}); code != http.StatusSeeOther {
			t.Fatalf("%s: %d", step, code)
		}
	}
	director := e.client()
	director.login(e.head(office.ID).Login, demo.Password)
	_, body, _ := director.get("/docs/" + rec.ID)
	if m := button.FindStringSubmatch(body); m == nil || m[1] != "拟办" {
		t.Errorf("the button at 拟办 reads %v", m)
	}
}
