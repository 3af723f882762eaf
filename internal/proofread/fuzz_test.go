package proofread

import (
	"testing"
	"unicode/utf8"
)

func checkRanges(t *testing.T, s string, fs []Finding) {
	t.Helper()
	n := utf8.RuneCountInString(s)
	for _, f := range fs {
		if f.Start < 0 || f.End > n || f.Start > f.End {
			t.Fatalf("finding %+v out of range for %d runes (%q)", f, n, s)
		}
		if f.Text != string([]rune(s)[f.Start:f.End]) {
			t.Fatalf("finding text %q does not match the range in %q", f.Text, s)
		}
	}
}

// FuzzCheck: arbitrary input never panics and every finding lies within the
// text.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		"", "一、总体要求\n（一）指导思想\n1.加强领导\n（1）建立台账", "截止目前,我们己经完成了大数局产业...",
		"“要落实“三个一”要求”", "二O二四年5-10人20～30%百分之5约50人左右", "国发[2024]第01号",
		"\xff\xfe\x00中文", "（（（）））《《》", "哈哈哈哈到到进一步进一步", "\r\n\r\n一.\r\n三、",
	} {
		f.Add(s)
	}
	c := checker(f)
	f.Fuzz(func(t *testing.T, s string) {
		checkRanges(t, s, c.Check(s))
	})
}

// FuzzCheckDocument: the same for every part of a structured document.
func FuzzCheckDocument(f *testing.F) {
	f.Add("国发〔2024〕1号", "关于……的通知。", "各区县:", "一、总体要求\n三、", "附件:1、方案。", "2024.1.5", "抄送：市委")
	f.Add("", "", "", "", "", "二〇二四年一月三十二日", "")
	f.Add("国发（24）第0号", "申请", "，", "（1）", "附件", "2024年13月1日", "抄")
	c := checker(f)
	f.Fuzz(func(t *testing.T, number, title, to, body, att, date, cc string) {
		doc := Document{DocType: "请示", DocNumber: number, Title: title, To: to, Body: []Paragraph{{Text: body}, {Text: body}},
			Attachments: att, Date: date, CC: cc}
		parts := map[Part]string{PartDocNumber: number, PartTitle: title, PartTo: to, PartBody: body, PartAttachments: att, PartDate: date, PartCC: cc}
		for _, df := range c.CheckDocument(doc) {
			checkRanges(t, parts[df.Part], []Finding{df.Finding})
		}
	})
}
