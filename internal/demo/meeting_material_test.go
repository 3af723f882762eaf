package demo

import (
	"context"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/blob"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestSeedMeetingMaterials: the demo's meetings have their material, each
// version in the file store and by the reporting unit's head; one 议题's
// material was urged, and is late (missing, or in after its due time).
func TestSeedMeetingMaterials(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 2, 2, 0, 0, 0, time.UTC) // a Wednesday, 10:00 in Beijing
	storetest.ForEach(t, store.Options{Now: func() time.Time { return now }}, func(t *testing.T, s *store.Store) {
		d := NewDistrict(now)
		if err := Seed(ctx, s, d); err != nil {
			t.Fatal(err)
		}
		if err := SeedMeetings(ctx, s, d, now); err != nil {
			t.Fatal(err)
		}
		bs, err := blob.New(t.TempDir(), document.DefaultAttachmentPolicy())
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if err := SeedMeetingMaterials(ctx, s, bs, d, now); err != nil {
				t.Fatal(err)
			}
		}
		ms, err := s.Meetings(ctx, store.MeetingFilter{})
		if err != nil {
			t.Fatal(err)
		}
		versions, urged, late := 0, 0, 0
		for _, m := range ms {
			for _, it := range m.Agenda {
				versions += len(it.Materials)
				for _, mat := range it.Materials {
					if ok, err := bs.Verify(mat.SHA256); err != nil || !ok {
						t.Errorf("%s: the file of %s: %v %v", m.Title, mat.Name, ok, err)
					}
					if mat.At.After(now) || mat.At.In(time.FixedZone("CST", 8*3600)).Hour() < 8 {
						t.Errorf("%s uploaded at %s", mat.Name, mat.At)
					}
					if it.LateVersion(mat) {
						late++
					}
				}
				if !it.UrgedAt.IsZero() {
					urged++
				}
				if it.Late(now) && !it.UrgedAt.IsZero() {
					late++
				}
			}
		}
		if versions < 5 || urged != 1 || late != 1 {
			t.Errorf("%d versions, %d urged, %d late", versions, urged, late)
		}
	})
}
