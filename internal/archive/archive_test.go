package archive

import (
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
)

func TestDefaultTable(t *testing.T) {
	tab := DefaultTable()
	if err := tab.Validate(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		outgoing bool
		typ      document.DocType
		want     Retention
	}{
		{true, document.Decision, Permanent},
		{true, document.Request, Permanent},
		{true, document.Report, Permanent},
		{true, document.Minutes, Permanent},
		{true, document.Notice, Term30},
		{true, document.Letter, Term30},
		{false, document.Decision, Term30},
		{false, document.Notice, Term10},
		{false, document.Request, Term10},
		{false, document.Letter, Term10},
	}
	for _, c := range cases {
		if got := tab.For(c.outgoing, c.typ); got != c.want {
			t.Errorf("For(%v, %s) = %s, want %s", c.outgoing, c.typ, got, c.want)
		}
	}
}

func TestTableFirstRuleDecides(t *testing.T) {
	tab := Table{Rules: []Rule{
		{Direction: Incoming, Type: document.Notice, Retention: Term30},
		{Type: document.Notice, Retention: Permanent},
		{Direction: Outgoing, Retention: Term30},
	}, Default: Term10}
	cases := []struct {
		outgoing bool
		typ      document.DocType
		want     Retention
	}{
		{false, document.Notice, Term30},
		{true, document.Notice, Permanent},
		{true, document.Letter, Term30},
		{false, document.Letter, Term10},
	}
	for _, c := range cases {
		if got := tab.For(c.outgoing, c.typ); got != c.want {
			t.Errorf("For(%v, %s) = %s, want %s", c.outgoing, c.typ, got, c.want)
		}
	}
	if got := (Table{}).For(true, document.Notice); got != Term10 {
		t.Errorf("empty table gives %s, want D10", got)
	}
}

func TestTableValidate(t *testing.T) {
	cases := []struct {
		tab  Table
		want string
	}{
		{Table{Default: Term10}, ""},
		{Table{}, "其他文件"},
		{Table{Rules: []Rule{{Direction: "sideways", Retention: Term10}}, Default: Term10}, "收发类别"},
		{Table{Rules: []Rule{{Type: "memo", Retention: Term10}}, Default: Term10}, "文种"},
		{Table{Rules: []Rule{{Type: document.Notice, Retention: "D5"}}, Default: Term10}, "第 1 条：保管期限无效"},
	}
	for _, c := range cases {
		err := c.tab.Validate()
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("Validate(%+v) = %v, want %q", c.tab, err, c.want)
		}
	}
}

func TestParseRetention(t *testing.T) {
	cases := map[string]Retention{"Y": Permanent, "y": Permanent, "永久": Permanent, "D30": Term30, "定期30年": Term30, " D10 ": Term10, "定期10年": Term10}
	for in, want := range cases {
		if got, err := ParseRetention(in); err != nil || got != want {
			t.Errorf("ParseRetention(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"", "D5", "长期", "短期"} {
		if _, err := ParseRetention(in); err == nil {
			t.Errorf("ParseRetention(%q) accepted", in)
		}
	}
}

var units = map[string]org.Unit{
	"gov":    {ID: "gov", Name: "云泽市清澜区人民政府", ShortName: "区政府", OrganCode: "清政", Kind: org.KindLeadingBody},
	"office": {ID: "office", ParentID: "gov", Name: "云泽市清澜区人民政府办公室", ShortName: "区政府办", OrganCode: "清政办", Kind: org.KindOffice},
	"sec":    {ID: "sec", ParentID: "office", Name: "综合科", ShortName: "综合科", Kind: org.KindSection},
}

func TestClassifyAndCode(t *testing.T) {
	set := DefaultSettings()
	set.Fonds = map[string]string{"office": "z012"}
	set.UnitCodes = map[string]string{"office": "BGS"}
	formed := time.Date(2025, 12, 31, 17, 0, 0, 0, time.UTC) // 2026-01-01 01:00 in Beijing
	cases := []struct {
		name string
		in   Input
		want string // the 档号 with 件号 1
		err  string
	}{
		{"a decision of the office, permanent", Input{Outgoing: true, Doc: document.Document{Type: document.Decision, Date: document.Date{Year: 2026, Month: 3, Day: 1}},
			OrganID: "office", UnitID: "office"}, "Z012-2026-Y-BGS-0001", ""},
		{"a notice, 30 years", Input{Outgoing: true, Doc: document.Document{Type: document.Notice, Date: document.Date{Year: 2026, Month: 3, Day: 1}},
			OrganID: "office", UnitID: "office"}, "Z012-2026-D30-BGS-0001", ""},
		{"the archivist's choice wins", Input{Outgoing: true, Doc: document.Document{Type: document.Notice, Date: document.Date{Year: 2026, Month: 3, Day: 1}},
			OrganID: "office", UnitID: "office", Retention: Term10}, "Z012-2026-D10-BGS-0001", ""},
		{"incoming without a date: the year it was made, in Beijing", Input{Doc: document.Document{Type: document.Notice}, OrganID: "office", UnitID: "office", Formed: formed},
			"Z012-2026-D10-BGS-0001", ""},
		{"the 年度 is the 成文日期's", Input{Doc: document.Document{Type: document.Decision, Date: document.Date{Year: 2025, Month: 12, Day: 30}}, OrganID: "office", UnitID: "office", Formed: formed},
			"Z012-2025-D30-BGS-0001", ""},
		{"no codes set: the 机关代字 and short name stand in", Input{Outgoing: true, Doc: document.Document{Type: document.Report, Date: document.Date{Year: 2026, Month: 1, Day: 2}},
			OrganID: "gov", UnitID: "sec"}, "清政-2026-Y-综合科-0001", ""},
		{"unknown retention", Input{Outgoing: true, Doc: document.Document{Type: document.Report}, OrganID: "office", UnitID: "office", Retention: "D5"}, "", "保管期限"},
		{"unknown organ", Input{OrganID: "x", UnitID: "office"}, "", "归档机关不存在"},
		{"unknown unit", Input{OrganID: "office", UnitID: "x"}, "", "承办单位不存在"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			in.Units = units
			cl, err := Classify(set, in)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			code := Code{Class: cl, Piece: 1}
			if got := code.String(); got != c.want {
				t.Fatalf("档号 = %s, want %s", got, c.want)
			}
			back, err := ParseCode(code.String())
			if err != nil || back.Fonds != cl.Fonds || back.Year != cl.Year || back.Retention != cl.Retention || back.UnitCode != cl.UnitCode || back.Piece != 1 {
				t.Fatalf("ParseCode(%s) = %+v, %v", code, back, err)
			}
		})
	}
}

func TestClassCounter(t *testing.T) {
	a := Class{Fonds: "Z012", Year: 2026, Retention: Permanent, UnitCode: "BGS"}
	b := a
	b.Retention = Term30
	c := a
	c.UnitCode = "ZHK"
	if a.Counter() == b.Counter() || a.Counter() == c.Counter() {
		t.Fatalf("classes share a counter: %s %s %s", a.Counter(), b.Counter(), c.Counter())
	}
	if got := (Code{Class: a, Piece: 12345}).String(); got != "Z012-2026-Y-BGS-12345" {
		t.Fatalf("a 件号 beyond four digits: %s", got)
	}
}

func TestParseCodeRefuses(t *testing.T) {
	for _, s := range []string{"", "Z012-2026-Y-BGS", "Z012-26-Y-BGS-0001", "Z012-2026-X-BGS-0001", "Z012-2026-Y-BGS-1", "Z012-2026-Y-BGS-0000", "-2026-Y-BGS-0001"} {
		if _, err := ParseCode(s); err == nil {
			t.Errorf("ParseCode(%q) accepted", s)
		}
	}
}

func TestSettingsValidate(t *testing.T) {
	cases := []struct {
		name string
		s    Settings
		want string
	}{
		{"defaults", DefaultSettings(), ""},
		{"codes", Settings{Fonds: map[string]string{"office": "Z012"}, UnitCodes: map[string]string{"sec": "ZHK"}, Table: DefaultTable()}, ""},
		{"fonds not Latin", Settings{Fonds: map[string]string{"office": "清政办"}, Table: DefaultTable()}, "云泽市清澜区人民政府办公室的全宗号“清政办”无效"},
		{"fonds twice", Settings{Fonds: map[string]string{"office": "Z012", "gov": "z012"}, Table: DefaultTable()}, "已用于"},
		{"unit code too long", Settings{UnitCodes: map[string]string{"sec": "ABCDEFGHI"}, Table: DefaultTable()}, "综合科的机构（问题）代码"},
		{"unknown unit", Settings{UnitCodes: map[string]string{"nope": "BGS"}, Table: DefaultTable()}, "不存在"},
		{"bad table", Settings{}, "其他文件"},
	}
	for _, c := range cases {
		err := c.s.Validate(units)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s: Validate = %v, want %q", c.name, err, c.want)
		}
	}
}

func TestEntryOf(t *testing.T) {
	num := &document.DocNumber{OrganCode: "市政发", Year: 2026, Seq: 3}
	cases := []struct {
		name string
		in   EntryInput
		want Entry
	}{
		{"outgoing: the organ, the stored 文号", EntryInput{Outgoing: true, Organ: units["office"], DocNumber: "清政办发〔2026〕5号", Pages: 3,
			Doc: document.Document{Title: "关于做好信访工作的通知", Date: document.Date{Year: 2026, Month: 3, Day: 9}, Classification: document.Classification{Level: document.Confidential}}},
			Entry{Piece: 7, Responsible: "云泽市清澜区人民政府办公室", DocNumber: "清政办发〔2026〕5号", Title: "关于做好信访工作的通知", Date: "20260309", Pages: 3, Classification: "秘密"}},
		{"joint: every signature", EntryInput{Outgoing: true, Organ: units["office"], Doc: document.Document{Title: "联合通知", Signatures: []string{"区政府办", "区应急管理局"}}},
			Entry{Piece: 7, Responsible: "区政府办、区应急管理局", Title: "联合通知"}},
		{"incoming: the sender and its 文号; no date: when made", EntryInput{Organ: units["office"], Sender: "云泽市人民政府", Formed: time.Date(2026, 4, 1, 20, 0, 0, 0, time.UTC),
			Doc: document.Document{Title: "市里的通知", Number: num}},
			Entry{Piece: 7, Responsible: "云泽市人民政府", DocNumber: "市政发〔2026〕3号", Title: "市里的通知", Date: "20260402"}},
	}
	for _, c := range cases {
		if got := EntryOf(7, c.in); got != c.want {
			t.Errorf("%s:\n got %+v\nwant %+v", c.name, got, c.want)
		}
	}
}

func TestPackagePath(t *testing.T) {
	taken := map[string]bool{}
	cases := []struct{ role, name, want string }{
		{RoleAttachment, "联系表.txt", "附件/联系表.txt"},
		{RoleAttachment, "联系表.txt", "附件/联系表（2）.txt"},
		{RoleAttachment, "联系表.txt", "附件/联系表（3）.txt"},
		{RoleIssued, "../../etc/passwd", "正式文本/_.._etc_passwd"},
		{RoleScan, "..", "扫描件/文件"},
		{RoleScan, "a\\b\x01.pdf", "扫描件/a_b_.pdf"},
	}
	for _, c := range cases {
		if got := PackagePath(c.role, c.name, taken); got != c.want {
			t.Errorf("PackagePath(%q, %q) = %q, want %q", c.role, c.name, got, c.want)
		}
	}
}

func TestMetadataXML(t *testing.T) {
	m := Metadata{Standard: "DA/T 22-2015", Code: "Z012-2026-Y-BGS-0001", Title: "关于<测试>的通知", To: []string{"甲", "乙"},
		Files: []PackageFile{{Path: "附件/a.txt", Role: RoleAttachment, SHA256: "ab", SM3: "cd"}}}
	b, err := m.XML()
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{`<归档信息包 依据="DA/T 22-2015">`, "<档号>Z012-2026-Y-BGS-0001</档号>", "<题名>关于&lt;测试&gt;的通知</题名>",
		"<主送>", "<机关>乙</机关>", `<文件 路径="附件/a.txt" 类别="附件">`, "<SM3>cd</SM3>"} {
		if !strings.Contains(s, want) {
			t.Errorf("metadata XML lacks %s:\n%s", want, s)
		}
	}
}

// FuzzParseCode: a 档号 that parses writes back as itself.
func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"Z012-2026-Y-BGS-0001", "清政办-2026-D30-综合科-0012", "A-0001-D10-B-99999", "Z-2026-X-B-0001", "----"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCode(s)
		if err != nil {
			return
		}
		if back, err := ParseCode(c.String()); err != nil || back != c {
			t.Fatalf("%q → %+v → %q → %+v, %v", s, c, c.String(), back, err)
		}
	})
}
