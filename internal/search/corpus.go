package search

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// A Corpus makes generated 公文 for measuring the index at scale: titles of
// a district's usual matters, bodies in the spec's patterns mixed with
// sentences of real laws and government work reports (not lorem ipsum).
// The n-th document depends only on n, the corpus's size and its
// sentences, so a build can stop and resume, and the same n is the same
// document in both stores.
type Corpus struct {
	Docs      int       // the corpus's size: the documents' times spread over seven years
	Organs    []string  // organ ids, one per CorpusUnits name
	Sentences []string  // real sentences mixed into the bodies (ReadSentences), may be empty
	Start     time.Time // the oldest document's time
}

// CorpusDoc is one generated document as the index holds it.
type CorpusDoc struct {
	ID, OrganID   string
	Level         int
	DocType       string
	State         string
	At            time.Time
	Title, Number string
	Body          string
	// Parts are Body's pieces in order (its sentences): Body is their
	// concatenation. A bulk load tokenizes each distinct piece once
	// (SentenceCache).
	Parts []string
}

// Pieces a Corpus composes 公文 from.
var (
	corpusMatters = []string{"安全生产", "防汛抗旱", "森林防火", "冬季供暖", "疫情防控", "营商环境", "乡村振兴", "河长制", "信访维稳", "招商引资",
		"老旧小区改造", "垃圾分类", "食品安全", "消防安全", "燃气安全", "道路交通安全", "耕地保护", "生态环境保护", "政务公开", "12345热线办理"}
	corpusActs  = []string{"关于做好", "关于进一步加强", "关于开展", "关于印发", "关于报送", "关于落实", "关于表彰", "关于调整"}
	corpusTails = []string{"工作的通知", "专项整治的通知", "工作方案的通知", "情况的报告", "有关事项的请示", "工作的意见", "督查情况的通报", "工作的函"}
	// CorpusUnits are the demo district's organs the documents belong to.
	CorpusUnits = []string{"清澜区应急管理局", "清澜区住房和城乡建设局", "清澜区发展和改革局", "清澜区农业农村局", "清澜区生态环境分局", "清澜区财政局",
		"清澜区卫生健康局", "清澜区教育局", "清源街道办事处", "澜沧镇人民政府", "清澜区市场监督管理局", "清澜区人民政府办公室"}
	corpusSentences = []string{
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

// Doc is the corpus's n-th document: a third of its body's sentences come
// from Sentences when there are any; one in twenty is classified.
func (c Corpus) Doc(n int) CorpusDoc {
	r := rand.New(rand.NewPCG(uint64(n), 0x5EA4C4))
	span := 7 * 365 * 24 * time.Hour
	at := c.Start.Add(time.Duration(float64(span) * float64(n) / float64(max(c.Docs, 1))))
	matter := corpusMatters[r.IntN(len(corpusMatters))]
	title := corpusActs[r.IntN(len(corpusActs))] + matter + corpusTails[r.IntN(len(corpusTails))]
	var b strings.Builder
	const salutation = "各镇人民政府、街道办事处，区政府各部门：\n"
	b.WriteString(salutation)
	k := 12 + r.IntN(30)
	parts := make([]string, 0, k+1)
	parts = append(parts, salutation)
	for range k {
		s := corpusSentences[r.IntN(len(corpusSentences))]
		if len(c.Sentences) > 0 && r.IntN(3) == 0 {
			s = c.Sentences[r.IntN(len(c.Sentences))]
		}
		if strings.Contains(s, "%s") {
			if r.IntN(2) == 0 {
				s = fmt.Sprintf(s, matter)
			} else {
				s = fmt.Sprintf(s, CorpusUnits[r.IntN(len(CorpusUnits))])
			}
		}
		b.WriteString(s)
		parts = append(parts, s)
	}
	organ := c.Organs[r.IntN(len(c.Organs))]
	level := 0
	if r.IntN(20) == 0 {
		level = 1 + r.IntN(2)
	}
	state := "active"
	if r.IntN(3) > 0 {
		state = "done"
	}
	return CorpusDoc{ID: CorpusID(n), OrganID: organ, Level: level, DocType: "通知", State: state, At: at, Title: title,
		Number: "清政办发〔" + strconv.Itoa(at.Year()) + "〕" + strconv.Itoa(n%900+1) + "号", Body: b.String(), Parts: parts}
}

// CorpusID is the n-th generated document's id.
func CorpusID(n int) string { return fmt.Sprintf("bench-%07d", n) }

// ReadSentences reads up to max sentences of 12 to 120 characters from a
// gzip text of one paragraph a line (the proofreader's corpus of laws and
// reports, docs/perf.md).
func ReadSentences(r io.Reader, limit int) ([]string, error) {
	z, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("read sentences: %w", err)
	}
	var out []string
	sc := bufio.NewScanner(z)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() && len(out) < limit {
		for _, s := range strings.SplitAfter(sc.Text(), "。") {
			if n := utf8.RuneCountInString(s); n >= 12 && n <= 120 && strings.HasSuffix(s, "。") {
				out = append(out, s)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read sentences: %w", err)
	}
	return out, nil
}
