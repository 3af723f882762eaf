package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/drafting"
	"github.com/shuniu-oa/shuniu/internal/org"
)

// BenchmarkPrecedents fills each store with generated 通知 (SHUNIU_PRECEDENT_DOCS,
// default 5,000, over 12 organs, 4–10 paragraphs of 2–3 sentences each) as
// real documents with their index entries, then reports p50/p95/p99 of the
// precedents beside a draft (doc-) and of "more like this" for a paragraph
// (para-), and of the two parts of the latter: the index's candidates read
// whole (cand-) and scoring their paragraphs in Go (score-). docs/search.md
// reads these to decide against indexing paragraphs on their own:
//
//	SHUNIU_TEST_POSTGRES=… go test -run XXX -bench Precedents -benchtime 1x ./internal/store
func BenchmarkPrecedents(b *testing.B) {
	n := 5000
	if v, err := strconv.Atoi(os.Getenv("SHUNIU_PRECEDENT_DOCS")); err == nil && v > 0 {
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
		r := rand.New(rand.NewPCG(3, 4))
		base := time.Date(2020, 1, 1, 9, 0, 0, 0, time.UTC)
		start := time.Now()
		const batch = 500
		for i := 0; i < n; i += batch {
			err := s.Write(ctx, func(tx *Tx) error {
				for j := i; j < min(n, i+batch); j++ {
					d := precedentBenchDoc(r, j, organs, base.Add(time.Duration(j)*time.Hour))
					content, err := json.Marshal(d.Doc)
					if err != nil {
						return err
					}
					if _, err := tx.exec(ctx, `INSERT INTO documents (id, direction, unit_id, organ_id, source_id, title, doc_type, level, urgency, doc_number, in_number, sender, step, status, version, content, created_by, created_at, updated_at, closed_at)
						VALUES (?, 'outgoing', ?, ?, '', ?, ?, 0, '', ?, '', '', '', 'done', 1, ?, 'bench', ?, ?, 0)`,
						d.ID, d.UnitID, d.OrganID, d.Doc.Title, string(d.Doc.Type), d.DocNumber, string(content), ts(d.UpdatedAt), ts(d.UpdatedAt)); err != nil {
						return err
					}
					if err := tx.putEntry(ctx, docEntry(d, "")); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(time.Since(start).Seconds(), "build-s")
		sub := access.Subject{PersonID: "bench-reader", Clearance: org.Confidential,
			Roles: []org.RoleAssignment{{PersonID: "bench-reader", Role: org.RoleClerk, UnitID: organs[0]}}}
		var docs, paras, cands, scores []time.Duration
		for k := range 40 {
			matter := benchMatters[k%len(benchMatters)]
			q := PrecedentQuery{OrganID: organs[0], DocType: string(document.Notice), Title: "关于做好" + matter + "工作的通知",
				Body: fmt.Sprintf(benchSentences[1], matter), Limit: 6}
			t0 := time.Now()
			if _, err := s.Precedents(ctx, sub, q); err != nil {
				b.Fatal(err)
			}
			docs = append(docs, time.Since(t0))
			q.Paragraph = fmt.Sprintf(benchSentences[3], matter) + benchSentences[4]
			t0 = time.Now()
			got, err := s.PrecedentParagraphs(ctx, sub, q)
			if err != nil {
				b.Fatal(err)
			}
			paras = append(paras, time.Since(t0))
			if len(got) == 0 {
				b.Fatalf("no paragraph like %q", q.Paragraph)
			}
			t0 = time.Now()
			cs, err := s.precedentCandidates(ctx, sub, q.OrganID, "", "", precedentQueryTerms(q.Paragraph, ""))
			if err != nil {
				b.Fatal(err)
			}
			cands = append(cands, time.Since(t0))
			texts := make([]drafting.Candidate, len(cs))
			for i, d := range cs {
				texts[i] = drafting.Candidate{Title: d.Doc.Title, Body: d.Doc.Body.String()}
			}
			t0 = time.Now()
			drafting.RankParagraphs(q.Paragraph, texts, 6)
			scores = append(scores, time.Since(t0))
		}
		report(b, "doc", docs)
		report(b, "para", paras)
		report(b, "cand", cands)
		report(b, "score", scores)
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

// precedentBenchDoc is a generated 通知 of paragraphs, from the pieces of
// BenchmarkSearchIndex.
func precedentBenchDoc(r *rand.Rand, n int, organs []string, at time.Time) DocRecord {
	matter := benchMatters[r.IntN(len(benchMatters))]
	title := benchActs[r.IntN(len(benchActs))] + matter + "工作的通知"
	paras := []string{"各镇人民政府、街道办事处，区政府各部门："}
	for range 4 + r.IntN(7) {
		var p strings.Builder
		for range 2 + r.IntN(2) {
			s := benchSentences[r.IntN(len(benchSentences)-1)]
			if strings.Contains(s, "%s") {
				if r.IntN(2) == 0 {
					s = fmt.Sprintf(s, matter)
				} else {
					s = fmt.Sprintf(s, benchUnits[r.IntN(len(benchUnits))])
				}
			}
			p.WriteString(s)
		}
		paras = append(paras, p.String())
	}
	organ := organs[r.IntN(len(organs))]
	number := "清政办发〔" + strconv.Itoa(at.Year()) + "〕" + strconv.Itoa(n%900+1) + "号"
	return DocRecord{ID: fmt.Sprintf("bench-%07d", n), Direction: Outgoing, UnitID: organ, OrganID: organ, DocNumber: number,
		Doc: document.Document{Type: document.Notice, Title: title, Body: document.ParseBody(strings.Join(paras, "\n"))}, UpdatedAt: at}
}
