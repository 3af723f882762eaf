package web_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/request"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// reqPool gives the 政府办 a seal kept by one of its clerks (not wenmi),
// two cars and two drivers, and returns the keeper.
func reqPool(t *testing.T, e *env) org.Person {
	t.Helper()
	ctx := context.Background()
	office, zhuren, wenmi := e.unit("政府办"), e.byLogin("zhuren"), e.byLogin("wenmi")
	var keeper org.Person
	for _, a := range e.d.Roles {
		if a.Role == org.RoleClerk && a.UnitID == office.ID && a.PersonID != wenmi.ID {
			for _, p := range e.d.People {
				if p.ID == a.PersonID {
					keeper = p
				}
			}
			break
		}
	}
	if keeper.ID == "" {
		t.Fatal("no second clerk in the 政府办")
	}
	err := e.store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.PutReqSeal(ctx, zhuren, request.Seal{ID: "seal-gov", Name: "清澜区人民政府", Kind: request.GovSeal, UnitID: office.ID, KeeperID: keeper.ID, Active: true}); err != nil {
			return err
		}
		for _, v := range []request.Vehicle{
			{ID: "v1", Plate: "云A·G0001", Model: "别克GL8", Seats: 7, UnitID: office.ID, Odometer: 12000, Active: true},
			{ID: "v2", Plate: "云A·G0002", Model: "大众帕萨特", Seats: 5, UnitID: office.ID, Odometer: 8000, Active: true},
		} {
			if err := tx.PutReqVehicle(ctx, zhuren, v); err != nil {
				return err
			}
		}
		for _, d := range []request.Driver{{ID: "d1", Name: "李建国", UnitID: office.ID, Active: true}, {ID: "d2", Name: "王志强", UnitID: office.ID, Active: true}} {
			if err := tx.PutReqDriver(ctx, zhuren, d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return keeper
}

// TestBrowserRequests is issue 14's done-when for 办事, on both stores: a
// seal request is approved and the seal keeper records its use, which the
// 用印登记簿 then lists; a car request is approved, its 派车 with a vehicle
// already out at that time is refused with the exact conflict, another
// vehicle is dispatched and the car comes back with its mileage, which the
// month's statistics count. Then the security officer links the seal to
// the 区政府's electronic seal on the 电子印章 page and the keeper presses it
// on the notice an approved request names (加盖电子印章): the request shows
// 已加盖电子印章 and the register the use as 电子印章.
func TestBrowserRequests(t *testing.T) {
	c := &clock{}
	storetest.ForEach(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler)}, func(t *testing.T, s *store.Store) {
		c.t = time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC) // 09:30 in Beijing, a Monday
		x := newESealEnv(t, s, c)
		e, keeper := x.env, x.keeper
		wenmi, zhuren := e.byLogin("wenmi"), e.byLogin("zhuren")
		ctx := browser(t)
		w := &walker{t: t, ctx: ctx, e: e}
		office := e.unit("政府办")

		// Another trip already has 云A·G0001 tomorrow 10:00—12:00.
		bookedTrip(t, e, wenmi, zhuren, keeper, office.ID)

		submit := func(button string) string {
			w.t.Helper()
			// The page after the click, not the one clicked on: its alert is new.
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelectorAll(".alert").forEach(function(a){a.remove()}) || true`)); err != nil {
				t.Fatal(err)
			}
			w.do(chromedp.Click(`[data-testid=`+button+`]`), chromedp.WaitVisible(`.alert`))
			return w.text(`[data-testid=req-status]`)
		}
		open := func(p org.Person, id string) {
			w.t.Helper()
			w.as(p)
			w.do(chromedp.Navigate(e.srv.URL+"/requests"), chromedp.WaitVisible(`[data-testid=req-tab-todo]`))
			w.do(chromedp.Click(`[data-testid=req-row][data-id="`+id+`"] [data-testid=req-link]`), chromedp.WaitVisible(`[data-testid=req-status]`))
		}
		idOf := func() string {
			w.t.Helper()
			loc, err := chromedp.Run(ctx, chromedp.Location())
			if err != nil {
				t.Fatal(err)
			}
			loc = strings.SplitN(loc, "?", 2)[0]
			return loc[strings.LastIndex(loc, "/")+1:]
		}

		// 用印: wenmi asks from the nav, zhuren approves as head of the
		// 秘书科 and as the office's director, the keeper stamps.
		w.as(wenmi)
		w.do(chromedp.Click(`[data-testid=requests-link]`), chromedp.WaitVisible(`[data-testid=req-new-seal]`),
			chromedp.Click(`[data-testid=req-new-seal]`), chromedp.WaitVisible(`[data-testid=req-new-form]`),
			chromedp.SetValue(`[data-testid=req-seal]`, "seal-gov"),
			chromedp.SetValue(`[data-testid=req-material]`, "关于申请老旧小区改造专项资金的请示"),
			chromedp.SetValue(`[data-testid=req-copies]`, "3"),
			chromedp.SetValue(`[data-testid=req-reason]`, "报送市政府"))
		if st := submit("req-submit"); st != "审批中（科室负责人审核）" {
			t.Fatalf("after submitting the seal request: %q", st)
		}
		sealID := idOf()
		screenshot(t, ctx, "req-seal-submitted")
		for _, step := range []string{"科室负责人审核", "办公室审批"} {
			open(zhuren, sealID)
			if h := w.text(`[data-testid=req-actions] h2`); h != "办理："+step {
				t.Fatalf("zhuren's task: %q, want %s", h, step)
			}
			submit("req-approve")
		}
		open(keeper, sealID)
		w.do(chromedp.SetValue(`[data-testid=req-stamp-copies]`, "3"))
		if st := submit("req-stamp"); st != "已用印" {
			t.Fatalf("after 用印: %q (%s)", st, w.text(`main`))
		}
		if used := w.text(`[data-testid=req-used]`); !strings.Contains(used, keeper.Name+" 用印 3 份") {
			t.Fatalf("use recorded: %q", used)
		}
		w.do(chromedp.Navigate(e.srv.URL+"/requests/register"), chromedp.WaitVisible(`[data-testid=req-register-table]`))
		row := w.text(`[data-testid=req-register-row]`)
		for _, want := range []string{"清澜区人民政府（政府印章）", "关于申请老旧小区改造专项资金的请示", wenmi.Name, zhuren.Name, keeper.Name} {
			if !strings.Contains(row, want) {
				t.Errorf("register row %q lacks %q", row, want)
			}
		}
		screenshot(t, ctx, "req-register")

		// 用车 tomorrow 11:00—13:00.
		w.as(wenmi)
		w.do(chromedp.Navigate(e.srv.URL+"/requests/new?kind=car_use"), chromedp.WaitVisible(`[data-testid=req-new-form]`),
			chromedp.SetValue(`[data-testid=req-start]`, "2026-12-01T11:00"),
			chromedp.SetValue(`[data-testid=req-end]`, "2026-12-01T13:00"),
			chromedp.SetValue(`[data-testid=req-destination]`, "城关镇人民政府"),
			chromedp.SetValue(`[data-testid=req-passengers]`, "3"),
			chromedp.SetValue(`[data-testid=req-reason]`, "陪同调研老旧小区改造"))
		if st := submit("req-submit"); st != "审批中（科室负责人审核）" {
			t.Fatalf("after submitting the car request: %q", st)
		}
		carID := idOf()
		open(zhuren, carID)
		submit("req-approve")
		open(zhuren, carID)
		if st := submit("req-approve"); st != "待派车（派车）" {
			t.Fatalf("after approval: %q", st)
		}
		open(keeper, carID)
		w.do(chromedp.SetValue(`[data-testid=req-vehicle]`, "v1"), chromedp.SetValue(`[data-testid=req-driver]`, "d2"))
		submit("req-dispatch")
		want := "车辆 云A·G0001 在 12月1日 10:00—12:00 已派给清澜区人民政府办公室秘书科（前往 区档案馆），与本次用车（12月1日 11:00—13:00）冲突"
		if got := w.text(`.alert.err`); got != want {
			t.Fatalf("conflict:\n got %q\nwant %q", got, want)
		}
		screenshot(t, ctx, "req-conflict")
		w.do(chromedp.SetValue(`[data-testid=req-vehicle]`, "v2"), chromedp.SetValue(`[data-testid=req-driver]`, "d2"))
		if st := submit("req-dispatch"); st != "已派车（还车登记）" {
			t.Fatalf("after 派车: %q", st)
		}
		if got := w.text(`[data-testid=req-dispatched]`); !strings.HasPrefix(got, "云A·G0002 · 驾驶员 王志强") {
			t.Fatalf("dispatched: %q", got)
		}
		c.t = time.Date(2026, 12, 1, 5, 20, 0, 0, time.UTC) // 13:20 the next day: a new session
		w.as(keeper)
		w.do(chromedp.Navigate(e.srv.URL+"/requests/"+carID), chromedp.WaitVisible(`[data-testid=req-odo-end]`),
			chromedp.SetValue(`[data-testid=req-odo-end]`, "7990"))
		submit("req-return")
		if got := w.text(`.alert.err`); got != "收车里程（7990 公里）小于出车里程（8000 公里）" {
			t.Fatalf("mileage refused: %q", got)
		}
		w.do(chromedp.SetValue(`[data-testid=req-odo-end]`, "8046"))
		if st := submit("req-return"); st != "已还车" {
			t.Fatalf("after 还车: %q", st)
		}
		if got := w.text(`[data-testid=req-returned]`); !strings.Contains(got, "行驶 46 公里") {
			t.Fatalf("returned: %q", got)
		}
		w.do(chromedp.Navigate(e.srv.URL+"/requests/stats?month=2026-12"), chromedp.WaitVisible(`[data-testid=req-car-stats]`))
		if got := w.text(`[data-testid=req-car-stats] tbody tr`); !strings.Contains(got, "清澜区人民政府办公室秘书科\t2\t2\t1\t46") {
			t.Fatalf("stats row: %q", got)
		}

		// 加盖电子印章 on an approved request naming the notice at 分发.
		esealID := x.sealRequest(x.doc.ID, true).ID
		open(keeper, esealID)
		if got := w.text(`[data-testid=req-doc]`); !strings.Contains(got, "清澜区人民政府关于做好冬季防火工作的通知") {
			t.Fatalf("the request's document: %q", got)
		}
		submit("req-eseal-apply")
		if got := w.text(`.alert.err`); !strings.Contains(got, "没有对应的电子印章") {
			t.Fatalf("unlinked: %q", got)
		}
		w.as(e.byLogin("secadmin"))
		w.do(chromedp.Navigate(e.srv.URL+"/security/seals"), chromedp.WaitVisible(`[data-testid=seal-links]`),
			chromedp.SetValue(`[data-testid=seal-link-row][data-id="seal-gov"] [data-testid=seal-link-select]`, x.eseal.ID),
			chromedp.Click(`[data-testid=seal-link-row][data-id="seal-gov"] [data-testid=seal-link-save]`), chromedp.WaitVisible(`.alert`))
		screenshot(t, ctx, "req-seal-links")
		open(keeper, esealID)
		if st := submit("req-eseal-apply"); st != "已用印" {
			t.Fatalf("after 加盖电子印章: %q (%s)", st, w.text(`main`))
		}
		if got := w.text(`[data-testid=req-eseal]`); got != "已加盖电子印章" {
			t.Fatalf("eseal shown as %q", got)
		}
		screenshot(t, ctx, "req-eseal-applied")
		w.do(chromedp.Navigate(e.srv.URL+"/requests/register"), chromedp.WaitVisible(`[data-testid=req-register-table]`))
		if row := w.text(`[data-testid=req-register-row]`); !strings.HasSuffix(row, keeper.Name+"\t电子印章") {
			t.Fatalf("register row %q", row)
		}
	})
}

// bookedTrip is a trip already dispatched with 云A·G0001 tomorrow 10:00—12:00.
func bookedTrip(t *testing.T, e *env, by, approver, keeper org.Person, office string) request.Request {
	t.Helper()
	ctx := context.Background()
	pos := e.d.Positions
	unit := ""
	for _, p := range pos {
		if p.PersonID == by.ID && p.Primary {
			unit = p.UnitID
		}
	}
	loc := time.FixedZone("CST", 8*3600)
	r, err := e.store.CreateRequest(ctx, by, request.New{ID: "busy", Kind: request.CarUse, UnitID: unit, OfficeID: office, Reason: "送档案",
		Car: &request.CarInfo{Start: time.Date(2026, 12, 1, 10, 0, 0, 0, loc), End: time.Date(2026, 12, 1, 12, 0, 0, 0, loc), Destination: "区档案馆", Passengers: 1}})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []org.Person{approver, approver} {
		task := 0
		for _, tk := range r.Route.OpenTasks() {
			task = tk.ID
		}
		if r, err = e.store.ReqAct(ctx, p, r.ID, "approve", nil, store.ReqRoute(route.Request{Op: route.Approve, Task: task})); err != nil {
			t.Fatal(err)
		}
	}
	if r, err = e.store.ReqAct(ctx, keeper, r.ID, "dispatch", nil, store.ReqDispatch("v1", "d1")); err != nil {
		t.Fatal(err)
	}
	return r
}
