package proofread

import (
	"slices"
	"strings"
	"sync"
	"testing"
)

// The language data takes most of a second to load; the tests share one
// Checker (and derive others from it with With).
var (
	testOnce    sync.Once
	testChecker *Checker
	testErr     error
)

func checker(t testing.TB) *Checker {
	t.Helper()
	testOnce.Do(func() { testChecker, testErr = New(Config{}) })
	if testErr != nil {
		t.Fatal(testErr)
	}
	return testChecker
}

// want is one expected finding: the rule, the flagged text and, if not
// empty, the suggestion.
type want struct {
	rule, text, suggestion string
}

func findRule(fs []Finding, w want) bool {
	for _, f := range fs {
		if f.Rule == w.rule && f.Text == w.text && (w.suggestion == "" || f.Suggestion == w.suggestion) {
			return true
		}
	}
	return false
}

func TestCheckFindsErrors(t *testing.T) {
	c := checker(t)
	tests := []struct {
		name string
		in   string
		want []want
	}{
		{"known misspelling", "领导要发号司令。", []want{{"T01", "发号司令", "发号施令"}}},
		{"己经", "他己经完成了任务。", []want{{"T01", "己经", "已经"}}},
		{"截止目前", "截止目前，已完成80%。", []want{{"T01", "截止目前", "截至目前"}}},
		{"截止 before a date", "截止2024年底，全市共有企业100家。", []want{{"T05", "截止", "截至"}}},
		{"pinyin typo", "要加快建射现代化经济体系。", []want{{"T03", "射", "设"}}},
		{"pinyin typo in an idiom", "要应地制宜推进工作。", []want{{"T03", "应", "因"}}},
		{"的 before verb", "各单位要认真的做好防汛工作。", []want{{"T04", "的", "地"}}},
		{"的 before degree", "这项工作做的很好。", []want{{"T04", "的", "得"}}},
		{"half-width comma", "会议决定,明天召开.", []want{{"P01", ",", "，"}, {"P01", ".", "。"}}},
		{"doubled comma", "会议决定，，明天召开。", []want{{"P13", "，，", "，"}}},
		{"ellipsis", "包括水、电、气...等", []want{{"P04", "...", "……"}}},
		{"single ellipsis", "包括水、电、气…等", []want{{"P04", "…", "……"}}},
		{"dash", "这是一个问题--必须解决", []want{{"P04", "--", "——"}}},
		{"unclosed quote", "他说：“加强管理。", []want{{"P02", "“", ""}}},
		{"nested double quote", "要落实“三个一“要求。", []want{{"P03", "“", ""}}},
		{"unopened bracket", "见附件）。", []want{{"P02", "）", ""}}},
		{"book titles with 顿号", "学习《条例》、《办法》。", []want{{"P05", "、", ""}}},
		{"space between Han", "加强 管理工作。", []want{{"P12", " ", ""}}},
		{"doubled character", "我们到到会场开会。", []want{{"P08", "到", ""}}},
		{"a reduplication that breaks a word", "各有限责任公公司要优化营商环环境。", []want{{"P08", "公", ""}, {"P08", "环", ""}}},
		{"doubled word", "要进一步进一步加强管理。", []want{{"P09", "进一步", ""}}},
		{"其它", "其它事项另行通知。", []want{{"W01", "其它", "其他"}}},
		{"outdated organ", "经国土资源部批准。", []want{{"W05", "国土资源部", "自然资源部"}}},
		{"variant word", "按照有关规定办理，不计报酬，辈份相同。", []want{{"W03", "辈份", "辈分"}}},
		{"full-width digits", "全市共有２０２４家企业。", []want{{"U01", "２０２４", "2024"}}},
		{"range with hyphen", "每组5-10人。", []want{{"U02", "-", "～"}}},
		{"year range", "2021-2025年规划", []want{{"U02", "-", "—"}}},
		{"percent range", "增长20～30%。", []want{{"U03", "20～30%", "20%～30%"}}},
		{"百分之 with digits", "增长百分之5。", []want{{"U04", "百分之5", "5%"}}},
		{"约…左右", "约50人左右参加。", []want{{"U05", "约50人左右", ""}}},
		{"letter O in year", "二O二四年", []want{{"U06", "二O二四年", "二〇二四年"}}},
		{"approximate with 顿号", "需要三、四个人。", []want{{"P06", "、", ""}}},
		{"heading separator", "一.总体要求\n二、主要任务", []want{{"N01", ".", "、"}}},
		{"half-width bracket heading", "一、总体要求\n(一)指导思想", []want{{"N02", "(一)", "（一）"}}},
		{"comma after bracket", "一、总体要求\n（一）、指导思想", []want{{"N02", "、", ""}}},
		{"level 3 with 顿号", "一、总体要求\n1、指导思想", []want{{"N03", "、", "."}}},
		{"skipped number", "一、总体要求\n三、主要任务", []want{{"N06", "三、", "二、"}}},
		{"repeated number", "一、总体要求\n（一）指导思想\n（一）基本原则", []want{{"N06", "（一）", ""}}},
		{"skipped level", "一、总体要求\n（1）指导思想", []want{{"N05", "（1）", ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := c.Check(tt.in)
			for _, w := range tt.want {
				if !findRule(fs, w) {
					t.Errorf("Check(%q): want %s on %q (suggest %q); got %+v", tt.in, w.rule, w.text, w.suggestion, fs)
				}
			}
		})
	}
}

// Correct 公文 sentences must come back clean: the proofreader is only
// useful if clerks can trust it.
func TestCheckCleanText(t *testing.T) {
	c := checker(t)
	clean := []string{
		"为深入贯彻落实党中央、国务院决策部署，进一步优化营商环境，现就有关事项通知如下。",
		"一、总体要求\n（一）指导思想\n（二）基本原则\n二、主要任务\n1.加强组织领导\n2.强化督促检查\n（1）建立台账\n（2）定期通报",
		"截至2024年6月底，全市共有市场主体12.5万户，同比增长8.3%。",
		"会议于9:30开始，请各单位认真做好准备工作。",
		"各单位要扎扎实实推进各项工作，常常研究研究新情况。",
		"请于2024年1月5日前将材料报送市政府办公室（联系电话：0571-87654321）。",
		"他说：“要落实‘三个一’要求。”",
		"学习《中华人民共和国公务员法》《党政机关公文处理工作条例》。",
		"人人参与、人人尽力、人人享有。",
		"年年有余，天天向上，大大提高了办事效率，事事有落实，件件有回音，层层压实责任。",
		"2021—2025年，每组5～10人，增长20%～30%。",
	}
	for _, s := range clean {
		if fs := c.Check(s); len(fs) > 0 {
			t.Errorf("Check(%q) = %+v, want no findings", s, fs)
		}
	}
}

func TestCheckDocument(t *testing.T) {
	c := checker(t)
	doc := Document{
		DocType:   "请示",
		DocNumber: "某政发[2024]第05号",
		Title:     "关于申请专项经费的请示。",
		To:        "市人民政府、市财政局:",
		Body: []Paragraph{
			{Text: "为做好防汛工作，现将有关事项请示如下。"},
			{Text: "一、基本情况", Level: 1},
			{Text: "三、经费需求", Level: 1},
		},
		Attachments: "附件:1、经费预算表。\n3.项目清单",
		Date:        "2024年01月05日",
		CC:          "抄送：市委办公室",
	}
	fs := c.CheckDocument(doc)
	type pw struct {
		part Part
		rule string
	}
	wants := []pw{
		{PartDocNumber, "F01"}, {PartDocNumber, "F02"},
		{PartTitle, "F08"},
		{PartTo, "F11"},
		{PartBody, "N06"},
		{PartAttachments, "F16"},
		{PartDate, "F07"},
		{PartCC, "F18"},
	}
	for _, w := range wants {
		if !slices.ContainsFunc(fs, func(f DocFinding) bool { return f.Part == w.part && f.Rule == w.rule }) {
			t.Errorf("CheckDocument: want %s in %s; got %+v", w.rule, w.part, fs)
		}
	}
	for _, f := range fs {
		if f.Part == PartDocNumber && f.Rule == "F02" && (f.Suggestion != "5号" || f.Text != "第05号") {
			t.Errorf("doc number finding %+v, want 第05号 → 5号", f)
		}
		if f.Part == PartDate && f.Suggestion != "2024年1月5日" {
			t.Errorf("date suggestion = %q, want 2024年1月5日", f.Suggestion)
		}
		if f.Part == PartBody && f.Index != 2 {
			t.Errorf("body finding %+v on paragraph %d, want 2", f, f.Index)
		}
	}
}

func TestCheckDocumentClean(t *testing.T) {
	c := checker(t)
	doc := Document{
		DocType:     "通知",
		DocNumber:   "国办发〔2024〕12号",
		Title:       "国务院办公厅关于进一步优化营商环境的通知",
		To:          "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
		Body:        []Paragraph{{Text: "一、总体要求"}, {Text: "（一）指导思想。坚持稳中求进工作总基调。"}, {Text: "二、主要任务"}},
		Attachments: "附件：1.重点任务分工表\n2.工作联系人名单",
		Date:        "2024年3月5日",
		CC:          "抄送：中共中央办公厅。",
	}
	if fs := c.CheckDocument(doc); len(fs) > 0 {
		t.Errorf("CheckDocument(clean) = %+v, want none", fs)
	}
}

func TestDocNumberAndDateForms(t *testing.T) {
	c := checker(t)
	tests := []struct {
		number, want string
	}{
		{"国发〔2024〕1号", ""},
		{"国发[2024]1号", "〔2024〕"},
		{"国发【2024】1号", "〔2024〕"},
		{"国发（2024）1号", "〔2024〕"},
		{"国发﹝2024﹞1号", "〔2024〕"},
		{"国发〔2024〕第01号", "1号"},
		{"国发〔24〕1号", "2024"},
	}
	for _, tt := range tests {
		fs := c.CheckDocument(Document{DocNumber: tt.number})
		if tt.want == "" {
			if len(fs) > 0 {
				t.Errorf("%s: got %+v, want none", tt.number, fs)
			}
			continue
		}
		if len(fs) == 0 || fs[0].Suggestion != tt.want {
			t.Errorf("%s: got %+v, want suggestion %s", tt.number, fs, tt.want)
		}
	}
	dates := []struct{ in, want string }{
		{"2024年1月5日", ""},
		{"2024.01.05", "2024年1月5日"},
		{"2024-1-5", "2024年1月5日"},
		{"2024年01月05日", "2024年1月5日"},
		{"二〇二四年一月五日", "2024年1月5日"},
		{"2024年2月30日", "-"},
	}
	for _, tt := range dates {
		fs := c.CheckDocument(Document{Date: tt.in})
		switch {
		case tt.want == "" && len(fs) > 0:
			t.Errorf("%s: got %+v, want none", tt.in, fs)
		case tt.want == "-" && len(fs) == 0:
			t.Errorf("%s: want a finding", tt.in)
		case tt.want != "" && tt.want != "-" && (len(fs) == 0 || fs[0].Suggestion != tt.want):
			t.Errorf("%s: got %+v, want suggestion %s", tt.in, fs, tt.want)
		}
	}
}

func TestDisabledRules(t *testing.T) {
	base := checker(t)
	c, err := base.With(Config{Disabled: []string{"punctuation", "T01"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range c.Check("会议决定,要发号司令.") {
		if f.Category == CategoryPunctuation || f.Rule == "T01" {
			t.Errorf("disabled rule reported: %+v", f)
		}
	}
}

func TestIgnoreIsStable(t *testing.T) {
	c := checker(t)
	fs := c.Check("其它事项另行通知。")
	if len(fs) != 1 {
		t.Fatalf("got %+v, want one finding", fs)
	}
	key := fs[0].Key()
	// After an unrelated edit the same finding has moved but keeps its key.
	edited := c.Check("此外，其它事项另行通知。")
	if got := Filter(edited, []string{key}); len(got) != 0 {
		t.Errorf("Filter after edit = %+v, want none", got)
	}
	doc := Document{Body: []Paragraph{{Text: "其它事项另行通知。"}}, Ignore: []string{key}}
	if got := c.CheckDocument(doc); len(got) != 0 {
		t.Errorf("CheckDocument with ignore = %+v, want none", got)
	}
}

func TestCustomLists(t *testing.T) {
	c, err := checker(t).With(Config{
		Organs:  []Replacement{{Wrong: "市经信委", Right: "市经济和信息化局"}},
		Leaders: []Leader{{Name: "王伟东", Titles: []string{"市长"}}},
		Banned:  []Replacement{{Wrong: "绝对领先", Message: "广告用语，公文慎用"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	fs := c.Check("市经信委要绝对领先。副书记王伟东同志指出，市长王卫东强调。")
	for _, w := range []want{{"C01", "市经信委", "市经济和信息化局"}, {"C03", "绝对领先", ""}, {"C02", "王卫东", "王伟东"}, {"C02", "王伟东", ""}} {
		if !findRule(fs, w) {
			t.Errorf("want %s on %q; got %+v", w.rule, w.text, fs)
		}
	}
	if _, err := checker(t).With(Config{Leaders: []Leader{{Name: "王"}}}); err == nil {
		t.Error("a one-character leader name was accepted")
	}
}

// A leader's title is checked exactly, before and after the name: a wrong
// title that ends with a right one (副区长 for 区长) is no longer missed.
func TestLeaderTitles(t *testing.T) {
	c, err := checker(t).With(Config{Leaders: []Leader{
		{Name: "王伟东", Titles: []string{"区长"}},
		{Name: "李红梅", Titles: []string{"区委副书记", "常务副区长"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		text  string
		wrong bool
	}{
		{"区长王伟东主持会议。", false},
		{"副区长王伟东主持会议。", true},
		{"王伟东区长主持会议。", false},
		{"王伟东副区长主持会议。", true},
		{"区委书记王伟东主持会议。", true},
		{"王伟东同志主持会议。", false},
		{"会议由王伟东主持。", false},
		{"区委副书记李红梅出席。", false},
		{"副书记李红梅出席。", false}, // 区委副书记 without 区委
		{"副区长李红梅出席。", false}, // 常务副区长 without 常务
		{"常务副区长李红梅出席。", false},
		{"区长李红梅出席。", true}, // 常务副区长 is no 区长
		{"区委书记李红梅出席。", true},
		{"李红梅区长出席。", true},
	} {
		got := false
		for _, f := range c.Check(tc.text) {
			if f.Rule == "C02" && f.Suggestion == "" {
				got = true
			}
		}
		if got != tc.wrong {
			t.Errorf("%s: title flagged %v, want %v", tc.text, got, tc.wrong)
		}
	}
}

// The typo check leaves the deployment's own names and the project's 公文
// terms alone.
func TestTypoProtectsOwnNames(t *testing.T) {
	base, err := checker(t).With(Config{}) // its own copy: the test changes its thresholds
	if err != nil {
		t.Fatal(err)
	}
	// An eager checker, so that the words below are questioned without
	// their protection whatever the tuned thresholds are.
	eager := defaultLMParams
	eager.First, eager.More, eager.Min = -3, -3, -3
	base.lmp = &eager
	const text = "抗疫一线的同志们辛苦了。"
	for _, f := range base.Check(text) {
		if f.Category == CategoryTypo && f.Start <= 1 && f.End >= 1 {
			t.Errorf("the 公文 term 抗疫 was questioned: %+v", f)
		}
	}
	// Whatever the trigram model thinks of a name, the office's roster
	// wins.
	const name = "史达福"
	text2 := name + "在调研时强调，要狠抓落实。"
	questioned := func(c *Checker) bool {
		for _, f := range c.Check(text2) {
			if f.Category == CategoryTypo && f.Start < len([]rune(name)) {
				return true
			}
		}
		return false
	}
	if !questioned(base) {
		t.Fatalf("%s is not questioned even without the roster: pick another name for this test", name)
	}
	c, err := base.With(Config{Leaders: []Leader{{Name: name}}})
	if err != nil {
		t.Fatal(err)
	}
	c.lmp = &eager
	if questioned(c) {
		t.Errorf("leader %s questioned as a typo", name)
	}
	c, err = base.With(Config{Organs: []Replacement{{Wrong: "史达福办", Right: name}}})
	if err != nil {
		t.Fatal(err)
	}
	c.lmp = &eager
	if questioned(c) {
		t.Errorf("organ name %s questioned as a typo", name)
	}
}

func TestFindingsInRange(t *testing.T) {
	c := checker(t)
	for _, s := range []string{"", "\n\n", "一、", "（", "\xff\xfe中文", "a,b", strings.Repeat("的", 100)} {
		for _, f := range c.Check(s) {
			if f.Start < 0 || f.End > len([]rune(s)) || f.Start > f.End {
				t.Errorf("Check(%q): finding out of range %+v", s, f)
			}
		}
	}
}

// Every rule a finding can carry is listed by Rules, with its category, so
// that a settings page can offer it.
func TestRulesListed(t *testing.T) {
	c, err := checker(t).With(Config{
		Organs:  []Replacement{{Wrong: "市经信委", Right: "市经济和信息化局"}},
		Leaders: []Leader{{Name: "王伟东", Titles: []string{"市长"}}},
		Banned:  []Replacement{{Wrong: "绝对领先"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]Category{}
	for _, r := range Rules() {
		if _, dup := listed[r.ID]; dup {
			t.Errorf("rule %s listed twice", r.ID)
		}
		listed[r.ID] = r.Category
	}
	text := "要发号司令,截止2024年底，要认真的做好...“三个一“要求，到到会场，其它事项，辈份，２０２４年，5-10人，" +
		"20～30%，百分之5，约50人左右，二O二四年，三、四个人。市经信委绝对领先，市长王卫东，副书记王伟东。加强 管理，，" +
		"学习《条例》、《办法》。要加快建射现代化经济体系。经国土资源部批准。主题词\n一.总体要求\n三、任务\n（1）"
	var fs []Finding
	fs = append(fs, c.Check(text)...)
	for _, df := range c.CheckDocument(Document{DocType: "请示", DocNumber: "国发[24]第01号", Title: "关于××的申请。",
		To: "市政府、市财政局:", Attachments: "附件:1、方案。", Date: "2024.1.5", CC: "抄报：市委"}) {
		fs = append(fs, df.Finding)
	}
	seen := map[string]bool{}
	for _, f := range fs {
		seen[f.Rule] = true
		if cat, ok := listed[f.Rule]; !ok || cat != f.Category {
			t.Errorf("finding rule %s (%s) is not listed by Rules() with that category", f.Rule, f.Category)
		}
	}
	if len(seen) < 30 {
		t.Errorf("only %d rules fired on the sample; want most of them: %v", len(seen), seen)
	}
}

// One Checker serves many requests at once.
func TestConcurrentUse(t *testing.T) {
	c := checker(t)
	in := "截止目前，我们要认真的做好各项工作,要加快建射现代化经济体系。\n一、总体要求\n三、主要任务"
	want := c.Check(in)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				if got := c.Check(in); !slices.Equal(got, want) {
					t.Errorf("concurrent Check differs: %+v", got)
					return
				}
				c.CheckDocument(Document{Title: "关于……的通知。", Body: []Paragraph{{Text: in}}})
			}
		}()
	}
	wg.Wait()
}

func TestTypoEdits(t *testing.T) {
	text := []rune("我们己经完成了部暑工作")
	for _, tc := range []struct {
		name      string
		fs        []Finding
		positions []int
		corrected string
	}{
		{"none", nil, nil, "我们己经完成了部暑工作"},
		{"one character", []Finding{{Start: 2, End: 3, Category: CategoryTypo, Suggestion: "已"}}, []int{2}, "我们已经完成了部暑工作"},
		{"a word, one character changed", []Finding{{Start: 7, End: 9, Category: CategoryTypo, Suggestion: "部署"}}, []int{8}, "我们己经完成了部署工作"},
		{"no suggestion flags the span", []Finding{{Start: 2, End: 4, Category: CategoryTypo}}, []int{2, 3}, "我们己经完成了部暑工作"},
		{"other categories ignored", []Finding{{Start: 2, End: 3, Category: CategoryPunctuation, Suggestion: "，"}}, nil, "我们己经完成了部暑工作"},
		{"overlapping findings counted once", []Finding{{Start: 2, End: 3, Category: CategoryTypo, Suggestion: "已"}, {Start: 2, End: 4, Category: CategoryTypo, Suggestion: "已经"}}, []int{2}, "我们已经完成了部暑工作"},
		{"out of range ignored", []Finding{{Start: 10, End: 12, Category: CategoryTypo, Suggestion: "作品"}}, nil, "我们己经完成了部暑工作"},
	} {
		pos, got := TypoEdits(text, tc.fs)
		if !slices.Equal(pos, tc.positions) || string(got) != tc.corrected {
			t.Errorf("%s: got %v %q, want %v %q", tc.name, pos, string(got), tc.positions, tc.corrected)
		}
	}
	if string(text) != "我们己经完成了部暑工作" {
		t.Error("TypoEdits changed its input")
	}
}

// TestLookAlikes: the shape look-alikes issue 13 names are in the 形近字表
// and are caught where the context decides them, and left alone in the
// words they belong to.
func TestLookAlikes(t *testing.T) {
	c := checker(t)
	for _, p := range [][2]rune{{'己', '已'}, {'已', '巳'}, {'戊', '戌'}, {'戌', '戍'}, {'戊', '戍'}, {'末', '未'}, {'拔', '拨'}} {
		if !slices.Contains(c.lm.chars[p[0]].shape, p[1]) || !slices.Contains(c.lm.chars[p[1]].shape, p[0]) {
			t.Errorf("%c/%c are not look-alikes in the 形近字表", p[0], p[1])
		}
	}
	for _, tc := range []struct {
		text, wrong, right string // right "": nothing flagged
	}{
		{"推进国家治理体系和治理能力现代化己势在必行。", "己", "已"},
		{"这项工作己全面完成。", "己", "已"},
		{"财政资金已拔付到位。", "拔付", "拨付"},
		{"坚持选拨优秀人才。", "选拨", "选拔"},
		{"卫戌部队完成任务。", "卫戌", "卫戍"},
		{"戊戍变法失败了。", "戊戍", "戊戌"},
		{"此事末能按期完成。", "末", "未"},
		{"末按规定程序报批的，责令改正。", "末", "未"},
		{"克己奉公，严于律己，以天下为己任。", "", ""},
		{"他自己有办法，知己知彼。", "", ""},
		{"周末经常加班，年末完成全年目标任务。", "", ""},
		{"戊戌变法以后，卫戍部队拨付经费，提拔干部。", "", ""},
	} {
		var typos []Finding
		for _, f := range c.Check(tc.text) {
			if f.Category == CategoryTypo {
				typos = append(typos, f)
			}
		}
		if tc.right == "" {
			if len(typos) > 0 {
				t.Errorf("%s: flagged %+v", tc.text, typos)
			}
			continue
		}
		if !slices.ContainsFunc(typos, func(f Finding) bool { return f.Text == tc.wrong && f.Suggestion == tc.right }) {
			t.Errorf("%s: %s → %s not flagged (%+v)", tc.text, tc.wrong, tc.right, typos)
		}
	}
}

// TestPersonNames: a name before 同志, 先生 or 女士 (or by a title, see
// personNameAt) is not a typo, whatever
// the models think of it; the same characters elsewhere still are.
func TestPersonNames(t *testing.T) {
	base := checker(t)
	eager := defaultLMParams
	eager.First, eager.More, eager.Min = -3, -3, -3
	c := *base
	c.lmp = &eager
	typoIn := func(text string, s, e int) bool {
		for _, f := range c.Check(text) {
			if f.Category == CategoryTypo && f.Start < e && f.End > s {
				return true
			}
		}
		return false
	}
	if !typoIn("请史达福牵头落实。", 1, 4) {
		t.Fatal("史达福 is not questioned even without 同志: pick another name for this test")
	}
	for _, text := range []string{"史达福同志在调研时强调，要狠抓落实。", "会议由史达福同志主持。", "史达福先生出席。"} {
		if s := strings.Index(text, "史达福"); typoIn(text, len([]rune(text[:s])), len([]rune(text[:s]))+3) {
			t.Errorf("%s: the name 史达福 questioned", text)
		}
	}
	for _, tc := range []struct {
		text string
		s, e int
		want bool
	}{
		{"史达福同志", 0, 3, true}, {"史达福同志", 1, 2, true}, {"王伟同志", 0, 2, true}, {"达福同志", 0, 2, false},
		{"史达福在会上", 0, 3, false}, {"史达福同", 0, 3, false}, {"请史达福女士", 1, 4, true},
		// Titles before and after, and what a leader did.
		{"区长黎健明主持", 2, 5, true}, {"褚福伟书记", 0, 3, true}, {"农丽副区长", 1, 2, true}, {"会议由秦琳主持", 3, 5, true},
		{"师福强指出", 1, 2, true}, {"达福书记", 0, 2, false}, {"请史达福牵头", 1, 4, false},
	} {
		if got := personNameAt([]rune(tc.text), tc.s, tc.e); got != tc.want {
			t.Errorf("personNameAt(%s, %d, %d) = %v", tc.text, tc.s, tc.e, got)
		}
	}
}

// TestOfficialPhrases: the set phrases of official writing that were false
// alarms before the character model (issue 13) are left alone.
func TestOfficialPhrases(t *testing.T) {
	c := checker(t)
	if c.CharModelEntries() == nil || c.NgramModelPath() == "" {
		t.Skip("the ranker needs the character and trigram models")
	}
	for _, text := range []string{
		"全面贯彻党的二十届三中全会精神。",
		"有效防范化解地方政府隐性债务风险。",
		"积极稳妥化解地方隐性债务。",
		"史达福同志任市发展改革委主任。",
	} {
		for _, f := range c.Check(text) {
			if f.Category == CategoryTypo {
				t.Errorf("%s: %+v", text, f)
			}
		}
	}
}

// TestWideLook: a sentence with one confident correction gets a second,
// wider look (widen) that finds slips the first look does not question —
// here characters neither listed nor of the same sound — and only in that
// sentence.
func TestWideLook(t *testing.T) {
	c := checker(t)
	if c.CharModelEntries() == nil || c.NgramModelPath() == "" {
		t.Skip("the ranker needs the character and trigram models")
	}
	for _, tc := range []struct {
		text string
		want []string // flagged text → suggestion, in order
	}{
		{"请认真组只实施，加强玉有资产管理。", []string{"只→织", "玉→国"}},
		{"各地要认真组只实施，推厂应用新技术。", []string{"只→织", "厂→广"}},
		{"各部门要统愁规划，通辻人人参与，实现人人共享。", []string{"愁→筹", "辻→过"}},
		// Another sentence is not looked at again.
		{"各地要认真组只实施。推厂应用新技术。", []string{"只→织"}},
		// Nor is one with no confident correction.
		{"各地要推厂应用新技术。", nil},
		{"通辻人人参与，实现人人共享。", nil},
	} {
		var got []string
		for _, f := range c.Check(tc.text) {
			if f.Category == CategoryTypo {
				got = append(got, f.Text+"→"+f.Suggestion)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.text, got, tc.want)
		}
	}
}
