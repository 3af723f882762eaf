package drafting

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shuniu-oa/shuniu/internal/search"
)

// Drafting from precedents (起草助手): while a draft is written, earlier
// documents of the organ that resemble it are offered, and for a selected
// paragraph the most similar paragraphs of earlier documents. The database's
// index finds the candidates (any shared word, ranked by BM25 / ts_rank);
// here they are scored against the draft by the text itself: TF-IDF cosine
// over the same character pairs the index holds, with the rarity of each
// pair counted over the candidates, so the phrasing every 公文 shares
// (现就、如下、通知) weighs little and the matter itself much.

// MinParagraphRunes is the shortest paragraph offered as a precedent: a
// heading (一、基本情况) or a closing (特此通知。) is not worth inserting.
const MinParagraphRunes = 12

// MaxParagraphRunes bounds a selected paragraph that is asked about.
const MaxParagraphRunes = 1000

// Paragraphs splits a 正文 as the editor holds it — one paragraph a line —
// into its paragraphs, trimmed of spaces (full-width ones too); empty lines
// are dropped. The index of a paragraph here is how a precedent's paragraph
// is named when it is inserted.
func Paragraphs(body string) []string {
	var out []string
	for line := range strings.SplitSeq(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		line = strings.TrimFunc(strings.ReplaceAll(line, "\r", ""), unicode.IsSpace)
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// Terms are a text's character pairs and words, as the index holds them,
// with the template's placeholder left out.
func Terms(text string) []string {
	return search.Analyze(strings.ReplaceAll(text, Placeholder, " ")).Grams
}

// TitleMatter is the matter a title names, without the frame every title
// shares: 关于做好防汛工作的通知 is 做好防汛工作. (The 文种 is matched by the
// store, not by the words.)
func TitleMatter(title string) string {
	t := strings.TrimSpace(title)
	t = strings.TrimPrefix(t, "关于")
	if i := strings.LastIndex(t, "的"); i >= 0 && utf8.RuneCountInString(t[i:]) <= 5 {
		t = t[:i]
	}
	return t
}

// Candidate is an earlier document the index found.
type Candidate struct {
	Title string
	Body  string // the 正文, one paragraph a line
}

// Scored is a candidate (by its index) and its similarity, 0 to 1.
type Scored struct {
	Index int
	Score float64
}

// Title and body weigh in a document's similarity: a title names the matter.
const (
	titleShare = 0.6
	bodyShare  = 0.4
)

// MinScore is the least similarity that is offered at all.
const MinScore = 0.05

// RankDocuments scores each candidate against the draft's title and body
// and returns those above MinScore, best first (ties: the earlier index,
// which the store orders by its own rank).
func RankDocuments(title, body string, cands []Candidate) []Scored {
	titles := make([][]string, len(cands))
	bodies := make([][]string, len(cands))
	for i, c := range cands {
		titles[i], bodies[i] = Terms(TitleMatter(c.Title)), Terms(c.Body)
	}
	tIDF, bIDF := idf(titles), idf(bodies)
	qt, qb := vector(Terms(TitleMatter(title)), tIDF), vector(Terms(body), bIDF)
	var out []Scored
	for i := range cands {
		s := titleShare*cosine(qt, vector(titles[i], tIDF)) + bodyShare*cosine(qb, vector(bodies[i], bIDF))
		if len(qb) == 0 {
			s /= titleShare // an empty draft body: the title alone
		}
		if s >= MinScore {
			out = append(out, Scored{Index: i, Score: s})
		}
	}
	sortScored(out)
	return out
}

// ParagraphRef is one paragraph of a candidate: the candidate's index, the
// paragraph's index in Paragraphs of its body, and its text.
type ParagraphRef struct {
	Doc, N int
	Text   string
	Score  float64
}

// RankParagraphs scores every paragraph (of at least MinParagraphRunes) of
// the candidates against the selected text and returns the best limit above
// MinScore, best first; a paragraph the same as the selection is left out.
func RankParagraphs(selected string, cands []Candidate, limit int) []ParagraphRef {
	var refs []ParagraphRef
	var terms [][]string
	for i, c := range cands {
		for n, p := range Paragraphs(c.Body) {
			if utf8.RuneCountInString(p) < MinParagraphRunes {
				continue
			}
			refs = append(refs, ParagraphRef{Doc: i, N: n, Text: p})
			terms = append(terms, Terms(p))
		}
	}
	w := idf(terms)
	sel := strings.TrimSpace(selected)
	q := vector(Terms(sel), w)
	var out []ParagraphRef
	seen := map[string]bool{}
	for i, r := range refs {
		if r.Text == sel || seen[r.Text] {
			continue // the draft's own paragraph, or the same text again
		}
		if r.Score = cosine(q, vector(terms[i], w)); r.Score >= MinScore {
			seen[r.Text] = true
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b ParagraphRef) int { return cmp.Compare(b.Score, a.Score) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

func sortScored(s []Scored) {
	slices.SortStableFunc(s, func(a, b Scored) int { return cmp.Compare(b.Score, a.Score) })
}

// rarity is each term's inverse document frequency over the candidates.
type rarity struct {
	w    map[string]float64
	none float64 // of a term no candidate has
}

// idf is each term's inverse document frequency over docs (smoothed, so a
// term in every doc still counts a little).
func idf(docs [][]string) rarity {
	df := map[string]int{}
	for _, d := range docs {
		seen := map[string]bool{}
		for _, t := range d {
			if !seen[t] {
				seen[t] = true
				df[t]++
			}
		}
	}
	n := float64(len(docs))
	w := make(map[string]float64, len(df))
	for t, k := range df {
		w[t] = math.Log(1 + n/float64(k))
	}
	return rarity{w: w, none: math.Log(1 + n + 1)}
}

// vector is terms weighted by their frequency (dampened) and rarity; a term
// none of the candidates has weighs as the rarest.
func vector(terms []string, r rarity) map[string]float64 {
	tf := map[string]float64{}
	for _, t := range terms {
		tf[t]++
	}
	v := make(map[string]float64, len(tf))
	for t, f := range tf {
		x, ok := r.w[t]
		if !ok {
			x = r.none
		}
		v[t] = (1 + math.Log(f)) * x
	}
	return v
}

func cosine(a, b map[string]float64) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	var dot, na, nb float64
	for t, x := range a {
		dot += x * b[t]
		na += x * x
	}
	for _, y := range b {
		nb += y * y
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return min(1, dot/math.Sqrt(na*nb))
}

// SourceNote is the note that says where an inserted paragraph came from:
// （参照：清政办发〔2025〕12号《关于…的通知》）, or with no 文号 the title alone.
// It goes into the draft's revision history (the version's note), never
// into the 正文, so the issued document does not print it.
func SourceNote(number, title string) string {
	title = strings.TrimSpace(title)
	if title != "" {
		title = "《" + title + "》"
	}
	return "（参照：" + strings.TrimSpace(number) + title + "）"
}
