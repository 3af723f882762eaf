package demo

import (
	"context"
	"fmt"

	"github.com/shuniu-oa/shuniu/internal/account"
	"github.com/shuniu-oa/shuniu/internal/archive"
	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// seededKey marks a database that already holds the demo district.
const seededKey = "demo_seeded"

// Seeded reports whether the store already holds the demo district.
func Seeded(ctx context.Context, s *store.Store) (bool, error) {
	var v string
	return s.Setting(ctx, seededKey, &v)
}

// Seed writes the district into the store in one transaction: either all of
// it is there afterwards or none of it. Demo accounts need no password change,
// so a visitor goes straight in.
func Seed(ctx context.Context, s *store.Store, d District) error {
	if err := d.Validate(); err != nil {
		return fmt.Errorf("demo district: %w", err)
	}
	// One hash for every account: argon2id is deliberately slow, and 300
	// hashes would hold up the first start for a minute.
	hash, err := account.HashPassword(Password)
	if err != nil {
		return err
	}
	positions := map[string][]org.Position{}
	for _, p := range d.Positions {
		p.Head = org.HeadTitle(p.Title)
		positions[p.PersonID] = append(positions[p.PersonID], p)
	}
	roles := map[string][]org.RoleAssignment{}
	for _, r := range d.Roles {
		roles[r.PersonID] = append(roles[r.PersonID], r)
	}
	oversees := map[string][]string{}
	for _, o := range d.Oversight {
		oversees[o.LeaderID] = append(oversees[o.LeaderID], o.UnitID)
	}
	return s.Write(ctx, func(tx *store.Tx) error {
		for _, u := range d.Units {
			if err := tx.PutUnit(ctx, u); err != nil {
				return fmt.Errorf("unit %s: %w", u.Name, err)
			}
		}
		for _, p := range d.People {
			if err := tx.CreatePerson(ctx, p, hash, false); err != nil {
				return fmt.Errorf("person %s: %w", p.Name, err)
			}
			if err := tx.SetPositions(ctx, p.ID, positions[p.ID]); err != nil {
				return fmt.Errorf("positions of %s: %w", p.Name, err)
			}
			if err := tx.SetRoles(ctx, p.ID, roles[p.ID]); err != nil {
				return fmt.Errorf("roles of %s: %w", p.Name, err)
			}
			if units := oversees[p.ID]; len(units) > 0 {
				if err := tx.SetOversight(ctx, p.ID, units); err != nil {
					return fmt.Errorf("oversight of %s: %w", p.Name, err)
				}
			}
		}
		for _, dl := range d.Delegations {
			if err := tx.AddDelegation(ctx, dl); err != nil {
				return fmt.Errorf("delegation: %w", err)
			}
		}
		bySeries := map[string][]document.Series{}
		var organs []string
		for _, sr := range d.Series {
			if _, ok := bySeries[sr.OrganID]; !ok {
				organs = append(organs, sr.OrganID)
			}
			bySeries[sr.OrganID] = append(bySeries[sr.OrganID], sr)
		}
		for _, o := range organs {
			if err := tx.SetDocSeries(ctx, org.Person{Name: "系统"}, o, bySeries[o]); err != nil {
				return fmt.Errorf("series: %w", err)
			}
		}
		if err := tx.PutArchiveSettings(ctx, org.Person{Name: "系统"}, archiveSettings(d)); err != nil {
			return fmt.Errorf("archive settings: %w", err)
		}
		if err := tx.PutSetting(ctx, seededKey, d.Name); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorName: "系统", Action: "demo.seed", ObjectKind: "district", ObjectID: d.Name,
			Detail: fmt.Sprintf(`{"units":%d,"people":%d}`, len(d.Units), len(d.People))})
	})
}

// sectionCodes are the 机构（问题）代码 of the demo's common sections, as an
// archives office would give them (pinyin initials); the other sections
// file under their short names until the system administrator sets one.
var sectionCodes = map[string]string{"秘书科": "MSK", "综合科": "ZHK", "督查室": "DCS", "办公室": "BGS", "文电科": "WDK", "机要科": "JYK",
	"信息科": "XXK", "档案管理科": "DAK", "人事科": "RSK"}

// archiveSettings gives every organ of the demo a 全宗号 (Z001, Z002, … in
// the order of the units) and the offices and common sections their codes;
// the 保管期限表 is the default.
func archiveSettings(d District) archive.Settings {
	s := archive.DefaultSettings()
	s.Fonds, s.UnitCodes = map[string]string{}, map[string]string{}
	for _, u := range d.Units {
		switch {
		case u.Kind == org.KindSection:
			if c, ok := sectionCodes[u.ShortName]; ok {
				s.UnitCodes[u.ID] = c
			}
		default:
			s.Fonds[u.ID] = fmt.Sprintf("Z%03d", len(s.Fonds)+1)
			if u.Kind == org.KindOffice {
				s.UnitCodes[u.ID] = "BGS"
			}
		}
	}
	return s
}
