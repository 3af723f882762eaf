package document

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestChineseNumerals(t *testing.T) {
	for n := 1; n <= 99; n++ {
		s := ChineseNumeral(n)
		if got, ok := ParseChineseNumeral(s); !ok || got != n {
			t.Fatalf("%d → %s → %d", n, s, got)
		}
	}
	for _, bad := range []string{"", "零", "一十十", "十〇", "〇", "甲"} {
		if _, ok := ParseChineseNumeral(bad); ok {
			t.Errorf("ParseChineseNumeral(%q) accepted", bad)
		}
	}
}

func TestParseBody(t *testing.T) {
	text := "　　为做好防汛工作，现通知如下：\n" +
		"一、提高认识\n" +
		"（一）压实责任。各镇要……\n" +
		"1.建立台账。\n" +
		"（1）每日报送。\n" +
		"（2）每周汇总。\n" +
		"2.强化督查。\n" +
		"1.5亿元资金已下达。\n" +
		"二、加强保障\n" +
		"\n" +
		"三.做好宣传\n" +
		"(一)媒体宣传\n"
	b := ParseBody(text)
	want := []struct {
		level, ord int
		marker     string
	}{{0, 0, ""}, {1, 1, "一、"}, {2, 1, "（一）"}, {3, 1, "1."}, {4, 1, "（1）"}, {4, 2, "（2）"}, {3, 2, "2."},
		{0, 0, ""}, {1, 2, "二、"}, {1, 3, "三."}, {2, 1, "(一)"}}
	if len(b.Paragraphs) != len(want) {
		t.Fatalf("got %d paragraphs: %+v", len(b.Paragraphs), b.Paragraphs)
	}
	for i, w := range want {
		p := b.Paragraphs[i]
		if p.Level != w.level || p.Ordinal != w.ord || p.Marker != w.marker {
			t.Errorf("paragraph %d = %+v, want %+v", i+1, p, w)
		}
	}
	if b.Paragraphs[0].Text != "为做好防汛工作，现通知如下：" {
		t.Errorf("indent not dropped: %q", b.Paragraphs[0].Text)
	}
	fs := CheckNumbering(b)
	var msgs []string
	for _, f := range fs {
		msgs = append(msgs, f.Rule+":"+f.Message)
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{"N01:正文第 10 段的序号“三.”应写作“三、”", "N01:正文第 11 段的序号“(一)”应写作“（一）”"} {
		if !strings.Contains(all, want) {
			t.Errorf("missing finding %q in\n%s", want, all)
		}
	}
	if len(fs) != 2 {
		t.Errorf("unexpected findings:\n%s", all)
	}
}

func TestCheckNumberingOrder(t *testing.T) {
	cases := []struct {
		text  string
		rules []string
	}{
		{"一、甲\n二、乙", nil},
		{"一、甲\n1.子\n2.子\n二、乙\n1.子", nil}, // two levels 一、 then 1. is tolerated
		{"一、甲\n三、乙", []string{"N06"}},
		{"（一）甲", []string{"N05"}},
		{"一、甲\n（1）乙", []string{"N05"}},
		{"一、甲\n（一）子\n（二）子\n二、乙\n（二）子", []string{"N06"}}, // must restart under a new parent
		{"一、甲\n1、乙", []string{"N01"}},
	}
	for _, tc := range cases {
		var got []string
		for _, f := range CheckNumbering(ParseBody(tc.text)) {
			got = append(got, f.Rule)
		}
		if strings.Join(got, ",") != strings.Join(tc.rules, ",") {
			t.Errorf("%q: rules %v, want %v", tc.text, got, tc.rules)
		}
	}
}

func FuzzParseBody(f *testing.F) {
	f.Add("一、总体要求\n（一）指导思想\n1.坚持\n（1）细则\n正文")
	f.Add("(1)x\n1)y\n十一、z\n1.5亿")
	f.Fuzz(func(t *testing.T, s string) {
		b := ParseBody(s)
		for _, p := range b.Paragraphs {
			if p.Level < 0 || p.Level > 4 || (p.Level > 0) != (p.Marker != "") || (p.Level > 0 && p.Ordinal < 1) {
				t.Fatalf("bad paragraph %+v", p)
			}
			if strings.Contains(p.Text, "\n") {
				t.Fatal("paragraph spans lines")
			}
		}
		// Parsing what String writes gives the same structure.
		again := ParseBody(b.String())
		if len(again.Paragraphs) != len(b.Paragraphs) {
			t.Fatalf("re-parse changed paragraph count: %d vs %d", len(again.Paragraphs), len(b.Paragraphs))
		}
		_ = CheckNumbering(b)
	})
}

// TestBodyJSONDerivesOrdinals: a heading sent as the API schema shows it —
// level, marker and text, no ordinal — is read with its ordinal (it was
// refused with "序号“一、”应写作“0、”"); a heading with no marker is numbered
// among its siblings; a wrong marker is kept for the checks to find.
func TestBodyJSONDerivesOrdinals(t *testing.T) {
	var b Body
	err := json.Unmarshal([]byte(`{"paragraphs":[{"level":0,"text":"各镇人民政府："},{"level":1,"marker":"一、","text":"高度重视"},
		{"level":2,"marker":"（一）","text":"压实责任。"},{"level":2,"text":"加强值守。"},{"level":1,"text":"抓好落实"},{"level":3,"marker":"1.","text":"按时报送。"}]}`), &b)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		marker  string
		ordinal int
	}{{"", 0}, {"一、", 1}, {"（一）", 1}, {"（二）", 2}, {"二、", 2}, {"1.", 1}}
	for i, w := range want {
		if p := b.Paragraphs[i]; p.Marker != w.marker || p.Ordinal != w.ordinal {
			t.Errorf("paragraph %d: %q %d, want %q %d", i+1, p.Marker, p.Ordinal, w.marker, w.ordinal)
		}
	}
	if fs := CheckNumbering(b); len(fs) != 0 {
		t.Errorf("findings: %+v", fs)
	}
	var wrong Body
	if err := json.Unmarshal([]byte(`{"paragraphs":[{"level":1,"marker":"1、","text":"高度重视"}]}`), &wrong); err != nil {
		t.Fatal(err)
	}
	if fs := CheckNumbering(wrong); len(fs) == 0 {
		t.Error("a heading marked 1、 at level 1 passes")
	}
}
