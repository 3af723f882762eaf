package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/inforeport"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// TestInfoReportFlow: two towns submit, the 政府办's director edits (tracked),
// adopts one and returns the other, records the city's adoption and a
// leader's 批示, the 督查员 turns the 批示 into a supervision item (linked
// both ways), the item goes into 《信息专报》 with its own number, a 约稿's
// late unit is urged once, and the score traces to the items.
func TestInfoReportFlow(t *testing.T) {
	clk := &supClock{t: cst(2026, 3, 2, 9)}
	storetest.ForEach(t, store.Options{Now: clk.now}, func(t *testing.T, s *store.Store) {
		clk.set(cst(2026, 3, 2, 9))
		c := newSupCase(t, s)
		x := c.x
		office := x.unit["政府办"].ID
		editor := x.byLogin["zhuren"]
		t1, t2 := x.unit["白沙镇"], x.unit["石桥镇"]
		p1, p2 := x.head(t, t1.ID), x.head(t, t2.ID)

		sol, err := inforeport.NewSolicitation("sol-1", office, editor.ID, "春耕生产进展", "", clk.now().Add(48*time.Hour), []string{t1.ID, t2.ID}, clk.now())
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CreateInfoSolicitation(ctx, editor, sol); err != nil {
			t.Fatal(err)
		}
		if todo, err := s.InfoTodo(ctx, t1.ID); err != nil || len(todo) != 1 {
			t.Fatalf("town 1's 待办: %v %v", todo, err)
		}
		clk.add(time.Hour)
		d := inforeport.Draft{Title: "白沙镇春耕备耕有序推进", Body: "白沙镇今年春耕面积三万亩。", Category: inforeport.Economy, SolicitationID: "sol-1"}
		r1, err := s.SubmitInfoReport(ctx, p1, "info-1", office, t1.ID, d)
		if err != nil {
			t.Fatal(err)
		}
		if todo, _ := s.InfoTodo(ctx, t1.ID); len(todo) != 0 {
			t.Fatalf("answered, still in 待办: %v", todo)
		}
		r2, err := s.SubmitInfoReport(ctx, p2, "info-2", office, t2.ID, inforeport.Draft{Title: "石桥镇", Body: "简讯", Category: inforeport.Other})
		if err != nil {
			t.Fatal(err)
		}
		// A refusal writes nothing.
		if _, err := s.SubmitInfoReport(ctx, p2, "info-x", office, t2.ID, inforeport.Draft{Title: "", Body: "x", Category: inforeport.Other}); err == nil {
			t.Fatal("submitted without a title")
		}
		if _, err := s.InfoReport(ctx, "info-x"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("refused report stored: %v", err)
		}
		now := clk.now
		r1, err = s.InfoAct(ctx, editor, r1.ID, "edit", nil, func(r inforeport.Report, at time.Time) (inforeport.Report, error) {
			return inforeport.Edit(r, editor.ID, r.Title, "白沙镇今年春耕面积达三万亩，同比增长5%。", "补充数据", at)
		})
		if err != nil || r1.State != inforeport.Editing || len(r1.Versions) != 2 {
			t.Fatalf("edit: %v %+v", err, r1)
		}
		r1, err = s.InfoAct(ctx, editor, r1.ID, "adopt", nil, func(r inforeport.Report, at time.Time) (inforeport.Report, error) {
			return inforeport.Adopt(r, editor.ID, "《信息专报》", at, at)
		})
		if err != nil {
			t.Fatal(err)
		}
		if inbox, _ := s.Inbox(ctx, p1.ID, true, 10); len(inbox) == 0 || !strings.Contains(inbox[0].Subject, "信息已采用") {
			t.Fatalf("town 1 not told: %+v", inbox)
		}
		if _, err := s.InfoAct(ctx, editor, r2.ID, "return", nil, func(r inforeport.Report, at time.Time) (inforeport.Report, error) {
			return inforeport.Return(r, editor.ID, "要素不全", at)
		}); err != nil {
			t.Fatal(err)
		}
		clk.add(24 * time.Hour)
		r1, err = s.InfoAct(ctx, editor, r1.ID, "adoption", nil, func(r inforeport.Report, at time.Time) (inforeport.Report, error) {
			return inforeport.RecordAdoption(r, editor.ID, inforeport.City, "云泽市委办《每日汇报》", at, at)
		})
		if err != nil {
			t.Fatal(err)
		}
		r1, err = s.InfoAct(ctx, editor, r1.ID, "instruction", nil, func(r inforeport.Report, at time.Time) (inforeport.Report, error) {
			return inforeport.AddInstruction(r, editor.ID, inforeport.Instruction{Leader: "市委书记 李明", Level: inforeport.City, Text: "请区政府总结推广", At: at}, at)
		})
		if err != nil {
			t.Fatal(err)
		}
		n := c.newItem("", 10)
		n.ID, n.Title = "sup-info", ""
		r1, it, err := s.InstructionToSupervision(ctx, c.sup, r1.ID, 0, n, true)
		if err != nil {
			t.Fatal(err)
		}
		if it.Source != supervise.FromInfo || it.Ref != r1.ID || r1.Instructions[0].SupItemID != it.ID || !strings.Contains(it.Title, "白沙镇春耕") || it.Instructor != "市委书记 李明" {
			t.Fatalf("supervision: %+v / %+v", it, r1.Instructions)
		}
		if _, _, err := s.InstructionToSupervision(ctx, c.sup, r1.ID, 0, n, true); err == nil {
			t.Fatal("converted a 批示 twice")
		}
		is1, err := s.CompileInfoIssue(ctx, editor, "iss-1", office, inforeport.Special, "", []string{r1.ID})
		if err != nil || is1.Number() != "2026年第1期" {
			t.Fatalf("issue: %v %+v", err, is1)
		}
		is2, err := s.CompileInfoIssue(ctx, editor, "iss-2", office, inforeport.Special, "", []string{r1.ID})
		daily, err2 := s.CompileInfoIssue(ctx, editor, "iss-3", office, inforeport.Daily, "", []string{r1.ID})
		if err != nil || err2 != nil || is2.Seq != 2 || daily.Seq != 1 {
			t.Fatalf("numbering: %v %v %d %d", err, err2, is2.Seq, daily.Seq)
		}
		if _, err := s.CompileInfoIssue(ctx, editor, "iss-4", office, inforeport.Special, "", []string{"info-2"}); err == nil {
			t.Fatal("compiled a returned report")
		}
		if got, _ := s.InfoReport(ctx, r1.ID); len(got.Issues) != 3 {
			t.Fatalf("issues on the report: %v", got.Issues)
		}
		// 分发: the issue becomes the office's document at 分发, once.
		if _, _, err := s.DistributeInfoIssue(ctx, editor, is1.ID, nil); err == nil {
			t.Fatal("distributed to no unit")
		}
		if got, _ := s.InfoIssue(ctx, is1.ID); got.DocumentID != "" {
			t.Fatal("a refused 分发 recorded a document")
		}
		sent, drec, err := s.DistributeInfoIssue(ctx, editor, is1.ID, []string{t1.ID, t2.ID, t1.ID})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := s.InfoIssue(ctx, is1.ID); got.DocumentID != drec.ID || len(got.Recipients) != 2 || sent.DocumentID != drec.ID {
			t.Fatalf("issue after 分发: %+v", got)
		}
		doc, err := s.Document(ctx, drec.ID)
		if err != nil || doc.Direction != store.Outgoing || doc.DocNumber != "《信息专报》2026年第1期" || doc.Doc.IssuerMark != "信息专报" ||
			doc.UnitID != office || !strings.Contains(doc.Doc.Body.String(), "春耕面积") {
			t.Fatalf("document: %v %+v", err, doc)
		}
		if in, err := s.Instance(ctx, drec.ID); err != nil || len(in.OpenTasks()) != 1 || in.Template.Steps[in.OpenTasks()[0].Step].Key != "distribute" {
			t.Fatalf("route: %v", err)
		}
		if rs, _ := s.Recipients(ctx, drec.ID); len(rs) != 2 {
			t.Fatalf("recipients: %v", rs)
		}
		// Finishing 分发: each town's copy carries the issue's number as its
		// 来文字号, listed and searched by it.
		in, err := s.Instance(ctx, drec.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Act(ctx, x.byLogin["wenmi"], drec.ID, route.Request{Op: route.Approve, Task: in.OpenTasks()[0].ID}); err != nil {
			t.Fatalf("finish 分发: %v", err)
		}
		copies, err := s.IncomingFrom(ctx, drec.ID)
		if err != nil || len(copies) != 2 {
			t.Fatalf("copies: %d %v", len(copies), err)
		}
		for _, c := range copies {
			if c.DocNumber != "《信息专报》2026年第1期" {
				t.Errorf("the copy in %s is numbered %q", c.UnitID, c.DocNumber)
			}
		}
		if _, _, err := s.DistributeInfoIssue(ctx, editor, is1.ID, []string{t1.ID}); err == nil {
			t.Fatal("distributed twice")
		}
		// Town 2 never answered the 约稿: once its date passed, urged once a day.
		clk.add(24 * time.Hour)
		if n, err := s.UrgeInfoSolicitations(ctx, editor, office); err != nil || n != 1 {
			t.Fatalf("urged %d: %v", n, err)
		}
		if n, _ := s.UrgeInfoSolicitations(ctx, editor, office); n != 0 {
			t.Fatalf("urged again the same day: %d", n)
		}
		if inbox, _ := s.Inbox(ctx, p2.ID, false, 10); !strings.Contains(inbox[0].Subject, "约稿催报") {
			t.Fatalf("town 2's inbox: %+v", inbox)
		}
		rs, err := s.InfoRules(ctx)
		if err != nil || len(rs) != 1 {
			t.Fatal(rs, err)
		}
		rec, err := s.InfoRecords(ctx, office, now().Add(time.Hour), now())
		if err != nil {
			t.Fatal(err)
		}
		score := inforeport.Score(rs, rec, inforeport.Year(2026, supCST))
		if len(score) != 2 || score[0].UnitID != t1.ID || score[0].Points != 1+3+4+1 || score[1].Points != -0.5-1 {
			t.Fatalf("score: %+v", score)
		}
		v2 := inforeport.DefaultRules(cst(2026, 7, 1, 0))
		v2.OnTime = 2
		if got, err := s.PutInfoRules(ctx, editor, v2); err != nil || got.Version != 2 {
			t.Fatalf("rules: %+v %v", got, err)
		}
		if rs, _ := s.InfoRules(ctx); len(rs) != 2 || rs[0].Version != 1 || rs[1].Version != 2 || rs.At(now()).Version != 1 {
			t.Fatalf("rules stored: %+v", rs)
		}
	})
}
