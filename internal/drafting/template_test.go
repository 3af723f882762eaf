package drafting

import (
	"slices"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/document"
)

// TestTemplates: the usual phrasing per 文种 as the 条例 and offices have it.
func TestTemplates(t *testing.T) {
	tests := []struct {
		typ                     document.DocType
		title, opening, closing string
		elements                []string // must include
		notElements             []string
		note                    string
	}{
		{document.Request, "关于××的请示", "现就××事项请示如下：", "妥否，请批示。",
			[]string{"主送机关", "发文字号", "发文机关署名", "印章", "附注（联系人及电话）"}, nil, "一文一事"},
		{document.Report, "关于××情况的报告", "报告如下：", "特此报告。", []string{"主送机关", "发文字号"}, []string{"附注（联系人及电话）"}, "不得夹带请示事项"},
		{document.Notice, "关于××的通知", "通知如下：", "特此通知。", []string{"主送机关", "印章"}, nil, ""},
		{document.Letter, "关于××的函", "函商如下：", "请予支持为盼，并请函复。", []string{"主送机关", "发文机关署名"}, nil, "复函"},
		{document.Approval, "关于××的批复", "收悉。经研究，现批复如下：", "此复。", []string{"主送机关"}, nil, ""},
		{document.Minutes, "××会议纪要", "现纪要如下：", "", []string{"标题", "正文", "成文日期"}, []string{"发文机关署名", "印章", "发文字号", "主送机关"}, "不加盖印章"},
		{document.Announcement, "××公告", "××。", "", []string{"发文字号", "印章"}, []string{"主送机关"}, ""},
	}
	for _, tc := range tests {
		t.Run(string(tc.typ), func(t *testing.T) {
			tp, ok := For(tc.typ)
			if !ok {
				t.Fatal("no template")
			}
			if tp.Title != tc.title || !strings.HasSuffix(tp.Opening, tc.opening) || tp.Closing != tc.closing {
				t.Errorf("got %q / %q / %q", tp.Title, tp.Opening, tp.Closing)
			}
			for _, e := range tc.elements {
				if !slices.Contains(tp.Elements, e) {
					t.Errorf("elements %v lack %s", tp.Elements, e)
				}
			}
			for _, e := range tc.notElements {
				if slices.Contains(tp.Elements, e) {
					t.Errorf("elements %v have %s", tp.Elements, e)
				}
			}
			if tc.note != "" && !containsNote(tp.Notes, tc.note) {
				t.Errorf("notes %v lack %s", tp.Notes, tc.note)
			}
			if tc.closing != "" && !strings.HasSuffix(tp.Text(), "\n"+tc.closing) {
				t.Errorf("text does not end with the closing: %q", tp.Text())
			}
		})
	}
	if _, ok := For("memo"); ok {
		t.Error("a template for an unknown 文种")
	}
}

// TestTemplatesFollowTheRules: every 文种 of the rules has a template whose
// title ends with the 文种, whose elements match the rule, and whose text
// raises none of the phrases the rule forbids (a 请示 template never says
// 特此报告, a 函 never 特此通知) and ends, where the rule lists closings,
// with one of them.
func TestTemplatesFollowTheRules(t *testing.T) {
	all := All()
	if len(all) != len(document.Rules()) {
		t.Fatalf("%d templates for %d 文种", len(all), len(document.Rules()))
	}
	for _, tp := range all {
		r, _ := document.RuleFor(tp.Type)
		names := append([]string{r.Name}, r.TitleNames...)
		if !slices.ContainsFunc(names, func(n string) bool { return strings.HasSuffix(tp.Title, n) }) {
			t.Errorf("%s: title %q", r.Name, tp.Title)
		}
		if !strings.Contains(tp.Title, Placeholder) || !strings.Contains(tp.Text(), Placeholder) {
			t.Errorf("%s: nothing for the drafter to fill", r.Name)
		}
		if slices.Contains(tp.Elements, "发文机关署名") != r.Signature || slices.Contains(tp.Elements, "发文字号") != r.NumberRequired ||
			slices.Contains(tp.Elements, "主送机关") != (r.ToMin > 0) {
			t.Errorf("%s: elements %v against the rule %+v", r.Name, tp.Elements, r)
		}
		for _, f := range r.Forbidden {
			if strings.Contains(tp.Text(), f.Text) {
				t.Errorf("%s: the template says %q, which the rule forbids", r.Name, f.Text)
			}
		}
		if len(r.Closings) > 0 && !slices.ContainsFunc(r.Closings, func(c string) bool { return strings.Contains(tp.Closing, c) }) {
			t.Errorf("%s: closing %q is none of %v", r.Name, tp.Closing, r.Closings)
		}
		if r.OneMatter && !containsNote(tp.Notes, "一文一事") {
			t.Errorf("%s: no 一文一事 note", r.Name)
		}
	}
}
