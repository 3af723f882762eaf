package layout

import (
	"errors"
	"strings"
	"testing"
)

func TestParseSource(t *testing.T) {
	d := loadSource(t, "notice.txt")
	if d.Format != FormatFile || d.CopyNumber != "000123" || d.Classification != "秘密★1年" || d.Urgency != "特急" {
		t.Errorf("版头 elements: %+v", d)
	}
	if d.DocNumber != "枢政发〔2024〕5号" || d.Date != "2024年1月5日" || d.PrintDate != "2024年1月6日" || !d.Sealed {
		t.Errorf("elements: %q %q %q sealed=%v", d.DocNumber, d.Date, d.PrintDate, d.Sealed)
	}
	if len(d.AttachmentNote) != 2 || d.AttachmentNote[1] != "安全生产检查重点单位名单" {
		t.Errorf("附件说明 %q", d.AttachmentNote)
	}
	if len(d.Attachments) != 2 || d.Attachments[0].Title != "春节期间值班安排表" || len(d.Attachments[1].Body) != 3 {
		t.Errorf("attachments %+v", d.Attachments)
	}
	levels := map[int]int{}
	for _, p := range d.Body {
		levels[p.Level]++
	}
	if levels[1] != 4 || levels[2] != 2 || levels[3] != 3 || levels[4] != 2 {
		t.Errorf("heading levels counted %v", levels)
	}
}

func TestParseSourceErrors(t *testing.T) {
	const ok = "标题：关于某事的通知\n\n正文。\n"
	tests := []struct {
		name, src string
		line      int
		msg       string
	}{
		{"unknown key", "标题：关于某事的通知\n发文单位：某局\n\n正文\n", 2, "未知要素“发文单位”"},
		{"square brackets in doc number", "发文字号：某政发[2024]5号\n标题：通知\n\n正文\n", 1, "发文字号格式不正确"},
		{"padded sequence", "发文字号：某政发〔2024〕05号\n标题：通知\n\n正文\n", 1, "发文字号格式不正确"},
		{"two-digit year", "标题：通知\n发文字号：某政发〔24〕5号\n\n正文\n", 2, "发文字号格式不正确"},
		{"padded date", "标题：通知\n成文日期：2024年01月05日\n\n正文\n", 2, "日期格式不正确"},
		{"impossible date", "标题：通知\n成文日期：2023年2月29日\n\n正文\n", 2, "日期不存在"},
		{"chinese numeral date", "标题：通知\n成文日期：二〇二四年一月五日\n\n正文\n", 2, "日期格式不正确"},
		{"missing title", "发文机关署名：某局\n\n正文\n", 3, "缺少“标题：”"},
		{"no colon", "标题：通知\n这一行没有冒号\n\n正文\n", 2, "头部应为"},
		{"duplicate", "标题：通知\n标题：又一个\n\n正文\n", 2, "重复"},
		{"bad format", "标题：通知\n格式：公告\n\n正文\n", 2, "格式应为"},
		{"copy number", "份号：123\n标题：通知\n\n正文\n", 1, "份号应为6位"},
		{"no body", "标题：通知\n", 1, "缺少正文"},
		{"order number", "格式：命令\n发文字号：第05号\n标题：令\n\n正文\n", 2, "令号格式不正确"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSource(strings.NewReader(tc.src))
			var se *SourceError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a SourceError", err)
			}
			if se.Line != tc.line || !strings.Contains(se.Msg, tc.msg) {
				t.Errorf("got %q (line %d), want line %d containing %q", err, se.Line, tc.line, tc.msg)
			}
			if !strings.HasPrefix(err.Error(), "第") {
				t.Errorf("message %q should name the line", err)
			}
		})
	}
	if _, err := ParseSource(strings.NewReader(ok)); err != nil {
		t.Errorf("minimal source: %v", err)
	}
	d, err := ParseSource(strings.NewReader("标题:通知\n格式:命令\n发文字号:第3号\n\n正文\n"))
	if err != nil || d.Format != FormatOrder || d.DocNumber != "第3号" {
		t.Errorf("ASCII colons and 令号: %+v %v", d, err)
	}
}

func TestHeadingLevel(t *testing.T) {
	for text, want := range map[string]int{
		"一、总体要求":      1,
		"十二、其他":       1,
		"（三）加强领导":     2,
		"3.道路交通":      3,
		"12．消防":       3,
		"（2）整改":       4,
		"各部门要高度重视。":   0,
		"2024年的工作":    0,
		"(一)半角括号不算层级": 0,
	} {
		if got := HeadingLevel(text); got != want {
			t.Errorf("HeadingLevel(%q) = %d, want %d", text, got, want)
		}
	}
}

func FuzzParseSource(f *testing.F) {
	f.Add("标题：通知\n\n正文\n")
	f.Add("份号：000001\n发文字号：某政发〔2024〕1号\n成文日期：2024年2月29日\n标题：通知\n\n一、要求\n#附件 表\n内容\n")
	f.Add("\uFEFF标题:x\r\n\r\n（1）y\r\n")
	f.Add("标题：通知\n发文字号：某政发〔2024〕1号\n\n正文\n#另订附件 图集\n说明\n#附件 表\n")
	f.Fuzz(func(t *testing.T, src string) {
		d, err := ParseSource(strings.NewReader(src))
		if err != nil {
			var se *SourceError
			if errors.As(err, &se) && se.Line < 1 {
				t.Fatalf("error names line %d", se.Line)
			}
			return
		}
		if d.Title == "" || len(d.Body) == 0 {
			t.Fatalf("accepted a source without title or body: %+v", d)
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("parsed document does not validate: %v", err)
		}
	})
}

func TestParseSeparateAttachment(t *testing.T) {
	d := loadSource(t, "separate.txt")
	if len(d.Attachments) != 2 || d.Attachments[0].BoundSeparately || !d.Attachments[1].BoundSeparately ||
		d.Attachments[1].Title != "枢纽市国土空间总体规划图集" || len(d.Attachments[1].Body) != 1 {
		t.Errorf("attachments %+v", d.Attachments)
	}
	_, err := ParseSource(strings.NewReader("标题：通知\n\n正文\n#另订附件\n"))
	var se *SourceError
	if !errors.As(err, &se) || se.Line != 4 || !strings.Contains(se.Msg, "“#另订附件”后应写附件标题") {
		t.Errorf("err = %v", err)
	}
}
