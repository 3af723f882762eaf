package search

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestAnalyze(t *testing.T) {
	got := Analyze("压实第一责任人，ＧＤＰ增长5%")
	want := []string{"压实", "实第", "第一", "一责", "责任", "任人", "gdp", "增长", "5"}
	if !reflect.DeepEqual(got.Grams, want) {
		t.Errorf("grams %q", got.Grams)
	}
	if strings.Join(got.Chars, "") != "压实第一责任人增长" {
		t.Errorf("chars %q", got.Chars)
	}
}

func TestParseDocNumber(t *testing.T) {
	for _, c := range []struct {
		in   string
		want DocNumber
		ok   bool
	}{
		{"清政办发〔2026〕5号", DocNumber{"清政办发", 2026, 5}, true},
		{"清政办发[2026]5号", DocNumber{"清政办发", 2026, 5}, true},
		{"清政办发［2026］5号", DocNumber{"清政办发", 2026, 5}, true},
		{"清政办发（2026）12号", DocNumber{"清政办发", 2026, 12}, true},
		{"清政办发2026年5号", DocNumber{"清政办发", 2026, 5}, true},
		{"2026年5号", DocNumber{"", 2026, 5}, true},
		{"〔2026〕5号", DocNumber{"", 2026, 5}, true},
		{"2026年", DocNumber{}, false},
		{"清政办发〔26〕5号", DocNumber{}, false},
		{"第一责任人", DocNumber{}, false},
		{"清政办发〔2026〕0号", DocNumber{}, false},
	} {
		got, ok := ParseDocNumber(c.in)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("%s: %+v %v", c.in, got, ok)
		}
	}
	a, _ := ParseDocNumber("清政办发〔2026〕5号")
	b, _ := ParseDocNumber("2026年5号")
	if !strings.Contains(strings.Join(a.Marks(), " "), b.Mark()) {
		t.Errorf("%v does not carry %s", a.Marks(), b.Mark())
	}
}

func TestParse(t *testing.T) {
	lex := NewLexicon([]string{"清澜区应急管理局", "防汛", "预案", "应急"})
	terms := func(q Query) []string {
		var out []string
		for _, c := range q.Clauses {
			out = append(out, strings.Join(c.Terms, "+"))
		}
		return out
	}
	for _, c := range []struct {
		in    string
		terms []string
		check func(Filters) bool
	}{
		{"第一责任人", []string{"第一", "责任+任人"}, nil},
		{"王建国", []string{"王建+建国"}, nil},
		{"防汛预案", []string{"防汛", "预案"}, nil},
		{"清澜区应急管理局防汛", []string{"清澜+澜区+区应+应急+急管+管理+理局", "防汛"}, nil},
		{`"防汛预案"`, []string{"防汛+汛预+预案"}, nil},
		{"“安全生产” 区", []string{"安全+全生+生产", "区"}, nil},
		{"清政办发〔2026〕5号", []string{"nw清政办发2026n5"}, nil},
		{"清政办发 〔2026〕 5号", []string{"nw清政办发2026n5"}, nil},
		{"2026年5号", []string{"nx2026n5"}, nil},
		{"GDP 2026年度", []string{"gdp", "2026", "年度"}, nil},
		{"应急 文种:通知 状态:办结 密级:秘密 时间:2026-03", []string{"应急"}, func(f Filters) bool {
			return f.DocType == "通知" && f.State == StateDone && f.Level == 1 && f.From.Month() == 3 && f.Before.Month() == 4
		}},
		{"kind:person 王", []string{"王"}, func(f Filters) bool { return f.Kind == KindPerson && f.Level == -1 }},
		{"类型:督办 路灯", []string{"路灯"}, func(f Filters) bool { return f.Kind == KindSupervision }},
		{"类型:范文 路灯", []string{"路灯"}, func(f Filters) bool { return f.Kind == KindModelText }},
		{"kind:meeting 路灯", []string{"路灯"}, func(f Filters) bool { return f.Kind == KindMeeting }},
		{"安全生产工作方案部署", []string{"安全", "生产", "工作", "方案", "部署"}, nil},
		{"http://x", []string{"http", "x"}, nil},
	} {
		q, err := Parse(c.in, lex)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if got := terms(q); !reflect.DeepEqual(got, c.terms) {
			t.Errorf("%s: %q, want %q", c.in, got, c.terms)
		}
		if c.check != nil && !c.check(q.Filters) {
			t.Errorf("%s: filters %+v", c.in, q.Filters)
		}
	}
	for _, bad := range []string{"密级:绝密", "状态:待定", "时间:2026-13", "时间:2026..2025", strings.Repeat("字", 201), "类型:车辆"} {
		if _, err := Parse(bad, lex); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestRender(t *testing.T) {
	q, _ := Parse(`"安全生产" 2026年5号`, Lexicon{})
	if got := q.FTS5(); got != `"安全 全生 生产" AND "nx2026n5"` {
		t.Errorf("fts5 %s", got)
	}
	if got := q.TSQuery(); got != `('安全' <-> '全生' <-> '生产') & ('nx2026n5')` {
		t.Errorf("tsquery %s", got)
	}
	// The candidates' form: every token required, in no order, once.
	if got := q.TSQueryAll(); got != `'安全' & '全生' & '生产' & 'nx2026n5'` || !q.Ordered() {
		t.Errorf("tsquery, all tokens %s", got)
	}
	if w, _ := Parse("防火 2026年5号", Lexicon{}); w.Ordered() {
		t.Error("a word of one pair and a 文号 are ordered")
	}
	// Title A, number B, body D (unlabelled), a gap between fields.
	tv := AnalyzeFields("安全生产", "", "安全，安全", []string{"nx2026n5"}).TSVector()
	if tv != `'安全':1A,6,7 '全生':2A '生产':3A '安' '全' '生' '产' 'nx2026n5'` {
		t.Errorf("tsvector %s", tv)
	}
	// What the lexicon leaves between its words is asked in pairs.
	q, _ = Parse("申请文明城市创建经费", NewLexicon([]string{"城市"}))
	var texts []string
	for _, c := range q.Clauses {
		texts = append(texts, c.Text)
	}
	if strings.Join(texts, " ") != "申请 文明 城市 创建 经费" {
		t.Errorf("fragments %q", texts)
	}
}

func TestRankAndSnippet(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, cst)
	q, _ := Parse("安全生产", NewLexicon([]string{"安全生产"}))
	hits := []Hit{
		{ID: "body", Title: "关于冬季工作的通知", Body: "做好安全生产工作。", At: now},
		{ID: "title", Title: "关于安全生产的通知", Body: "做好安全生产工作。", At: now},
		{ID: "old", Title: "关于安全生产的通知", Body: "做好安全生产工作。", At: now.AddDate(-3, 0, 0)},
		{ID: "own", Title: "关于冬季工作的通知", Body: "做好安全生产工作。", At: now, Own: true},
	}
	Rank(hits, q, now)
	var ids []string
	for _, h := range hits {
		ids = append(ids, h.ID)
	}
	if !reflect.DeepEqual(ids, []string{"title", "old", "own", "body"}) {
		t.Errorf("order %v", ids)
	}
	s := Snippet(strings.Repeat("前言。", 40)+"压实安全生产责任", q.Texts())
	var marked string
	for _, g := range s {
		if g.Mark {
			marked += g.Text
		}
	}
	if marked != "安全生产" || s[0].Text != "…" {
		t.Errorf("snippet %+v", s)
	}
	f := CountFacets(hits, func(l int) string { return []string{"非密", "秘密", "机密"}[l] })
	if len(f.Year) != 2 || f.Year[0].Value != "2026" || f.Year[0].Count != 3 {
		t.Errorf("years %+v", f.Year)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"第一责任人", `"防汛" 文种:通知`, "清政办发〔2026〕5号", "时间:2026-01..2026-06", "“未闭合"} {
		f.Add(s)
	}
	lex := NewLexicon([]string{"清澜区", "防汛"})
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s, lex)
		if err != nil {
			return
		}
		for _, c := range q.Clauses {
			if len(c.Terms) == 0 {
				t.Fatalf("%q: empty clause", s)
			}
			for _, term := range c.Terms {
				if term == "" || strings.ContainsAny(term, `"' \`) {
					t.Fatalf("%q: token %q", s, term)
				}
			}
		}
		_ = q.FTS5()
		_ = q.TSQuery()
		Mark(s, q.Texts())
		Snippet(s, q.Texts())
	})
}

func FuzzParseDocNumber(f *testing.F) {
	for _, s := range []string{"清政办发〔2026〕5号", "2026年5号", "[2026]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := ParseDocNumber(s)
		if ok && (n.Seq <= 0 || n.Year < 1949) {
			t.Fatalf("%q: %+v", s, n)
		}
	})
}
