package store_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestPrecedents: while drafting, the organ's earlier documents of the same
// 文种 with a similar title and body come first; another 文种, another
// organ's person and the draft itself do not; a 机密 precedent never shows
// to an uncleared drafter — not as a document, a paragraph or an insertion
// — and shows to a cleared one.
func TestPrecedents(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		office := x.unit["政府办"]
		clerk := x.byLogin["wenmi"]
		director := x.withRole(t, org.RoleOfficeDirector, office.ID)
		mk := func(tp document.DocType, title, body string) store.DocRecord {
			t.Helper()
			rec, err := s.CreateOutgoing(ctx, clerk, store.NewOutgoing{UnitID: office.ID, Doc: document.Document{
				Type: tp, Title: title, Body: document.ParseBody(body)}})
			if err != nil {
				t.Fatal(err)
			}
			return rec
		}
		flood := mk(document.Notice, "关于做好2025年汛期防汛工作的通知",
			"各镇人民政府，区直各部门：\n为做好今年汛期防汛工作，现就有关事项通知如下：\n各镇主要负责同志是本地区防汛工作第一责任人，要亲自部署、靠前指挥。\n对河道、水库和地质灾害隐患点开展拉网式排查，建立台账，限期整改。")
		other := mk(document.Notice, "关于印发机关会议管理办法的通知", "现将《机关会议管理办法》印发给你们，请认真贯彻执行。")
		request := mk(document.Request, "关于做好汛期防汛工作经费的请示", "为做好汛期防汛工作，现请示如下：\n拨付防汛物资储备经费一百万元，用于购置冲锋舟和救生衣。")
		secret := mk(document.Notice, "关于汛期防汛工作部署的通知", "白鹭洲蓄滞洪区分洪口门设在北堤七号闸，汛期防汛工作由区防指统一调度。")
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.SetClearance(ctx, director.ID, org.Secret) }); err != nil {
			t.Fatal(err)
		}
		director, _ = s.Person(ctx, director.ID)
		if _, err := s.Classify(ctx, director, secret.ID, secret.Version, document.Classification{Level: document.Secret, PeriodYears: 10}, "涉及防汛部署"); err != nil {
			t.Fatal(err)
		}
		draft := mk(document.Notice, "关于做好2026年汛期防汛工作的通知", "为做好今年汛期防汛工作，现就有关事项通知如下：")
		q := store.PrecedentQuery{OrganID: draft.OrganID, DocType: string(document.Notice), Title: draft.Doc.Title,
			Body: draft.Doc.Body.String(), ExcludeID: draft.ID, Limit: 8}
		ids := func(ps []store.Precedent) []string {
			var out []string
			for _, p := range ps {
				out = append(out, p.ID)
			}
			return out
		}
		has := func(ps []store.Precedent, id string) bool {
			for _, p := range ps {
				if p.ID == id {
					return true
				}
			}
			return false
		}
		var outsider org.Person
		for _, a := range x.Roles {
			if p := x.person(a.PersonID); !a.Role.Admin() && a.UnitID != draft.OrganID && !x.inUnit(p.ID, draft.OrganID) && outsider.ID == "" {
				outsider = p
			}
		}
		for _, c := range []struct {
			name   string
			who    org.Person
			first  string
			absent []string
		}{
			{"uncleared drafter", clerk, flood.ID, []string{other.ID, request.ID, secret.ID, draft.ID}},
			{"cleared director", director, "", []string{other.ID, request.ID, draft.ID}},
			{"another organ's person", outsider, "", []string{flood.ID, other.ID, request.ID, secret.ID, draft.ID}},
		} {
			t.Run(c.name, func(t *testing.T) {
				got, err := s.Precedents(ctx, subjectOf(t, s, c.who.ID), q)
				if err != nil {
					t.Fatal(err)
				}
				if c.first != "" && (len(got) == 0 || got[0].ID != c.first) {
					t.Fatalf("precedents %v, want %s first", ids(got), c.first)
				}
				for _, id := range c.absent {
					if has(got, id) {
						t.Errorf("%s offered: %v", id, ids(got))
					}
				}
				if c.first != "" && (got[0].Snippet == "" || got[0].Date == "" || got[0].Title != flood.Doc.Title) {
					t.Errorf("precedent %+v", got[0])
				}
				b, _ := json.Marshal(got)
				if c.who.ID == clerk.ID && (strings.Contains(string(b), "白鹭洲") || strings.Contains(string(b), "部署的通知")) {
					t.Errorf("the 机密 document shows: %s", b)
				}
			})
		}
		if got, _ := s.Precedents(ctx, subjectOf(t, s, director.ID), q); !has(got, secret.ID) {
			t.Errorf("the cleared director is not offered the 机密 precedent: %v", ids(got))
		}

		// More like this: a selected paragraph finds the paragraph, not the 机密 one's.
		pq := q
		pq.Paragraph = "各街道主要负责同志是防汛工作第一责任人"
		paras, err := s.PrecedentParagraphs(ctx, subjectOf(t, s, clerk.ID), pq)
		if err != nil {
			t.Fatal(err)
		}
		if len(paras) == 0 || paras[0].Doc.ID != flood.ID || !strings.Contains(paras[0].Text, "第一责任人") {
			t.Fatalf("paragraphs %+v", paras)
		}
		pq.Paragraph = "分洪口门设在北堤七号闸"
		for _, who := range []org.Person{clerk, director} {
			paras, err := s.PrecedentParagraphs(ctx, subjectOf(t, s, who.ID), pq)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(paras)
			if shows := strings.Contains(string(b), "白鹭洲"); shows != (who.ID == director.ID) {
				t.Errorf("%s: the 机密 paragraph shows %v: %s", who.Name, shows, b)
			}
		}

		// Inserting: the paragraph by its index, refused alike for a 机密
		// document and for none.
		p, err := s.PrecedentParagraph(ctx, subjectOf(t, s, clerk.ID), flood.ID, paras0(t, s, flood.ID))
		if err != nil || !strings.Contains(p.Text, "第一责任人") || p.Doc.Title != flood.Doc.Title {
			t.Fatalf("insert: %+v, %v", p, err)
		}
		for _, c := range []struct {
			id string
			n  int
		}{{secret.ID, 0}, {"no-such-document", 0}, {flood.ID, 99}, {flood.ID, -1}} {
			if _, err := s.PrecedentParagraph(ctx, subjectOf(t, s, clerk.ID), c.id, c.n); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("insert %s ¶%d: %v, want not found", c.id, c.n, err)
			}
		}
		if p, err := s.PrecedentParagraph(ctx, subjectOf(t, s, director.ID), secret.ID, 0); err != nil || !strings.Contains(p.Text, "白鹭洲") {
			t.Errorf("the cleared director inserting from the 机密 document: %+v, %v", p, err)
		}
	})
}

// paras0 is the index of the flood notice's paragraph on responsibility.
func paras0(t *testing.T, s *store.Store, id string) int {
	t.Helper()
	d, err := s.Document(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range strings.Split(d.Doc.Body.String(), "\n") {
		if strings.Contains(p, "第一责任人") {
			return i
		}
	}
	t.Fatal("no such paragraph")
	return -1
}
