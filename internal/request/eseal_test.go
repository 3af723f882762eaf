package request

import (
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/seal"
)

// TestApplyESeal: the keeper presses the linked electronic seal on an
// approved request's document — the use is recorded as electronic, with the
// approved copies — and every case the rules refuse says why.
func TestApplyESeal(t *testing.T) {
	rs := rules(t)
	now := at(7, 9, 0)
	withDoc := func(id string) New { n := sealNew(id); n.Seal.DocID = "doc1"; return n }
	pending := ok[Request](t)(rs.Create(SealTemplate(), withDoc("r1"), &govSeal, clerk, now))
	approved := approve(t, rs, approve(t, rs, pending, head, StepUnit, now.Add(time.Hour)), director, StepApprove, now.Add(2*time.Hour))
	noDoc := ok[Request](t)(rs.Create(SealTemplate(), sealNew("r2"), &govSeal, clerk, now))
	noDoc = approve(t, rs, approve(t, rs, noDoc, head, StepUnit, now.Add(time.Hour)), director, StepApprove, now.Add(2*time.Hour))
	cancelled, err := rs.Cancel(approved, clerk, now.Add(3*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	when := now.Add(3 * time.Hour)
	es := &seal.Seal{ID: "e1", Name: "清澜区人民政府印章", Organ: "清澜区人民政府", ValidFrom: now.AddDate(-1, 0, 0), ValidUntil: now.AddDate(4, 0, 0)}
	linked := govSeal
	linked.ESealID = "e1"
	revoked := *es
	revoked.Revoked = now.AddDate(0, -1, 0)
	expired := *es
	expired.ValidUntil = now.AddDate(0, 0, -1)
	doc := &ESealDoc{Title: "清澜区人民政府关于做好冬季防火工作的通知", Number: "清政〔2026〕12号", Outgoing: true, Printed: true, Seals: []string{"清澜区人民政府"}}
	tests := []struct {
		name  string
		req   Request
		actor route.Actor
		phys  Seal
		es    *seal.Seal
		doc   func() *ESealDoc
		want  string
	}{
		{"pending", pending, keeper, linked, es, nil, "该申请尚未批准（当前：科室负责人审核），不能加盖电子印章"},
		{"cancelled", cancelled, keeper, linked, es, nil, "该申请已撤销"},
		{"no document", noDoc, keeper, linked, es, func() *ESealDoc { return nil }, "该申请没有关联公文，不能加盖电子印章；纸质材料请用“用印登记”"},
		{"seal not linked", approved, keeper, govSeal, nil, nil, "印章“清澜区人民政府”没有对应的电子印章，请安全保密管理员在“电子印章”页关联后再办理"},
		{"e-seal revoked", approved, keeper, linked, &revoked, nil, "电子印章“清澜区人民政府印章”已停用，不能加盖"},
		{"e-seal expired", approved, keeper, linked, &expired, nil, "电子印章“清澜区人民政府印章”不在有效期内（2025-12-07 至 2026-12-06），不能加盖"},
		{"incoming", approved, keeper, linked, es, func() *ESealDoc { d := *doc; d.Outgoing = false; return &d },
			"《清澜区人民政府关于做好冬季防火工作的通知》是收文，只能对本机关的发文加盖电子印章"},
		{"not numbered", approved, keeper, linked, es, func() *ESealDoc { d := *doc; d.Number = ""; return &d },
			"《清澜区人民政府关于做好冬季防火工作的通知》尚未编号，不能加盖电子印章"},
		{"no seal place", approved, keeper, linked, es, func() *ESealDoc { d := *doc; d.Seals = nil; return &d },
			"《清澜区人民政府关于做好冬季防火工作的通知》的版式没有印章位置（印章：不加盖），不能加盖电子印章"},
		{"joint", approved, keeper, linked, es, func() *ESealDoc {
			d := *doc
			d.Seals = []string{"清澜区人民政府", "中共清澜区委员会"}
			return &d
		},
			"《清澜区人民政府关于做好冬季防火工作的通知》是联合行文，有 2 个印章位置，须各署名机关各加盖一枚，不能只加盖“清澜区人民政府印章”"},
		{"not printed", approved, keeper, linked, es, func() *ESealDoc { d := *doc; d.Printed, d.Step = false, "签发"; return &d },
			"《清澜区人民政府关于做好冬季防火工作的通知》尚未印发（当前：签发），印发后才能加盖电子印章"},
		{"another organ's", approved, keeper, linked, es, func() *ESealDoc { d := *doc; d.Seals = []string{"中共清澜区委员会"}; return &d },
			"《清澜区人民政府关于做好冬季防火工作的通知》应加盖“中共清澜区委员会”的印章，电子印章“清澜区人民政府印章”属于“清澜区人民政府”"},
		{"another clerk", approved, keeper2, linked, es, nil, "不是“用印”环节的办理人"},
		{"a stranger", approved, stranger, linked, es, nil, "不是“用印”环节的办理人"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := doc
			if tc.doc != nil {
				d = tc.doc()
			}
			if err := rs.CheckESeal(tc.req, tc.actor, tc.phys, tc.es, d, when); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			if out, _, err := rs.ApplyESeal(tc.req, tc.actor, tc.phys, tc.es, d, when); err == nil || out.Seal.ESealApplied {
				t.Fatalf("applied: %v", err)
			}
		})
	}
	r, _, err := rs.ApplyESeal(approved, keeper, linked, es, doc, when)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != Finished || !r.Seal.ESealApplied || r.Seal.UsedCopies != 3 || r.Seal.UsedBy != "k1" || !r.Seal.UsedAt.Equal(when) {
		t.Fatalf("after 加盖电子印章: %s %+v", r.Status, r.Seal)
	}
	if approved.Seal.ESealApplied {
		t.Fatal("the request given was changed")
	}
	reg := Register([]Request{r})
	if len(reg) != 1 || !reg[0].ESeal || reg[0].Way() != "电子印章" {
		t.Fatalf("register: %+v", reg)
	}
	if cells := RegisterCells(reg[0], regNames{}); cells[len(cells)-1] != "电子印章" || len(cells) != len(RegisterHeader) {
		t.Fatalf("register cells: %q", cells)
	}
	if _, _, err := rs.ApplyESeal(r, keeper, linked, es, doc, when.Add(time.Minute)); err == nil || err.Error() != "该申请已加盖电子印章" {
		t.Fatalf("applied twice: %v", err)
	}
	stamped := ok[Request](t)(rs.Stamp(approved, keeper, 2, "", when))
	if _, _, err := rs.ApplyESeal(stamped, keeper, linked, es, doc, when.Add(time.Minute)); err == nil || err.Error() != "该申请已用印登记，不能再加盖电子印章" {
		t.Fatalf("applied after paper: %v", err)
	}
}
