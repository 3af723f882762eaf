package document

import (
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/org"
)

var seriesUnits = map[string]org.Unit{
	"gov":    {ID: "gov", Name: "清澜区人民政府", ShortName: "区政府", OrganCode: "清政", Kind: org.KindLeadingBody},
	"office": {ID: "office", ParentID: "gov", Name: "清澜区人民政府办公室", ShortName: "政府办", OrganCode: "清政办", Kind: org.KindOffice},
	"dept":   {ID: "dept", Name: "清澜区应急管理局", ShortName: "区应急局", OrganCode: "清应急", Kind: org.KindDepartment},
	"bare":   {ID: "bare", Name: "某镇", ShortName: "某镇", Kind: org.KindTown},
}

var districtSeries = []Series{
	{OrganID: "gov", Code: "清政发", Name: "区政府文件", Types: []DocType{Notice, Opinion, Decision}, Sort: 1},
	{OrganID: "gov", Code: "清政函", Name: "区政府函", Types: []DocType{Letter}, Sort: 2},
	{OrganID: "gov", Code: "清政明电", Name: "明传电报", Types: []DocType{Notice, Bulletin}, Sort: 3},
	{OrganID: "gov", Code: "清政阅", Name: "纪要", Types: []DocType{Minutes}, Sort: 4},
	{OrganID: "office", Code: "清政办发", Name: "政府办文件", Types: []DocType{Notice, Opinion}, Sort: 1},
	{OrganID: "office", Code: "清政办函", Name: "政府办函", Types: []DocType{Letter}, Sort: 2},
}

func codes(ss []Series) string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Code)
	}
	return strings.Join(out, " ")
}

// TestSeriesFor: the series follow from the organ and the doc type, the
// usual one first; an organ without series numbers under its 机关代字.
func TestSeriesFor(t *testing.T) {
	for _, tt := range []struct {
		organ string
		typ   DocType
		want  string
	}{
		{"gov", Notice, "清政发 清政明电"},
		{"gov", Letter, "清政函"},
		{"gov", Bulletin, "清政明电"},
		{"gov", Minutes, "清政阅"},
		{"gov", Request, ""},
		{"office", Notice, "清政办发"},
		{"office", Letter, "清政办函"},
		{"office", Minutes, ""},
		{"dept", Notice, "清应急"}, // no series of its own: its 机关代字
		{"dept", Letter, "清应急"},
		{"bare", Notice, ""},
	} {
		if got := codes(SeriesFor(districtSeries, seriesUnits[tt.organ], tt.typ)); got != tt.want {
			t.Errorf("%s %s: %q, want %q", tt.organ, tt.typ, got, tt.want)
		}
	}
}

// TestNumberDecision: 编号 takes the next number of the series the clerk
// chose among those allowed, else of the usual one, in Beijing's year.
func TestNumberDecision(t *testing.T) {
	// 2026-12-31 17:00 UTC is already 2027 in Beijing.
	newYear := time.Date(2026, 12, 31, 17, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name   string
		organ  string
		typ    DocType
		chosen string
		want   string // code, "-" for no number
		year   int
		err    string
	}{
		{"usual series", "gov", Notice, "", "清政发", 2027, ""},
		{"clerk's choice", "gov", Notice, "清政明电", "清政明电", 2027, ""},
		{"letter", "gov", Letter, "", "清政函", 2027, ""},
		{"office's own", "office", Notice, "", "清政办发", 2027, ""},
		{"another organ's series", "office", Notice, "清政发", "", 0, "不能编入“清政发”系列，可选：清政办发"},
		{"series not for the type", "gov", Letter, "清政发", "", 0, "函不能编入“清政发”系列"},
		{"no series for the type", "gov", Request, "", "", 0, "没有可用于请示的文号系列"},
		{"minutes without a series", "office", Minutes, "", "-", 0, ""},
		{"organ code as the one series", "dept", Opinion, "", "清应急", 2027, ""},
		{"nothing to number under", "bare", Notice, "", "", 0, "没有可用于通知的文号系列"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e, err := OnFinish(Finish{Outgoing: true, Step: StepNumber, Doc: Document{Type: tt.typ}, Units: seriesUnits, OrganID: tt.organ,
				Series: districtSeries, Fields: map[string]string{FieldSeries: tt.chosen}, At: newYear})
			switch {
			case tt.err != "":
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
			case err != nil:
				t.Fatal(err)
			case tt.want == "-":
				if e.Number != nil {
					t.Fatalf("number taken: %+v", e.Number)
				}
			case e.Number == nil || e.Number.Series.Code != tt.want || e.Number.Year != tt.year:
				t.Fatalf("number %+v, want %s %d", e.Number, tt.want, tt.year)
			}
		})
	}
}

// TestCheckSeries: a list is refused for a bad code, a repeated code, a
// code that is another unit's 机关代字, or an unknown doc type.
func TestCheckSeries(t *testing.T) {
	if err := CheckSeries(districtSeries, seriesUnits); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		s    Series
		err  string
	}{
		{"bracket", Series{OrganID: "gov", Code: "清政〔发", Name: "x"}, "无效"},
		{"repeated", Series{OrganID: "office", Code: "清政发", Name: "x"}, "重复"},
		{"another unit's code", Series{OrganID: "gov", Code: "清应急", Name: "x"}, "区应急管理局的机关代字"},
		{"unknown type", Series{OrganID: "gov", Code: "清政复", Name: "批复", Types: []DocType{"reply"}}, "文种"},
		{"no name", Series{OrganID: "gov", Code: "清政复"}, "名称"},
	} {
		err := CheckSeries(append(append([]Series{}, districtSeries...), tt.s), seriesUnits)
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.err)
		}
	}
}

// TestPrintAndRegisterDecisions: 印发 takes the date in either form and a
// positive number of copies, and names the issuing organ's office as 印发机关;
// 登记 takes the next 收文编号 of the receiving unit under its organ's code.
func TestPrintAndRegisterDecisions(t *testing.T) {
	at := time.Date(2026, 12, 31, 17, 0, 0, 0, time.UTC) // 2027 in Beijing
	for _, tt := range []struct {
		organ, date, copies string
		want, err           string
	}{
		{"gov", "2026-12-01", "30", "清澜区人民政府办公室 2026年12月1日", ""},
		{"office", "2026年12月2日", "1", "清澜区人民政府办公室 2026年12月2日", ""},
		{"dept", "2026-12-03", "5", "清澜区应急管理局 2026年12月3日", ""},
		{"gov", "12/01", "30", "", "印发日期无效"},
		{"gov", "2026-12-01", "0", "", "份数"},
		{"gov", "2026-12-01", "十", "", "份数"},
	} {
		e, err := OnFinish(Finish{Outgoing: true, Step: StepPrintIssue, Units: seriesUnits, OrganID: tt.organ,
			Fields: map[string]string{"print_date": tt.date, "copies": tt.copies}, At: at})
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s %s: %v, want %q", tt.date, tt.copies, err, tt.err)
			}
		case err != nil:
			t.Errorf("%s: %v", tt.date, err)
		case e.Print == nil || e.Print.PrintedBy+" "+e.Print.Date.String() != tt.want:
			t.Errorf("%s: %+v, want %s", tt.date, e.Print, tt.want)
		}
	}
	e, err := OnFinish(Finish{Step: StepRegister, Units: seriesUnits, UnitID: "office", At: at})
	if err != nil || e.InNum == nil || *e.InNum != (InTake{Scope: "in:office", UnitCode: "清政办", Year: 2027}) {
		t.Fatalf("登记: %+v %v", e.InNum, err)
	}
	if e, _ := OnFinish(Finish{Step: StepRegister, Units: seriesUnits, UnitID: "bare", At: at}); e.InNum == nil || e.InNum.UnitCode != "某镇" {
		t.Errorf("a unit without a code registers under its short name: %+v", e.InNum)
	}
	if _, err := OnFinish(Finish{Step: StepRegister, Units: seriesUnits, UnitID: "nowhere", At: at}); err == nil {
		t.Error("an unknown receiving unit registered")
	}
}

// TestParseSeries: the editor's lines read back as written; a bad line is
// named by its number.
func TestParseSeries(t *testing.T) {
	text := "清政发 区政府文件 通知 意见 令\n\n清政函 区政府函 函\n清政电 明电\n"
	ss, err := ParseSeries("gov", text)
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 3 || ss[0].Types[2] != Order || ss[2].Types != nil || ss[1].Sort != 2 {
		t.Fatalf("parsed %+v", ss)
	}
	if again, err := ParseSeries("gov", FormatSeries(ss)); err != nil || FormatSeries(again) != FormatSeries(ss) {
		t.Errorf("round trip: %v\n%s", err, FormatSeries(again))
	}
	for in, want := range map[string]string{
		"清政发":         "第1行",
		"清政发 文件 报表":   "第1行：文种“报表”无效",
		"\n清政〔发 文件":   "第2行",
		"清政发 文件 通知 x": "文种“x”无效",
	} {
		if _, err := ParseSeries("gov", in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
}

// FuzzParseSeries: whatever is typed, parsing does not panic, and what it
// accepts formats and parses back to the same.
func FuzzParseSeries(f *testing.F) {
	f.Add("清政发 区政府文件 通知 意见\n清政函 区政府函 函")
	f.Add("清政发")
	f.Fuzz(func(t *testing.T, in string) {
		ss, err := ParseSeries("gov", in)
		if err != nil {
			return
		}
		again, err := ParseSeries("gov", FormatSeries(ss))
		if err != nil || FormatSeries(again) != FormatSeries(ss) {
			t.Fatalf("%q: round trip %v", in, err)
		}
	})
}
