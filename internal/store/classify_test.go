package store_test

import (
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// TestClassify: saving the text can no longer change the 密级 (a clerk raising
// her draft to 机密, or lowering a 机密 one to 非密); 定密, 变更密级 and 解密 are
// their own operation, from the version shown, within the classifier's
// clearance, audited with the old and the new marking and the basis. Each
// makes a version, and earlier versions keep their own level. The copies
// distributed within the deployment follow; a copy itself is not
// reclassified by its receiver.
func TestClassify(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		office := x.unit["政府办"]
		clerk := x.byLogin["wenmi"]
		director := x.withRole(t, org.RoleOfficeDirector, office.ID) // 秘密 clearance
		var town org.Unit
		for _, u := range x.Units {
			if u.Kind == org.KindTown {
				town = u
				break
			}
		}
		rec := newDraft(t, s, x, clerk, office, []string{town.ID})

		// A save that changes the marking is refused; nothing is saved.
		for _, c := range []document.Classification{{Level: document.Secret, PeriodYears: 5}, {Level: document.Confidential}} {
			d := rec.Doc
			d.Classification = c
			if _, err := s.SaveDraft(ctx, clerk, rec.ID, d, "提高密级"); !errors.Is(err, store.ErrMarkingBySave) {
				t.Errorf("save to %s: %v", c, err)
			}
		}
		if got, _ := s.Document(ctx, rec.ID); got.Version != 1 || got.Level() != org.Unclassified {
			t.Fatalf("after refused saves: v%d %s", got.Version, got.Level().Label())
		}

		conf5 := document.Classification{Level: document.Confidential, PeriodYears: 5}
		got, err := s.Classify(ctx, director, rec.ID, 1, conf5, "涉及尚未公布的工作安排")
		if err != nil || got.Version != 2 || got.Doc.Classification != conf5 {
			t.Fatalf("定密: v%d %v %v", got.Version, got.Doc.Classification, err)
		}
		if _, err := s.Classify(ctx, director, rec.ID, 1, document.Classification{}, "误定"); !errors.Is(err, store.ErrModified) {
			t.Errorf("from a stale version: %v", err)
		}
		if _, err := s.Classify(ctx, director, rec.ID, 2, document.Classification{Level: document.Secret}, "上级要求"); err == nil || !strings.Contains(err.Error(), "低于机密") {
			t.Errorf("above the classifier's clearance: %v", err)
		}
		if _, err := s.Classify(ctx, director, rec.ID, 2, conf5, "同上"); err == nil {
			t.Error("a change that changes nothing was accepted")
		}
		// Saving the text keeps the marking (and the next version is 3).
		d := got.Doc
		d.Title += "（修改稿）"
		if n, err := s.SaveDraft(ctx, clerk, rec.ID, d, "修改标题"); err != nil || n != 3 {
			t.Fatalf("save after 定密: %d %v", n, err)
		}
		es, _ := s.ListAudit(ctx, store.AuditFilter{Action: "document.classify"})
		if len(es) != 1 || es[0].ObjectID != rec.ID || !strings.Contains(es[0].Detail, `"from":"非密"`) || !strings.Contains(es[0].Detail, `"to":"秘密★5年"`) ||
			!strings.Contains(es[0].Detail, "尚未公布") {
			t.Errorf("定密 audit: %+v", es)
		}

		// Walk it to 分发: the town's copy carries 秘密★5年.
		act(t, s, clerk, rec.ID, approve(""))
		act(t, s, director, rec.ID, approve("同意"))
		act(t, s, clerk, rec.ID, route.Request{Op: route.Approve, Next: []route.NextTask{{Assignee: route.Assignee{Kind: route.Person, Person: director.ID}}}})
		act(t, s, director, rec.ID, approve("同意"))
		act(t, s, director, rec.ID, approve("签发"))
		act(t, s, clerk, rec.ID, approve(""))
		act(t, s, clerk, rec.ID, approve("复核无误"))
		act(t, s, clerk, rec.ID, route.Request{Op: route.Approve, Fields: map[string]string{"print_date": "2026-12-01", "copies": "3"}})
		act(t, s, clerk, rec.ID, approve("分发"))
		copies, err := s.IncomingFrom(ctx, rec.ID)
		if err != nil || len(copies) != 1 || copies[0].Doc.Classification != conf5 {
			t.Fatalf("copies: %+v %v", copies, err)
		}
		// The receiver cannot reclassify its copy.
		if _, err := s.Classify(ctx, director, copies[0].ID, copies[0].Version, document.Classification{}, "x"); err == nil || !strings.Contains(err.Error(), "来文机关") {
			t.Errorf("reclassifying a copy: %v", err)
		}
		// 解密 after issue: the document and its copy, each a version.
		cur, _ := s.Document(ctx, rec.ID)
		if _, err := s.Classify(ctx, director, rec.ID, cur.Version, document.Classification{}, "保密期限内已公开发布"); err != nil {
			t.Fatal(err)
		}
		cp, _ := s.Document(ctx, copies[0].ID)
		if cp.Level() != org.Unclassified || cp.Version != copies[0].Version+1 {
			t.Errorf("the copy after 解密: v%d %s", cp.Version, cp.Level().Label())
		}
		es, _ = s.ListAudit(ctx, store.AuditFilter{Action: "document.declassify"})
		if len(es) != 2 {
			t.Errorf("%d 解密 audit entries, want the document's and its copy's", len(es))
		}
		// Each version keeps its level.
		vs, err := s.Versions(ctx, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		var levels []document.Level
		for _, v := range vs {
			levels = append(levels, v.Level)
		}
		want := []document.Level{document.Unclassified, document.Confidential, document.Confidential, document.Unclassified}
		if len(levels) != len(want) {
			t.Fatalf("levels %v, want %v", levels, want)
		}
		for i := range want {
			if levels[i] != want[i] {
				t.Fatalf("levels %v, want %v", levels, want)
			}
			v, err := s.Version(ctx, rec.ID, i+1)
			if err != nil || v.Doc.Classification.Level != want[i] {
				t.Errorf("version %d content at %v (%v)", i+1, v.Doc.Classification.Level, err)
			}
		}
		if _, err := s.VerifyAudit(ctx); err != nil {
			t.Error(err)
		}
	})
}

// TestVersionLevelsMigrated: migration 0013 gives the versions saved before
// it their own level from their content.
func TestVersionLevelsMigrated(t *testing.T) {
	check := func(t *testing.T, open func() *store.Store, raw *sql.DB, drop string) {
		s := open()
		x := seeded(t, s)
		clerk := x.byLogin["wenmi"]
		rec, err := s.CreateOutgoing(ctx, clerk, store.NewOutgoing{UnitID: x.unit["政府办"].ID, Doc: document.Document{
			Type: document.Notice, Title: "清澜区人民政府办公室关于秘密事项的通知", Classification: document.Classification{Level: document.Confidential},
			Body: document.ParseBody("一、事项")}})
		if err != nil {
			t.Fatal(err)
		}
		plain := newDraft(t, s, x, clerk, x.unit["政府办"], nil)
		s.Close()
		for _, q := range []string{drop, `DELETE FROM schema_migrations WHERE version = 13`} {
			if _, err := raw.ExecContext(ctx, q); err != nil {
				t.Fatal(q, err)
			}
		}
		s = open()
		for id, want := range map[string]document.Level{rec.ID: document.Confidential, plain.ID: document.Unclassified} {
			vs, err := s.Versions(ctx, id)
			if err != nil || len(vs) != 1 || vs[0].Level != want {
				t.Errorf("migrated version of %s: %+v %v, want %v", id, vs, err, want)
			}
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		path := t.TempDir() + "/shuniu.db"
		raw, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		check(t, func() *store.Store {
			s, err := store.Open(ctx, path, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}, raw, `ALTER TABLE doc_versions DROP COLUMN level`)
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		raw, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		check(t, func() *store.Store {
			s, err := store.Open(ctx, dsn, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}, raw, `ALTER TABLE doc_versions DROP COLUMN level`)
	})
}
