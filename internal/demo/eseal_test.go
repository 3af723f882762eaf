package demo

import (
	"context"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
	"github.com/shuniu-oa/shuniu/internal/request"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// checkESealUse (run by TestSeedDocuments on its seeded documents): after
// the demo's seals and requests, the 党委, 政府 and 办公室 seals of both
// offices stand for their electronic seals, and one 区委办 request naming a
// printed document waits at 用印 with nothing in the way of its keeper's
// 加盖电子印章.
func checkESealUse(t *testing.T, s *store.Store, d District, now time.Time) {
	t.Helper()
	ctx := context.Background()
	master, err := gmcrypto.NewMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	for _, seed := range []func() error{
		func() error { return SeedSeals(ctx, s, d, master, now) },
		func() error { return SeedRequests(ctx, s, d, now) },
		func() error { return SeedESealUse(ctx, s, d, now) },
		func() error { return SeedESealUse(ctx, s, d, now) }, // once only
	} {
		if err := seed(); err != nil {
			t.Fatal(err)
		}
	}
	seals, err := s.ReqSeals(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	linked := 0
	for _, x := range seals {
		if x.ESealID != "" {
			linked++
		}
		if x.Kind == request.ContractSeal && x.ESealID != "" {
			t.Errorf("the contract seal is linked")
		}
	}
	if linked != 4 {
		t.Fatalf("%d seals linked, want 4", linked)
	}
	r, err := s.Request(ctx, id("req:eseal"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != request.Approved || r.Seal.DocID == "" {
		t.Fatalf("the request: %s %+v", r.Status, r.Seal)
	}
	f, err := s.ESealFacts(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	keeper, err := s.Actor(ctx, f.Phys.KeeperID, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ReqRules().CheckESeal(r, keeper, f.Phys, f.ESeal, f.Doc, now); err != nil {
		t.Fatalf("the keeper may not seal 《%s》: %v", f.Rec.Doc.Title, err)
	}
	// The store refuses to seal an archived document: the demo's request must
	// name one still open, or the walk ends in 已归档.
	if _, archived, err := s.Archived(ctx, r.Seal.DocID); err != nil || archived {
		t.Fatalf("the request names an archived document 《%s》 (%v)", f.Rec.Doc.Title, err)
	}
	jiyao, _ := demoPerson(d, "jiyao")
	wenmi, _ := demoPerson(d, "wenmi")
	if f.Phys.KeeperID != jiyao.ID && f.Phys.KeeperID != wenmi.ID {
		t.Errorf("the seal is kept by %s, not by jiyao or wenmi (printed logins)", f.Phys.KeeperID)
	}
	t.Logf("%s waits for %s to seal 《%s》%s with %s", r.ID, f.Phys.KeeperID, f.Rec.Doc.Title, f.Rec.DocNumber, f.ESeal.Name)
}
