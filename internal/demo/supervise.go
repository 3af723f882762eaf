package demo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// supervisionSeededKey marks a database that holds the demo's supervision items.
const supervisionSeededKey = "demo_supervision_seeded"

// SupervisionItems is how many supervision items the demo district gets.
const SupervisionItems = 240

// SeedSupervision gives the demo district a year of supervision work up to
// now: items from every source in every state, green, yellow and red ones,
// returns, extensions, urging, and proposals with satisfaction recorded. The
// items are played through the real operations (supervise.Rules.DemoItems)
// by the 督查员 of the 政府办 and the heads of the departments and towns, each
// at its own moment, then stored one transaction per item. It is done once:
// a setting marks it, so a restart does not seed again.
func SeedSupervision(ctx context.Context, s *store.Store, d District, now time.Time) error {
	var v string
	if done, err := s.Setting(ctx, supervisionSeededKey, &v); err != nil || done {
		return err
	}
	if n, err := s.CountSupItems(ctx, store.SupFilter{}); err != nil {
		return err
	} else if n > 0 {
		return errors.New("演示督办事项只生成了一部分（上次启动被中断），请删除演示数据目录后重新启动")
	}
	sup, office, err := demoSupervisor(d)
	if err != nil {
		return err
	}
	supActor, err := s.Actor(ctx, sup.ID, now)
	if err != nil {
		return err
	}
	var units []supervise.DemoUnit
	heads := map[string]string{}
	for _, p := range d.Positions {
		if org.HeadTitle(p.Title) {
			if _, ok := heads[p.UnitID]; !ok {
				heads[p.UnitID] = p.PersonID
			}
		}
	}
	for _, u := range d.Units {
		if u.Kind != org.KindDepartment && u.Kind != org.KindTown {
			continue
		}
		head, ok := heads[u.ID]
		if !ok {
			continue
		}
		a, err := s.Actor(ctx, head, now)
		if err != nil {
			return err
		}
		units = append(units, supervise.DemoUnit{ID: u.ID, Person: a})
	}
	// A spread of kinds, so 横比 has towns and departments alike, twelve of
	// each, the printed leader's 分管 units first so that the 领导 login finds
	// its units' items in its lists.
	leaders, overseen := demoInstructors(d)
	first := func(a, b supervise.DemoUnit) int {
		if c := compareKinds(d, a.ID, b.ID); c != 0 {
			return c
		}
		switch oa, ob := overseen[a.ID], overseen[b.ID]; {
		case oa && !ob:
			return -1
		case ob && !oa:
			return 1
		}
		return 0
	}
	slices.SortStableFunc(units, first)
	if len(units) > 24 {
		var deps, towns []supervise.DemoUnit
		for _, u := range units {
			if compareKinds(d, u.ID, units[0].ID) == 0 {
				deps = append(deps, u)
			} else {
				towns = append(towns, u)
			}
		}
		units = append(deps[:min(12, len(deps)):min(12, len(deps))], towns[:min(12, len(towns))]...)
	}
	items, err := s.SupRules().DemoItems(office, supActor, leaders, units, now, SupervisionItems, 2026)
	if err != nil {
		return fmt.Errorf("演示督办事项: %w", err)
	}
	// Stored in the order of registration, so the 督办编号 follow it.
	ordered := slices.Clone(items)
	slices.SortStableFunc(ordered, func(a, b supervise.Item) int { return a.CreatedAt.Compare(b.CreatedAt) })
	for _, it := range ordered {
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.InsertSupItem(ctx, sup, it) }); err != nil {
			return fmt.Errorf("演示督办事项《%s》: %w", it.Title, err)
		}
	}
	if err := awaitReview(ctx, s, d, items, now); err != nil {
		return err
	}
	return s.Write(ctx, func(tx *store.Tx) error { return tx.PutSetting(ctx, supervisionSeededKey, "done") })
}

// awaitReview makes sure the 督查员 finds applications to close waiting:
// where the year played left none pending, a few lead units apply now.
func awaitReview(ctx context.Context, s *store.Store, d District, items []supervise.Item, now time.Time) error {
	pending := 0
	for _, it := range items {
		if it.State == supervise.PendingReview {
			pending++
		}
	}
	people := map[string]org.Person{}
	for _, p := range d.People {
		people[p.ID] = p
	}
	for i := 0; i < len(items) && pending < 3; i++ {
		it := &items[i]
		if it.State != supervise.InProgress {
			continue
		}
		var lead org.Person
		for _, u := range it.Units {
			if u.Lead {
				lead = people[u.Responsible]
			}
		}
		_, err := s.SupAct(ctx, lead, it.ID, "request_close", nil, func(r supervise.Rules, it supervise.Item, a route.Actor, at time.Time) (supervise.Item, []supervise.Event, error) {
			return r.RequestClose(it, a, supervise.Evidence{Text: "已按要求办理完毕，现申请办结。"}, at)
		})
		var refusal *supervise.Refusal
		switch {
		case err == nil:
			pending++
		case errors.As(err, &refusal):
			// Not ready (a sub-item open, a proposal without 沟通): try another.
		default:
			return fmt.Errorf("演示督办事项《%s》申请办结: %w", it.Title, err)
		}
	}
	return nil
}

// demoInstructors are the leaders who instruct the demo's items — the printed
// 领导 login first, then the district government's other leaders — and the
// units the printed leader oversees.
func demoInstructors(d District) ([]string, map[string]bool) {
	var printed string
	for _, l := range d.Logins {
		if l.Role == org.RoleLeader {
			printed = l.PersonID
		}
	}
	var out []string
	if printed != "" {
		out = append(out, printed)
	}
	overseen := map[string]bool{}
	for _, o := range d.Oversight {
		if o.LeaderID == printed {
			overseen[o.UnitID] = true
		} else if !slices.Contains(out, o.LeaderID) {
			out = append(out, o.LeaderID)
		}
	}
	return out, overseen
}

// demoSupervisor is the printed 督查员 login and the office of their role.
func demoSupervisor(d District) (org.Person, string, error) {
	for _, l := range d.Logins {
		if l.Role != org.RoleSupervisor {
			continue
		}
		for _, r := range d.Roles {
			if r.PersonID == l.PersonID && r.Role == org.RoleSupervisor {
				for _, p := range d.People {
					if p.ID == l.PersonID {
						return p, r.UnitID, nil
					}
				}
			}
		}
	}
	return org.Person{}, "", errors.New("演示区县没有督查员")
}

func compareKinds(d District, a, b string) int {
	kind := func(id string) org.UnitKind {
		for _, u := range d.Units {
			if u.ID == id {
				return u.Kind
			}
		}
		return ""
	}
	ka, kb := kind(a), kind(b)
	switch {
	case ka == kb:
		return 0
	case ka == org.KindDepartment:
		return -1
	}
	return 1
}
