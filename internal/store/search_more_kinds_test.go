package store_test

import (
	"slices"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/duty"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/request"
	"github.com/shuniu-oa/shuniu/internal/search"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/study"
)

// checkFound: those allowed find the thing by word, under its kind's facet
// and filter; those refused get nothing of it — hits, count, facets,
// snippets — by the word, the word under the kind's filter, or its first
// two characters.
func checkFound(t *testing.T, s *store.Store, kind, id, word string, allowed []org.Person, refused ...org.Person) {
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
		for _, filter := range []string{search.KindLabel(kind), kind} {
			only := find(t, s, p.ID, word+" 类型:"+filter)
			if !hasDoc(only, id) || slices.ContainsFunc(only.Hits, func(h search.Hit) bool { return h.Kind != kind }) {
				t.Errorf("%s: the kind filter %s: %+v", kind, filter, only.Hits)
			}
		}
	}
	for _, p := range refused {
		for _, q := range []string{word, word + " 类型:" + kind, string([]rune(word)[:2])} {
			if res := find(t, s, p.ID, q); leaks(res, id, word) {
				t.Errorf("%s: %s, who may not open it, gets %q: %+v", kind, p.Name, q, res)
			}
		}
	}
}

// TestSearchMoreKinds: a shift's 值班日志, a 用印 request and a 学习计划 are
// found by their words at once — after each change, in its transaction —
// by those their kind's read rule lets open them (access.DecideDuty,
// DecideRequest, DecideStudy), and never by anyone else; also after a
// rebuild.
func TestSearchMoreKinds(t *testing.T) {
	clk := &supClock{t: cst(2026, 12, 7, 9)}
	storetest.ForEach(t, store.Options{Now: clk.now}, func(t *testing.T, s *store.Store) {
		clk.set(cst(2026, 12, 7, 9))
		rc := newReqCase(t, s, clk)
		x := rc.x
		gov := rc.office
		director := x.withRole(t, org.RoleOfficeDirector, gov)
		clerk := rc.wenmi
		outsider := x.outsiderOf(t, gov, rc.sec, x.unitByID(gov).ParentID)
		var admin org.Person
		for _, a := range x.Roles {
			if a.Role == org.RoleSysAdmin {
				admin = x.person(a.PersonID)
			}
		}

		// 值班日志: the office keeps the roster; the clerk is on it.
		var ro duty.Roster
		err := s.Write(ctx, func(tx *store.Tx) error {
			var err error
			ro, err = tx.CreateDutyRoster(ctx, director, duty.NewRoster{UnitID: gov, Title: "12月第二周值班", From: "2026-12-07", To: "2026-12-13",
				Rotation: duty.Rotation{Mode: duty.EveryDay, Leaders: []string{director.ID}, Staff: []string{clerk.ID}}})
			if err != nil {
				return err
			}
			ro, err = tx.PublishDutyRoster(ctx, director, ro.ID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		clk.set(cst(2026, 12, 7, 21))
		date := ro.Shifts[0].Date
		var ev duty.Entry
		err = s.Write(ctx, func(tx *store.Tx) error {
			var err error
			ev, err = tx.AddDutyEntry(ctx, clerk, ro.ID, date, duty.Entry{Kind: duty.Event, Title: "青石岭隧道落石", Level: duty.LevelIII,
				Content: "隧道口落石阻断单向车道"}, false)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		logID := ro.ID + "/" + date
		checkFound(t, s, search.KindDutyLog, logID, "隧道口落石", []org.Person{clerk, director}, outsider, admin)
		err = s.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.FollowUpDutyEntry(ctx, clerk, ro.ID, ev.ID, "交通局已派抢修车清理", false)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		checkFound(t, s, search.KindDutyLog, logID, "抢修车清理", []org.Person{clerk}, outsider)

		// 用印: the requester, the office's keepers; not another organ's person.
		clk.set(cst(2026, 12, 8, 9))
		r, err := s.CreateRequest(ctx, clerk, request.New{ID: "r-search", Kind: request.SealUse, UnitID: rc.sec, Reason: "报送市水务局",
			Seal: &request.SealInfo{SealID: rc.seal.ID, Material: "关于青石岭水库移民安置补偿的请示", Copies: 2}})
		if err != nil {
			t.Fatal(err)
		}
		checkFound(t, s, search.KindRequest, r.ID, "移民安置补偿", []org.Person{clerk, rc.keeper}, outsider, admin)
		r = rc.approve(t, r, rc.zhuren, request.StepUnit)
		checkFound(t, s, search.KindRequest, r.ID, "移民安置补偿", []org.Person{rc.zhuren}, outsider)

		// 学习计划: the people it names and the office's 文秘.
		p, err := study.NewPlan("sp-search", gov, "2026年度学习计划", 2026, clerk.ID, clk.now())
		if err != nil {
			t.Fatal(err)
		}
		named := rc.keeper
		if p, err = study.AddItem(p, study.Item{Topic: "青石岭红色教育基地现场教学", People: []string{named.ID}, Due: cst(2026, 12, 30, 17)}, clk.now()); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateStudyPlan(ctx, clerk, p); err != nil {
			t.Fatal(err)
		}
		checkFound(t, s, search.KindStudyPlan, p.ID, "红色教育基地", []org.Person{named, clerk}, outsider, admin)

		// Rebuilt, each is found as before.
		if err := s.Reindex(ctx, nil); err != nil {
			t.Fatal(err)
		}
		checkFound(t, s, search.KindDutyLog, logID, "隧道口落石", []org.Person{clerk}, outsider)
		checkFound(t, s, search.KindRequest, r.ID, "移民安置补偿", []org.Person{clerk}, outsider)
		checkFound(t, s, search.KindStudyPlan, p.ID, "红色教育基地", []org.Person{named}, outsider)
	})
}
