package store_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
	"github.com/shuniu-oa/shuniu/internal/seal"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

func TestSeals(t *testing.T) {
	master, err := gmcrypto.NewMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	img := seal.SampleImage(300)
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		gov, _, _ := seedUnits(t, s)
		mk := func(name string) seal.Seal {
			x, err := seal.New(seal.NewRequest{ID: uid.New(), UnitID: gov, Organ: "清澜区人民政府", Name: name, Kind: seal.KindGovernment,
				Image: img, CreatedBy: "p1", Now: time.Now()}, master)
			if err != nil {
				t.Fatal(err)
			}
			return x
		}
		a := mk("清澜区人民政府印章")
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.AddSeal(ctx, a) }); err != nil {
			t.Fatal(err)
		}
		// One seal in force per name in an organ.
		err := s.Write(ctx, func(tx *store.Tx) error { return tx.AddSeal(ctx, mk("清澜区人民政府印章")) })
		if !errors.Is(err, store.ErrConflict) {
			t.Fatalf("second seal of the same name: %v", err)
		}
		got, err := s.Seal(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != a.Name || got.Kind != seal.KindGovernment || !bytes.Equal(got.Image, img) || !bytes.Equal(got.WrappedKey, a.WrappedKey) ||
			got.Fingerprint != a.Fingerprint || !got.ValidUntil.Equal(a.ValidUntil) || !got.Revoked.IsZero() {
			t.Fatalf("read back %+v", got.Name)
		}
		// The stored key opens with the master key and signs for the certificate.
		key, err := got.Key(master)
		if err != nil || key.Public().Fingerprint() != a.Fingerprint {
			t.Fatalf("key: %v", err)
		}
		if err := s.Write(ctx, func(tx *store.Tx) error { _, err := tx.RevokeSeal(ctx, a.ID); return err }); err != nil {
			t.Fatal(err)
		}
		err = s.Write(ctx, func(tx *store.Tx) error { _, err := tx.RevokeSeal(ctx, a.ID); return err })
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("revoking twice: %v", err)
		}
		// Revoked, the name is free again; both stay listed, the one in force first.
		b := mk("清澜区人民政府印章")
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.AddSeal(ctx, b) }); err != nil {
			t.Fatal(err)
		}
		all, err := s.Seals(ctx)
		if err != nil || len(all) != 2 || all[0].ID != b.ID || all[1].Revoked.IsZero() {
			t.Fatalf("seals: %d %v", len(all), err)
		}
		if _, err := s.Seal(ctx, uid.New()); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing seal: %v", err)
		}
	})
}
