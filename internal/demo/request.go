package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/request"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// requestsSeededKey marks a database that holds the demo's seal and car requests.
const requestsSeededKey = "demo_requests_seeded"

// demoPool is what an office keeps: its seals, cars and drivers.
type demoPool struct {
	office   string // short name of the office
	keeper   string // login of the 监印人, one of the printed logins, so a new user can press the seal
	seals    []request.Seal
	vehicles []request.Vehicle
	drivers  []request.Driver
}

// sealUses are the papers an office stamps, each with the reason a clerk
// would give and the seals that fit it, most fitting first: an agreement
// takes the contract seal, a 请示 or 报告 the organ's own, a 函 or 通知 the
// office's.
type sealUse struct {
	material, reason string
	kinds            []request.SealKind
}

var sealUses = []sealUse{
	{"关于报送2026年度重点工作完成情况的报告", "报送市级部门", []request.SealKind{request.GovSeal, request.PartySeal}},
	{"关于申请老旧小区改造专项资金的请示", "报送市级部门", []request.SealKind{request.GovSeal, request.PartySeal}},
	{"区政府与云泽市农商银行战略合作协议", "对外签约", []request.SealKind{request.ContractSeal, request.GovSeal}},
	{"关于召开全区安全生产工作会议的通知", "按程序印发", []request.SealKind{request.OfficeSeal}},
	{"清澜区优化营商环境若干措施（征求意见稿）", "征求意见", []request.SealKind{request.OfficeSeal}},
	{"干部人事档案专项审核结果的函", "按程序印发", []request.SealKind{request.OfficeSeal}},
	{"关于商请支持城关镇污水管网建设的函", "报送市级部门", []request.SealKind{request.OfficeSeal}},
	{"清澜区2027年民生实事项目清单", "送审材料", []request.SealKind{request.GovSeal, request.PartySeal}},
	{"关于表彰2026年度先进集体和先进个人的决定", "按程序印发", []request.SealKind{request.PartySeal, request.GovSeal}},
	{"关于同意设立区数据资源中心的批复", "按程序印发", []request.SealKind{request.GovSeal, request.PartySeal}},
	{"招商引资项目合作框架协议", "对外签约", []request.SealKind{request.ContractSeal, request.GovSeal}},
	{"关于报送防汛抗旱工作总结的报告", "报送市级部门", []request.SealKind{request.GovSeal, request.PartySeal}},
}

// sealFor is the index of the pool's seal that fits a use: that of the first
// kind the pool has; -1 when it has none (the use is not this office's).
func sealFor(seals []request.Seal, kinds []request.SealKind) int {
	for _, k := range kinds {
		if i := slices.IndexFunc(seals, func(x request.Seal) bool { return x.Kind == k }); i >= 0 {
			return i
		}
	}
	return -1
}

var requestDestinations = []string{
	"云泽市人民政府", "城关镇人民政府", "青石镇工业园区", "市政务服务中心", "区档案馆", "云泽市财政局",
	"白沙街道社区服务中心", "东湖镇防汛指挥部", "清澜经济开发区管委会", "区人民医院", "云泽机场", "市委党校",
}

var carReasons = []string{"陪同领导调研", "参加市级会议", "检查指导防汛工作", "送审材料", "接待来访客商", "走访慰问困难群众",
	"督查重点项目进度", "报送市级部门"}

// SeedRequests gives the demo district a month of 用印 and 用车 up to now:
// the 区委办's and 政府办's seals, cars and drivers, and requests from their
// sections played through the real operations at their own moments —
// approved, stamped, dispatched (the first free car and driver, as a
// dispatcher would pick), returned with mileage; the last days' still under
// way; a few withdrawn. Done once: a setting marks it.
func SeedRequests(ctx context.Context, s *store.Store, d District, now time.Time) error {
	var v string
	if done, err := s.Setting(ctx, requestsSeededKey, &v); err != nil || done {
		return err
	}
	unitOf := map[string]org.Unit{}
	for _, u := range d.Units {
		unitOf[u.ID] = u
	}
	byShort := map[string]org.Unit{}
	for _, u := range d.Units {
		if u.Kind != org.KindSection {
			if _, ok := byShort[u.ShortName]; !ok {
				byShort[u.ShortName] = u
			}
		}
	}
	person := map[string]org.Person{}
	for _, p := range d.People {
		person[p.ID] = p
	}
	pools := []demoPool{
		{office: "区委办", keeper: "jiyao",
			seals: []request.Seal{{Name: "中国共产党云泽市清澜区委员会", Kind: request.PartySeal}, {Name: "中共云泽市清澜区委办公室", Kind: request.OfficeSeal}},
			vehicles: []request.Vehicle{{Plate: "云A·W0101", Model: "红旗H5", Seats: 5, Odometer: 61320}, {Plate: "云A·W0102", Model: "别克GL8", Seats: 7, Odometer: 88410},
				{Plate: "云A·W0103", Model: "比亚迪汉EV", Seats: 5, Odometer: 23050}},
			drivers: []request.Driver{{Name: "赵国强", Phone: "13908710101"}, {Name: "钱立新", Phone: "13908710102"}}},
		{office: "政府办", keeper: "wenmi",
			seals: []request.Seal{{Name: "云泽市清澜区人民政府", Kind: request.GovSeal}, {Name: "云泽市清澜区人民政府办公室", Kind: request.OfficeSeal},
				{Name: "云泽市清澜区人民政府合同专用章", Kind: request.ContractSeal}},
			vehicles: []request.Vehicle{{Plate: "云A·Z0201", Model: "红旗H5", Seats: 5, Odometer: 74210}, {Plate: "云A·Z0202", Model: "别克GL8", Seats: 7, Odometer: 102530},
				{Plate: "云A·Z0203", Model: "大众帕萨特", Seats: 5, Odometer: 56870}, {Plate: "云A·Z0204", Model: "丰田考斯特", Seats: 20, Odometer: 131900},
				{Plate: "云A·Z0205", Model: "比亚迪汉EV", Seats: 5, Odometer: 18440}},
			drivers: []request.Driver{{Name: "孙建华", Phone: "13908710201"}, {Name: "李卫东", Phone: "13908710202"}, {Name: "周志明", Phone: "13908710203"},
				{Name: "吴海涛", Phone: "13908710204"}}},
	}
	rng := rand.New(rand.NewPCG(14, 2026))
	loc := calendar.Shanghai()
	today := now.In(loc)
	start := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, -30)
	total := 0
	for _, pool := range pools {
		uses := slices.DeleteFunc(slices.Clone(sealUses), func(u sealUse) bool { return sealFor(pool.seals, u.kinds) < 0 })
		office, ok := byShort[pool.office]
		if !ok {
			return fmt.Errorf("演示用印用车：没有%s", pool.office)
		}
		// The office's people: requesters from its sections, and whoever the
		// route hands a step to (section heads, the director, the clerks).
		var staff []org.Person
		var requesters []org.Position
		for _, p := range d.Positions {
			u := unitOf[p.UnitID]
			if p.UnitID != office.ID && u.ParentID != office.ID {
				continue
			}
			if !slices.ContainsFunc(staff, func(x org.Person) bool { return x.ID == p.PersonID }) {
				staff = append(staff, person[p.PersonID])
			}
			if u.Kind == org.KindSection && !org.HeadTitle(p.Title) {
				requesters = append(requesters, p)
			}
		}
		var keeper, director org.Person
		for _, r := range d.Roles {
			if r.UnitID != office.ID {
				continue
			}
			if r.Role == org.RoleClerk && keeper.ID == "" {
				keeper = person[r.PersonID]
			}
			if r.Role == org.RoleOfficeDirector && director.ID == "" {
				director = person[r.PersonID]
			}
		}
		if p, ok := demoPerson(d, pool.keeper); ok && slices.ContainsFunc(staff, func(x org.Person) bool { return x.ID == p.ID }) {
			keeper = p
		}
		if len(requesters) == 0 || keeper.ID == "" {
			return fmt.Errorf("演示用印用车：%s缺少科室人员或文秘", pool.office)
		}
		if director.ID == "" {
			director = keeper
		}
		at := s.At(func() time.Time { return start })
		err := at.Write(ctx, func(tx *store.Tx) error {
			for i := range pool.seals {
				x := &pool.seals[i]
				x.ID, x.UnitID, x.KeeperID, x.Active = id("req-seal:"+pool.office+":"+x.Name), office.ID, keeper.ID, true
				if err := tx.PutReqSeal(ctx, director, *x); err != nil {
					return err
				}
			}
			for i := range pool.vehicles {
				x := &pool.vehicles[i]
				x.ID, x.UnitID, x.Active = id("req-vehicle:"+x.Plate), office.ID, true
				if err := tx.PutReqVehicle(ctx, director, *x); err != nil {
					return err
				}
			}
			for i := range pool.drivers {
				x := &pool.drivers[i]
				x.ID, x.UnitID, x.Active = id("req-driver:"+pool.office+":"+x.Name), office.ID, true
				if err := tx.PutReqDriver(ctx, director, *x); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("演示%s印章车辆：%w", pool.office, err)
		}
		p := &requestPlay{ctx: ctx, s: s, staff: staff, pool: pool, now: now}
		for day := 0; day <= 30; day++ {
			date := start.AddDate(0, 0, day)
			if wd := date.Weekday(); wd == time.Saturday || wd == time.Sunday {
				continue
			}
			for k := 0; k < 1+rng.IntN(2); k++ {
				req := requesters[rng.IntN(len(requesters))]
				at := date.Add(time.Duration(8*60+30+rng.IntN(7*60)) * time.Minute)
				if at.After(now) {
					continue
				}
				use := uses[rng.IntN(len(uses))]
				n := request.New{ID: id(fmt.Sprintf("req:%s:%d:seal:%d", pool.office, day, k)), Kind: request.SealUse, UnitID: req.UnitID, OfficeID: office.ID,
					Reason: use.reason, Seal: &request.SealInfo{SealID: pool.seals[sealFor(pool.seals, use.kinds)].ID, Material: use.material, Copies: 1 + rng.IntN(8)}}
				if err := p.seal(person[req.PersonID], n, at, rng); err != nil {
					return err
				}
				total++
			}
			for k := 0; k < 1+rng.IntN(3); k++ {
				req := requesters[rng.IntN(len(requesters))]
				at := date.Add(time.Duration(8*60+rng.IntN(3*60)) * time.Minute)
				if at.After(now) {
					continue
				}
				from := at.Add(time.Duration(1+rng.IntN(4)) * time.Hour).Truncate(30 * time.Minute)
				n := request.New{ID: id(fmt.Sprintf("req:%s:%d:car:%d", pool.office, day, k)), Kind: request.CarUse, UnitID: req.UnitID, OfficeID: office.ID,
					Reason: carReasons[rng.IntN(len(carReasons))],
					Car: &request.CarInfo{Start: from, End: from.Add(time.Duration(1+rng.IntN(6)) * time.Hour),
						Destination: requestDestinations[rng.IntN(len(requestDestinations))], Passengers: 1 + rng.IntN(4)}}
				if err := p.car(person[req.PersonID], n, at, rng); err != nil {
					return err
				}
				total++
			}
		}
	}
	if total == 0 {
		return errors.New("演示用印用车：一个申请也没有生成")
	}
	return s.Write(ctx, func(tx *store.Tx) error { return tx.PutSetting(ctx, requestsSeededKey, "done") })
}

// requestPlay plays one office's requests through the store's operations.
type requestPlay struct {
	ctx   context.Context
	s     *store.Store
	staff []org.Person
	pool  demoPool
	now   time.Time
}

// step is the next moment of a request's life, or false once it would be
// after now (the request stays where it is, as the office's work in hand).
func (p *requestPlay) step(t *time.Time, d time.Duration) bool {
	*t = t.Add(d)
	return !t.After(p.now)
}

// approveAll has the people the route names approve until the request
// reaches stop (用印 or 派车) or time runs out.
func (p *requestPlay) approveAll(r request.Request, t *time.Time, stop string, rng *rand.Rand) (request.Request, bool, error) {
	for r.Step() != stop && r.Status == request.Pending {
		if !p.step(t, time.Duration(20+rng.IntN(100))*time.Minute) {
			return r, false, nil
		}
		tasks := r.Route.OpenTasks()
		if len(tasks) == 0 {
			return r, false, nil
		}
		by, ok := p.holder(tasks[0].Assignee, *t)
		if !ok {
			return r, false, nil // nobody in the office holds it: left waiting
		}
		var err error
		r, err = p.s.At(func() time.Time { return *t }).ReqAct(p.ctx, by, r.ID, "approve", nil,
			store.ReqRoute(route.Request{Op: route.Approve, Task: tasks[0].ID, Comment: "同意"}))
		if err != nil {
			return r, false, fmt.Errorf("演示申请审批：%w", err)
		}
	}
	return r, r.Step() == stop, nil
}

// holder is someone of the office the assignee means.
func (p *requestPlay) holder(a route.Assignee, at time.Time) (org.Person, bool) {
	for _, x := range p.staff {
		actor, err := p.s.Actor(p.ctx, x.ID, at)
		if err == nil && actor.Matches(a) {
			return x, true
		}
	}
	return org.Person{}, false
}

func (p *requestPlay) seal(by org.Person, n request.New, t time.Time, rng *rand.Rand) error {
	r, err := p.s.At(func() time.Time { return t }).CreateRequest(p.ctx, by, n)
	if err != nil {
		return fmt.Errorf("演示用印申请：%w", err)
	}
	if rng.IntN(25) == 0 {
		return p.cancel(by, r, t)
	}
	r, ready, err := p.approveAll(r, &t, request.StepStamp, rng)
	if err != nil || !ready || !p.step(&t, time.Duration(10+rng.IntN(120))*time.Minute) {
		return err
	}
	keeper, ok := p.holder(r.Route.OpenTasks()[0].Assignee, t)
	if !ok {
		return nil
	}
	if _, err := p.s.At(func() time.Time { return t }).ReqAct(p.ctx, keeper, r.ID, "stamp", nil, store.ReqStamp(r.Seal.Copies, "")); err != nil {
		return fmt.Errorf("演示用印：%w", err)
	}
	return nil
}

func (p *requestPlay) cancel(by org.Person, r request.Request, t time.Time) error {
	if !p.step(&t, 30*time.Minute) {
		return nil
	}
	if _, err := p.s.At(func() time.Time { return t }).ReqAct(p.ctx, by, r.ID, "cancel", nil, store.ReqCancel()); err != nil {
		return fmt.Errorf("演示撤销申请：%w", err)
	}
	return nil
}

func (p *requestPlay) car(by org.Person, n request.New, t time.Time, rng *rand.Rand) error {
	r, err := p.s.At(func() time.Time { return t }).CreateRequest(p.ctx, by, n)
	if err != nil {
		return fmt.Errorf("演示用车申请：%w", err)
	}
	if rng.IntN(20) == 0 {
		return p.cancel(by, r, t)
	}
	r, ready, err := p.approveAll(r, &t, request.StepDispatch, rng)
	if err != nil || !ready || !p.step(&t, time.Duration(5+rng.IntN(30))*time.Minute) {
		return err
	}
	dispatcher, ok := p.holder(r.Route.OpenTasks()[0].Assignee, t)
	if !ok {
		return nil
	}
	at := p.s.At(func() time.Time { return t })
	// The first car with seats enough and the first driver free, as a
	// dispatcher would pick; a trip nothing is free for waits.
	dispatched := false
	for _, v := range p.pool.vehicles {
		if v.Seats-1 < n.Car.Passengers || dispatched {
			continue
		}
		for _, d := range p.pool.drivers {
			r2, err := at.ReqAct(p.ctx, dispatcher, r.ID, "dispatch", nil, store.ReqDispatch(v.ID, d.ID))
			if errors.Is(err, request.ErrConflict) {
				continue
			}
			if err != nil {
				return fmt.Errorf("演示派车：%w", err)
			}
			r, dispatched = r2, true
			break
		}
	}
	if !dispatched {
		return nil
	}
	back := r.Car.End.Add(time.Duration(5+rng.IntN(40)) * time.Minute)
	if back.After(p.now) {
		return nil // still out
	}
	v, err := p.s.ReqVehicle(p.ctx, r.Car.VehicleID)
	if err != nil {
		return err
	}
	hours := int(r.Car.End.Sub(r.Car.Start).Hours())
	km := 8 + rng.IntN(20*max(hours, 1))
	if _, err := p.s.At(func() time.Time { return back }).ReqAct(p.ctx, dispatcher, r.ID, "return_car", nil, store.ReqReturn(v.Odometer, v.Odometer+km)); err != nil {
		return fmt.Errorf("演示还车：%w", err)
	}
	return nil
}
