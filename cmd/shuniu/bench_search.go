package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/search"
	"github.com/shuniu-oa/shuniu/internal/store"
)

const benchSearchUsage = `用法:
  shuniu bench search-corpus --db 数据库 [--docs 1000000] [--sentences 文件.txt.gz,…] [--runs 40] [--no-measure]
      向检索索引批量写入生成的公文（可中断后续写，同一编号在两种数据库中是同一篇），
      然后以一个机关 秘密 级办事员的身份测量单词、两词、短语、文号、带筛选的查询和一次保存的 p50/p95/p99
      （见 docs/perf.md“检索”）；已写满 --docs 篇时只测量`

// runBenchSearch builds (or resumes) a corpus of generated 公文 in the
// index of --db and measures queries against it.
func runBenchSearch(ctx context.Context, c *cli) int {
	fs := flag.NewFlagSet("bench search-corpus", flag.ContinueOnError)
	var db, sentences, cpuProfile string
	var docs, runs, batch int
	var noMeasure bool
	fs.StringVar(&db, "db", "", "SQLite 文件路径或 postgres:// 地址")
	fs.IntVar(&docs, "docs", 1_000_000, "公文篇数")
	fs.StringVar(&sentences, "sentences", "", "正文中混入的真实句子来源（gzip 文本，一行一段，逗号分隔；如校对语料的法规和政府工作报告）")
	fs.IntVar(&runs, "runs", 40, "每种查询测量的次数")
	fs.IntVar(&batch, "batch", 0, "每个事务写入的篇数（0：SQLite 25000，PostgreSQL 5000）")
	fs.BoolVar(&noMeasure, "no-measure", false, "只写入，不测量")
	fs.StringVar(&cpuProfile, "cpuprofile", "", "把写入阶段的 CPU 剖析写到此文件（go tool pprof）")
	if !parse(fs, c.args[1:], c.stderr) {
		return 2
	}
	if db == "" {
		fmt.Fprintln(c.stderr, benchSearchUsage)
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintln(c.stderr, "shuniu bench search-corpus:", err)
		return 1
	}
	s, err := store.Open(ctx, db, store.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fail(err)
	}
	defer s.Close()
	organs, err := s.CorpusOrgans(ctx)
	if err != nil {
		return fail(err)
	}
	corpus := search.Corpus{Docs: docs, Organs: organs, Start: time.Date(2020, 1, 1, 9, 0, 0, 0, time.UTC)}
	for _, p := range strings.Split(sentences, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		f, err := os.Open(p)
		if err != nil {
			return fail(err)
		}
		ss, err := search.ReadSentences(f, 25000)
		f.Close()
		if err != nil {
			return fail(err)
		}
		corpus.Sentences = append(corpus.Sentences, ss...)
	}
	done, err := s.CorpusCount(ctx)
	if err != nil {
		return fail(err)
	}
	if done < docs {
		if cpuProfile != "" {
			f, err := os.Create(cpuProfile)
			if err != nil {
				return fail(err)
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				f.Close()
				return fail(err)
			}
		}
		err := buildCorpus(ctx, c, s, corpus, done, batch)
		if cpuProfile != "" {
			pprof.StopCPUProfile()
		}
		if err != nil {
			return fail(err)
		}
	}
	if size, err := s.SearchIndexSize(ctx); err == nil {
		fmt.Fprintf(c.stdout, "index size: %.0f MB\n", float64(size)/1e6)
	}
	if noMeasure {
		return 0
	}
	if err := measureSearch(ctx, c, s, corpus, runs); err != nil {
		return fail(err)
	}
	return 0
}

// buildCorpus writes documents from..Docs, 25,000 a transaction on SQLite
// (each writes one FTS5 segment) and 5,000 a COPY on PostgreSQL, the next
// batch generated and tokenized while one is written.
func buildCorpus(ctx context.Context, c *cli, s *store.Store, corpus search.Corpus, from, batch int) error {
	start := time.Now()
	if err := s.CorpusStart(ctx); err != nil {
		return err
	}
	if batch <= 0 {
		batch = 5000
		if s.Dialect() == store.SQLite {
			batch = 25000
		}
	}
	batches := make(chan []store.CorpusEntry, 1)
	go func() {
		defer close(batches)
		var cache search.SentenceCache
		for i := from; i < corpus.Docs; i += batch {
			es := make([]store.CorpusEntry, 0, batch)
			for j := i; j < min(corpus.Docs, i+batch); j++ {
				es = append(es, s.PrepareCorpusEntry(corpus.Doc(j), &cache))
			}
			select {
			case batches <- es:
			case <-ctx.Done():
				return
			}
		}
	}()
	done := from
	for es := range batches {
		if err := s.BulkIndex(ctx, es); err != nil {
			return err
		}
		done += len(es)
		if done%50000 == 0 || done == corpus.Docs {
			// The rate so far, so that a stopped build still says it.
			el := time.Since(start)
			fmt.Fprintf(c.stderr, "%s %d / %d documents, %v, %.0f a second\n", time.Now().UTC().Format("15:04:05"), done, corpus.Docs,
				el.Round(time.Second), float64(done-from)/el.Seconds())
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	load := time.Since(start)
	if err := s.CorpusFinish(ctx); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "build: %d documents in %v (load %v, then index/optimize %v)\n", corpus.Docs-from,
		time.Since(start).Round(time.Second), load.Round(time.Second), (time.Since(start) - load).Round(time.Second))
	return nil
}

// measureSearch runs each query kind runs times as a clerk of the first
// organ with 秘密 clearance (who may open about a twelfth of the entries)
// and saves 50 entries, and prints p50/p95/p99 in milliseconds.
func measureSearch(ctx context.Context, c *cli, s *store.Store, corpus search.Corpus, runs int) error {
	line := func(name string, ds []time.Duration) {
		slices.Sort(ds)
		at := func(p float64) float64 { return float64(ds[int(p*float64(len(ds)-1))].Microseconds()) / 1000 }
		fmt.Fprintf(c.stdout, "%-10s p50 %8.2f  p95 %8.2f  p99 %8.2f ms\n", name, at(0.5), at(0.95), at(0.99))
	}
	saves := make([]time.Duration, 0, 50)
	for k := range 50 {
		d := corpus.Doc(k)
		t0 := time.Now()
		if err := s.IndexCorpusDoc(ctx, d); err != nil {
			return err
		}
		saves = append(saves, time.Since(t0))
	}
	line("save", saves)
	sub := access.Subject{PersonID: "bench-reader", Clearance: org.Confidential,
		Roles: []org.RoleAssignment{{PersonID: "bench-reader", Role: org.RoleClerk, UnitID: corpus.Organs[0]}}}
	lex := search.NewLexicon(search.CorpusUnits, search.CommonWords())
	for _, qc := range benchSearchQueries {
		q, err := search.Parse(qc.q, lex)
		if err != nil {
			return err
		}
		ds := make([]time.Duration, 0, runs)
		var total int
		for range runs {
			t0 := time.Now()
			res, err := s.Search(ctx, sub, q, 20, 0)
			if err != nil {
				return err
			}
			ds = append(ds, time.Since(t0))
			total = res.Total
		}
		line(qc.name, ds)
		fmt.Fprintf(c.stdout, "           %s: %d hits in the window\n", qc.q, total)
	}
	return nil
}

// benchSearchQueries are the measured query kinds.
var benchSearchQueries = []struct{ name, q string }{
	{"one-word", "防火"}, {"two-word", "燃气安全 专项整治"}, {"phrase", `"第一责任人"`},
	{"number", "清政办发〔2024〕15号"}, {"filtered", "营商环境 状态:办结 时间:2025"},
}
