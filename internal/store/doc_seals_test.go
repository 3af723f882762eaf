package store_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/seal"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// TestChooseSeals: the drafter of an outgoing document chooses which of the
// issuing organ's registered seals it carries, or none; a seal of another
// organ, a revoked one, two of one organ, a seal on a 纪要, a choice by
// someone who does not hold the document or after the issued text exists
// are refused with a Chinese message and change nothing. An accepted choice
// sets the 印章 element without a new version and is audited.
func TestChooseSeals(t *testing.T) {
	opts := withMaster(t)
	storetest.ForEach(t, opts, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		if err := demo.SeedSeals(ctx, s, x.District, opts.MasterKey, s.Now()); err != nil {
			t.Fatal(err)
		}
		office, gov, party := x.unit["政府办"], x.unit["区政府"], x.unit["区委"]
		secretariat := childOf(x, office.ID, "秘书科")
		clerk := x.byLogin["wenmi"]
		byUnit := map[string]seal.Seal{}
		all, err := s.Seals(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range all {
			byUnit[x.UnitID] = x
		}
		// A second seal of the 政府办, to be revoked.
		second, err := seal.New(seal.NewRequest{ID: uid.New(), UnitID: office.ID, Organ: office.Name, Name: office.Name + "公文专用章",
			Kind: seal.KindOffice, Image: seal.SampleImage(300), CreatedBy: clerk.ID, Now: s.Now().Add(-time.Hour)}, opts.MasterKey)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.AddSeal(ctx, second) }); err != nil {
			t.Fatal(err)
		}
		own := newDraft(t, s, x, clerk, secretariat, nil)
		inGov, err := s.CreateOutgoing(ctx, clerk, store.NewOutgoing{UnitID: secretariat.ID, IssuerID: gov.ID, Doc: document.Document{
			Type: document.Notice, Title: "清澜区人民政府关于做好冬季防火工作的通知", Body: document.ParseBody("一、高度重视")}})
		if err != nil {
			t.Fatal(err)
		}
		minutes, err := s.CreateOutgoing(ctx, clerk, store.NewOutgoing{UnitID: secretariat.ID, Doc: document.Document{
			Type: document.Minutes, Title: "清澜区人民政府办公室主任办公会议纪要", Body: document.ParseBody("会议议定如下事项。")}})
		if err != nil {
			t.Fatal(err)
		}
		// The seals offered for each: only its issuing organ's in force.
		for _, c := range []struct {
			rec  store.DocRecord
			want []string
		}{{own, []string{byUnit[office.ID].ID, second.ID}}, {inGov, []string{byUnit[gov.ID].ID}}} {
			in, err := s.Instance(ctx, c.rec.ID)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.SealsFor(ctx, c.rec, in, s.Now())
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, g := range got {
				ids = append(ids, g.ID)
			}
			slices.Sort(ids)
			slices.Sort(c.want)
			if !slices.Equal(ids, c.want) {
				t.Errorf("%s: offered %v, want %v", c.rec.Doc.Title, ids, c.want)
			}
		}
		cases := []struct {
			name  string
			by    string
			doc   store.DocRecord
			seals []string
			err   string   // "" when accepted
			want  []string // the 印章 element after
		}{
			{"the organ's own seal", "wenmi", own, []string{byUnit[office.ID].ID}, "", []string{office.Name}},
			{"the district government's seal on the office's document", "wenmi", own, []string{byUnit[gov.ID].ID}, "不是发文机关", nil},
			{"the party committee's seal", "wenmi", own, []string{byUnit[party.ID].ID}, "不是发文机关", nil},
			{"two seals of one organ", "wenmi", own, []string{byUnit[office.ID].ID, second.ID}, "只能加盖一枚印章", nil},
			{"a seal that does not exist", "wenmi", own, []string{"nope"}, "所选印章不存在", nil},
			{"someone who does not hold it", "jiyao", own, []string{byUnit[office.ID].ID}, "只有当前办理人", nil},
			{"none", "wenmi", own, []string{}, "", nil},
			{"in the name of the district government", "wenmi", inGov, []string{byUnit[gov.ID].ID}, "", []string{gov.Name}},
			{"a seal on a 纪要", "wenmi", minutes, []string{byUnit[office.ID].ID}, "纪要不加盖印章", nil},
			{"no seal on a 纪要", "wenmi", minutes, []string{}, "", nil},
		}
		for _, c := range cases {
			before, _, err := s.SealChoice(ctx, c.doc.ID)
			if err != nil {
				t.Fatal(err)
			}
			beforeDoc, _ := s.Document(ctx, c.doc.ID)
			ch, err := s.ChooseSeals(ctx, x.byLogin[c.by], c.doc.ID, c.seals)
			after, ok, _ := s.SealChoice(ctx, c.doc.ID)
			rec, _ := s.Document(ctx, c.doc.ID)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Errorf("%s: %v, want %q", c.name, err, c.err)
				}
				if !slices.Equal(after.SealIDs, before.SealIDs) || !slices.Equal(rec.Doc.Seals, beforeDoc.Doc.Seals) {
					t.Errorf("%s: refused but changed: %v → %v", c.name, before, after)
				}
				continue
			}
			if err != nil || !ok || !slices.Equal(after.SealIDs, ch.SealIDs) || len(after.SealIDs) != len(c.seals) || after.By != clerk.ID {
				t.Errorf("%s: %v %+v %+v", c.name, err, ch, after)
			}
			if !slices.Equal(rec.Doc.Seals, c.want) || rec.Version != beforeDoc.Version {
				t.Errorf("%s: 印章 %v version %d, want %v version %d", c.name, rec.Doc.Seals, rec.Version, c.want, beforeDoc.Version)
			}
		}
		// A revoked seal is no longer offered nor accepted.
		if err := s.Write(ctx, func(tx *store.Tx) error { _, err := tx.RevokeSeal(ctx, second.ID); return err }); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ChooseSeals(ctx, clerk, own.ID, []string{second.ID}); err == nil || !strings.Contains(err.Error(), "已注销") {
			t.Errorf("revoked seal: %v", err)
		}
		es, err := s.ListAudit(ctx, store.AuditFilter{Action: "document.seals"})
		if err != nil {
			t.Fatal(err)
		}
		var details []string
		for _, e := range es {
			details = append(details, e.Detail)
		}
		if len(es) != 4 || !slices.ContainsFunc(details, func(d string) bool { return strings.Contains(d, office.Name+"印章") }) ||
			!slices.ContainsFunc(details, func(d string) bool { return strings.Contains(d, "不加盖印章") }) {
			t.Errorf("audit: %v", details)
		}
		// Once the issued text exists the choice is final.
		if err := s.Write(ctx, func(tx *store.Tx) error {
			return tx.AddFile(ctx, clerk, store.DocFile{DocID: own.ID, SHA256: strings.Repeat("a", 64), Name: "正式文本.pdf",
				Role: string(document.FileIssued), Size: 1, MediaType: "application/pdf"})
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ChooseSeals(ctx, clerk, own.ID, []string{byUnit[office.ID].ID}); err == nil || !strings.Contains(err.Error(), "已经印发") {
			t.Errorf("after the issued text: %v", err)
		}
	})
}
