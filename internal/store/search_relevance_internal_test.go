package store

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/search"
)

// judgedSet is testdata/search_judged.json: documents modelled on the demo
// district's (its units, topics and title patterns), to be planted among
// the generated corpus, and 50 queries with the documents that should come
// first (grade 3 best, 1 relevant, unlisted 0).
type judgedSet struct {
	Docs []struct {
		ID, Title, Number, Unit, Body string
		DaysAgo                       int    `json:"days_ago"`
		DocType                       string `json:"doc_type"`
		State                         string
		Level                         int
	}
	Queries []struct {
		Q    string
		Note string
		Rel  map[string]int
	}
}

// relevanceFloor is what TestSearchRelevance requires of nDCG@10 on each
// store: a ranking change that loses more than a little fails here
// (docs/search.md records the measured figures).
const relevanceFloor = 0.95

// TestSearchRelevance plants the judged documents among generated 公文
// (SHUNIU_JUDGED_DISTRACTORS, default 1,500, all of the searcher's organ, so
// every one is a candidate) and reports nDCG@10 over the 50 judged queries.
func TestSearchRelevance(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			s := searchTestStore(t, dialect)
			ndcg, worst := judge(t, s)
			t.Logf("nDCG@10 = %.3f over 50 queries (%s)", ndcg, dialect)
			for _, w := range worst {
				t.Log(w)
			}
			if ndcg < relevanceFloor {
				t.Errorf("nDCG@10 = %.3f, below %.2f", ndcg, relevanceFloor)
			}
		})
	}
}

// judge fills s with the judged set and returns the mean nDCG@10 and the
// queries that scored below 1, worst first.
func judge(t testing.TB, s *Store) (float64, []string) {
	t.Helper()
	ctx := context.Background()
	raw, err := os.ReadFile(filepath.Join("testdata", "search_judged.json"))
	if err != nil {
		t.Fatal(err)
	}
	var set judgedSet
	if err := json.Unmarshal(raw, &set); err != nil {
		t.Fatal(err)
	}
	n := 1500
	if v, err := strconv.Atoi(os.Getenv("SHUNIU_JUDGED_DISTRACTORS")); err == nil && v >= 0 {
		n = v
	}
	const organ = "judged-organ"
	now := s.Now()
	err = s.Write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO units (id, name, short_name, kind, created_at, updated_at) VALUES (?, '清澜区人民政府办公室', '政府办', 'organ', 0, 0)`, organ); err != nil {
			return err
		}
		r := rand.New(rand.NewPCG(3, 4))
		units := make([]string, len(benchUnits))
		for i := range units {
			units[i] = "bench-organ-" + strconv.Itoa(i)
		}
		for i := range n {
			// Spread over the last three years, all of the searcher's organ.
			at := now.Add(-time.Duration(r.IntN(3*365*24)) * time.Hour)
			e := benchDoc(r, i, units, at)
			e.organID, e.level = organ, 0
			if err := tx.putEntry(ctx, e); err != nil {
				return err
			}
		}
		for _, d := range set.Docs {
			unit := "unit-" + d.Unit
			if d.Unit == "清澜区人民政府办公室" {
				unit = organ
			}
			e := searchEntry{kind: search.KindDocument, id: d.ID, organID: organ, unitID: unit, level: d.Level, docType: d.DocType,
				state: d.State, at: ts(now.Add(-time.Duration(d.DaysAgo) * 24 * time.Hour)), title: d.Title, number: d.Number,
				body: d.Body, marks: search.NumberMarks(d.Number)}
			if err := tx.putEntry(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sub := access.Subject{PersonID: "judge", Clearance: org.Secret,
		Roles: []org.RoleAssignment{{PersonID: "judge", Role: org.RoleClerk, UnitID: organ}}}
	lex, err := s.SearchLexicon(ctx)
	if err != nil {
		t.Fatal(err)
	}
	type scored struct {
		v    float64
		line string
	}
	var sum float64
	var low []scored
	for _, jq := range set.Queries {
		q, err := search.Parse(jq.Q, lex)
		if err != nil {
			t.Fatalf("%s: %v", jq.Q, err)
		}
		res, err := s.Search(ctx, sub, q, 10, 0)
		if err != nil {
			t.Fatalf("%s: %v", jq.Q, err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		v := ndcgAt10(got, jq.Rel)
		sum += v
		if v < 1 {
			low = append(low, scored{v, jq.Q + " → " + strconv.FormatFloat(v, 'f', 2, 64) + " " + judgedIDs(got[:min(5, len(got))])})
		}
	}
	slices.SortFunc(low, func(a, b scored) int { return cmpFloat(a.v, b.v) })
	lines := make([]string, len(low))
	for i, l := range low {
		lines[i] = l.line
	}
	return sum / float64(len(set.Queries)), lines
}

// ndcgAt10 is the normalised discounted cumulative gain of the first ten
// ids against graded judgments (gain 2^grade−1, discount log2(rank+1)).
func ndcgAt10(got []string, rel map[string]int) float64 {
	dcg := func(grades []int) float64 {
		var s float64
		for i, g := range grades[:min(10, len(grades))] {
			s += (math.Pow(2, float64(g)) - 1) / math.Log2(float64(i)+2)
		}
		return s
	}
	var gs, ideal []int
	for _, id := range got {
		gs = append(gs, rel[id])
	}
	for _, g := range rel {
		ideal = append(ideal, g)
	}
	slices.Sort(ideal)
	slices.Reverse(ideal)
	if best := dcg(ideal); best > 0 {
		return dcg(gs) / best
	}
	return 0
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func judgedIDs(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
