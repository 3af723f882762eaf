package document

import (
	"strings"
	"testing"
)

// goodDoc is a well-formed document of each type, ready to issue.
func goodDoc(t DocType) Document {
	r, _ := RuleFor(t)
	d := Document{
		ID: "d", Type: t,
		IssuerMark: "××区人民政府办公室文件",
		Number:     &DocNumber{"区政办发", 2026, 12},
		Title:      "××区人民政府办公室关于做好2026年防汛工作的" + r.Name,
		To:         []string{"各镇人民政府，区政府各部门"},
		Body:       ParseBody("为做好防汛工作，现将有关事项通知如下。\n一、提高认识\n二、压实责任"),
		Signatures: []string{"××区人民政府办公室"},
		Seals:      []string{"××区人民政府办公室"},
		Date:       Date{2026, 3, 2},
		PrintedBy:  "××区人民政府办公室",
		PrintDate:  Date{2026, 3, 3},
	}
	switch t {
	case Request:
		d.To = []string{"××市人民政府"}
		d.Signers = []string{"张三"}
		d.Title = "××区人民政府关于申请防汛专项资金的请示"
		d.Body = ParseBody("为做好防汛工作，拟申请专项资金500万元。\n妥否，请批示。")
	case Report:
		d.To = []string{"××市人民政府"}
		d.Signers = []string{"张三"}
		d.Body = ParseBody("现将防汛工作情况报告如下。\n特此报告。")
	case Motion:
		d.To = []string{"××区人民代表大会常务委员会"}
		d.Signers = []string{"区长 李四"}
		d.IssuerMark = "××区人民政府"
		d.Title = "××区人民政府关于提请审议防汛条例的议案"
	case Approval:
		d.To = []string{"××镇人民政府"}
		d.Title = "××区人民政府关于同意××镇防汛方案的批复"
	case Announcement, PublicNotice:
		d.To = nil
		d.Title = "××区人民政府" + r.Name
	case Order:
		d.Title = "××区人民政府令"
	case Minutes:
		d.Title = "区政府第12次常务会议纪要"
		d.Number, d.Signatures, d.Seals = nil, nil, nil
		d.To = nil
	case Communique, Resolution:
		d.Title = "××区第五次党代会" + r.Name
	}
	return d
}

func TestEveryTypeHasAGoodExample(t *testing.T) {
	if len(Rules()) != 15 {
		t.Fatalf("%d doc types, want the 条例's 15", len(Rules()))
	}
	for _, r := range Rules() {
		d := goodDoc(r.Type)
		if fs := Validate(d, Issuing); len(fs) != 0 {
			t.Errorf("%s: unexpected findings %+v", r.Name, fs)
		}
	}
}

func TestTypeRules(t *testing.T) {
	cases := []struct {
		name  string
		typ   DocType
		stage Stage
		mut   func(*Document)
		rule  string
		sev   Severity
		msg   string
	}{
		{"请示 two 主送", Request, Drafting, func(d *Document) { d.To = append(d.To, "××市财政局") }, "T-TO", Error, "只能主送一个机关"},
		{"请示 two organs in one", Request, Drafting, func(d *Document) { d.To = []string{"市政府、市财政局"} }, "F11", Error, "多个机关"},
		{"请示 no 主送", Request, Drafting, func(d *Document) { d.To = nil }, "T-TO", Error, "须有主送机关"},
		{"请示 no 签发人", Request, Issuing, func(d *Document) { d.Signers = nil }, "F12", Error, "签发人"},
		{"请示 two matters", Request, Drafting, func(d *Document) {
			d.Body = ParseBody("申请资金。妥否，请批示。\n同时请求增加编制，请审批。")
		}, "F14", Warning, "一文一事"},
		{"请示 closing", Request, Drafting, func(d *Document) { d.Body = ParseBody("申请资金500万元。\n特此报告。") }, "F13", Warning, "特此报告"},
		{"报告 carries a request", Report, Drafting, func(d *Document) { d.Body = ParseBody("情况如上。妥否，请批示。") }, "F13", Error, "不得夹带请示事项"},
		{"报告 upward needs 签发人", Report, Issuing, func(d *Document) { d.Signers = nil }, "F12", Error, "上行文"},
		{"upward 意见 needs 签发人", Opinion, Issuing, func(d *Document) { d.Direction = Upward }, "F12", Error, "上行文"},
		{"纪要 no seal", Minutes, Drafting, func(d *Document) { d.Seals = []string{"区政府"}; d.Signatures = []string{"区政府"} }, "T-SEAL", Error, "不加盖印章"},
		{"seal must match 署名", Notice, Drafting, func(d *Document) { d.Seals = []string{"区财政局"} }, "T-SEAL", Error, "一致"},
		{"title without 关于", Notice, Drafting, func(d *Document) { d.Title = "做好防汛工作的通知" }, "F09", Error, "关于"},
		{"title wrong 文种", Notice, Drafting, func(d *Document) { d.Title = "关于防汛工作的报告" }, "F09", Error, "通知"},
		{"title 请示报告", Request, Drafting, func(d *Document) { d.Title = "关于申请资金的请示报告" }, "F09", Error, "请示"},
		{"title 申请请示 doubled", Request, Drafting, func(d *Document) { d.Title = "关于资金的申请请示" }, "F10", Error, "叠用"},
		{"title trailing punctuation", Notice, Drafting, func(d *Document) { d.Title += "。" }, "F08", Error, "标点"},
		{"nested 转发", Notice, Drafting, func(d *Document) { d.Title = "关于转发市政府关于防汛的通知的通知" }, "F10", Warning, "简化"},
		{"议案 only from government", Motion, Drafting, func(d *Document) {
			d.IssuerMark = "××区财政局"
			d.Signatures = []string{"××区财政局"}
			d.Seals = nil
		}, "T-ISSUER", Error, "人民政府"},
		{"公告 with 主送", Announcement, Drafting, func(d *Document) { d.To = []string{"各镇"} }, "T-TO", Warning, "一般不写主送"},
		{"绝密 refused", Notice, Drafting, func(d *Document) { d.Classification = Classification{Level: TopSecret} }, "S-LEVEL", Error, "绝密"},
		{"period ceiling", Notice, Drafting, func(d *Document) { d.Classification = Classification{Level: Confidential, PeriodYears: 11} }, "S-LEVEL", Error, "10年"},
		{"classified needs 份号", Notice, Issuing, func(d *Document) { d.Classification = Classification{Level: Confidential} }, "F04", Error, "份号"},
		{"bad 份号", Notice, Drafting, func(d *Document) { d.CopyNumber = "12" }, "F04", Error, "6位"},
		{"bad urgency", Notice, Drafting, func(d *Document) { d.Urgency = "急件" }, "F06", Error, "紧急程度"},
		{"no number at issue", Notice, Issuing, func(d *Document) { d.Number = nil }, "E-NUMBER", Error, "发文字号"},
		{"number year", Notice, Drafting, func(d *Document) { d.Number.Year = 2025 }, "F03", Warning, "不一致"},
		{"attachments without note", Notice, Drafting, func(d *Document) { d.Attachments = []Attachment{{Name: "方案.pdf"}} }, "F16", Error, "附件说明"},
		{"attachment count", Notice, Drafting, func(d *Document) {
			d.Attachments = []Attachment{{Name: "方案.pdf"}}
			d.AttachmentNote = []string{"方案", "名单"}
		}, "F16", Error, "实际附件有 1 个"},
		{"attachment punctuation", Notice, Drafting, func(d *Document) { d.AttachmentNote = []string{"方案。"} }, "F16", Error, "不加标点"},
		{"attachment name mismatch", Notice, Drafting, func(d *Document) {
			d.Attachments = []Attachment{{Name: "实施方案.pdf"}}
			d.AttachmentNote = []string{"方案"}
		}, "F16", Warning, "不一致"},
		{"print before date", Notice, Drafting, func(d *Document) { d.PrintDate = Date{2026, 3, 1} }, "F07", Error, "早于"},
		{"no 印发机关", Notice, Issuing, func(d *Document) { d.PrintedBy = "" }, "F20", Error, "印发机关"},
		{"no 署名", Notice, Issuing, func(d *Document) { d.Signatures, d.Seals = nil, nil }, "E-SIGN", Error, "署名"},
		{"no date", Notice, Issuing, func(d *Document) { d.Date = Date{}; d.PrintDate = Date{} }, "E-DATE", Error, "成文日期"},
		{"附注 brackets", Notice, Drafting, func(d *Document) { d.Note = "此件公开发布" }, "F21", Warning, "圆括号"},
		{"empty body", Notice, Drafting, func(d *Document) { d.Body = Body{} }, "E-BODY", Error, "正文"},
		{"body numbering", Notice, Drafting, func(d *Document) { d.Body = ParseBody("一、甲\n三、乙") }, "N06", Error, "连续"},
		{"bad direction", Notice, Drafting, func(d *Document) { d.Direction = "sideways" }, "T-DIR", Error, "行文方向"},
		{"unknown type", "memo", Drafting, func(d *Document) {}, "T-TYPE", Error, "15种"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := goodDoc(tc.typ)
			if tc.typ == "memo" {
				d = goodDoc(Notice)
				d.Type = "memo"
			}
			tc.mut(&d)
			fs := Validate(d, tc.stage)
			for _, f := range fs {
				if f.Rule == tc.rule && f.Severity == tc.sev && strings.Contains(f.Message, tc.msg) {
					return
				}
			}
			t.Errorf("no %s %s finding mentioning %q in %+v", tc.sev, tc.rule, tc.msg, fs)
		})
	}
}

func TestDraftingToleratesMissingLaterElements(t *testing.T) {
	d := goodDoc(Request)
	d.Number, d.Signers, d.Date, d.PrintDate, d.PrintedBy, d.Signatures, d.Seals = nil, nil, Date{}, Date{}, "", nil, nil
	if fs := Validate(d, Drafting); HasErrors(fs) {
		t.Fatalf("a draft without number/signer/dates must pass drafting checks: %+v", fs)
	}
	if fs := Validate(d, Issuing); !HasErrors(fs) {
		t.Fatal("the same document must not pass issuing checks")
	}
}

func TestRulesAreData(t *testing.T) {
	// An organ adjusts the table: its 函 must also have a single 主送.
	r, _ := RuleFor(Letter)
	r.ToMax = 1
	d := goodDoc(Letter)
	d.To = []string{"市财政局", "市发改委"}
	if fs := ValidateWith(d, r, Drafting); !HasErrors(fs) {
		t.Fatal("adjusted rule not applied")
	}
	if fs := Validate(d, Drafting); HasErrors(fs) {
		t.Fatalf("default 函 allows several 主送: %+v", fs)
	}
}
