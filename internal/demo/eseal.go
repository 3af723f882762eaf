package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/request"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// esealUseSeededKey marks a database whose physical seals are linked to
// their electronic seals, with one request waiting for 加盖电子印章.
const esealUseSeededKey = "demo_eseal_use_seeded"

// demoSealLinks are the physical seals (office, kind) the security officer
// linked to the electronic seal (demoSeals' short name) that stands for it.
var demoSealLinks = []struct {
	office string
	kind   request.SealKind
	eseal  string
}{
	{"区委办", request.PartySeal, "区委"},
	{"区委办", request.OfficeSeal, "区委办"},
	{"政府办", request.GovSeal, "区政府"},
	{"政府办", request.OfficeSeal, "政府办"},
}

// SeedESealUse links the 区委办's and 政府办's 党委, 政府 and 办公室 seals to
// the electronic seals SeedSeals registered, as the 安全保密管理员 would on
// the 电子印章 page, and leaves one 用印 request approved and waiting at 用印
// for its keeper (jiyao at the 区委办, wenmi at the 政府办): it names the
// latest printed document of the 区委 or 区委办 — else of the 区政府 or 政府办 —
// that carries one seal and is not archived, so that the keeper can press the
// electronic seal on it. It runs after SeedSeals and SeedRequests; without electronic
// seals (no master key) it does nothing. Done once.
func SeedESealUse(ctx context.Context, s *store.Store, d District, now time.Time) error {
	var v string
	if done, err := s.Setting(ctx, esealUseSeededKey, &v); err != nil || done {
		return err
	}
	eseals, err := s.Seals(ctx)
	if err != nil || len(eseals) == 0 {
		return err
	}
	byShort := map[string]org.Unit{}
	for _, u := range d.Units {
		if u.Kind != org.KindSection {
			if _, ok := byShort[u.ShortName]; !ok {
				byShort[u.ShortName] = u
			}
		}
	}
	var officer org.Person
	for _, r := range d.Roles {
		if r.Role == org.RoleSecurityOfficer {
			officer = esealPerson(d, r.PersonID)
		}
	}
	if officer.ID == "" {
		return errors.New("演示电子印章关联：没有安全保密管理员")
	}
	esealOf := map[string]string{} // organ short name → electronic seal ID
	for _, x := range demoSeals {
		esealOf[x.short] = id("eseal:" + x.short)
	}
	physOf := map[string]request.Seal{} // electronic seal ID → the physical seal linked
	at := s.At(func() time.Time { return now.Add(-4 * time.Hour) })
	err = at.Write(ctx, func(tx *store.Tx) error {
		for _, l := range demoSealLinks {
			office, ok := byShort[l.office]
			if !ok {
				return fmt.Errorf("没有%s", l.office)
			}
			ss, err := tx.ReqSeals(ctx, office.ID)
			if err != nil {
				return err
			}
			for _, x := range ss {
				if x.Kind == l.kind && x.ESealID == "" {
					if x, err = tx.LinkReqSeal(ctx, officer, x.ID, esealOf[l.eseal]); err != nil {
						return err
					}
					physOf[x.ESealID] = x
					break
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("演示电子印章关联：%w", err)
	}
	if err := seedESealRequest(ctx, s, d, byShort, physOf, now); err != nil {
		return fmt.Errorf("演示加盖电子印章申请：%w", err)
	}
	return s.Write(ctx, func(tx *store.Tx) error { return tx.PutSetting(ctx, esealUseSeededKey, "done") })
}

func esealPerson(d District, id string) org.Person {
	for _, p := range d.People {
		if p.ID == id {
			return p
		}
	}
	return org.Person{}
}

// seedESealRequest is the request waiting for 加盖电子印章: of the 区委办 if it
// has a printed document still open (not archived), else of the 政府办 —
// from the document's drafter if they work in one of the office's sections,
// else from the first such person; approved by the section head and the
// office.
func seedESealRequest(ctx context.Context, s *store.Store, d District, byShort map[string]org.Unit, physOf map[string]request.Seal, now time.Time) error {
	var office org.Unit
	var doc store.DocRecord
	var phys request.Seal
	for _, o := range []struct{ office, organ string }{{"区委办", "区委"}, {"政府办", "区政府"}} {
		office = byShort[o.office]
		organs := map[string]org.Unit{o.organ: byShort[o.organ], o.office: office}
		docs, err := s.SealableDocs(ctx, []string{organs[o.organ].ID, office.ID}, 20)
		if err != nil {
			return err
		}
		for _, rec := range docs {
			if rec.Level() != org.Unclassified {
				continue
			}
			for short, u := range organs {
				if rec.Doc.Seals[0] == u.Name {
					if x, ok := physOf[id("eseal:"+short)]; ok && x.UnitID == office.ID {
						doc, phys = rec, x
					}
				}
			}
			if doc.ID != "" {
				break
			}
		}
		if doc.ID != "" {
			break
		}
	}
	if doc.ID == "" {
		return nil // nothing printed to seal: the demo has only paper requests
	}
	unitOf := map[string]org.Unit{}
	for _, u := range d.Units {
		unitOf[u.ID] = u
	}
	var staff []org.Person
	var requester org.Position
	for _, p := range d.Positions {
		u := unitOf[p.UnitID]
		if p.UnitID != office.ID && u.ParentID != office.ID {
			continue
		}
		if !slices.ContainsFunc(staff, func(x org.Person) bool { return x.ID == p.PersonID }) {
			staff = append(staff, esealPerson(d, p.PersonID))
		}
		if u.Kind == org.KindSection && !org.HeadTitle(p.Title) && (requester.PersonID == "" || p.PersonID == doc.CreatedBy) {
			requester = p
		}
	}
	if requester.PersonID == "" {
		return errors.New("区委办没有科室人员")
	}
	t := now.Add(-6 * time.Hour)
	n := request.New{ID: id("req:eseal"), Kind: request.SealUse, UnitID: requester.UnitID, OfficeID: office.ID,
		Reason: "按程序印发，加盖电子印章后分送", Seal: &request.SealInfo{SealID: phys.ID, Material: doc.Doc.Title, DocID: doc.ID, Copies: 1}}
	r, err := s.At(func() time.Time { return t }).CreateRequest(ctx, esealPerson(d, requester.PersonID), n)
	if err != nil {
		return err
	}
	p := &requestPlay{ctx: ctx, s: s, staff: staff, now: now}
	_, _, err = p.approveAll(r, &t, request.StepStamp, rand.New(rand.NewPCG(14, 17)))
	return err
}
