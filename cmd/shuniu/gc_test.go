package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/blob"
	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/inforeport"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// TestGC: shuniu gc lists the files no row refers to and, with --delete,
// removes them — never a file a row names (a document's file, an
// attachment in a document's content or a version, a supervision report's
// evidence, an information report's file), nor a file younger than --min-age — on both stores.
func TestGC(t *testing.T) {
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			env := map[string]string{"SHUNIU_DATA_DIR": dir}
			dsn := filepath.Join(dir, "shuniu.db")
			if kind == "postgres" {
				dsn = storetest.PostgresDSN(t)
				env["SHUNIU_DB"] = dsn
			}
			if code, out, errs := run(t, env, "migrate"); code != 0 {
				t.Fatalf("migrate: %d %s %s", code, out, errs)
			}
			key, err := audit.ReadKeyFile(filepath.Join(dir, "keys", "audit.key"))
			if err != nil {
				t.Fatal(err)
			}
			s, err := store.Open(ctx, dsn, store.Options{AuditKey: key, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			d := demo.NewDistrict(s.Now())
			if err := demo.Seed(ctx, s, d); err != nil {
				t.Fatal(err)
			}
			bs, err := blob.New(dir, document.DefaultAttachmentPolicy())
			if err != nil {
				t.Fatal(err)
			}
			put := func(tag string) blob.Object {
				obj, err := bs.Put(tag+".pdf", strings.NewReader("%PDF-1.7\n"+tag+"\n%%EOF\n"))
				if err != nil {
					t.Fatal(err)
				}
				return obj
			}
			person := func(login string) org.Person {
				for _, p := range d.People {
					if p.Login == login {
						return p
					}
				}
				t.Fatalf("no %s", login)
				return org.Person{}
			}
			clerk, sup, lead := person("wenmi"), person("ducha"), person("chengban")
			unitOf := func(p org.Person) string {
				pos, err := s.Positions(ctx, p.ID)
				if err != nil || len(pos) == 0 {
					t.Fatal(pos, err)
				}
				return pos[0].UnitID
			}

			// A document's file (doc_files), an attachment named only in a
			// document's content, a report's evidence.
			file, inContent, evidence, infoFile := put("doc-file"), put("in-content"), put("evidence"), put("info-file")
			draft := func(atts []document.Attachment) store.DocRecord {
				rec, err := s.CreateOutgoing(ctx, clerk, store.NewOutgoing{UnitID: unitOf(clerk), Doc: document.Document{
					Type: document.Notice, Title: "清澜区人民政府办公室关于做好冬季防火工作的通知",
					Body: document.ParseBody("各镇人民政府、街道办事处：\n一、高度重视"), Attachments: atts}})
				if err != nil {
					t.Fatal(err)
				}
				return rec
			}
			rec := draft(nil)
			if err := s.AddFile(ctx, clerk, store.DocFile{DocID: rec.ID, SHA256: file.SHA256, Name: "方案.pdf", Role: "attachment",
				Size: file.Size, MediaType: file.MediaType}); err != nil {
				t.Fatal(err)
			}
			draft([]document.Attachment{{Name: "清单.pdf", SHA256: inContent.SHA256, Size: inContent.Size}})
			roles, err := s.Roles(ctx, sup.ID)
			if err != nil {
				t.Fatal(err)
			}
			office := ""
			for _, r := range roles {
				if r.Role == org.RoleSupervisor {
					office = r.UnitID
				}
			}
			leadUnit := unitOf(lead)
			it, err := s.CreateSupItem(ctx, sup, supervise.NewItem{ID: "gc-1", Source: supervise.FromLeader, Title: "背街小巷路灯修复",
				Instruction: "请于十个工作日内完成修复。", Office: office, Schedule: supervise.Schedule{Kind: supervise.Weekly, Weekday: time.Friday},
				Deadline: supervise.DeadlineSpec{Workdays: 10}, Units: []supervise.Unit{{UnitID: leadUnit, Lead: true, Responsible: lead.ID}}}, true)
			if err != nil {
				t.Fatal(err)
			}
			for _, op := range []store.SupOp{
				func(r supervise.Rules, it supervise.Item, a route.Actor, now time.Time) (supervise.Item, []supervise.Event, error) {
					return r.SignFor(it, a, leadUnit, now)
				},
				func(r supervise.Rules, it supervise.Item, a route.Actor, now time.Time) (supervise.Item, []supervise.Event, error) {
					return r.Report(it, a, supervise.ReportInput{UnitID: leadUnit, Text: "已排查",
						Attachments: []supervise.Attachment{{Name: "照片.pdf", SHA256: evidence.SHA256, Size: evidence.Size}}}, now)
				},
			} {
				if _, err := s.SupAct(ctx, lead, it.ID, "op", nil, op); err != nil {
					t.Fatal(err)
				}
			}
			// A file an information report came with.
			if _, err := s.SubmitInfoReport(ctx, clerk, "gc-info", leadUnit, unitOf(clerk), inforeport.Draft{Title: "冬季防火情况", Body: "已完成排查。",
				Category: inforeport.Safety, Attachments: []inforeport.Attachment{{Name: "排查表.pdf", SHA256: infoFile.SHA256, Size: infoFile.Size}}}); err != nil {
				t.Fatal(err)
			}
			s.Close()

			// Unreferenced: an old file, an upload's leftover temporary
			// file, and a file too young to judge.
			orphan, young := put("orphan"), put("young")
			tmp := filepath.Join(dir, "files", ".upload-123")
			if err := os.WriteFile(tmp, []byte("partial"), 0o600); err != nil {
				t.Fatal(err)
			}
			path := func(o blob.Object) string { return filepath.Join(dir, "files", o.SHA256[:2], o.SHA256) }
			old := time.Now().Add(-2 * time.Hour)
			for _, p := range []string{path(file), path(inContent), path(evidence), path(infoFile), path(orphan), tmp} {
				if err := os.Chtimes(p, old, old); err != nil {
					t.Fatal(err)
				}
			}
			exists := func(p string) bool { _, err := os.Stat(p); return err == nil }

			code, out, errs := run(t, env, "gc")
			if code != 0 || !strings.Contains(out, path(orphan)) || !strings.Contains(out, tmp) || !strings.Contains(out, "其中 2 个无记录引用") ||
				!strings.Contains(out, "另有 1 个未满") {
				t.Fatalf("gc: %d %s %s", code, out, errs)
			}
			for _, o := range []blob.Object{file, inContent, evidence, infoFile, young} {
				if strings.Contains(out, o.SHA256) {
					t.Errorf("gc lists a kept file %s", o.SHA256)
				}
			}
			if !exists(path(orphan)) || !exists(tmp) {
				t.Fatal("gc without --delete removed a file")
			}
			if code, out, errs := run(t, env, "gc", "--delete"); code != 0 || !strings.Contains(out, "已删除 2 个文件") {
				t.Fatalf("gc --delete: %d %s %s", code, out, errs)
			}
			if exists(path(orphan)) || exists(tmp) {
				t.Error("gc --delete left an orphan")
			}
			for _, o := range []blob.Object{file, inContent, evidence, infoFile, young} {
				if !exists(path(o)) {
					t.Errorf("gc --delete removed %s", o.SHA256)
				}
			}
			s, err = store.Open(ctx, dsn, store.Options{AuditKey: key, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if es, err := s.ListAudit(ctx, store.AuditFilter{Action: "blob.gc"}); err != nil || len(es) != 1 {
				t.Errorf("gc --delete audited %d times (%v)", len(es), err)
			}
		})
	}
}
