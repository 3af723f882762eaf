package store

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/search"
)

// BenchmarkSearchCorpusQueries measures the query side on a corpus already
// built by `shuniu bench search-corpus` (SHUNIU_SEARCH_CORPUS: its SQLite
// file or postgres:// address; nothing is written): p50/p95/p99 of each
// query kind and of the index's part of the precedents beside a draft
// (the corpus has entries, not documents, so only the candidates' query is
// timed), as a clerk of the first organ with 秘密 clearance:
//
//	SHUNIU_SEARCH_CORPUS=/work/bench/sq30k.db go test -run XXX -bench SearchCorpusQueries -benchtime 1x ./internal/store
func BenchmarkSearchCorpusQueries(b *testing.B) {
	db := os.Getenv("SHUNIU_SEARCH_CORPUS")
	if db == "" {
		b.Skip("SHUNIU_SEARCH_CORPUS is not set")
	}
	runs := 40
	if v, err := strconv.Atoi(os.Getenv("SHUNIU_SEARCH_RUNS")); err == nil && v > 0 {
		runs = v
	}
	ctx := context.Background()
	s, err := Open(ctx, db, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	organ := "bench-organ-00"
	sub := access.Subject{PersonID: "bench-reader", Clearance: org.Confidential,
		Roles: []org.RoleAssignment{{PersonID: "bench-reader", Role: org.RoleClerk, UnitID: organ}}}
	lex := search.NewLexicon(search.CorpusUnits, search.CommonWords())
	for b.Loop() {
		for _, qc := range []struct{ name, q string }{
			{"one-word", "防火"}, {"two-word", "燃气安全 专项整治"}, {"phrase", `"第一责任人"`},
			{"number", "清政办发〔2024〕15号"}, {"filtered", "营商环境 状态:办结 时间:2025"},
		} {
			q, err := search.Parse(qc.q, lex)
			if err != nil {
				b.Fatal(err)
			}
			ds := make([]time.Duration, 0, runs)
			var total int
			for range runs {
				t0 := time.Now()
				res, err := s.Search(ctx, sub, q, 20, 0)
				if err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(t0))
				total = res.Total
			}
			report(b, qc.name, ds)
			b.Logf("%s %s: %d in the window", qc.name, qc.q, total)
		}
		// The precedents beside a draft and "more like this": the index's
		// candidates (the part that grows with the corpus).
		for _, pc := range []struct{ name, title, body string }{
			{"precedents", "关于做好防汛抗旱工作的通知", "主要负责同志是本单位防汛抗旱工作的第一责任人，要亲自部署、亲自过问。"},
			{"paragraph", "", "请于每月25日前将防汛抗旱工作进展情况报送区政府办公室，逾期未报的予以通报。对工作不力、推诿扯皮、造成严重后果的，依规依纪依法严肃追究责任。"},
		} {
			docType := "notice"
			if pc.title == "" {
				docType = ""
			}
			terms := precedentQueryTerms(pc.title, pc.body)
			ds := make([]time.Duration, 0, runs)
			var n int
			for range runs {
				t0 := time.Now()
				rows, err := s.precedentRows(ctx, sub, organ, docType, "", terms)
				if err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(t0))
				n = len(rows)
			}
			report(b, pc.name, ds)
			b.Logf("%s: %d candidates", pc.name, n)
		}
	}
}
