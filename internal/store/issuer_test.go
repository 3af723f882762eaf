package store_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestDraftInNameOfOrgan: 政府办 drafts a 通知 in the name of 区政府; after
// the director's 核稿 and 区应急管理局's 会签 it is signed off by the 副区长
// who oversees its 主送 units (the demo's 领导 login) and nobody else,
// numbered in 清政发 while 政府办's own documents go on in 清政办发, printed
// by 政府办 and sent as 区政府's. A 请示 in 区政府's name goes to the 区长. A
// department cannot draft in 区政府's name.
func TestDraftInNameOfOrgan(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		gov, office := x.unit["区政府"], x.unit["政府办"]
		secretariat := childOf(x, office.ID, "秘书科")
		clerk, director, deputy := x.byLogin["wenmi"], x.byLogin["zhuren"], x.byLogin["lingdao"]
		to := []string{x.unit["区教育局"].ID, x.unit["区卫健委"].ID, x.unit["区民政局"].ID}
		rec, err := s.CreateOutgoing(ctx, clerk, store.NewOutgoing{UnitID: secretariat.ID, IssuerID: gov.ID, To: to, Doc: document.Document{
			Type: document.Notice, Title: "清澜区人民政府关于做好2027年春季学校安全工作的通知",
			Body: document.ParseBody("各有关单位：\n一、压实责任\n二、抓好落实")}})
		if err != nil {
			t.Fatal(err)
		}
		if rec.OrganID != office.ID || rec.Doc.IssuerMark != gov.Name+"文件" || rec.Doc.Signatures[0] != gov.Name {
			t.Fatalf("draft: organ %s, mark %q, signature %v", rec.OrganID, rec.Doc.IssuerMark, rec.Doc.Signatures)
		}
		own := newDraft(t, s, x, clerk, secretariat, nil) // 政府办's own, numbered alongside

		for _, id := range []string{rec.ID, own.ID} {
			act(t, s, clerk, id, approve("请审核"))
			act(t, s, x.head(t, secretariat.ID), id, approve("同意"))
		}
		emergency := x.unit["区应急管理局"]
		act(t, s, director, rec.ID, route.Request{Op: route.Approve, Comment: "核稿无误，请区应急管理局会签", Next: []route.NextTask{
			{Assignee: route.Assignee{Kind: route.Leader, Unit: emergency.ID}}}})
		act(t, s, x.head(t, emergency.ID), rec.ID, approve("同意"))
		in, err := s.Instance(ctx, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		open := in.OpenTasks()
		if len(open) != 1 || open[0].Assignee != (route.Assignee{Kind: route.Person, Person: deputy.ID}) {
			t.Fatalf("sign-off handed to %+v, want the 分管 副区长 %s", open, deputy.Name)
		}
		if _, err := s.Act(ctx, x.head(t, gov.ID), rec.ID, route.Request{Op: route.Approve, Task: open[0].ID, Comment: "同意"}); err == nil {
			t.Error("the 区长 signed what goes to the 分管 副区长")
		}
		if ok, err := s.Involved(ctx, rec.ID, mustActor(t, s, deputy.ID)); err != nil || !ok {
			t.Errorf("the signing 副区长 is not involved: %v %v", ok, err)
		}
		act(t, s, deputy, rec.ID, approve("同意印发"))
		got := act(t, s, clerk, rec.ID, approve(""))
		year := got.Doc.Number.Year
		if want := fmt.Sprintf("清政发〔%d〕1号", year); got.DocNumber != want {
			t.Fatalf("numbered %q, want %q", got.DocNumber, want)
		}
		in, _ = s.Instance(ctx, rec.ID)
		if so, ok := document.SignOffOf(in); !ok || so.Signer != deputy.ID {
			t.Errorf("签发 %+v, want %s", so, deputy.Name)
		}
		// 政府办's own document goes on in its own series.
		act(t, s, clerk, own.ID, route.Request{Op: route.Approve, Next: []route.NextTask{{Assignee: route.Assignee{Kind: route.Person, Person: director.ID}}}})
		act(t, s, director, own.ID, approve("同意"))
		act(t, s, x.head(t, office.ID), own.ID, approve("签发"))
		if o := act(t, s, clerk, own.ID, approve("")); o.DocNumber != fmt.Sprintf("清政办发〔%d〕1号", year) {
			t.Errorf("政府办's own numbered %q", o.DocNumber)
		}
		act(t, s, clerk, rec.ID, approve("复核无误"))
		got = act(t, s, clerk, rec.ID, route.Request{Op: route.Approve, Fields: map[string]string{"print_date": "2026-12-01", "copies": "30"}})
		if got.Doc.PrintedBy != office.Name {
			t.Errorf("印发机关 %q, want %s", got.Doc.PrintedBy, office.Name)
		}
		act(t, s, clerk, rec.ID, approve("分发"))
		copies, err := s.IncomingFrom(ctx, rec.ID)
		if err != nil || len(copies) != 3 {
			t.Fatalf("copies: %d %v", len(copies), err)
		}
		for _, c := range copies {
			if c.Sender != gov.Name {
				t.Errorf("copy sent by %q, want %s", c.Sender, gov.Name)
			}
		}

		// A 请示 in 区政府's name is the 区长's to sign.
		req, err := s.CreateOutgoing(ctx, clerk, store.NewOutgoing{UnitID: secretariat.ID, IssuerID: gov.ID, To: to[:1], Doc: document.Document{
			Type: document.Request, Title: "清澜区人民政府关于申请学校安全专项资金的请示", Body: document.ParseBody("市财政局：\n妥否，请批示。")}})
		if err != nil {
			t.Fatal(err)
		}
		in, _ = s.Instance(ctx, req.ID)
		if in.Scope[route.AssignScope("sign_off")] != x.head(t, gov.ID).ID {
			t.Errorf("a 请示 signed by %q, want the 区长", in.Scope[route.AssignScope("sign_off")])
		}
		// A department drafts in its own name only.
		dept := x.unit["区发改局"]
		_, err = s.CreateOutgoing(ctx, x.byLogin["chengban"], store.NewOutgoing{UnitID: childOf(x, dept.ID, "综合规划科").ID, IssuerID: gov.ID,
			Doc: document.Document{Type: document.Notice, Title: "关于报送项目的通知", Body: document.ParseBody("一、范围")}})
		if err == nil || !strings.Contains(err.Error(), "名义") {
			t.Errorf("a department drafted in 区政府's name: %v", err)
		}
	})
}

func mustActor(t *testing.T, s *store.Store, id string) route.Actor {
	t.Helper()
	a, err := s.Actor(ctx, id, s.Now())
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestJointIssue: 区委办 and 政府办 issue a 通知 jointly (两办发文): the mark
// and 署名 name both, lead first; 核稿 without 区委办's 会签 is refused and
// changes nothing; with it the document goes on, and is numbered once, in
// the lead's series.
func TestJointIssue(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		office, party := x.unit["政府办"], x.unit["区委办"]
		secretariat := childOf(x, office.ID, "秘书科")
		clerk, director := x.byLogin["wenmi"], x.byLogin["zhuren"]
		rec, err := s.CreateOutgoing(ctx, clerk, store.NewOutgoing{UnitID: secretariat.ID, CoIssuers: []string{party.ID}, To: []string{x.unit["区教育局"].ID},
			Doc: document.Document{Type: document.Notice, Title: "关于做好2027年元旦春节期间有关工作的通知", Body: document.ParseBody("一、压实责任\n二、抓好落实")}})
		if err != nil {
			t.Fatal(err)
		}
		if want := office.Name + "、" + party.Name + "文件"; rec.Doc.IssuerMark != want || len(rec.Doc.Signatures) != 2 || rec.Doc.Signatures[1] != party.Name {
			t.Fatalf("joint mark %q, 署名 %v", rec.Doc.IssuerMark, rec.Doc.Signatures)
		}
		if _, err := s.CreateOutgoing(ctx, clerk, store.NewOutgoing{UnitID: secretariat.ID, CoIssuers: []string{childOf(x, party.ID, "秘书科").ID},
			Doc: document.Document{Type: document.Notice, Title: "关于某事的通知", Body: document.ParseBody("一、事项")}}); err == nil || !strings.Contains(err.Error(), "内设科室") {
			t.Errorf("a section as co-issuer: %v", err)
		}
		act(t, s, clerk, rec.ID, approve("请审核"))
		act(t, s, x.head(t, secretariat.ID), rec.ID, approve("同意"))
		a := mustActor(t, s, director.ID)
		items, _ := s.OpenTasksFor(ctx, a, 100)
		task := 0
		for _, w := range items {
			if w.Doc.ID == rec.ID {
				task = w.TaskID
			}
		}
		_, err = s.Act(ctx, director, rec.ID, route.Request{Op: route.Approve, Task: task, Comment: "核稿无误", Next: []route.NextTask{
			{Assignee: route.Assignee{Kind: route.Leader, Unit: x.unit["区教育局"].ID}}}})
		if err == nil || !strings.Contains(err.Error(), "联合发文须经"+party.Name+"会签") {
			t.Fatalf("核稿 without the co-issuer's 会签: %v", err)
		}
		if got, _ := s.Document(ctx, rec.ID); got.Step != "办公室核稿" {
			t.Fatalf("a refused 核稿 moved the document to %s", got.Step)
		}
		act(t, s, director, rec.ID, route.Request{Op: route.Approve, Comment: "核稿无误", Next: []route.NextTask{
			{Assignee: route.Assignee{Kind: route.Leader, Unit: party.ID}}}})
		act(t, s, x.head(t, party.ID), rec.ID, approve("同意"))
		act(t, s, x.head(t, office.ID), rec.ID, approve("签发"))
		got := act(t, s, clerk, rec.ID, approve(""))
		if want := fmt.Sprintf("清政办发〔%d〕1号", got.Doc.Number.Year); got.DocNumber != want {
			t.Errorf("joint numbered %q, want %q", got.DocNumber, want)
		}
	})
}
