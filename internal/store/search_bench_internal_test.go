package store

import (
	"bufio"
	"compress/gzip"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/search"
)

// Pieces the generator composes 公文 from: titles of the district's usual
// matters and body sentences in the spec's patterns (not lorem ipsum).
var (
	benchMatters = []string{"安全生产", "防汛抗旱", "森林防火", "冬季供暖", "疫情防控", "营商环境", "乡村振兴", "河长制", "信访维稳", "招商引资",
		"老旧小区改造", "垃圾分类", "食品安全", "消防安全", "燃气安全", "道路交通安全", "耕地保护", "生态环境保护", "政务公开", "12345热线办理"}
	benchActs  = []string{"关于做好", "关于进一步加强", "关于开展", "关于印发", "关于报送", "关于落实", "关于表彰", "关于调整"}
	benchTails = []string{"工作的通知", "专项整治的通知", "工作方案的通知", "情况的报告", "有关事项的请示", "工作的意见", "督查情况的通报", "工作的函"}
	benchUnits = []string{"清澜区应急管理局", "清澜区住房和城乡建设局", "清澜区发展和改革局", "清澜区农业农村局", "清澜区生态环境分局", "清澜区财政局",
		"清澜区卫生健康局", "清澜区教育局", "清源街道办事处", "澜沧镇人民政府", "清澜区市场监督管理局", "清澜区人民政府办公室"}
	benchSentences = []string{
		"各单位要切实提高政治站位，充分认识做好%s工作的重要性和紧迫性。",
		"主要负责同志是本单位%s工作的第一责任人，要亲自部署、亲自过问。",
		"%s牵头，会同有关部门建立工作专班，明确责任分工和时间节点。",
		"请于每月25日前将%s工作进展情况报送区政府办公室，逾期未报的予以通报。",
		"对工作不力、推诿扯皮、造成严重后果的，依规依纪依法严肃追究责任。",
		"要加强督促检查，确保各项措施落到实处，取得实效。",
		"各镇（街道）要结合实际，制定具体实施方案，细化工作措施。",
		"%s要加大资金投入，统筹安排专项资金，保障工作顺利开展。",
		"坚持问题导向，聚焦群众反映强烈的突出问题，开展专项整治。",
		"妥否，请批示。",
	}
)

// benchCorpus is sentences of laws and government work reports read from
// SHUNIU_SEARCH_SENTENCES (a gzip text file, one paragraph a line: the
// proofreader's corpus of official documents, docs/perf.md), mixed into the
// generated bodies so that they carry real vocabulary. Read at benchmark
// time only; nothing of it is shipped.
func benchCorpus(tb testing.TB) []string {
	path := os.Getenv("SHUNIU_SEARCH_SENTENCES")
	if path == "" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	sc := bufio.NewScanner(z)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() && len(out) < 50000 {
		for _, s := range strings.SplitAfter(sc.Text(), "。") {
			if n := utf8.RuneCountInString(s); n >= 12 && n <= 120 && strings.HasSuffix(s, "。") {
				out = append(out, s)
			}
		}
	}
	return out
}

// benchDoc is the n-th generated document's entry; a third of its body's
// sentences come from corpus when there is one.
func benchDoc(r *rand.Rand, n int, organs []string, at time.Time, corpus ...string) searchEntry {
	matter := benchMatters[r.IntN(len(benchMatters))]
	title := benchActs[r.IntN(len(benchActs))] + matter + benchTails[r.IntN(len(benchTails))]
	var b strings.Builder
	b.WriteString("各镇人民政府、街道办事处，区政府各部门：\n")
	for range 12 + r.IntN(30) {
		s := benchSentences[r.IntN(len(benchSentences))]
		if len(corpus) > 0 && r.IntN(3) == 0 {
			s = corpus[r.IntN(len(corpus))]
		}
		if strings.Contains(s, "%s") {
			if r.IntN(2) == 0 {
				s = fmt.Sprintf(s, matter)
			} else {
				s = fmt.Sprintf(s, benchUnits[r.IntN(len(benchUnits))])
			}
		}
		b.WriteString(s)
	}
	number := "清政办发〔" + strconv.Itoa(at.Year()) + "〕" + strconv.Itoa(n%900+1) + "号"
	organ := organs[r.IntN(len(organs))]
	level := 0
	if r.IntN(20) == 0 {
		level = 1 + r.IntN(2)
	}
	state := "active"
	if r.IntN(3) > 0 {
		state = "done"
	}
	return searchEntry{kind: search.KindDocument, id: fmt.Sprintf("bench-%07d", n), organID: organ, unitID: organ, level: level, docType: "通知",
		state: state, at: ts(at), title: title, number: number, body: b.String(), marks: search.NumberMarks(number)}
}

// BenchmarkSearchIndex fills the index of each store with generated 公文
// (SHUNIU_SEARCH_DOCS, default 20,000), then reports the build time and
// size, what one save pays to keep the index current (save-µs), and
// p50/p95/p99 of one-word, two-word, phrase, 文号 and filtered queries as a
// person of one organ with 秘密 clearance sees them:
//
//	SHUNIU_SEARCH_DOCS=100000 SHUNIU_TEST_POSTGRES=… go test -run XXX -bench SearchIndex -benchtime 1x -timeout 2h ./internal/store
func BenchmarkSearchIndex(b *testing.B) {
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("SHUNIU_SEARCH_DOCS")); err == nil && v > 0 {
		n = v
	}
	run := func(b *testing.B, s *Store) {
		ctx := context.Background()
		organs := make([]string, 12)
		err := s.Write(ctx, func(tx *Tx) error {
			for i := range organs {
				organs[i] = fmt.Sprintf("bench-organ-%02d", i)
				if _, err := tx.exec(ctx, `INSERT INTO units (id, name, short_name, kind, created_at, updated_at) VALUES (?, ?, ?, 'organ', 0, 0)`,
					organs[i], benchUnits[i], benchUnits[i]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		r := rand.New(rand.NewPCG(1, 2))
		corpus := search.Corpus{Docs: n, Organs: organs, Sentences: benchCorpus(b), Start: time.Date(2020, 1, 1, 9, 0, 0, 0, time.UTC)}
		start := time.Now()
		// Generating and tokenizing runs beside the writing, a batch ahead.
		const batch = 5000
		batches := make(chan []CorpusEntry, 1)
		go func() {
			defer close(batches)
			for i := 0; i < n; i += batch {
				es := make([]CorpusEntry, 0, batch)
				for j := i; j < min(n, i+batch); j++ {
					es = append(es, NewCorpusEntry(corpus.Doc(j)))
				}
				batches <- es
			}
		}()
		done := 0
		for es := range batches {
			if err := s.BulkIndex(ctx, es); err != nil {
				b.Fatal(err)
			}
			if done += len(es); done%100000 == 0 {
				b.Logf("%d entries in %v", done, time.Since(start).Round(time.Second))
			}
		}
		if s.dialect == Postgres {
			if _, err := s.exec(ctx, `ANALYZE search_entries`); err != nil {
				b.Fatal(err)
			}
		}
		build := time.Since(start)
		b.ReportMetric(build.Seconds(), "build-s")
		if s.dialect == Postgres {
			var size int64
			if err := s.queryRow(ctx, `SELECT pg_total_relation_size('search_entries')`).Scan(&size); err == nil {
				b.ReportMetric(float64(size)/1e6, "index-MB")
			}
		} else if fi, err := os.Stat(s.path); err == nil {
			b.ReportMetric(float64(fi.Size())/1e6, "db-MB")
		}
		// One save: replacing an entry of a long body in its own write.
		saves := make([]time.Duration, 0, 50)
		for k := range 50 {
			e := benchDoc(r, k, organs, time.Now())
			t0 := time.Now()
			if err := s.Write(ctx, func(tx *Tx) error { return tx.putEntry(ctx, e) }); err != nil {
				b.Fatal(err)
			}
			saves = append(saves, time.Since(t0))
		}
		report(b, "save", saves)
		sub := access.Subject{PersonID: "bench-reader", Clearance: org.Confidential,
			Roles: []org.RoleAssignment{{PersonID: "bench-reader", Role: org.RoleClerk, UnitID: organs[0]}}}
		lex := search.NewLexicon(benchUnits, search.CommonWords())
		for _, qc := range []struct{ name, q string }{
			{"one-word", "防火"}, {"two-word", "燃气安全 专项整治"}, {"phrase", `"第一责任人"`},
			{"number", "清政办发〔2024〕15号"}, {"filtered", "营商环境 状态:办结 时间:2025"},
		} {
			q, err := search.Parse(qc.q, lex)
			if err != nil {
				b.Fatal(err)
			}
			var ds []time.Duration
			for range 40 {
				t0 := time.Now()
				if _, err := s.Search(ctx, sub, q, 20, 0); err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(t0))
			}
			report(b, qc.name, ds)
		}
	}
	for _, dialect := range []string{"sqlite", "postgres"} {
		b.Run(dialect, func(b *testing.B) {
			s := searchTestStore(b, dialect)
			for b.Loop() {
				run(b, s)
			}
		})
	}
}

// searchTestStore opens an empty store of the dialect for a search test or
// benchmark (this package's tests cannot use storetest); PostgreSQL in a
// schema of its own, skipped when SHUNIU_TEST_POSTGRES is unset.
func searchTestStore(tb testing.TB, dialect string) *Store {
	tb.Helper()
	opt := Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if dialect == "sqlite" {
		s, err := Open(context.Background(), filepath.Join(tb.TempDir(), "s.db"), opt)
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { s.Close() })
		return s
	}
	dsn := os.Getenv("SHUNIU_TEST_POSTGRES")
	if dsn == "" {
		tb.Skip("SHUNIU_TEST_POSTGRES is not set")
	}
	schema := fmt.Sprintf("search_%d", time.Now().UnixNano())
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	s, err := Open(context.Background(), u.String(), opt)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func report(b *testing.B, name string, ds []time.Duration) {
	slices.Sort(ds)
	at := func(p float64) float64 { return float64(ds[int(p*float64(len(ds)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.50), name+"-p50-ms")
	b.ReportMetric(at(0.95), name+"-p95-ms")
	b.ReportMetric(at(0.99), name+"-p99-ms")
}
