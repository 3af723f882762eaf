package store_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/request"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// reqCase is the 政府办 with its seals and cars: wenmi (秘书科) asks, zhuren
// (head of the 秘书科 and the office's director) approves twice, a clerk of
// the office keeps the seal and dispatches.
type reqCase struct {
	x              district
	office, sec    string
	wenmi, zhuren  org.Person
	keeper, clerk2 org.Person
	seal           request.Seal
	v1, v2         request.Vehicle
	d1, d2         request.Driver
	clock          *supClock
	s              *store.Store
}

func newReqCase(t *testing.T, s *store.Store, c *supClock) reqCase {
	t.Helper()
	x := seeded(t, s)
	rc := reqCase{x: x, s: s, clock: c, office: x.unit["政府办"].ID, wenmi: x.byLogin["wenmi"], zhuren: x.byLogin["zhuren"]}
	pos, err := s.Positions(ctx, rc.wenmi.ID)
	if err != nil || len(pos) == 0 {
		t.Fatal(pos, err)
	}
	rc.sec = pos[0].UnitID
	for _, a := range x.Roles {
		if a.Role == org.RoleClerk && a.UnitID == rc.office && a.PersonID != rc.wenmi.ID {
			for _, p := range x.People {
				if p.ID == a.PersonID {
					if rc.keeper.ID == "" {
						rc.keeper = p
					} else if rc.clerk2.ID == "" && p.ID != rc.keeper.ID {
						rc.clerk2 = p
					}
				}
			}
		}
	}
	if rc.keeper.ID == "" || rc.clerk2.ID == "" {
		t.Fatal("the 政府办 has fewer than three clerks")
	}
	rc.seal = request.Seal{ID: "seal-gov", Name: "清澜区人民政府", Kind: request.GovSeal, UnitID: rc.office, KeeperID: rc.keeper.ID, Active: true}
	rc.v1 = request.Vehicle{ID: "v1", Plate: "云A·G0001", Model: "别克GL8", Seats: 7, UnitID: rc.office, Odometer: 12000, Active: true}
	rc.v2 = request.Vehicle{ID: "v2", Plate: "云A·G0002", Model: "大众帕萨特", Seats: 5, UnitID: rc.office, Odometer: 8000, Active: true}
	rc.d1 = request.Driver{ID: "d1", Name: "李建国", UnitID: rc.office, Active: true}
	rc.d2 = request.Driver{ID: "d2", Name: "王志强", UnitID: rc.office, Active: true}
	err = s.Write(ctx, func(tx *store.Tx) error {
		if err := tx.PutReqSeal(ctx, rc.zhuren, rc.seal); err != nil {
			return err
		}
		for _, v := range []request.Vehicle{rc.v1, rc.v2} {
			if err := tx.PutReqVehicle(ctx, rc.zhuren, v); err != nil {
				return err
			}
		}
		for _, d := range []request.Driver{rc.d1, rc.d2} {
			if err := tx.PutReqDriver(ctx, rc.zhuren, d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return rc
}

func (rc reqCase) task(t *testing.T, r request.Request, key string) int {
	t.Helper()
	for _, tk := range r.Route.OpenTasks() {
		if r.Route.Template.Steps[tk.Step].Key == key {
			return tk.ID
		}
	}
	t.Fatalf("no open task at %s (at %s)", key, r.Step())
	return 0
}

func (rc reqCase) approve(t *testing.T, r request.Request, by org.Person, key string) request.Request {
	t.Helper()
	r, err := rc.s.ReqAct(ctx, by, r.ID, "approve", nil, store.ReqRoute(route.Request{Op: route.Approve, Task: rc.task(t, r, key)}))
	if err != nil {
		t.Fatalf("%s approves at %s: %v", by.Name, key, err)
	}
	return r
}

// approvedCar is a car request from wenmi at [from, to), approved to 派车.
func (rc reqCase) approvedCar(t *testing.T, id string, from, to time.Time) request.Request {
	t.Helper()
	r, err := rc.s.CreateRequest(ctx, rc.wenmi, request.New{ID: id, Kind: request.CarUse, UnitID: rc.sec, OfficeID: rc.office, Reason: "赴镇调研",
		Car: &request.CarInfo{Start: from, End: to, Destination: "城关镇", Passengers: 3}})
	if err != nil {
		t.Fatal(err)
	}
	r = rc.approve(t, r, rc.zhuren, request.StepUnit)
	return rc.approve(t, r, rc.zhuren, request.StepApprove)
}

func TestRequestSealUse(t *testing.T) {
	c := &supClock{t: cst(2026, 12, 7, 9)}
	storetest.ForEach(t, store.Options{Now: c.now}, func(t *testing.T, s *store.Store) {
		c.set(cst(2026, 12, 7, 9))
		rc := newReqCase(t, s, c)
		r, err := s.CreateRequest(ctx, rc.wenmi, request.New{ID: "r-seal", Kind: request.SealUse, UnitID: rc.sec, Reason: "报送市政府",
			Seal: &request.SealInfo{SealID: rc.seal.ID, Material: "关于申请老旧小区改造专项资金的请示", Copies: 3}})
		if err != nil {
			t.Fatal(err)
		}
		if r.OfficeID != rc.office || r.Step() != request.StepUnit {
			t.Fatalf("created: office %s step %s", r.OfficeID, r.Step())
		}
		// The approver is told, through the inbox.
		inbox, err := s.Inbox(ctx, rc.zhuren.ID, true, 10)
		if err != nil || len(inbox) == 0 || !strings.Contains(inbox[0].Subject, "用印申请（关于申请老旧小区改造专项资金的请示）") || inbox[0].Link != "/requests/r-seal" {
			t.Fatalf("zhuren's inbox: %+v %v", inbox, err)
		}
		todo, err := s.Requests(ctx, store.ReqFilter{Todo: actorOf(t, s, rc.zhuren)})
		if err != nil || len(todo) != 1 || todo[0].ID != "r-seal" {
			t.Fatalf("zhuren's 待办: %v %v", todo, err)
		}
		r = rc.approve(t, r, rc.zhuren, request.StepUnit)
		r = rc.approve(t, r, rc.zhuren, request.StepApprove)
		// Only the keeper stamps; any other clerk is refused by name of the step.
		if _, err := s.ReqAct(ctx, rc.clerk2, r.ID, "stamp", nil, store.ReqStamp(3, "")); err == nil || !strings.Contains(err.Error(), "用印") {
			t.Fatalf("another clerk stamps: %v", err)
		}
		c.add(time.Hour)
		r, err = s.ReqAct(ctx, rc.keeper, r.ID, "stamp", nil, store.ReqStamp(3, ""))
		if err != nil || r.Status != request.Finished {
			t.Fatalf("stamp: %v %s", err, r.Status)
		}
		reg, err := s.SealRegister(ctx, rc.office, time.Time{}, time.Time{})
		if err != nil || len(reg) != 1 || reg[0].Keeper != rc.keeper.ID || reg[0].Approver != rc.zhuren.ID || reg[0].Copies != 3 || reg[0].SealID != rc.seal.ID {
			t.Fatalf("register: %+v %v", reg, err)
		}
		m := request.MonthOf(c.now())
		if st, err := s.SealStats(ctx, rc.office, m); err != nil || len(st) != 1 || st[0].Uses != 1 || st[0].UnitID != rc.sec {
			t.Fatalf("seal stats: %+v %v", st, err)
		}
		inbox, err = s.Inbox(ctx, rc.wenmi.ID, true, 10)
		if err != nil || len(inbox) == 0 || !strings.HasPrefix(inbox[0].Subject, "办结：") {
			t.Fatalf("wenmi told of the close: %+v %v", inbox, err)
		}
		// The office's 用印 route is its own: 用印 may not be removed.
		tpl, _, err := s.RouteTemplate(ctx, rc.office, string(request.SealUse))
		if err != nil {
			t.Fatal(err)
		}
		tpl.Steps = tpl.Steps[:3]
		err = s.Write(ctx, func(tx *store.Tx) error { return tx.PutRouteTemplate(ctx, rc.zhuren, rc.office, tpl) })
		if err == nil || err.Error() != "不能删除环节“用印”：它的办理结果由系统使用" {
			t.Fatalf("remove 用印: %v", err)
		}
	})
}

func actorOf(t *testing.T, s *store.Store, p org.Person) *route.Actor {
	t.Helper()
	a, err := s.Actor(ctx, p.ID, s.Now())
	if err != nil {
		t.Fatal(err)
	}
	return &a
}

func TestRequestCarUse(t *testing.T) {
	c := &supClock{t: cst(2026, 12, 7, 9)}
	storetest.ForEach(t, store.Options{Now: c.now}, func(t *testing.T, s *store.Store) {
		c.set(cst(2026, 12, 7, 9))
		rc := newReqCase(t, s, c)
		a := rc.approvedCar(t, "car-a", cst(2026, 12, 8, 9), cst(2026, 12, 8, 12))
		before, err := s.UnreadCount(ctx, rc.clerk2.ID, 100)
		if err != nil {
			t.Fatal(err)
		}
		a, err = s.ReqAct(ctx, rc.keeper, a.ID, "dispatch", nil, store.ReqDispatch(rc.v1.ID, rc.d1.ID))
		if err != nil || a.Status != request.Dispatched {
			t.Fatalf("dispatch a: %v", err)
		}
		// The 还车登记 is the dispatcher's: another clerk is not told of it.
		if after, err := s.UnreadCount(ctx, rc.clerk2.ID, 100); err != nil || after != before {
			t.Errorf("another clerk told of the dispatch: %d messages, had %d (%v)", after, before, err)
		}
		inbox, err := s.Inbox(ctx, rc.wenmi.ID, true, 10)
		told := false
		for _, m := range inbox {
			told = told || (m.Kind == "request.dispatch" && m.Subject == "已派车：用车申请（12月8日 09:00—12:00 前往 城关镇）" &&
				strings.Contains(m.Body, "车辆 云A·G0001，驾驶员 李建国"))
		}
		if err != nil || !told {
			t.Fatalf("wenmi told of the car: %+v %v", inbox, err)
		}
		b := rc.approvedCar(t, "car-b", cst(2026, 12, 8, 11), cst(2026, 12, 8, 14))
		_, err = s.ReqAct(ctx, rc.keeper, b.ID, "dispatch", nil, store.ReqDispatch(rc.v1.ID, rc.d2.ID))
		want := "车辆 云A·G0001 在 12月8日 09:00—12:00 已派给清澜区人民政府办公室秘书科（前往 城关镇），与本次用车（12月8日 11:00—14:00）冲突"
		if !errors.Is(err, request.ErrConflict) || err.Error() != want {
			t.Fatalf("vehicle conflict:\n got %v\nwant %s", err, want)
		}
		_, err = s.ReqAct(ctx, rc.keeper, b.ID, "dispatch", nil, store.ReqDispatch(rc.v2.ID, rc.d1.ID))
		if !errors.Is(err, request.ErrConflict) || !strings.HasPrefix(err.Error(), "驾驶员 李建国 在 12月8日 09:00—12:00") {
			t.Fatalf("driver conflict: %v", err)
		}
		if b, err = s.ReqAct(ctx, rc.keeper, b.ID, "dispatch", nil, store.ReqDispatch(rc.v2.ID, rc.d2.ID)); err != nil {
			t.Fatal(err)
		}
		c.set(cst(2026, 12, 8, 12))
		if _, err := s.ReqAct(ctx, rc.keeper, a.ID, "return", nil, store.ReqReturn(11000, 12050)); err == nil || !strings.Contains(err.Error(), "上次还车时的里程（12000 公里）") {
			t.Fatalf("odometer backwards: %v", err)
		}
		if a, err = s.ReqAct(ctx, rc.keeper, a.ID, "return", nil, store.ReqReturn(12000, 12046)); err != nil || a.Status != request.Finished {
			t.Fatalf("return: %v", err)
		}
		if v, err := s.ReqVehicle(ctx, rc.v1.ID); err != nil || v.Odometer != 12046 {
			t.Fatalf("odometer after return: %d %v", v.Odometer, err)
		}
		// A cancelled request frees nothing it did not hold and can be refused.
		cc := rc.approvedCar(t, "car-c", cst(2026, 12, 9, 9), cst(2026, 12, 9, 10))
		if _, err := s.ReqAct(ctx, rc.wenmi, cc.ID, "cancel", nil, store.ReqCancel()); err != nil {
			t.Fatal(err)
		}
		if todo, err := s.Requests(ctx, store.ReqFilter{Todo: actorOf(t, s, rc.keeper)}); err != nil || len(todo) != 1 || todo[0].ID != "car-b" {
			t.Fatalf("keeper's 待办 (b's 还车 only): %v %v", reqIDs(todo), err)
		}
		st, err := s.CarStats(ctx, rc.office, request.MonthOf(c.now()))
		if err != nil || len(st.Units) != 1 || st.Units[0].Trips != 2 || st.Units[0].Km != 46 || st.Units[0].Returned != 1 || st.Refused != 1 {
			t.Fatalf("car stats: %+v %v", st, err)
		}
	})
}

func reqIDs(rs []request.Request) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

// TestRequestDispatchRace: two dispatchers give the same vehicle to two
// overlapping trips at once; exactly one wins and the other is refused with
// the conflict (409 at the web edge). Run with -count=20 on both stores.
func TestRequestDispatchRace(t *testing.T) {
	c := &supClock{t: cst(2026, 12, 7, 9)}
	storetest.ForEach(t, store.Options{Now: c.now}, func(t *testing.T, s *store.Store) {
		c.set(cst(2026, 12, 7, 9))
		rc := newReqCase(t, s, c)
		a := rc.approvedCar(t, "race-a", cst(2026, 12, 8, 9), cst(2026, 12, 8, 12))
		b := rc.approvedCar(t, "race-b", cst(2026, 12, 8, 10), cst(2026, 12, 8, 11))
		var wg sync.WaitGroup
		errs := make([]error, 2)
		start := make(chan struct{})
		for i, job := range []struct {
			by     org.Person
			id     string
			driver string
		}{{rc.keeper, a.ID, rc.d1.ID}, {rc.clerk2, b.ID, rc.d2.ID}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = s.ReqAct(ctx, job.by, job.id, "dispatch", nil, store.ReqDispatch(rc.v1.ID, job.driver))
			}()
		}
		close(start)
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case errors.Is(err, request.ErrConflict) && strings.HasPrefix(err.Error(), "车辆 云A·G0001 在 12月8日"):
			default:
				t.Fatalf("unexpected: %v", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d dispatches won, want exactly 1: %v", won, errs)
		}
		n := 0
		for _, id := range []string{a.ID, b.ID} {
			r, err := s.Request(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if r.Car.VehicleID == rc.v1.ID {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d requests hold the vehicle", n)
		}
	})
}
