package store_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

func fakeFile(name, content, media string) store.DocFile {
	h := sha256.Sum256([]byte(content))
	return store.DocFile{SHA256: hex.EncodeToString(h[:]), Name: name, Size: int64(len(content)), MediaType: media}
}

// walkToDistribute takes a draft of 政府办 through to 分发 with the office's
// own people (director signs).
func walkToDistribute(t *testing.T, s *store.Store, x district, id string) {
	t.Helper()
	office := x.unit["政府办"]
	clerk := x.byLogin["wenmi"]
	director := x.head(t, office.ID)
	act(t, s, clerk, id, approve(""))
	act(t, s, director, id, approve("同意"))
	act(t, s, clerk, id, route.Request{Op: route.Approve, Next: []route.NextTask{{Assignee: route.Assignee{Kind: route.Person, Person: director.ID}}}})
	act(t, s, director, id, approve("同意"))
	act(t, s, director, id, approve("签发"))
	act(t, s, clerk, id, approve(""))
	act(t, s, clerk, id, approve("复核无误"))
	act(t, s, clerk, id, route.Request{Op: route.Approve, Fields: map[string]string{"print_date": "2026-12-01", "copies": "30"}})
}

// TestDistributeCarriesFiles: every copy 分发 makes carries the issued text
// and every attachment, with their hashes; an issued text made of an older
// version is refused.
func TestDistributeCarriesFiles(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		office := x.unit["政府办"]
		clerk := x.byLogin["wenmi"]
		var towns []string
		for _, u := range x.Units {
			if u.Kind == org.KindTown && len(towns) < 3 {
				towns = append(towns, u.ID)
			}
		}
		rec := newDraft(t, s, x, clerk, office, towns)
		a1, a2 := fakeFile("附件1 值班表.xlsx", "xlsx-1", "application/zip"), fakeFile("附件2 联系人.pdf", "pdf-2", "application/pdf")
		for _, f := range []store.DocFile{a1, a2} {
			f.DocID, f.Role = rec.ID, "attachment"
			if err := s.AddFile(ctx, clerk, f); err != nil {
				t.Fatal(err)
			}
		}
		walkToDistribute(t, s, x, rec.ID)
		pdf, ofd := fakeFile("清政办发〔2026〕1号.pdf", "issued-pdf", "application/pdf"), fakeFile("清政办发〔2026〕1号.ofd", "issued-ofd", "application/zip")
		cur, err := s.Document(ctx, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := s.Actor(ctx, clerk.ID, s.Now())
		items, _ := s.OpenTasksFor(ctx, a, 1000)
		task := -1
		for _, w := range items {
			if w.Doc.ID == rec.ID {
				task = w.TaskID
			}
		}
		req := route.Request{Op: route.Approve, Task: task, Comment: "分发"}
		if _, err := s.ActIssuing(ctx, clerk, rec.ID, req, store.IssuedText{Version: cur.Version - 1, Files: []store.DocFile{pdf, ofd}}); !errors.Is(err, store.ErrModified) {
			t.Fatalf("issued text of an older version: %v", err)
		}
		if _, err := s.ActIssuing(ctx, clerk, rec.ID, req, store.IssuedText{Version: cur.Version, Files: []store.DocFile{pdf, ofd}}); err != nil {
			t.Fatal(err)
		}
		own, err := s.Files(ctx, rec.ID)
		if err != nil || len(own) != 4 {
			t.Fatalf("sender's files: %+v %v", own, err)
		}
		copies, err := s.IncomingFrom(ctx, rec.ID)
		if err != nil || len(copies) != 3 {
			t.Fatalf("copies: %d %v", len(copies), err)
		}
		want := []string{pdf.SHA256 + "/issued", ofd.SHA256 + "/issued", a1.SHA256 + "/attachment", a2.SHA256 + "/attachment"}
		for _, c := range copies {
			fs, err := s.Files(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range fs {
				got = append(got, f.SHA256+"/"+f.Role)
				if f.Size == 0 || f.MediaType == "" {
					t.Errorf("copy file without size or type: %+v", f)
				}
			}
			slices.Sort(got)
			w := slices.Clone(want)
			slices.Sort(w)
			if !slices.Equal(got, w) {
				t.Errorf("copy %s files %v, want %v", c.UnitID, got, w)
			}
		}
		if _, err := s.VerifyAudit(ctx); err != nil {
			t.Error(err)
		}
	})
}
