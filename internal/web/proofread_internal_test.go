package web

import (
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/layout"
	"github.com/shuniu-oa/shuniu/internal/proofread"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// FuzzProofSettings: whatever the administrator types, reading the lists
// never panics, and what is read is written back so that it reads the same.
func FuzzProofSettings(f *testing.F) {
	f.Add("区经信委|区经济和信息化局|机构改革后更名\n# 注释\n", "王伟东|区长、区委副书记\n李四", "绝对领先||广告用语\n最佳")
	f.Add("a｜b", "名|", "|x")
	f.Add("", "", "x|y|z|w")
	f.Fuzz(func(t *testing.T, organs, leaders, banned string) {
		cfg, err := proofConfigFromForm(url.Values{"organs": {organs}, "leaders": {leaders}, "banned": {banned}})
		if err != nil {
			return
		}
		again, err := proofConfigFromForm(proofConfigForm(cfg))
		if err != nil {
			t.Fatalf("written back, the lists no longer read: %v\n%q", err, proofConfigForm(cfg))
		}
		if !reflect.DeepEqual(cfg, again) {
			t.Fatalf("round trip:\n%+v\n%+v", cfg, again)
		}
	})
}

func TestProofSettingsLines(t *testing.T) {
	for _, c := range []struct {
		name    string
		form    url.Values
		want    proofread.Config
		wantErr string
	}{
		{"all lists", url.Values{"organs": {"区经信委|区经济和信息化局\r\n\n# 旧称\n市国土局｜市自然资源局｜更名"}, "leaders": {"王伟东|区长、区委副书记\n李四"},
			"banned": {"绝对领先||广告用语\n最佳"}, "disabled": {"W03", "number", "W03"}},
			proofread.Config{
				Organs:   []proofread.Replacement{{Wrong: "区经信委", Right: "区经济和信息化局"}, {Wrong: "市国土局", Right: "市自然资源局", Message: "更名"}},
				Leaders:  []proofread.Leader{{Name: "王伟东", Titles: []string{"区长", "区委副书记"}}, {Name: "李四"}},
				Banned:   []proofread.Replacement{{Wrong: "绝对领先", Message: "广告用语"}, {Wrong: "最佳"}},
				Disabled: []string{"W03", "number"}}, ""},
		{"organ without right form", url.Values{"organs": {"区经信委"}}, proofread.Config{}, "机关名称第1行"},
		{"same forms", url.Values{"organs": {"甲|甲"}}, proofread.Config{}, "相同"},
		{"too many fields", url.Values{"banned": {"a|b|c|d"}}, proofread.Config{}, "禁用词语第1行"},
		{"leader name too long", url.Values{"leaders": {"一二三四五六七八九十一|区长"}}, proofread.Config{}, "领导姓名第1行"},
		{"unknown rule", url.Values{"disabled": {"Z99"}}, proofread.Config{}, "未知的校对规则"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := proofConfigFromForm(c.form)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %+v %v\nwant %+v", got, err, c.want)
			}
		})
	}
}

func TestAttachmentTextRoundTrip(t *testing.T) {
	for _, names := range [][]string{nil, {"实施方案"}, {"2024.预算表"}, {"值班安排表", "检查重点单位名单", "联系人表"}} {
		text := attachmentText(names)
		if got := attachmentNames(text); !slices.Equal(got, names) {
			t.Errorf("%q → %q → %q", names, text, got)
		}
	}
	if got := attachmentText([]string{"甲", "乙"}); got != "附件：1.甲\n2.乙" {
		t.Errorf("two attachments: %q", got)
	}
}

// FuzzAttachmentText: the 附件说明 as the proofreader reads it gives back
// the names the drafter wrote (trimmed, non-empty lines, as the form keeps
// them), so that accepting a suggestion in it changes nothing else.
func FuzzAttachmentText(f *testing.F) {
	f.Add("实施方案")
	f.Add("2024.预算表")
	f.Add("值班安排表\n1.检查重点单位名单\n附件：联系人表")
	f.Add("3．名单\n\n 表 ")
	f.Fuzz(func(t *testing.T, lines string) {
		var names []string
		for _, l := range strings.Split(lines, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				names = append(names, l)
			}
		}
		if got := attachmentNames(attachmentText(names)); !slices.Equal(got, names) {
			t.Fatalf("%q → %q → %q", names, attachmentText(names), got)
		}
	})
}

func TestSegments(t *testing.T) {
	fs := []proofFinding{
		{DocFinding: proofread.DocFinding{Finding: proofread.Finding{Start: 2, End: 4, Severity: "error"}}, N: 1},
		{DocFinding: proofread.DocFinding{Finding: proofread.Finding{Start: 3, End: 5}}, N: 2}, // overlaps: listed, not marked
		{DocFinding: proofread.DocFinding{Finding: proofread.Finding{Start: 6, End: 7}}, N: 3},
	}
	var got []string
	for _, s := range segments("各单位己经完成了", fs) {
		got = append(got, s.Text+"#"+string(rune('0'+s.N)))
	}
	if want := []string{"各单#0", "位己#1", "经完#0", "成#3", "了#0"}; !slices.Equal(got, want) {
		t.Errorf("segments %q, want %q", got, want)
	}
}

func TestLayoutDoc(t *testing.T) {
	base := store.DocRecord{Direction: store.Outgoing, DocNumber: "清政办发〔2026〕3号", Doc: document.Document{
		Type: document.Notice, Title: "关于做好冬季防火工作的通知", IssuerMark: "清澜区人民政府办公室文件",
		Classification: document.Classification{Level: document.Confidential, PeriodYears: 1}, Urgency: document.Urgent,
		To: []string{"各镇人民政府", "各街道办事处"}, CC: []string{"区委办公室", "区人大常委会办公室"},
		Body:           document.ParseBody("现将有关事项通知如下。\n一、高度重视\n（一）压实责任。"),
		AttachmentNote: []string{"值班表"}, Signatures: []string{"清澜区人民政府办公室"}, Date: document.Date{Year: 2026, Month: 12, Day: 1},
		Seals: []string{"清澜区人民政府办公室"}, Note: "此件公开发布", Signers: []string{"张三"},
		PrintedBy: "清澜区人民政府办公室", PrintDate: document.Date{Year: 2026, Month: 12, Day: 2}}}
	got := layoutDoc(base, "区长　王明")
	want := &layout.Document{Format: layout.FormatFile, Classification: "秘密★1年", Urgency: "加急", IssuerMark: "清澜区人民政府办公室文件",
		DocNumber: "清政办发〔2026〕3号", Title: "关于做好冬季防火工作的通知", To: "各镇人民政府、各街道办事处",
		Body:           []layout.Paragraph{{Level: 0, Text: "现将有关事项通知如下。"}, {Level: 1, Text: "一、高度重视"}, {Level: 2, Text: "（一）压实责任。"}},
		AttachmentNote: []string{"值班表"}, Issuer: "清澜区人民政府办公室", Date: "2026年12月1日", Sealed: true, Note: "此件公开发布",
		Cc: "区委办公室、区人大常委会办公室", PrintIssuer: "清澜区人民政府办公室", PrintDate: "2026年12月2日"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("通知:\n got %+v\nwant %+v", got, want)
	}
	if err := got.Validate(); err != nil {
		t.Errorf("mapped document invalid: %v", err)
	}

	for _, c := range []struct {
		typ     document.DocType
		format  layout.Format
		signers bool
		title   string
	}{
		{document.Letter, layout.FormatLetter, false, ""},
		{document.Order, layout.FormatOrder, false, "区长　王明"},
		{document.Minutes, layout.FormatMinutes, false, ""},
		{document.Request, layout.FormatFile, true, ""}, // 请示: upward, 签发人 in the 版头
		{document.Report, layout.FormatFile, true, ""},
	} {
		rec := base
		rec.Doc.Type = c.typ
		got := layoutDoc(rec, "区长　王明")
		if got.Format != c.format || (len(got.Signers) > 0) != c.signers || got.SignerTitle != c.title {
			t.Errorf("%s: format %v, signers %v, signer title %q", c.typ, got.Format, got.Signers, got.SignerTitle)
		}
	}
	// Signed off but not yet numbered: no 签发人 without a 发文字号.
	rec := base
	rec.Doc.Type, rec.DocNumber = document.Request, ""
	if got := layoutDoc(rec, ""); len(got.Signers) != 0 || got.Validate() != nil {
		t.Errorf("unnumbered 请示: %+v", got.Signers)
	}
	// An incoming document prints the sender's number, not the 收文编号.
	in := store.DocRecord{Direction: store.Incoming, InNumber: "收〔2026〕8号", Doc: document.Document{Type: document.Notice, Title: "通知",
		Number: &document.DocNumber{OrganCode: "云应急", Year: 2026, Seq: 18}}}
	if got := layoutDoc(in, ""); got.DocNumber != "云应急〔2026〕18号" {
		t.Errorf("incoming number %q", got.DocNumber)
	}
}
