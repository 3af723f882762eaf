package search

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxQueryRunes bounds a query: a search box, not a document.
const MaxQueryRunes = 200

// maxClauses bounds how many clauses one query asks the index for.
const maxClauses = 16

// Kinds of things search finds.
const (
	KindDocument    = "document"
	KindPerson      = "person"
	KindUnit        = "unit"
	KindSupervision = "supervision_item" // 督办事项 and their progress
	KindMeeting     = "meeting"
	KindInfo        = "info_report"    // 信息报送
	KindResearch    = "research_topic" // 调研 topics and their reports
	KindModelText   = "study_entry"    // the 范文 library
	KindDutyLog     = "duty_log"       // 值班日志: a shift's log
	KindRequest     = "request"        // 用印, 用车 and the other 办事 requests
	KindStudyPlan   = "study_plan"     // 学习计划
	// KindMaterial is a 议题's 会议材料 (one entry per agenda item with
	// material), read by fewer people than its meeting.
	KindMaterial = "meeting_material"
	KindTraining = "training" // 培训 sessions
)

// Kinds are every kind, in the order the page offers them.
func Kinds() []string {
	return []string{KindDocument, KindSupervision, KindMeeting, KindInfo, KindResearch, KindModelText, KindDutyLog, KindRequest, KindStudyPlan,
		KindMaterial, KindTraining, KindPerson, KindUnit}
}

// KindLabel names a kind for the page.
func KindLabel(k string) string {
	switch k {
	case KindDocument:
		return "公文"
	case KindPerson:
		return "人员"
	case KindUnit:
		return "单位"
	case KindSupervision:
		return "督办事项"
	case KindMeeting:
		return "会议"
	case KindInfo:
		return "信息"
	case KindResearch:
		return "调研"
	case KindModelText:
		return "范文"
	case KindDutyLog:
		return "值班日志"
	case KindRequest:
		return "用印用车"
	case KindStudyPlan:
		return "学习计划"
	case KindMaterial:
		return "会议材料"
	case KindTraining:
		return "培训"
	}
	return k
}

// States of a document as a filter sees them.
const (
	StateActive = "active" // 办理中
	StateDone   = "done"   // 办结
)

// Clause is one thing every hit must contain: a phrase of index tokens in
// order (one token for a word, a character or a 文号's mark).
type Clause struct {
	Terms []string
	// Text is what the clause asks for as the reader typed it (folded): it
	// is highlighted and counted in ranking. Empty for a 文号's mark, which
	// the hit's number matches instead.
	Text string
	// Number: the clause is a 文号.
	Number *DocNumber
}

// Filters narrow a query; the zero value passes everything.
type Filters struct {
	Kind    string // one of Kinds, or ""
	DocType string // 文种 as stored (document.DocType), e.g. 通知
	Unit    string // the unit's name or a part of it
	From    time.Time
	Before  time.Time // exclusive
	State   string    // StateActive, StateDone or ""
	Level   int       // -1: any; else the 密级 (org.Classification)
}

// Query is a parsed search.
type Query struct {
	Clauses []Clause
	Filters Filters
}

// Empty reports whether the query asks for nothing (no words and no filter
// that can stand alone).
func (q Query) Empty() bool { return len(q.Clauses) == 0 }

// Lexicon is the words read whole from a query: the deployment's organ and
// unit names, places and people, and common 公文 words.
type Lexicon struct {
	words  map[string]bool
	maxLen int
}

// NewLexicon holds the given words (of two runes or more).
func NewLexicon(words ...[]string) Lexicon {
	l := Lexicon{words: map[string]bool{}}
	for _, ws := range words {
		for _, w := range ws {
			w = FoldString(strings.TrimSpace(w))
			n := utf8.RuneCountInString(w)
			if n < 2 || n > 24 {
				continue
			}
			l.words[w] = true
			l.maxLen = max(l.maxLen, n)
		}
	}
	return l
}

// Has reports whether w is a known word.
func (l Lexicon) Has(w string) bool { return l.words[w] }

// ErrQuery is the class of a query that cannot be read; its message is fit
// to show.
var ErrQuery = errors.New("无法识别的检索条件")

func queryErr(format string, a ...any) error {
	return fmt.Errorf("%w：%s", ErrQuery, fmt.Sprintf(format, a...))
}

// Parse reads a query: words (AND), exact phrases in quotes ("…", “…”,
// 「…」), a 文号 in any common form, and filters written key:value —
// 类型/kind, 文种/type, 单位/unit, 时间/period (2026, 2026-03, 2026-01..2026-06),
// 状态/state, 密级/level. Chinese runs are read with lex, longest word first;
// what lex does not know is asked as a phrase (up to four characters — most
// names and new words) or as consecutive pairs.
func Parse(raw string, lex Lexicon) (Query, error) {
	q := Query{Filters: Filters{Level: -1}}
	if utf8.RuneCountInString(raw) > MaxQueryRunes {
		return q, queryErr("检索内容不能超过%d字", MaxQueryRunes)
	}
	if !utf8.ValidString(raw) {
		return q, queryErr("检索内容含有无效字符")
	}
	words, phrases := splitQuery(raw)
	var rest []string
	for _, w := range words {
		key, val, ok := cutFilter(w)
		if !ok {
			rest = append(rest, w)
			continue
		}
		if err := q.Filters.set(key, val); err != nil {
			return q, err
		}
	}
	// The whole rest may be one 文号 typed with spaces.
	if n, ok := ParseDocNumber(strings.Join(rest, "")); ok && len(rest) > 1 {
		rest = nil
		q.Clauses = append(q.Clauses, numberClause(n))
	}
	for _, p := range phrases {
		if c, ok := phraseClause(p); ok {
			q.Clauses = append(q.Clauses, c)
		}
	}
	for _, w := range rest {
		if n, ok := ParseDocNumber(w); ok {
			q.Clauses = append(q.Clauses, numberClause(n))
			continue
		}
		q.Clauses = append(q.Clauses, wordClauses(w, lex)...)
	}
	q.Clauses = dedupe(q.Clauses)
	if len(q.Clauses) > maxClauses {
		return q, queryErr("检索词太多（最多%d个）", maxClauses)
	}
	return q, nil
}

// splitQuery separates quoted phrases from the space-separated words.
func splitQuery(s string) (words, phrases []string) {
	closers := map[rune]rune{'"': '"', '“': '”', '「': '」', '『': '』', '”': '“'}
	var cur strings.Builder
	var quote rune
	flushWord := func() {
		if cur.Len() > 0 {
			words = append(words, cur.String())
			cur.Reset()
		}
	}
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			phrases = append(phrases, cur.String())
			cur.Reset()
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case closers[r] != 0:
			flushWord()
			quote = closers[r]
		case unicode.IsSpace(r) || r == '\u3000':
			flushWord()
		default:
			cur.WriteRune(r)
		}
	}
	if quote != 0 { // an unclosed quote: its text is words
		words = append(words, strings.Fields(cur.String())...)
	} else {
		flushWord()
	}
	return words, phrases
}

func cutFilter(w string) (key, val string, ok bool) {
	w = strings.Replace(w, "：", ":", 1)
	key, val, ok = strings.Cut(w, ":")
	if !ok || key == "" || val == "" {
		return "", "", false
	}
	switch strings.ToLower(key) {
	case "kind", "类型", "type", "文种", "unit", "单位", "period", "时间", "state", "状态", "level", "密级":
		return strings.ToLower(key), val, true
	}
	return "", "", false
}

// set applies one filter.
func (f *Filters) set(key, val string) error {
	switch key {
	case "kind", "类型":
		switch val {
		case KindDocument, "公文", "文件":
			f.Kind = KindDocument
		case KindPerson, "人员", "人":
			f.Kind = KindPerson
		case KindUnit, "单位", "机构":
			f.Kind = KindUnit
		case KindSupervision, "督办", "督办事项", "督查":
			f.Kind = KindSupervision
		case KindMeeting, "会议":
			f.Kind = KindMeeting
		case KindInfo, "信息", "信息报送":
			f.Kind = KindInfo
		case KindResearch, "调研", "调研报告":
			f.Kind = KindResearch
		case KindModelText, "范文", "范文库":
			f.Kind = KindModelText
		case KindDutyLog, "值班", "值班日志":
			f.Kind = KindDutyLog
		case KindRequest, "用印", "用车", "用印用车", "办事":
			f.Kind = KindRequest
		case KindStudyPlan, "学习", "学习计划":
			f.Kind = KindStudyPlan
		case KindMaterial, "会议材料", "材料":
			f.Kind = KindMaterial
		case KindTraining, "培训":
			f.Kind = KindTraining
		default:
			return queryErr("类型只能是公文、督办、会议、会议材料、信息、调研、范文、值班、用印用车、学习计划、培训、人员或单位，而不是“%s”", val)
		}
	case "type", "文种":
		if utf8.RuneCountInString(val) > 10 {
			return queryErr("文种“%s”太长", val)
		}
		f.DocType = val
	case "unit", "单位":
		if utf8.RuneCountInString(val) > 50 {
			return queryErr("单位名称太长")
		}
		f.Unit = val
	case "period", "时间":
		from, before, err := ParsePeriod(val)
		if err != nil {
			return err
		}
		f.From, f.Before = from, before
	case "state", "状态":
		switch val {
		case StateActive, "办理中", "在办":
			f.State = StateActive
		case StateDone, "办结", "已办结":
			f.State = StateDone
		default:
			return queryErr("状态只能是办理中或办结，而不是“%s”", val)
		}
	case "level", "密级":
		l, ok := ParseLevel(val)
		if !ok {
			return queryErr("密级只能是非密、秘密或机密，而不是“%s”", val)
		}
		f.Level = l
	}
	return nil
}

// ParseLevel reads a 密级 filter value.
func ParseLevel(s string) (int, bool) {
	switch s {
	case "0", "非密", "公开":
		return 0, true
	case "1", "秘密":
		return 1, true
	case "2", "机密":
		return 2, true
	}
	return 0, false
}

// ParsePeriod reads 2026, 2026-03, 2026-03-05 or a range a..b of those, as
// [from, before) in the deployment's time zone (China Standard Time).
func ParsePeriod(s string) (from, before time.Time, err error) {
	a, b, isRange := strings.Cut(s, "..")
	if !isRange {
		b = a
	}
	from, _, err = periodBounds(a)
	if err != nil {
		return
	}
	_, before, err = periodBounds(b)
	if err != nil {
		return
	}
	if !before.After(from) {
		err = queryErr("时间段“%s”的结束早于开始", s)
	}
	return
}

var cst = time.FixedZone("CST", 8*3600)

func periodBounds(s string) (from, before time.Time, err error) {
	s = strings.TrimSpace(s)
	for _, f := range []struct {
		layout string
		next   func(time.Time) time.Time
	}{
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
		{"2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
	} {
		if len(s) != len(f.layout) {
			continue
		}
		t, perr := time.ParseInLocation(f.layout, s, cst)
		if perr == nil && t.Year() >= 1949 && t.Year() <= 2999 {
			return t, f.next(t), nil
		}
	}
	return from, before, queryErr("时间“%s”应写作2026、2026-03或2026-03-05，时间段写作2026-01..2026-06", s)
}

func numberClause(n DocNumber) Clause {
	return Clause{Terms: []string{n.Mark()}, Number: &n}
}

// phraseClause asks for p exactly: its tokens in order.
func phraseClause(p string) (Clause, bool) {
	t := Analyze(p)
	switch {
	case len(t.Grams) > 0:
		return Clause{Terms: t.Grams, Text: FoldString(strings.TrimSpace(p))}, true
	case len(t.Chars) == 1:
		return Clause{Terms: t.Chars, Text: t.Chars[0]}, true
	}
	return Clause{}, false
}

// wordClauses reads one space-separated word: letters and digits as words,
// Chinese runs segmented with lex.
func wordClauses(w string, lex Lexicon) []Clause {
	var out []Clause
	forRuns(w, func(run []rune, han bool) {
		if !han {
			s := string(run)
			out = append(out, Clause{Terms: []string{s}, Text: s})
			return
		}
		for _, seg := range segment(run, lex) {
			if c, ok := phraseClause(seg); ok {
				out = append(out, c)
			}
		}
	})
	return out
}

// segment splits a Chinese run into what is asked as phrases: the words lex
// knows, longest first from the left, and between them what it does not
// know — whole up to four characters, else in consecutive pairs (the last
// of three), so that 防汛抗旱工作方案 still finds 防汛 … 工作方案.
func segment(run []rune, lex Lexicon) []string {
	var out []string
	var unknown []rune
	flush := func() {
		if len(unknown) == len(run) {
			out = append(out, splitUnknown(unknown)...)
		} else {
			out = append(out, splitFragment(unknown)...)
		}
		unknown = nil
	}
	for i := 0; i < len(run); {
		n := 0
		for l := min(lex.maxLen, len(run)-i); l >= 2; l-- {
			if lex.words[string(run[i:i+l])] {
				n = l
				break
			}
		}
		if n == 0 {
			unknown = append(unknown, run[i])
			i++
			continue
		}
		flush()
		out = append(out, string(run[i:i+n]))
		i += n
	}
	flush()
	return out
}

func splitUnknown(rs []rune) []string {
	if len(rs) == 0 {
		return nil
	}
	if len(rs) <= 4 {
		return []string{string(rs)}
	}
	var out []string
	for len(rs) > 0 {
		n := 2
		if len(rs) == 3 {
			n = 3
		}
		out = append(out, string(rs[:n]))
		rs = rs[n:]
	}
	return out
}

// splitFragment splits what lex left between known words: in consecutive
// pairs (the last of three), since such a piece is seldom a word of its
// own — 申请文明城市创建经费 asks 申请 文明 城市 创建 经费, not the phrase
// 申请文明, and still finds 申请文明城市创建专项经费.
func splitFragment(rs []rune) []string {
	if len(rs) <= 3 {
		return splitUnknown(rs)
	}
	var out []string
	for len(rs) > 0 {
		n := 2
		if len(rs) == 3 {
			n = 3
		}
		out = append(out, string(rs[:n]))
		rs = rs[n:]
	}
	return out
}

func dedupe(cs []Clause) []Clause {
	seen := map[string]bool{}
	out := cs[:0]
	for _, c := range cs {
		k := strings.Join(c.Terms, " ")
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, c)
	}
	return out
}

// FTS5 renders the clauses as an SQLite FTS5 MATCH expression: each a
// quoted phrase, all required. Tokens are letters, digits and Chinese
// characters only, so quoting needs no escapes.
func (q Query) FTS5() string {
	parts := make([]string, 0, len(q.Clauses))
	for _, c := range q.Clauses {
		parts = append(parts, `"`+strings.Join(c.Terms, " ")+`"`)
	}
	return strings.Join(parts, " AND ")
}

// TSQuery renders the clauses as a PostgreSQL tsquery literal (read by the
// tsquery type, not by a text search parser): phrases with <->, all required.
func (q Query) TSQuery() string {
	parts := make([]string, 0, len(q.Clauses))
	for _, c := range q.Clauses {
		ts := make([]string, len(c.Terms))
		for i, t := range c.Terms {
			ts[i] = quoteLexeme(t)
		}
		parts = append(parts, "("+strings.Join(ts, " <-> ")+")")
	}
	return strings.Join(parts, " & ")
}

// Ordered reports whether a clause asks for more than one token in order
// (a phrase): TSQueryAll does not check the order, TSQuery does.
func (q Query) Ordered() bool {
	for _, c := range q.Clauses {
		if len(c.Terms) > 1 {
			return true
		}
	}
	return false
}

// TSQueryAll renders every token of every clause as required, in no order:
// what PostgreSQL's GIN index answers exactly, without reading an entry's
// tsvector (a phrase, <->, has to be checked on each entry's positions).
// Every entry TSQuery matches matches it too, so the newest entries that
// match TSQuery are found by checking TSQuery on the newest that match
// this, in order, until enough are found.
func (q Query) TSQueryAll() string {
	var parts []string
	seen := map[string]bool{}
	for _, c := range q.Clauses {
		for _, t := range c.Terms {
			if !seen[t] {
				seen[t] = true
				parts = append(parts, quoteLexeme(t))
			}
		}
	}
	return strings.Join(parts, " & ")
}

// FTS5Text renders tokens as the text of the FTS5 column: tokens separated
// by spaces, grams first in order so that phrases match.
func FTS5Text(t Tokens, marks []string) string {
	all := make([]string, 0, len(t.Grams)+len(t.Chars)+len(marks))
	all = append(append(append(all, t.Grams...), t.Chars...), marks...)
	return strings.Join(all, " ")
}

// quoteLexeme quotes a token for tsvector and tsquery literals. Tokens hold
// no quotes or backslashes, but a literal is escaped anyway.
func quoteLexeme(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
