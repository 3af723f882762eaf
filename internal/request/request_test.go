package request

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/route"
)

// The cast: a clerk in a section (sec) of the office (off), the section's
// head, the office director, the office's clerk who dispatches and keeps
// the seals, and someone elsewhere.
var (
	clerk    = route.Actor{Principal: route.Principal{ID: "c1", Units: []string{"sec"}}}
	head     = route.Actor{Principal: route.Principal{ID: "h1", Units: []string{"sec"}, Leads: []string{"sec"}}}
	director = route.Actor{Principal: route.Principal{ID: "d1", Units: []string{"off"}, Roles: []route.RoleGrant{{Role: route.RoleOfficeHead, Unit: "off"}}}}
	keeper   = route.Actor{Principal: route.Principal{ID: "k1", Units: []string{"off"}, Roles: []route.RoleGrant{{Role: route.RoleOfficeClerk, Unit: "off"}}}}
	keeper2  = route.Actor{Principal: route.Principal{ID: "k2", Units: []string{"off"}, Roles: []route.RoleGrant{{Role: route.RoleOfficeClerk, Unit: "off"}}}}
	stranger = route.Actor{Principal: route.Principal{ID: "x", Units: []string{"elsewhere"}}}
)

func rules(t testing.TB) Rules {
	t.Helper()
	c, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	return Rules{Calendar: c}
}

// at is a time in Asia/Shanghai in December 2026 (the 7th is a Monday).
func at(day, h, m int) time.Time {
	return time.Date(2026, 12, day, h, m, 0, 0, calendar.Shanghai())
}

var govSeal = Seal{ID: "s1", Name: "清澜区人民政府", Kind: GovSeal, UnitID: "off", KeeperID: "k1", Active: true}

func sealNew(id string) New {
	return New{ID: id, Kind: SealUse, UnitID: "sec", OfficeID: "off", Reason: "报送市政府",
		Seal: &SealInfo{SealID: "s1", Material: "关于申请专项资金的请示", Copies: 3}}
}

func carNew(id string, from, to time.Time) New {
	return New{ID: id, Kind: CarUse, UnitID: "sec", OfficeID: "off", Reason: "调研",
		Car: &CarInfo{Start: from, End: to, Destination: "城关镇", Passengers: 3}}
}

func ok[T any](t *testing.T) func(T, []route.Event, error) T {
	return func(v T, _ []route.Event, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func task(t *testing.T, r Request, key string) int {
	t.Helper()
	tk := openTask(r.Route, key)
	if tk.ID == 0 {
		t.Fatalf("no open task at %s (at %s, %s)", key, r.Step(), r.Status)
	}
	return tk.ID
}

func approve(t *testing.T, rs Rules, r Request, a route.Actor, key string, now time.Time) Request {
	t.Helper()
	return ok[Request](t)(rs.Act(r, a, route.Request{Op: route.Approve, Task: task(t, r, key)}, now))
}

func TestSealRequestThroughItsRoute(t *testing.T) {
	rs := rules(t)
	now := at(7, 9, 0)
	r := ok[Request](t)(rs.Create(SealTemplate(), sealNew("r1"), &govSeal, clerk, now))
	if r.Status != Pending || r.Step() != StepUnit {
		t.Fatalf("after submit: %s at %s, want pending at unit_review", r.Status, r.Step())
	}
	r = approve(t, rs, r, head, StepUnit, now.Add(time.Hour))
	r = approve(t, rs, r, director, StepApprove, now.Add(2*time.Hour))
	if r.Status != Approved || r.Status.Label(r.Kind) != "待用印" {
		t.Fatalf("after approval: %s", r.Status)
	}
	// The 用印 step is the keeper's, not any clerk's.
	if _, _, err := rs.Stamp(r, keeper2, 3, "", now); err == nil || !strings.Contains(err.Error(), "不是“用印”环节的办理人") {
		t.Fatalf("another clerk stamps: %v", err)
	}
	if _, _, err := rs.Act(r, keeper, route.Request{Op: route.Approve, Task: task(t, r, StepStamp)}, now); err == nil || !strings.Contains(err.Error(), "用印登记") {
		t.Fatalf("plain approve at 用印: %v", err)
	}
	if _, _, err := rs.Stamp(r, keeper, 4, "", now); err == nil || err.Error() != "实际用印份数（4 份）超过批准的份数（3 份）" {
		t.Fatalf("too many copies: %v", err)
	}
	used := now.Add(3 * time.Hour)
	r = ok[Request](t)(rs.Stamp(r, keeper, 2, "", used))
	if r.Status != Finished || r.Seal.UsedCopies != 2 || !r.Seal.UsedAt.Equal(used) || r.Seal.UsedBy != "k1" || r.ClosedAt.IsZero() {
		t.Fatalf("after 用印: %+v %+v", r.Status, r.Seal)
	}
	reg := Register([]Request{r})
	if len(reg) != 1 || reg[0].Approver != "d1" || reg[0].Keeper != "k1" || reg[0].Copies != 2 || reg[0].No != 1 {
		t.Fatalf("register: %+v", reg)
	}
	if _, err := rs.Cancel(r, clerk, used); err == nil {
		t.Fatal("cancelled a used seal")
	}
}

func TestCreateRefusals(t *testing.T) {
	rs := rules(t)
	now := at(7, 9, 0)
	inactive := govSeal
	inactive.Active = false
	tests := []struct {
		name  string
		n     func() New
		seal  *Seal
		actor route.Actor
		want  string
	}{
		{"no reason", func() New { n := sealNew("a"); n.Reason = " "; return n }, &govSeal, clerk, "请填写事由"},
		{"no seal", func() New { n := sealNew("a"); n.Seal.SealID = ""; return n }, &govSeal, clerk, "请选择印章"},
		{"seal inactive", func() New { return sealNew("a") }, &inactive, clerk, "印章“清澜区人民政府”已停用，不能申请使用"},
		{"no material", func() New { n := sealNew("a"); n.Seal.Material = ""; return n }, &govSeal, clerk, "请填写用印文件或材料"},
		{"zero copies", func() New { n := sealNew("a"); n.Seal.Copies = 0; return n }, &govSeal, clerk, "用印份数须在 1 至 10000 份之间"},
		{"reason too long", func() New { n := sealNew("a"); n.Reason = strings.Repeat("字", MaxReason+1); return n }, &govSeal, clerk, "事由不能超过 500 字（现有 501 字）"},
		{"not my unit", func() New { return sealNew("a") }, &govSeal, stranger, "只能以本人所在单位的名义申请"},
		{"car ends first", func() New { return carNew("a", at(8, 10, 0), at(8, 9, 0)) }, nil, clerk, "用车结束时间须晚于开始时间"},
		{"car zero length", func() New { return carNew("a", at(8, 10, 0), at(8, 10, 0)) }, nil, clerk, "用车结束时间须晚于开始时间"},
		{"car too long", func() New { return carNew("a", at(8, 10, 0), at(23, 10, 0)) }, nil, clerk, "一次用车不能超过 14 天，请分次申请"},
		{"car in the past", func() New { return carNew("a", at(7, 8, 0), at(7, 10, 0)) }, nil, clerk, "用车开始时间（12月7日 08:00）已过，请重新填写"},
		{"car no destination", func() New { n := carNew("a", at(8, 10, 0), at(8, 11, 0)); n.Car.Destination = ""; return n }, nil, clerk, "请填写目的地"},
		{"car no passengers", func() New { n := carNew("a", at(8, 10, 0), at(8, 11, 0)); n.Car.Passengers = 0; return n }, nil, clerk, "乘车人数须在 1 至 60 人之间"},
		{"unknown kind", func() New { n := sealNew("a"); n.Kind = "boat"; return n }, &govSeal, clerk, "未知的申请类别“boat”"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := tc.n()
			tpl := SealTemplate()
			if n.Kind == CarUse {
				tpl = CarTemplate()
			} else if !n.Kind.Valid() {
				tpl.Kind = string(n.Kind)
			}
			_, _, err := rs.Create(tpl, n, tc.seal, tc.actor, now)
			if err == nil || err.Error() != tc.want {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
	// Half an hour late is still "now".
	if _, _, err := rs.Create(CarTemplate(), carNew("a", at(7, 8, 31), at(7, 10, 0)), nil, clerk, now); err != nil {
		t.Fatalf("a car for 29 minutes ago: %v", err)
	}
	if _, _, err := rs.Create(CarTemplate(), sealNew("a"), &govSeal, clerk, now); err == nil {
		t.Fatal("a seal request on the car route")
	}
}

type names struct{}

func (names) Vehicle(id string) string {
	return map[string]string{"v1": "云A·G0001", "v2": "云A·G0002"}[id]
}
func (names) Driver(id string) string {
	return map[string]string{"d1": "李师傅", "d2": "王师傅"}[id]
}
func (names) Unit(id string) string {
	return map[string]string{"dev": "区发改局", "sec": "秘书科"}[id]
}

func TestConflicts(t *testing.T) {
	b := Booking{RequestID: "new", VehicleID: "v1", DriverID: "d1", Start: at(8, 10, 0), End: at(8, 12, 0)}
	bk := func(id, v, d string, from, to time.Time) Booking {
		return Booking{RequestID: id, VehicleID: v, DriverID: d, Start: from, End: to, UnitID: "dev", Where: "市政务中心"}
	}
	tests := []struct {
		name   string
		b      Booking
		others []Booking
		want   []string // kind:request
	}{
		{"none", b, nil, nil},
		{"ends as we start", b, []Booking{bk("a", "v1", "d1", at(8, 8, 0), at(8, 10, 0))}, nil},
		{"starts as we end", b, []Booking{bk("a", "v1", "d1", at(8, 12, 0), at(8, 13, 0))}, nil},
		{"one minute in", b, []Booking{bk("a", "v1", "d2", at(8, 8, 0), at(8, 10, 1))}, []string{"vehicle:a"}},
		{"inside", b, []Booking{bk("a", "v2", "d1", at(8, 10, 30), at(8, 11, 0))}, []string{"driver:a"}},
		{"around", b, []Booking{bk("a", "v1", "d1", at(8, 9, 0), at(8, 13, 0))}, []string{"vehicle:a", "driver:a"}},
		{"same times", b, []Booking{bk("a", "v1", "d2", at(8, 10, 0), at(8, 12, 0))}, []string{"vehicle:a"}},
		{"other vehicle and driver", b, []Booking{bk("a", "v2", "d2", at(8, 10, 0), at(8, 12, 0))}, nil},
		{"the same request", b, []Booking{bk("new", "v1", "d1", at(8, 10, 0), at(8, 12, 0))}, nil},
		{"another day", b, []Booking{bk("a", "v1", "d1", at(9, 10, 0), at(9, 12, 0))}, nil},
		{"overnight trip", b, []Booking{bk("a", "v1", "d2", at(7, 18, 0), at(8, 10, 30))}, []string{"vehicle:a"}},
		{"an empty booking", b, []Booking{bk("a", "v1", "d1", at(8, 11, 0), at(8, 11, 0))}, nil},
		{"we are empty", Booking{RequestID: "new", VehicleID: "v1", Start: at(8, 11, 0), End: at(8, 11, 0)}, []Booking{bk("a", "v1", "d1", at(8, 10, 0), at(8, 12, 0))}, nil},
		{"vehicle first, by start", b, []Booking{
			bk("c", "v2", "d1", at(8, 9, 0), at(8, 10, 30)),
			bk("b", "v1", "d2", at(8, 11, 0), at(8, 11, 30)),
			bk("a", "v1", "d2", at(8, 10, 30), at(8, 11, 0)),
		}, []string{"vehicle:a", "vehicle:b", "driver:c"}},
		{"no driver chosen", Booking{RequestID: "new", VehicleID: "v1", Start: at(8, 10, 0), End: at(8, 12, 0)}, []Booking{bk("a", "v2", "", at(8, 10, 0), at(8, 12, 0))}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, c := range Conflicts(tc.b, tc.others) {
				got = append(got, string(c.Kind)+":"+c.With.RequestID)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	cs := Conflicts(b, []Booking{bk("a", "v1", "d1", at(8, 9, 0), at(8, 10, 30))})
	want := "车辆 云A·G0001 在 12月8日 09:00—10:30 已派给区发改局（前往 市政务中心）；驾驶员 李师傅 在 12月8日 09:00—10:30 已派给区发改局（前往 市政务中心），与本次用车（12月8日 10:00—12:00）冲突"
	if got := ConflictMessage(b, cs, names{}); got != want {
		t.Fatalf("message:\n got %s\nwant %s", got, want)
	}
	if got := Span(at(7, 18, 0), at(8, 9, 0)); got != "12月7日 18:00—12月8日 09:00" {
		t.Fatalf("span over two days: %s", got)
	}
}

func TestCarRequestDispatchAndReturn(t *testing.T) {
	rs := rules(t)
	now := at(7, 9, 0)
	v1 := Vehicle{ID: "v1", Plate: "云A·G0001", Seats: 5, UnitID: "off", Odometer: 12000, Active: true}
	d1 := Driver{ID: "d1", Name: "李师傅", UnitID: "off", Active: true}
	r := ok[Request](t)(rs.Create(CarTemplate(), carNew("r1", at(8, 10, 0), at(8, 12, 0)), nil, clerk, now))
	if _, _, err := rs.Dispatch(r, keeper, v1, d1, nil, names{}, now); err == nil || !strings.Contains(err.Error(), "不在“派车”环节") {
		t.Fatalf("dispatch before approval: %v", err)
	}
	r = approve(t, rs, r, head, StepUnit, now)
	r = approve(t, rs, r, director, StepApprove, now)
	if r.Status.Label(r.Kind) != "待派车" {
		t.Fatalf("status %s", r.Status)
	}
	busy := []Booking{{RequestID: "other", VehicleID: "v1", DriverID: "d9", Start: at(8, 11, 0), End: at(8, 15, 0), UnitID: "dev", Where: "市里"}}
	_, _, err := rs.Dispatch(r, keeper, v1, d1, busy, names{}, now)
	var ce *ConflictError
	if !errors.As(err, &ce) || !errors.Is(err, ErrConflict) || len(ce.Conflicts) != 1 ||
		err.Error() != "车辆 云A·G0001 在 12月8日 11:00—15:00 已派给区发改局（前往 市里），与本次用车（12月8日 10:00—12:00）冲突" {
		t.Fatalf("conflict: %v", err)
	}
	small := v1
	small.Seats = 3
	if _, _, err := rs.Dispatch(r, keeper, small, d1, nil, names{}, now); err == nil || !strings.Contains(err.Error(), "除驾驶员外只能乘坐 2 人，本次 3 人") {
		t.Fatalf("too few seats: %v", err)
	}
	foreign := v1
	foreign.UnitID = "other-office"
	if _, _, err := rs.Dispatch(r, keeper, foreign, d1, nil, names{}, now); err == nil || err.Error() != "只能派本办公室的车辆和驾驶员" {
		t.Fatalf("another office's car: %v", err)
	}
	if _, _, err := rs.Dispatch(r, stranger, v1, d1, nil, names{}, now); err == nil || !strings.Contains(err.Error(), "不是“派车”环节的办理人") {
		t.Fatalf("a stranger dispatches: %v", err)
	}
	r = ok[Request](t)(rs.Dispatch(r, keeper, v1, d1, nil, names{}, now))
	if r.Status != Dispatched || r.Car.VehicleID != "v1" || r.Car.DriverID != "d1" || r.Car.DispatchedBy != "k1" {
		t.Fatalf("after dispatch: %s %+v", r.Status, r.Car)
	}
	if _, err := rs.Cancel(r, clerk, now); err == nil || err.Error() != "车辆已派出，不能撤销，请在还车后登记" {
		t.Fatalf("cancel a car out: %v", err)
	}
	if _, _, err := rs.Return(r, keeper, v1, 11990, 12040, at(8, 12, 10)); err == nil || !strings.Contains(err.Error(), "小于车辆 云A·G0001 上次还车时的里程（12000 公里）") {
		t.Fatalf("odometer backwards: %v", err)
	}
	r = ok[Request](t)(rs.Return(r, keeper, v1, 12000, 12046, at(8, 12, 10)))
	if r.Status != Finished || r.Car.Km() != 46 || r.Route.Status != route.Done {
		t.Fatalf("after return: %s %d", r.Status, r.Car.Km())
	}
	st := CarMonth([]Request{r}, MonthOf(at(8, 0, 0)))
	if len(st.Units) != 1 || st.Units[0].Trips != 1 || st.Units[0].Km != 46 || st.Units[0].Hours != 2 || st.Vehicles[0].Km != 46 {
		t.Fatalf("stats: %+v", st)
	}
}

// TestTold: who of a notice's assignees is told of it. The 派车 task goes
// to every clerk who may dispatch; once the car is out, the 还车登记 and its
// 催办 go to the dispatcher alone, or to all clerks if the dispatcher no
// longer holds the role.
func TestTold(t *testing.T) {
	rs := rules(t)
	now := at(7, 9, 0)
	v1 := Vehicle{ID: "v1", Plate: "云A·G0001", Seats: 5, UnitID: "off", Odometer: 12000, Active: true}
	d1 := Driver{ID: "d1", Name: "李师傅", UnitID: "off", Active: true}
	r := ok[Request](t)(rs.Create(CarTemplate(), carNew("r1", at(8, 10, 0), at(8, 12, 0)), nil, clerk, now))
	r = approve(t, rs, r, head, StepUnit, now)
	approved := approve(t, rs, r, director, StepApprove, now)
	dispatched := ok[Request](t)(rs.Dispatch(approved, keeper2, v1, d1, nil, names{}, now))
	seal := ok[Request](t)(rs.Create(SealTemplate(), sealNew("s1"), &govSeal, clerk, now))
	clerks := []string{"k1", "k2", "k3"}
	for _, c := range []struct {
		name string
		r    Request
		key  string // the step of the notice's task
		kind route.NoticeKind
		in   []string
		want []string
	}{
		{"派车: every clerk", approved, StepDispatch, route.NoticeTask, clerks, clerks},
		{"还车登记: the dispatcher", dispatched, StepReturn, route.NoticeTask, clerks, []string{"k2"}},
		{"还车登记 urged: the dispatcher", dispatched, StepReturn, route.NoticeUrged, clerks, []string{"k2"}},
		{"dispatcher gone: every clerk", dispatched, StepReturn, route.NoticeTask, []string{"k1", "k3"}, []string{"k1", "k3"}},
		{"a seal request: unchanged", seal, StepUnit, route.NoticeTask, []string{"h1"}, []string{"h1"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			n := route.Notice{Kind: c.kind, Task: task(t, c.r, c.key)}
			if got := c.r.Told(n, c.in); !slices.Equal(got, c.want) {
				t.Errorf("told %v, want %v", got, c.want)
			}
		})
	}
}

func TestCheckMileage(t *testing.T) {
	v := Vehicle{Plate: "云A·G0001", Odometer: 1000}
	out := at(8, 9, 0)
	tests := []struct {
		name       string
		start, end int
		back       time.Time
		want       string
	}{
		{"ok", 1000, 1050, at(8, 11, 0), ""},
		{"no distance", 1000, 1000, at(8, 11, 0), ""},
		{"start after the last reading (private use, a fill-up)", 1010, 1050, at(8, 11, 0), ""},
		{"negative", -1, 10, at(8, 11, 0), "里程表读数不能为负数"},
		{"beyond the odometer", 1000, MaxOdometer + 1, at(8, 11, 0), "里程表读数不能超过 9999999 公里"},
		{"backwards from the last", 999, 1050, at(8, 11, 0), "出车里程（999 公里）小于车辆 云A·G0001 上次还车时的里程（1000 公里），请核对"},
		{"end before start", 1050, 1040, at(8, 11, 0), "收车里程（1040 公里）小于出车里程（1050 公里）"},
		{"exactly the limit for 2 h", 1000, 1240, at(8, 11, 0), ""},
		{"one km over for 2 h", 1000, 1241, at(8, 11, 0), "本次行驶 241 公里，超过用车 2 小时可能行驶的 240 公里，请核对里程表读数"},
		{"a part hour counts whole", 1000, 1240, at(8, 10, 1), ""},
		{"back before out counts an hour", 1000, 1120, at(8, 8, 0), ""},
		{"back before out, too far", 1000, 1121, at(8, 8, 0), "本次行驶 121 公里，超过用车 1 小时可能行驶的 120 公里，请核对里程表读数"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckMileage(v, tc.start, tc.end, out, tc.back)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestMonthlyStatistics(t *testing.T) {
	car := func(id, unit, v string, day, km int, st Status) Request {
		r := Request{ID: id, Kind: CarUse, UnitID: unit, Status: st,
			Car: &CarInfo{Start: at(day, 9, 0), End: at(day, 12, 0), Passengers: 2, VehicleID: v, OdoStart: 100, OdoEnd: 100 + km}}
		if st == Finished {
			r.Car.ReturnedAt = at(day, 12, 0)
		}
		return r
	}
	nov := time.Date(2026, 11, 30, 10, 0, 0, 0, calendar.Shanghai())
	reqs := []Request{
		car("a", "u1", "v1", 1, 30, Finished),
		car("b", "u1", "v2", 2, 50, Finished),
		car("c", "u2", "v1", 3, 0, Dispatched),
		car("d", "u2", "", 4, 0, Pending),
		car("e", "u3", "", 5, 0, Cancelled),
		{ID: "f", Kind: CarUse, UnitID: "u1", Status: Finished, Car: &CarInfo{Start: nov, End: nov.Add(time.Hour), VehicleID: "v1", ReturnedAt: nov, OdoEnd: 999}},
	}
	st := CarMonth(reqs, MonthOf(at(15, 0, 0)))
	if len(st.Units) != 2 || st.Units[0].UnitID != "u1" || st.Units[0].Trips != 2 || st.Units[0].Km != 80 || st.Units[0].Hours != 6 ||
		st.Units[1].UnitID != "u2" || st.Units[1].Requests != 2 || st.Units[1].Trips != 1 || st.Units[1].Returned != 0 {
		t.Fatalf("units: %+v", st.Units)
	}
	if st.Total.Trips != 3 || st.Total.Km != 80 || st.Total.Requests != 4 || st.Refused != 1 {
		t.Fatalf("total: %+v cancelled %d", st.Total, st.Refused)
	}
	if len(st.Vehicles) != 2 || st.Vehicles[0].VehicleID != "v2" || st.Vehicles[0].Km != 50 || st.Vehicles[1].Trips != 2 {
		t.Fatalf("vehicles: %+v", st.Vehicles)
	}
	if MonthOf(at(1, 0, 0)).Label() != "2026年12月" || !MonthOf(at(31, 23, 59)).From.Equal(at(1, 0, 0)) {
		t.Fatal("month bounds")
	}
	seal := func(id, unit string, used time.Time, copies int) Request {
		return Request{ID: id, Kind: SealUse, UnitID: unit, Seal: &SealInfo{UsedAt: used, UsedCopies: copies}}
	}
	ss := SealMonth([]Request{seal("a", "u1", at(2, 9, 0), 3), seal("b", "u2", at(3, 9, 0), 1), seal("c", "u2", at(4, 9, 0), 2),
		seal("d", "u1", time.Time{}, 0), seal("e", "u1", nov, 5)}, MonthOf(at(15, 0, 0)))
	if len(ss) != 2 || ss[0] != (UnitSeals{UnitID: "u2", Uses: 2, Copies: 3}) || ss[1] != (UnitSeals{UnitID: "u1", Uses: 1, Copies: 3}) {
		t.Fatalf("seal month: %+v", ss)
	}
}

type regNames struct{}

func (regNames) Seal(id string) string { return "清澜区人民政府" }
func (regNames) Unit(id string) string { return "秘书科" }
func (regNames) Person(id string) string {
	return map[string]string{"c1": "张三", "d1": "李四", "k1": "王五"}[id]
}

func TestRegisterXLSX(t *testing.T) {
	rows := []RegisterRow{{No: 1, UsedAt: at(8, 9, 30), SealID: "s1", UnitID: "sec", Requester: "c1", Material: "请示", Copies: 3, Reason: "报送", Approver: "d1", Keeper: "k1"}}
	var buf bytes.Buffer
	if err := WriteRegisterXLSX(&buf, "用印登记簿（2026年12月）", rows, regNames{}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := f.GetRows("用印登记簿")
	if err != nil {
		t.Fatal(err)
	}
	want := "序号 用印时间 印章 用印单位 经办人 文件或材料 份数 事由 批准人 监印人 用印方式|1 2026-12-08 09:30 清澜区人民政府 秘书科 张三 请示 3 报送 李四 王五 实物印章"
	if len(got) != 3 || strings.Join(got[1], " ")+"|"+strings.Join(got[2], " ") != want || got[0][0] != "用印登记簿（2026年12月）" {
		t.Fatalf("sheet: %q", got)
	}
}

func TestParseTime(t *testing.T) {
	want := at(8, 9, 30)
	for _, s := range []string{"2026-12-08T09:30", "2026-12-08 09:30", " 2026-12-08 09:30:00 ", "2026-12-08T01:30:00Z", "2026-12-08T09:30:00+08:00"} {
		got, err := ParseTime("开始时间", s)
		if err != nil || !got.Equal(want) {
			t.Errorf("%q: %v %v", s, got, err)
		}
	}
	for s, msg := range map[string]string{"": "请填写开始时间", "明天": "开始时间格式不对，应为 2026-12-08 09:30", "2026-13-01 09:00": "开始时间格式不对，应为 2026-12-08 09:30"} {
		if _, err := ParseTime("开始时间", s); err == nil || err.Error() != msg {
			t.Errorf("%q: %v", s, err)
		}
	}
	for s, want := range map[string]int{"": 0, "3": 3, " 12 ": 12} {
		if n, err := ParseCount("份数", s, 100); err != nil || n != want {
			t.Errorf("%q: %d %v", s, n, err)
		}
	}
	for _, s := range []string{"-1", "1.5", "abc", "101"} {
		if _, err := ParseCount("份数", s, 100); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2026-12-08T09:30", "2026-12-08 09:30:00", "2026-12-08T01:30:00Z", "", "x", "2026-02-30 10:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := ParseTime("时间", s)
		if err != nil {
			var r *Refusal
			if !errors.As(err, &r) || r.Msg == "" {
				t.Fatalf("%q: not a refusal: %v", s, err)
			}
			return
		}
		if tm.IsZero() {
			t.Fatalf("%q: zero time without an error", s)
		}
		if _, err := ParseCount("份数", s, MaxCopies); err == nil {
			// A count is never also a time.
			t.Fatalf("%q parses as both", s)
		}
	})
}

func TestCancelAndReturnToApplicant(t *testing.T) {
	rs := rules(t)
	now := at(7, 9, 0)
	r := ok[Request](t)(rs.Create(SealTemplate(), sealNew("r1"), &govSeal, clerk, now))
	// 退回 to the applicant, who resubmits.
	r = ok[Request](t)(rs.Act(r, head, route.Request{Op: route.Return, Task: task(t, r, StepUnit), ToStep: StepApply, Comment: "份数不对"}, now))
	if r.Step() != StepApply || r.Status != Pending {
		t.Fatalf("after return: %s %s", r.Step(), r.Status)
	}
	r = approve(t, rs, r, clerk, StepApply, now)
	if r.Step() != StepUnit {
		t.Fatalf("resubmitted to %s", r.Step())
	}
	if _, err := rs.Cancel(r, head, now); err == nil || err.Error() != "只有申请人可以撤销申请" {
		t.Fatalf("head cancels: %v", err)
	}
	c, err := rs.Cancel(r, clerk, now)
	if err != nil || c.Status != Cancelled {
		t.Fatalf("cancel: %v %s", err, c.Status)
	}
	if _, _, err := rs.Act(c, head, route.Request{Op: route.Approve, Task: task(t, c, StepUnit)}, now); err == nil || err.Error() != "该申请已撤销" {
		t.Fatalf("approve a cancelled request: %v", err)
	}
	if got := c.Participants(); strings.Join(got, ",") != "c1,h1" {
		t.Fatalf("participants: %v", got)
	}
}
