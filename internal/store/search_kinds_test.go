package store_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/inforeport"
	"github.com/shuniu-oa/shuniu/internal/meeting"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/research"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/search"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/study"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// outsiderOf is a business user with no role in the units given (nor in
// their sections or parents) and no leader or administrator role: someone
// who may open none of what the test makes.
func (x district) outsiderOf(t *testing.T, units ...string) org.Person {
	t.Helper()
	near := map[string]bool{}
	for _, u := range units {
		near[u] = true
		for _, v := range x.Units {
			if v.ParentID == u || v.ID == x.unitByID(u).ParentID {
				near[v.ID] = true
			}
		}
	}
	bad := map[string]bool{}
	for _, a := range x.Roles {
		if near[a.UnitID] || a.Role.Admin() || a.Role == org.RoleLeader || a.Role == org.RoleSupervisor {
			bad[a.PersonID] = true
		}
	}
	for _, p := range x.Positions {
		if near[p.UnitID] {
			bad[p.PersonID] = true
		}
	}
	for _, a := range x.Roles {
		if !bad[a.PersonID] {
			return x.person(a.PersonID)
		}
	}
	t.Fatal("the demo district has no outsider")
	return org.Person{}
}

// leaks reports whether anything of word reaches the result: a hit, the
// count, a facet, a title or a snippet.
func leaks(res store.SearchResult, id, word string) bool {
	b, _ := json.Marshal(res)
	return hasDoc(res, id) || strings.Contains(string(b), word)
}

// TestSearchKindsPermissions: supervision items with their progress,
// meetings, information reports, research topics with their reports and the
// 范文 library are found by their words at once, under their kind's filter
// and facet, by those who may open them — and never, in hits, counts,
// facets or snippets, by those who may not.
func TestSearchKindsPermissions(t *testing.T) {
	clk := &supClock{t: cst(2026, 3, 2, 9)}
	storetest.ForEach(t, store.Options{Now: clk.now}, func(t *testing.T, s *store.Store) {
		clk.set(cst(2026, 3, 2, 9))
		c := newSupCase(t, s)
		x := c.x
		gov := x.unit["政府办"].ID
		outsider := x.outsiderOf(t, c.office, c.lead, c.co, gov, x.unitByID(c.office).ParentID, x.unit["区委办"].ID, x.unit["白沙镇"].ID)
		check := func(t *testing.T, kind, id, word string, allowed []org.Person, refused ...org.Person) {
			t.Helper()
			for _, p := range allowed {
				res := find(t, s, p.ID, word)
				if !hasDoc(res, id) {
					t.Errorf("%s: %s does not find %q: %+v", kind, p.Name, word, res.Hits)
					continue
				}
				if !slices.ContainsFunc(res.Facets.Kind, func(f search.Facet) bool { return f.Value == kind && f.Count > 0 }) {
					t.Errorf("%s: no kind facet: %+v", kind, res.Facets.Kind)
				}
				if only := find(t, s, p.ID, word+" 类型:"+search.KindLabel(kind)); !hasDoc(only, id) || slices.ContainsFunc(only.Hits, func(h search.Hit) bool { return h.Kind != kind }) {
					t.Errorf("%s: the kind filter: %+v", kind, only.Hits)
				}
			}
			for _, p := range refused {
				for _, q := range []string{word, word + " 类型:" + search.KindLabel(kind), string([]rune(word)[:2])} {
					if res := find(t, s, p.ID, q); leaks(res, id, word) {
						t.Errorf("%s: %s, who may not open it, gets %q: %+v", kind, p.Name, q, res)
					}
				}
			}
		}

		// A supervision item and a progress report written later.
		if _, err := s.CreateSupItem(ctx, c.sup, c.newItem("sup-s", 10), true); err != nil {
			t.Fatal(err)
		}
		check(t, search.KindSupervision, "sup-s", "背街小巷路灯", []org.Person{c.sup, c.leadPerson, c.coPerson}, outsider)
		if _, err := s.SupAct(ctx, c.leadPerson, "sup-s", "sign_for", nil, signFor(c.lead)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SupAct(ctx, c.leadPerson, "sup-s", "report", nil, func(r supervise.Rules, it supervise.Item, a route.Actor, now time.Time) (supervise.Item, []supervise.Event, error) {
			return r.Report(it, a, supervise.ReportInput{UnitID: c.lead, Text: "已更换破损灯杆四十根"}, now)
		}); err != nil {
			t.Fatal(err)
		}
		check(t, search.KindSupervision, "sup-s", "破损灯杆", []org.Person{c.sup, c.coPerson}, outsider)

		// A meeting of 政府办 with an invitee of another unit.
		clerk := x.byLogin["wenmi"]
		if err := s.Write(ctx, func(tx *store.Tx) error {
			return tx.PutMeetingRoom(ctx, meeting.Room{ID: "room-s", OrganID: gov, Name: "第三会议室", Capacity: 20})
		}); err != nil {
			t.Fatal(err)
		}
		m, err := s.BookMeeting(ctx, clerk, meeting.NewMeeting{Title: "防汛物资调度会", Kind: meeting.Coordinate, OfficeID: gov, RoomID: "room-s",
			Start: cst(2026, 3, 4, 15), End: cst(2026, 3, 4, 16), Invitees: []meeting.Invitee{{PersonID: c.coPerson.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		check(t, search.KindMeeting, m.ID, "防汛物资调度", []org.Person{clerk, c.coPerson}, outsider, c.leadPerson)
		check(t, search.KindMeeting, m.ID, "第三会议室", []org.Person{clerk})

		// Information reports: an unclassified one, and a 秘密 one its
		// uncleared colleagues never see.
		t1 := x.unit["白沙镇"]
		p1 := x.head(t, t1.ID)
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.SetClearance(ctx, p1.ID, org.Secret) }); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SubmitInfoReport(ctx, p1, "info-s", gov, t1.ID, inforeport.Draft{Title: "白沙镇春耕备耕有序推进",
			Body: "白沙镇今年春耕面积三万亩。", Category: inforeport.Economy}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SubmitInfoReport(ctx, p1, "info-m", gov, t1.ID, inforeport.Draft{Title: "白沙镇边界勘测情况",
			Body: "界桩坐标已复核。", Category: inforeport.Other, Level: org.Secret}); err != nil {
			t.Fatal(err)
		}
		var colleague org.Person
		for _, a := range x.Roles {
			if a.UnitID == t1.ID && a.PersonID != p1.ID && !a.Role.Admin() && x.person(a.PersonID).Clearance == org.Unclassified {
				colleague = x.person(a.PersonID)
				break
			}
		}
		if colleague.ID == "" {
			t.Fatal("白沙镇 has no uncleared colleague")
		}
		editor := x.byLogin["zhuren"]
		check(t, search.KindInfo, "info-s", "春耕面积", []org.Person{p1, colleague, editor}, outsider)
		check(t, search.KindInfo, "info-m", "界桩坐标", []org.Person{p1}, colleague, outsider)

		// A research topic: its office, its units and leaders read it.
		office := x.unit["区委办"].ID
		leader := x.byLogin["lingdao"]
		if _, err := s.CreateResearchTopic(ctx, x.byLogin["wenmi"], research.NewTopic{ID: "rt-s", OfficeID: office, Title: "关于农村供水保障的调研",
			Brief: "摸清山区水厂运行情况", Source: research.ByLeader, SetBy: leader.ID,
			Assignees: []research.Assignee{{UnitID: t1.ID}}, Due: clk.now().Add(20 * 24 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		check(t, search.KindResearch, "rt-s", "山区水厂", []org.Person{leader, colleague}, outsider)

		// The 范文 library: every business user, no administrator.
		if _, err := s.AddLibraryEntry(ctx, clerk, study.Entry{ID: "lib-s", OfficeID: gov, Kind: study.Experience, Title: "白沙镇值班工作经验",
			UnitID: t1.ID, Body: "一是压实带班责任……"}); err != nil {
			t.Fatal(err)
		}
		var admin org.Person
		for _, a := range x.Roles {
			if a.Role == org.RoleSysAdmin {
				admin = x.person(a.PersonID)
			}
		}
		check(t, search.KindModelText, "lib-s", "压实带班", []org.Person{outsider, c.coPerson}, admin)

		// A rebuild keeps every kind findable.
		if err := s.Reindex(ctx, nil); err != nil {
			t.Fatal(err)
		}
		check(t, search.KindSupervision, "sup-s", "破损灯杆", []org.Person{c.sup}, outsider)
		check(t, search.KindInfo, "info-m", "界桩坐标", []org.Person{p1}, colleague)
	})
}

// TestSearchAttachmentText: the text read from a document's attachment is
// found with the document, by those who may open the document only.
func TestSearchAttachmentText(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		office := x.unit["政府办"]
		clerk := x.byLogin["wenmi"]
		sha := strings.Repeat("ab", 32)
		if err := s.PutAttachmentText(ctx, sha, "附表：各镇防汛抢险队伍花名册"); err != nil {
			t.Fatal(err)
		}
		if ok, err := s.HasAttachmentText(ctx, sha); err != nil || !ok {
			t.Fatalf("kept: %v %v", ok, err)
		}
		rec, err := s.CreateOutgoing(ctx, clerk, store.NewOutgoing{UnitID: office.ID, Doc: document.Document{
			Type: document.Notice, Title: "关于做好汛期准备的通知", Body: document.ParseBody("各镇人民政府：\n请做好准备。"),
			Attachments: []document.Attachment{{Name: "附件1.docx", SHA256: sha}},
		}})
		if err != nil {
			t.Fatal(err)
		}
		res := find(t, s, clerk.ID, "抢险队伍花名册")
		if !hasDoc(res, rec.ID) || !strings.Contains(marked(res.Hits[0].Snippet), "花名册") {
			t.Fatalf("the attachment's text is not found: %+v", res.Hits)
		}
		outsider := x.outsiderOf(t, office.ID, rec.OrganID)
		if res := find(t, s, outsider.ID, "抢险队伍花名册"); leaks(res, rec.ID, "花名册") {
			t.Errorf("another organ's person gets the attachment's text: %+v", res)
		}
	})
}

// TestSearchAttachmentTextClassified: a document classified (定密) after its
// attachments' text was read takes that text out of the database in the
// same transaction — out of attachment_texts, out of its own entry and out
// of the entry of a 非密 document naming the same file, and on SQLite out of
// the database file itself — and a later upload of the same file does not
// bring it back.
func TestSearchAttachmentTextClassified(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		office := x.unit["政府办"]
		clerk := x.byLogin["wenmi"]
		director := x.withRole(t, org.RoleOfficeDirector, office.ID) // 秘密 clearance
		const secret = "附表：青石岭水库除险加固工程清单"
		sha := strings.Repeat("cd", 32)
		if err := s.PutAttachmentText(ctx, sha, secret); err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, title := range []string{"关于水库除险加固的通知", "关于汛前检查的通知"} {
			rec, err := s.CreateOutgoing(ctx, clerk, store.NewOutgoing{UnitID: office.ID, Doc: document.Document{
				Type: document.Notice, Title: title, Body: document.ParseBody("各镇人民政府：\n请抓好落实。"),
				Attachments: []document.Attachment{{Name: "附件1.docx", SHA256: sha}},
			}})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, rec.ID)
		}
		const word = "除险加固工程清单"
		if res := find(t, s, director.ID, word); !hasDoc(res, ids[0]) || !hasDoc(res, ids[1]) {
			t.Fatalf("before 定密 the text is not found: %+v", res.Hits)
		}
		onDisk := func() bool { return false }
		if s.Dialect() == store.SQLite {
			onDisk = func() bool {
				t.Helper()
				db, err := sql.Open("sqlite", s.Path())
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				if _, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
					t.Fatal(err)
				}
				for _, f := range []string{s.Path(), s.Path() + "-wal"} {
					b, err := os.ReadFile(f)
					if err != nil && !os.IsNotExist(err) {
						t.Fatal(err)
					}
					if bytes.Contains(b, []byte(word)) {
						return true
					}
				}
				return false
			}
			if !onDisk() {
				t.Fatal("the test's text is not in the database file before 定密: the test proves nothing")
			}
		}

		if _, err := s.Classify(ctx, director, ids[0], 1, document.Classification{Level: document.Confidential}, "涉及工程安全"); err != nil {
			t.Fatal(err)
		}
		if ok, err := s.HasAttachmentText(ctx, sha); err != nil || ok {
			t.Errorf("the text is still kept after 定密: %v %v", ok, err)
		}
		res := find(t, s, director.ID, word)
		if hasDoc(res, ids[0]) || hasDoc(res, ids[1]) || len(res.Hits) > 0 {
			t.Errorf("the text is still found after 定密: %+v", res.Hits)
		}
		if res := find(t, s, director.ID, "水库除险加固"); !hasDoc(res, ids[0]) {
			t.Errorf("a cleared person no longer finds the document by its title: %+v", res.Hits)
		}
		if onDisk() {
			t.Error("the text is still in the database file after 定密")
		}
		// The same file uploaded again (to any document) does not bring its
		// text back while a classified document names it.
		if err := s.PutAttachmentText(ctx, sha, secret); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.HasAttachmentText(ctx, sha); ok {
			t.Error("a second upload keeps the text of a classified document's file")
		}
		// Rebuilt, the index does not have it either.
		if err := s.Reindex(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if res := find(t, s, director.ID, word); len(res.Hits) > 0 {
			t.Errorf("found after a rebuild: %+v", res.Hits)
		}
	})
}
