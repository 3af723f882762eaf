package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/seal"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// sealsSeededKey marks a database whose organs have their demo electronic seals.
const sealsSeededKey = "demo_seals_seeded"

// demoSeals are the electronic seals (电子印章) the 安全保密管理员 registered
// three months ago: the 区委's and the 区政府's, and their offices', so that a
// document issued in the demo in the name of any of them is sealed.
var demoSeals = []struct {
	short string
	kind  seal.Kind
}{
	{"区委", seal.KindParty},
	{"区政府", seal.KindGovernment},
	{"区委办", seal.KindOffice},
	{"政府办", seal.KindOffice},
}

// SeedSeals registers the demo organs' electronic seals, their SM2 keys
// wrapped under master, with the audit entries the security officer's
// registration writes. Without a master key it does nothing: the demo then
// issues documents with the seal's place left for a paper seal. Done once.
func SeedSeals(ctx context.Context, s *store.Store, d District, master *gmcrypto.MasterKey, now time.Time) error {
	if master == nil {
		return nil
	}
	var v string
	if done, err := s.Setting(ctx, sealsSeededKey, &v); err != nil || done {
		return err
	}
	var officer org.Person
	for _, r := range d.Roles {
		if r.Role == org.RoleSecurityOfficer {
			for _, p := range d.People {
				if p.ID == r.PersonID {
					officer = p
				}
			}
		}
	}
	if officer.ID == "" {
		return fmt.Errorf("演示电子印章：没有安全保密管理员")
	}
	byShort := map[string]org.Unit{}
	for _, u := range d.Units {
		if _, ok := byShort[u.ShortName]; !ok {
			byShort[u.ShortName] = u
		}
	}
	at := inOffice(s.Calendar(), now.AddDate(0, -3, 0))
	return s.Write(ctx, func(tx *store.Tx) error {
		tx.SetNow(at)
		for i, x := range demoSeals {
			u, ok := byShort[x.short]
			if !ok {
				return fmt.Errorf("演示电子印章：没有单位“%s”", x.short)
			}
			made, err := seal.New(seal.NewRequest{ID: id("eseal:" + x.short), UnitID: u.ID, Organ: u.Name, Name: u.Name + "印章",
				Kind: x.kind, Image: seal.SampleImage(400), CreatedBy: officer.ID, Now: at.Add(time.Duration(i) * time.Minute)}, master)
			if err != nil {
				return fmt.Errorf("演示电子印章“%s”：%w", u.Name, err)
			}
			if err := tx.AddSeal(ctx, made); err != nil {
				return err
			}
			detail, _ := json.Marshal(map[string]string{"organ": made.Organ, "name": made.Name, "kind": made.Kind.Label(), "fingerprint": made.Fingerprint})
			if err := tx.Audit(ctx, audit.Event{ActorID: officer.ID, ActorName: officer.Name, Action: "seal.add", ObjectKind: "seal", ObjectID: made.ID,
				Detail: string(detail)}); err != nil {
				return err
			}
		}
		return tx.PutSetting(ctx, sealsSeededKey, "done")
	})
}
