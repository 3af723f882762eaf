package store_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/archive"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// archiveTask returns p's open 归档 task on the document.
func archiveTask(t *testing.T, s *store.Store, p org.Person, docID string) int {
	t.Helper()
	a, err := s.Actor(ctx, p.ID, s.Now())
	if err != nil {
		t.Fatal(err)
	}
	items, err := s.OpenTasksFor(ctx, a, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range items {
		if w.Doc.ID == docID && w.Step == "归档" {
			return w.TaskID
		}
	}
	t.Fatalf("%s has no 归档 task on %s", p.Name, docID)
	return 0
}

// TestArchive: eight documents archived at once get 件号 1–8 of their class,
// no gaps and no duplicates, each with its 档号 and catalogue line; a refused
// 归档 takes no 件号; every write to an archived document is refused, naming
// its 档号.
func TestArchive(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		office := x.unit["政府办"]
		clerk := x.byLogin["wenmi"]
		var town string
		for _, u := range x.Units {
			if u.Kind == org.KindTown {
				town = u.ID
				break
			}
		}
		const n = 8
		ids := make([]string, n+1)
		for i := range ids {
			rec := newDraft(t, s, x, clerk, office, []string{town})
			ids[i] = rec.ID
			if i == 0 {
				// Codes set by the system administrator.
				set := archive.DefaultSettings()
				set.Fonds = map[string]string{rec.OrganID: "Z012"}
				set.UnitCodes = map[string]string{rec.UnitID: "BGS"}
				if err := s.Write(ctx, func(tx *store.Tx) error { return tx.PutArchiveSettings(ctx, x.byLogin["sysadmin"], set) }); err != nil {
					t.Fatal(err)
				}
				bad := set
				bad.Fonds = map[string]string{rec.OrganID: "清政办"}
				if err := s.Write(ctx, func(tx *store.Tx) error { return tx.PutArchiveSettings(ctx, x.byLogin["sysadmin"], bad) }); err == nil || !strings.Contains(err.Error(), "全宗号") {
					t.Fatalf("a Chinese 全宗号 saved: %v", err)
				}
			}
			walkToDistribute(t, s, x, rec.ID)
			act(t, s, clerk, rec.ID, approve("分发"))
		}
		plans, def, err := s.ArchivePlans(ctx, mustDoc(t, s, ids[0]))
		if err != nil || len(plans) != 3 || def != archive.Term30 {
			t.Fatalf("plans %v, default %s (a 通知 is kept 30 years): %v", plans, def, err)
		}
		year := plans[0].Year
		for i, want := range []string{"Z012-%d-Y-BGS-0001", "Z012-%d-D30-BGS-0001", "Z012-%d-D10-BGS-0001"} {
			if got := plans[i].String(); got != fmt.Sprintf(want, year) {
				t.Errorf("plan %d: %s", i, got)
			}
		}

		// A refused 归档 takes no 件号.
		if _, err := s.Act(ctx, clerk, ids[n], route.Request{Op: route.Approve, Task: archiveTask(t, s, clerk, ids[n]),
			Fields: map[string]string{store.FieldRetention: "D5"}}); err == nil || !strings.Contains(err.Error(), "保管期限") {
			t.Fatalf("retention D5 accepted: %v", err)
		}

		tasks := make([]int, n)
		for i := range n {
			tasks[i] = archiveTask(t, s, clerk, ids[i])
		}
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = s.Act(ctx, clerk, ids[i], route.Request{Op: route.Approve, Task: tasks[i], Fields: map[string]string{store.FieldPages: "3"}})
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		var pieces []int
		codes := map[string]bool{}
		for i := range n {
			a, ok, err := s.Archived(ctx, ids[i])
			if err != nil || !ok {
				t.Fatalf("doc %d not archived: %v", i, err)
			}
			pieces = append(pieces, a.Code.Piece)
			codes[a.Code.String()] = true
			if a.Code.Fonds != "Z012" || a.Code.UnitCode != "BGS" || a.Code.Retention != archive.Term30 || a.Code.Year != year {
				t.Errorf("class %+v", a.Code)
			}
			if a.Entry.Piece != a.Code.Piece || a.Entry.Pages != 3 || a.Entry.Responsible != office.Name || !strings.HasPrefix(a.Entry.DocNumber, office.OrganCode) ||
				a.Entry.Title == "" || len(a.Entry.Date) != 8 {
				t.Errorf("catalogue line %+v", a.Entry)
			}
			if rec := mustDoc(t, s, ids[i]); rec.Status != route.Done || rec.Step != "已归档" {
				t.Errorf("archived document stands at %s %s", rec.Status, rec.Step)
			}
		}
		slices.Sort(pieces)
		if !slices.Equal(pieces, []int{1, 2, 3, 4, 5, 6, 7, 8}) || len(codes) != n {
			t.Fatalf("件号 %v, %d distinct 档号", pieces, len(codes))
		}

		if plans, _, _ := s.ArchivePlans(ctx, mustDoc(t, s, ids[n])); plans[1].Piece != n+1 || plans[0].Piece != 1 {
			t.Fatalf("plans after %d archived: %v", n, plans)
		}

		// The last one, permanent by the archivist's choice: 件号 1 of its class.
		if _, err := s.Act(ctx, clerk, ids[n], route.Request{Op: route.Approve, Task: archiveTask(t, s, clerk, ids[n]),
			Fields: map[string]string{store.FieldRetention: "永久"}}); err != nil {
			t.Fatal(err)
		}
		if a, _, _ := s.Archived(ctx, ids[n]); a.Code.String() != fmt.Sprintf("Z012-%d-Y-BGS-0001", year) {
			t.Fatalf("permanent: %s", a.Code)
		}

		// The catalogue, by class.
		cat, err := s.Catalogue(ctx, store.CatalogueFilter{OrganID: mustDoc(t, s, ids[0]).OrganID, Year: year, Retention: archive.Term30, ViewerID: clerk.ID})
		if err != nil || len(cat) != n {
			t.Fatalf("catalogue D30: %d %v", len(cat), err)
		}
		for i, a := range cat {
			if a.Code.Piece != i+1 || !a.Involved {
				t.Errorf("line %d: 件号 %d involved %v", i, a.Code.Piece, a.Involved)
			}
		}
		all, _ := s.Catalogue(ctx, store.CatalogueFilter{OrganID: cat[0].OrganID, ViewerID: clerk.ID})
		if len(all) != n+1 || all[0].Code.Retention != archive.Permanent {
			t.Fatalf("whole catalogue: %d lines, first %s", len(all), all[0].Code)
		}
		if none, _ := s.Catalogue(ctx, store.CatalogueFilter{OrganID: cat[0].OrganID, UnitCode: "ZHK"}); len(none) != 0 {
			t.Fatalf("ZHK: %d lines", len(none))
		}

		// Nothing changes an archived document.
		id := ids[0]
		rec := mustDoc(t, s, id)
		a, _, _ := s.Archived(ctx, id)
		director := x.head(t, office.ID)
		f := fakeFile("补充材料.pdf", "late", "application/pdf")
		f.DocID, f.Role = id, "attachment"
		writes := []struct {
			what string
			err  error
		}{
			{"修改文稿", func() error { _, err := s.SaveDraft(ctx, clerk, id, rec.Doc, "改"); return err }()},
			{"办理", func() error {
				_, err := s.Act(ctx, x.byLogin["ducha"], id, route.Request{Op: route.Urge, Task: tasks[0], Comment: "催"})
				return err
			}()},
			{"批注", func() error { _, err := s.Annotate(ctx, clerk, id, 0, 2, "批注"); return err }()},
			{"处理批注", s.ResolveAnnotation(ctx, clerk, id, "x")},
			{"变更密级", func() error {
				_, err := s.Classify(ctx, director, id, rec.Version, document.Classification{Level: document.Confidential}, "补定")
				return err
			}()},
			{"添加文件", s.AddFile(ctx, clerk, f)},
		}
		for _, w := range writes {
			if !errors.Is(w.err, store.ErrArchived) || !strings.Contains(w.err.Error(), "已归档（档号 "+a.Code.String()+"），不能再"+w.what) {
				t.Errorf("%s on an archived document: %v", w.what, w.err)
			}
		}
		if after := mustDoc(t, s, id); after.Version != rec.Version || after.Doc.Classification != rec.Doc.Classification {
			t.Errorf("archived document changed: version %d→%d", rec.Version, after.Version)
		}
		if fs, _ := s.Files(ctx, id); slices.ContainsFunc(fs, func(f store.DocFile) bool { return f.Name == "补充材料.pdf" }) {
			t.Error("a file was added to an archived document")
		}
	})
}

func mustDoc(t *testing.T, s *store.Store, id string) store.DocRecord {
	t.Helper()
	rec, err := s.Document(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}
