package store_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/search"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// subjectOf is the person as the access function sees them now.
func subjectOf(t *testing.T, s *store.Store, id string) access.Subject {
	t.Helper()
	p, err := s.Person(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := s.Roles(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return access.Subject{PersonID: id, Roles: rs, Clearance: p.Clearance}
}

func find(t *testing.T, s *store.Store, who string, query string) store.SearchResult {
	t.Helper()
	lex, err := s.SearchLexicon(ctx)
	if err != nil {
		t.Fatal(err)
	}
	q, err := search.Parse(query, lex)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Search(ctx, subjectOf(t, s, who), q, 20, 0)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func hasDoc(res store.SearchResult, id string) bool {
	for _, h := range res.Hits {
		if h.ID == id {
			return true
		}
	}
	return false
}

// TestSearchPermissions: a document saved is found at once by the words of
// its body, its 文号 and its 办理意见; a 机密 one's words appear nowhere in
// what an uncleared colleague gets — hits, count, facets, snippets — and a
// change of the document's 密级 or of a person's clearance counts at once.
func TestSearchPermissions(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		office := x.unit["政府办"]
		clerk := x.byLogin["wenmi"]
		director := x.withRole(t, org.RoleOfficeDirector, office.ID)
		rec, err := s.CreateOutgoing(ctx, clerk, store.NewOutgoing{UnitID: office.ID, Doc: document.Document{
			Type: document.Notice, Title: "关于压实汛期值守责任的通知",
			Body: document.ParseBody("各镇人民政府：\n一、各单位主要负责同志是本单位汛期值守的第一责任人。\n二、严格执行领导带班制度。"),
		}})
		if err != nil {
			t.Fatal(err)
		}
		var colleague, outsider org.Person
		for _, a := range x.Roles {
			p := x.person(a.PersonID)
			switch {
			case a.Role.Admin() || p.ID == clerk.ID || p.ID == director.ID:
			case a.UnitID == rec.OrganID && colleague.ID == "":
				colleague = p
			case a.UnitID != rec.OrganID && outsider.ID == "" && !x.inUnit(p.ID, rec.OrganID):
				outsider = p
			}
		}
		if colleague.ID == "" || outsider.ID == "" {
			t.Fatal("the demo district has no colleague or outsider")
		}

		// Found at once by a body phrase, by a single character and by the
		// author; marked in the snippet.
		res := find(t, s, clerk.ID, "第一责任人")
		if !hasDoc(res, rec.ID) || !strings.Contains(marked(res.Hits[0].Snippet), "第一") {
			t.Fatalf("author: %+v", res.Hits)
		}
		if !hasDoc(find(t, s, colleague.ID, `"汛期值守"`), rec.ID) {
			t.Error("a colleague of the organ does not find its 非密 document")
		}
		if hasDoc(find(t, s, outsider.ID, "第一责任人"), rec.ID) {
			t.Error("another organ's person finds it")
		}
		if hasDoc(find(t, s, clerk.ID, `"值守第一"`), rec.ID) {
			t.Error("a phrase that is not in the text matched")
		}

		// 定密 to 机密 by a cleared director: the uncleared colleague and the
		// uncleared author see nothing of it, in any form.
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.SetClearance(ctx, director.ID, org.Secret) }); err != nil {
			t.Fatal(err)
		}
		if director, err = s.Person(ctx, director.ID); err != nil {
			t.Fatal(err)
		}
		got, err := s.Classify(ctx, director, rec.ID, rec.Version, document.Classification{Level: document.Secret, PeriodYears: 10}, "涉及防汛部署")
		if err != nil {
			t.Fatal(err)
		}
		for _, who := range []org.Person{colleague, clerk} {
			for _, query := range []string{"第一责任人", "汛期值守", "责", "关于压实汛期值守责任的通知", "密级:机密 值守"} {
				res := find(t, s, who.ID, query)
				b, _ := json.Marshal(res)
				if hasDoc(res, rec.ID) || strings.Contains(string(b), "值守") || strings.Contains(string(b), "机密") {
					t.Errorf("%s, %q: the 机密 document shows: %s", who.Name, query, b)
				}
			}
		}
		if !hasDoc(find(t, s, director.ID, "第一责任人"), rec.ID) {
			t.Error("the cleared director who classified it does not find it")
		}

		// The author's clearance raised: found at once; lowered: gone at once.
		setClearance := func(id string, c org.Classification) {
			if err := s.Write(ctx, func(tx *store.Tx) error { return tx.SetClearance(ctx, id, c) }); err != nil {
				t.Fatal(err)
			}
		}
		setClearance(clerk.ID, org.Secret)
		if res := find(t, s, clerk.ID, "第一责任人"); !hasDoc(res, rec.ID) || res.Facets.Level[0].Label != "机密" {
			t.Errorf("cleared author: %+v", res.Facets.Level)
		}
		setClearance(clerk.ID, org.Unclassified)
		if hasDoc(find(t, s, clerk.ID, "第一责任人"), rec.ID) {
			t.Error("the author finds it after her clearance was lowered")
		}
		// Declassified: the colleague finds it again.
		if _, err := s.Classify(ctx, director, rec.ID, got.Version, document.Classification{}, "已公开"); err != nil {
			t.Fatal(err)
		}
		if !hasDoc(find(t, s, colleague.ID, "第一责任人"), rec.ID) {
			t.Error("declassified, the colleague does not find it")
		}
	})
}

func marked(segs []search.Segment) string {
	var b strings.Builder
	for _, g := range segs {
		if g.Mark {
			b.WriteString(g.Text)
		}
	}
	return b.String()
}

func (x district) person(id string) org.Person {
	for _, p := range x.People {
		if p.ID == id {
			return p
		}
	}
	return org.Person{}
}

func (x district) inUnit(personID, unitID string) bool {
	for _, a := range x.Roles {
		if a.PersonID == personID && a.UnitID == unitID {
			return true
		}
	}
	return false
}

// TestSearchNotesAndReindex: a route comment (办理意见) is found at once, and
// a rebuild of the index keeps everything findable and reports progress.
func TestSearchNotesAndReindex(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		clerk := x.byLogin["wenmi"]
		rec := newDraft(t, s, x, clerk, x.unit["政府办"], nil)
		act(t, s, clerk, rec.ID, approve("请重点核实防汛物资储备清单"))
		if !hasDoc(find(t, s, clerk.ID, "防汛物资储备"), rec.ID) {
			t.Fatal("a comment is not found")
		}
		var calls, last int
		if err := s.Reindex(ctx, func(done, total int) { calls, last = calls+1, done }); err != nil {
			t.Fatal(err)
		}
		if calls == 0 || last < 1 {
			t.Errorf("progress: %d calls, %d done", calls, last)
		}
		for _, q := range []string{"防汛物资储备", "元旦春节 安全生产", "压实责任"} {
			if !hasDoc(find(t, s, clerk.ID, q), rec.ID) {
				t.Errorf("%q: not found after reindex", q)
			}
		}
	})
}
