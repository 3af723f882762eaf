package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/inforeport"
	"github.com/shuniu-oa/shuniu/internal/meeting"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/search"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/study"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// TestSearchMaterials: a 议题's 会议材料 is found by its newest version's text
// and its title by exactly those access.DecideMaterial lets read it — the
// office, the attendees (a substitute named in a 回执 from that moment, and
// no longer once the 回执 changes), the 议题's reporting unit, not another
// 议题's — and never by anyone else in hits, counts, facets or snippets. A
// classified meeting's material is found by its title only, by the cleared,
// and a clearance lowered takes it away at once. Each change is in the
// save's transaction, and a rebuild gives the same.
func TestSearchMaterials(t *testing.T) {
	clk := &supClock{t: cst(2026, 3, 2, 9)}
	storetest.ForEach(t, store.Options{Now: clk.now}, func(t *testing.T, s *store.Store) {
		clk.set(cst(2026, 3, 2, 9))
		c := newSupCase(t, s)
		x := c.x
		gov := x.unit["政府办"].ID
		t1 := x.unit["白沙镇"]
		p1 := x.head(t, t1.ID)
		clerk := x.byLogin["wenmi"]
		var admin org.Person
		for _, a := range x.Roles {
			if a.Role == org.RoleSysAdmin {
				admin = x.person(a.PersonID)
			}
		}
		// The substitute: a colleague of the invitee in 区财政局, of a name
		// no one else there has.
		var sub org.Person
		for _, a := range x.Roles {
			p := x.person(a.PersonID)
			if a.UnitID != c.co || a.Role.Admin() || p.ID == c.coPerson.ID {
				continue
			}
			same := 0
			for _, q := range x.Positions {
				if q.UnitID == c.co && x.person(q.PersonID).Name == p.Name {
					same++
				}
			}
			if same == 1 {
				sub = p
				break
			}
		}
		if sub.ID == "" {
			t.Fatal("区财政局 has no second person")
		}
		// 议题 A is reported by the unit 承办人 holds his role in.
		var unitA string
		for _, a := range x.Roles {
			if a.PersonID == c.leadPerson.ID && !a.Role.Admin() {
				unitA = a.UnitID
			}
		}
		outsider := x.outsiderOf(t, gov, c.lead, unitA, c.co, t1.ID, x.unitByID(gov).ParentID)
		if err := s.Write(ctx, func(tx *store.Tx) error {
			return tx.PutMeetingRoom(ctx, meeting.Room{ID: "room-m", OrganID: gov, Name: "第二会议室", Capacity: 20})
		}); err != nil {
			t.Fatal(err)
		}
		m, err := s.BookMeeting(ctx, clerk, meeting.NewMeeting{Title: "城乡基础设施协调会", Kind: meeting.Coordinate, OfficeID: gov, RoomID: "room-m",
			Start: cst(2026, 3, 4, 15), End: cst(2026, 3, 4, 16), Invitees: []meeting.Invitee{{PersonID: c.coPerson.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		act := func(by org.Person, action string, op store.MeetingOp) {
			t.Helper()
			if _, err := s.MeetingAct(ctx, by, m.ID, action, nil, op); err != nil {
				t.Fatal(action, err)
			}
		}
		act(clerk, "agenda.add", store.OpAddAgenda(meeting.NewAgendaItem{Title: "城区供水管网改造方案", UnitID: unitA}))
		act(clerk, "agenda.add", store.OpAddAgenda(meeting.NewAgendaItem{Title: "白沙镇防汛物资储备", UnitID: t1.ID}))
		upload := func(by org.Person, seq int, name, sha, text string) {
			t.Helper()
			if text != "" {
				if err := s.PutAttachmentText(ctx, sha, text); err != nil {
					t.Fatal(err)
				}
			}
			act(by, "material.add", store.OpAddMaterial(seq, meeting.Material{Name: name, SHA256: sha}))
		}
		upload(c.leadPerson, 1, "供水管网改造方案.docx", strings.Repeat("a1", 32), "老旧管网漏损率百分之十八，拟分三年改造。")
		upload(p1, 2, "防汛物资.txt", strings.Repeat("b2", 32), "冲锋舟二十艘，救生衣五百件。")
		idA, idB := m.ID+"/1", m.ID+"/2"

		checkFound(t, s, search.KindMaterial, idA, "漏损率百分之十八", []org.Person{clerk, c.coPerson, c.leadPerson}, p1, outsider, admin, sub)
		checkFound(t, s, search.KindMaterial, idA, "供水管网改造", []org.Person{c.leadPerson}, p1, outsider)
		checkFound(t, s, search.KindMaterial, idB, "冲锋舟二十艘", []org.Person{clerk, c.coPerson, p1}, c.leadPerson, outsider, admin)

		// The invitee sends a substitute: they read the material from then
		// on, and no longer once the invitee attends after all.
		act(clerk, "notice", store.OpNotice())
		act(c.coPerson, "answer", store.OpAnswer(c.coPerson.ID, meeting.Reply{Answer: meeting.Substitute, SubName: sub.Name, SubPost: "副局长"}))
		checkFound(t, s, search.KindMaterial, idA, "漏损率百分之十八", []org.Person{sub})
		act(c.coPerson, "answer", store.OpAnswer(c.coPerson.ID, meeting.Reply{Answer: meeting.Attend}))
		checkFound(t, s, search.KindMaterial, idA, "漏损率百分之十八", nil, sub)

		// A new version: its text is found, the old version's no longer.
		upload(c.leadPerson, 1, "供水管网改造方案（修改稿）.docx", strings.Repeat("a3", 32), "漏损率降至百分之九以下。")
		checkFound(t, s, search.KindMaterial, idA, "降至百分之九", []org.Person{c.leadPerson, clerk}, p1, outsider)
		if res := find(t, s, clerk.ID, "漏损率百分之十八"); hasDoc(res, idA) {
			t.Errorf("the old version's text is still found: %+v", res.Hits)
		}

		// A 秘密 meeting: the material is found by its 议题's title by the
		// cleared attendee, never by its text (not read into the index, even
		// when the same file's text is kept for something else), and no
		// longer once the attendee's clearance is lowered.
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.SetClearance(ctx, c.coPerson.ID, org.Secret) }); err != nil {
			t.Fatal(err)
		}
		sm, err := s.BookMeeting(ctx, clerk, meeting.NewMeeting{Title: "边界勘定工作会", Kind: meeting.Coordinate, OfficeID: gov, RoomID: "room-m",
			Level: org.Secret, Start: cst(2026, 3, 5, 15), End: cst(2026, 3, 5, 16), Invitees: []meeting.Invitee{{PersonID: c.coPerson.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.MeetingAct(ctx, clerk, sm.ID, "agenda.add", nil, store.OpAddAgenda(meeting.NewAgendaItem{Title: "界桩复测经费安排", UnitID: unitA})); err != nil {
			t.Fatal(err)
		}
		shaC := strings.Repeat("c4", 32)
		if err := s.PutAttachmentText(ctx, shaC, "界桩十二号坐标偏移。"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.MeetingAct(ctx, c.leadPerson, sm.ID, "material.add", nil, store.OpAddMaterial(1, meeting.Material{Name: "界桩.pdf", SHA256: shaC})); err != nil {
			t.Fatal(err)
		}
		idC := sm.ID + "/1"
		checkFound(t, s, search.KindMaterial, idC, "界桩复测经费", []org.Person{c.coPerson}, c.leadPerson, outsider, p1)
		for _, p := range []org.Person{c.coPerson, clerk} {
			if res := find(t, s, p.ID, "坐标偏移"); hasDoc(res, idC) {
				t.Errorf("a classified meeting's material is found by its text: %+v", res.Hits)
			}
		}
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.SetClearance(ctx, c.coPerson.ID, org.Unclassified) }); err != nil {
			t.Fatal(err)
		}
		checkFound(t, s, search.KindMaterial, idC, "界桩复测经费", nil, c.coPerson)

		if err := s.Reindex(ctx, nil); err != nil {
			t.Fatal(err)
		}
		checkFound(t, s, search.KindMaterial, idA, "降至百分之九", []org.Person{c.coPerson}, p1, outsider)
		checkFound(t, s, search.KindMaterial, idB, "冲锋舟二十艘", []org.Person{p1}, c.leadPerson)
		if res := find(t, s, clerk.ID, "坐标偏移"); hasDoc(res, idC) {
			t.Errorf("rebuilt, a classified meeting's material is found by its text: %+v", res.Hits)
		}
	})
}

// TestSearchTrainingsAndFiles: a 培训 session is found by those
// access.DecideStudy lets open it; the text of a progress report's
// attachment is found with its supervision item and that of an information
// report's attachment with the report — a classified report's never — each
// only by those who may open the thing; and again after a rebuild.
func TestSearchTrainingsAndFiles(t *testing.T) {
	clk := &supClock{t: cst(2026, 3, 2, 9)}
	storetest.ForEach(t, store.Options{Now: clk.now}, func(t *testing.T, s *store.Store) {
		clk.set(cst(2026, 3, 2, 9))
		c := newSupCase(t, s)
		x := c.x
		gov := x.unit["政府办"].ID
		t1 := x.unit["白沙镇"]
		p1 := x.head(t, t1.ID)
		clerk := x.byLogin["wenmi"]
		director := x.withRole(t, org.RoleOfficeDirector, gov)
		outsider := x.outsiderOf(t, c.office, c.lead, c.co, gov, t1.ID, x.unitByID(c.office).ParentID, x.unitByID(gov).ParentID)
		var admin org.Person
		for _, a := range x.Roles {
			if a.Role == org.RoleSysAdmin {
				admin = x.person(a.PersonID)
			}
		}

		// 培训: the office's director and 文秘, the organizer, the invited.
		start := cst(2026, 3, 10, 14)
		tr, err := s.CreateTraining(ctx, clerk, study.Training{ID: "tr-s", OfficeID: gov, Title: "安全生产专题培训", Speaker: "应急管理局总工程师",
			Place: "行政中心报告厅", Start: start, End: start.Add(2 * time.Hour), Invitees: []string{p1.ID}, Organizer: clerk.ID,
			Secret: []byte("secret-secret-secret")})
		if err != nil {
			t.Fatal(err)
		}
		checkFound(t, s, search.KindTraining, tr.ID, "安全生产专题", []org.Person{p1, clerk, director}, outsider, admin, c.leadPerson)
		checkFound(t, s, search.KindTraining, tr.ID, "行政中心报告厅", []org.Person{p1}, outsider)
		if _, err := s.TrainingAct(ctx, clerk, tr.ID, "training_cancel", nil, study.Cancel); err != nil {
			t.Fatal(err)
		}
		if res := find(t, s, p1.ID, "安全生产专题 状态:done"); !hasDoc(res, tr.ID) {
			t.Errorf("a cancelled session is not under 状态:done: %+v", res.Hits)
		}

		// A progress report's attachment.
		if _, err := s.CreateSupItem(ctx, c.sup, c.newItem("sup-f", 10), true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SupAct(ctx, c.leadPerson, "sup-f", "sign_for", nil, signFor(c.lead)); err != nil {
			t.Fatal(err)
		}
		shaS := strings.Repeat("d5", 32)
		if err := s.PutAttachmentText(ctx, shaS, "附表：灯杆更换明细，共计四十二处点位。"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SupAct(ctx, c.leadPerson, "sup-f", "report", nil, func(r supervise.Rules, it supervise.Item, a route.Actor, now time.Time) (supervise.Item, []supervise.Event, error) {
			return r.Report(it, a, supervise.ReportInput{UnitID: c.lead, Text: "已完成大部分点位。",
				Attachments: []supervise.Attachment{{Name: "明细.docx", SHA256: shaS}}}, now)
		}); err != nil {
			t.Fatal(err)
		}
		checkFound(t, s, search.KindSupervision, "sup-f", "灯杆更换明细", []org.Person{c.sup, c.leadPerson, c.coPerson}, outsider, admin)

		// Information reports: a 非密 one's attachment is found with it; a
		// 秘密 one's is not, even by the cleared.
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.SetClearance(ctx, p1.ID, org.Secret) }); err != nil {
			t.Fatal(err)
		}
		shaI, shaK := strings.Repeat("e6", 32), strings.Repeat("f7", 32)
		for sha, text := range map[string]string{shaI: "附件：各村春耕用种统计表，玉米种子八吨。", shaK: "附件：界碑十七号至二十号位置图。"} {
			if err := s.PutAttachmentText(ctx, sha, text); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.SubmitInfoReport(ctx, p1, "info-f", gov, t1.ID, inforeport.Draft{Title: "白沙镇春耕备耕情况", Body: "春耕有序推进。",
			Category: inforeport.Economy, Attachments: []inforeport.Attachment{{Name: "统计表.docx", SHA256: shaI}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SubmitInfoReport(ctx, p1, "info-k", gov, t1.ID, inforeport.Draft{Title: "白沙镇界碑巡查情况", Body: "巡查已完成。",
			Category: inforeport.Other, Level: org.Secret, Attachments: []inforeport.Attachment{{Name: "位置图.docx", SHA256: shaK}}}); err != nil {
			t.Fatal(err)
		}
		checkFound(t, s, search.KindInfo, "info-f", "玉米种子八吨", []org.Person{p1, x.byLogin["zhuren"]}, outsider, admin)
		checkFound(t, s, search.KindInfo, "info-k", "界碑巡查", []org.Person{p1}, outsider)
		if res := find(t, s, p1.ID, "界碑十七号"); hasDoc(res, "info-k") {
			t.Errorf("a classified report's attachment text is found: %+v", res.Hits)
		}

		if err := s.Reindex(ctx, nil); err != nil {
			t.Fatal(err)
		}
		checkFound(t, s, search.KindTraining, tr.ID, "安全生产专题", []org.Person{p1}, outsider)
		checkFound(t, s, search.KindSupervision, "sup-f", "灯杆更换明细", []org.Person{c.sup}, outsider)
		checkFound(t, s, search.KindInfo, "info-f", "玉米种子八吨", []org.Person{p1}, outsider)
		if res := find(t, s, p1.ID, "界碑十七号"); hasDoc(res, "info-k") {
			t.Errorf("rebuilt, a classified report's attachment text is found: %+v", res.Hits)
		}
	})
}
