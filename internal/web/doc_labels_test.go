package web_test

import (
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
