package document

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestParseClassification(t *testing.T) {
	cases := []struct {
		in   string
		want Classification
		err  string
	}{
		{in: "", want: Classification{}},
		{in: "非密", want: Classification{}},
		{in: "秘密", want: Classification{Level: Confidential}},
		{in: "机密★5年", want: Classification{Level: Secret, PeriodYears: 5}},
		{in: "秘密★10年", want: Classification{Level: Confidential, PeriodYears: 10}},
		{in: "秘密★15年", err: "不超过10年"},
		{in: "机密★21年", err: "不超过20年"},
		{in: "机密*5年", err: "★"},
		{in: "机密☆5年", err: "★"},
		{in: "绝密", err: "绝密"},
		{in: "绝密★30年", err: "机要渠道"},
		{in: "内部", err: "无效"},
		{in: "机密★0年", err: "无效"},
	}
	for _, tc := range cases {
		got, err := ParseClassification(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseClassification(%q) err = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseClassification(%q) = %+v, %v", tc.in, got, err)
		}
		if back, _ := ParseClassification(got.String()); back != got {
			t.Errorf("round trip of %q: %+v", got.String(), back)
		}
	}
	if !errors.Is(Classification{Level: TopSecret}.Validate(), ErrTopSecret) {
		t.Error("绝密 must be refused with ErrTopSecret")
	}
	if !(Classification{Level: Secret}).AtLeast(Classification{Level: Confidential}) ||
		(Classification{Level: Unclassified}).AtLeast(Classification{Level: Confidential}) {
		t.Error("order must be 非密 < 秘密 < 机密")
	}
}

func TestParseUrgency(t *testing.T) {
	for in, want := range map[string]Urgency{"": Ordinary, "加急": Urgent, "特急": ExtraUrgent} {
		if got, err := ParseUrgency(in); err != nil || got != want {
			t.Errorf("ParseUrgency(%q) = %q, %v", in, got, err)
		}
	}
	for in, want := range map[string]string{"急件": "加急", "特提": "电报", "很急": "无效"} {
		if _, err := ParseUrgency(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseUrgency(%q) err = %v, want %q", in, err, want)
		}
	}
}

func TestDates(t *testing.T) {
	d, err := ParseDate("2026年1月5日")
	if err != nil || d != (Date{2026, 1, 5}) || d.String() != "2026年1月5日" {
		t.Fatalf("ParseDate = %v, %v", d, err)
	}
	for _, bad := range []string{"2026年01月05日", "26年1月5日", "2026.01.05", "二〇二六年一月五日", "2026年2月30日", "2026年13月1日"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
	if !(Date{2026, 1, 5}).Before(Date{2026, 1, 6}) || (Date{2026, 2, 1}).Before(Date{2026, 1, 31}) {
		t.Error("Before is wrong")
	}
	if ValidCopyNumber("000012") != nil || ValidCopyNumber("12") == nil || FormatCopyNumber(12) != "000012" {
		t.Error("copy numbers")
	}
}

func TestDocNumber(t *testing.T) {
	good := map[string]DocNumber{
		"区政办发〔2026〕12号": {"区政办发", 2026, 12},
		"中办发〔2012〕14号":  {"中办发", 2012, 14},
		"国发〔2026〕1号":    {"国发", 2026, 1},
	}
	for s, want := range good {
		got, err := ParseDocNumber(s)
		if err != nil || got != want || got.String() != s {
			t.Errorf("ParseDocNumber(%q) = %+v, %v", s, got, err)
		}
	}
	bad := map[string]string{
		"国发[2024]1号":                    "六角括号",
		"国发【2024】1号":                    "六角括号",
		"国发（2024）1号":                    "六角括号",
		"国发﹝2024﹞1号":                    "六角括号",
		"国发〔2024〕第1号":                   "第",
		"国发〔2024〕01号":                   "虚位",
		"国发〔24〕1号":                      "四位",
		"国发〔2024〕1":                     "号",
		"2024年1号":                       "格式",
		"国发〔2024〕99999999999999999999号": "过大",
	}
	for s, want := range bad {
		if _, err := ParseDocNumber(s); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseDocNumber(%q) err = %v, want %q", s, err, want)
		}
	}
}

func FuzzParseDocNumber(f *testing.F) {
	for _, s := range []string{"区政办发〔2026〕12号", "国发[2024]1号", "国发〔2024〕第01号", "〔〕号"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseDocNumber(s)
		if err != nil {
			if !hasHan(err.Error()) {
				t.Fatalf("message not in Chinese: %v", err)
			}
			return
		}
		if n.Validate() != nil {
			t.Fatalf("parsed an invalid number %+v", n)
		}
		back, err := ParseDocNumber(n.String())
		if err != nil || back != n {
			t.Fatalf("round trip %q → %+v → %+v, %v", s, n, back, err)
		}
	})
}

var time0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

func TestNumberSequence(t *testing.T) {
	num := func(seq int) DocNumber { return DocNumber{"区政办发", 2026, seq} }
	var evs []NumberEvent
	for i := 1; i <= 3; i++ {
		if got := NextSeq(evs, "区政办发", 2026); got != i {
			t.Fatalf("NextSeq = %d, want %d", got, i)
		}
		e, err := Assign(num(i), "doc"+string(rune('0'+i)), "c1", time0)
		if err != nil {
			t.Fatal(err)
		}
		evs = append(evs, e)
	}
	if _, err := Void(num(2), "doc2", " ", "c1", time0); err == nil {
		t.Fatal("void without a reason accepted")
	}
	v, err := Void(num(2), "doc2", "文件撤回重拟", "c1", time0)
	if err != nil {
		t.Fatal(err)
	}
	evs = append(evs, v)
	if p := CheckSequence(evs); len(p) != 0 {
		t.Fatalf("clean sequence reported %v", p)
	}
	if NextSeq(evs, "区政办发", 2026) != 4 || NextSeq(evs, "区政办发", 2027) != 1 || NextSeq(evs, "区政办函", 2026) != 1 {
		t.Fatal("a voided number must not be reused; years and codes are separate")
	}
	bad := append(append([]NumberEvent(nil), evs...),
		NumberEvent{Kind: Assigned, Number: num(2), Document: "doc9"}, // reuse of a voided number
		NumberEvent{Kind: Assigned, Number: num(6), Document: "doc6"}, // gap: 5 missing
		NumberEvent{Kind: Voided, Number: num(7), Reason: "x"},        // voided, never assigned
	)
	got := strings.Join(CheckSequence(bad), ";")
	for _, want := range []string{"作废后又被使用", "重复使用", "5号 空号", "未使用即被作废"} {
		if !strings.Contains(got, want) {
			t.Errorf("CheckSequence missed %q in %s", want, got)
		}
	}
}

// Issuing and voiding at random, with NextSeq choosing every number, always
// leaves a sequence CheckSequence accepts (the store's numbering must too).
func TestRandomNumberingStaysGapFree(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	var evs []NumberEvent
	codes := []string{"区政办发", "区政办函"}
	for i := 0; i < 2000; i++ {
		code, year := codes[r.IntN(2)], 2026+r.IntN(2)
		if r.IntN(5) == 0 && len(evs) > 0 {
			e := evs[r.IntN(len(evs))]
			if v, err := Void(e.Number, e.Document, "收回重拟", "c1", time0); err == nil && e.Kind == Assigned && !voidedIn(evs, e.Number) {
				evs = append(evs, v)
			}
			continue
		}
		n := DocNumber{OrganCode: code, Year: year, Seq: NextSeq(evs, code, year)}
		e, err := Assign(n, fmt.Sprint("doc", i), "c1", time0)
		if err != nil {
			t.Fatal(err)
		}
		evs = append(evs, e)
	}
	if p := CheckSequence(evs); len(p) != 0 {
		t.Fatalf("problems: %v", p)
	}
}

func voidedIn(evs []NumberEvent, n DocNumber) bool {
	for _, e := range evs {
		if e.Kind == Voided && e.Number == n {
			return true
		}
	}
	return false
}

func TestIncomingNumber(t *testing.T) {
	n := IncomingNumber{UnitCode: "城关镇", Year: 2026, Seq: 15}
	if n.String() != "城关镇收〔2026〕15号" {
		t.Fatal(n.String())
	}
	back, err := ParseIncomingNumber(n.String())
	if err != nil || back != n {
		t.Fatalf("%+v %v", back, err)
	}
	if _, err := ParseIncomingNumber("城关镇〔2026〕15号"); err == nil {
		t.Fatal("accepted without 收")
	}
}
