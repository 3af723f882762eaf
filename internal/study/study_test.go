package study

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

var (
	sh = time.FixedZone("CST", 8*3600)
	t0 = time.Date(2026, 4, 8, 14, 30, 0, 0, sh)
)

func refused(err error, want string) bool {
	var r *Refusal
	return errors.As(err, &r) && strings.Contains(r.Msg, want)
}

func TestPlan(t *testing.T) {
	p, err := NewPlan("sp1", "off", "2026年度办公室学习计划", 2026, "clerk", t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewPlan("sp1", "off", " ", 2026, "clerk", t0); !refused(err, "名称") {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		it   Item
		want string
	}{
		{"no topic", Item{People: []string{"a"}, Due: t0}, "学习专题"},
		{"no people", Item{Topic: "党政机关公文处理工作条例", People: []string{" "}, Due: t0}, "参学人员"},
		{"no due", Item{Topic: "条例", People: []string{"a"}}, "完成时限"},
		{"ok", Item{Topic: "党政机关公文处理工作条例", Material: "条例全文及释义", People: []string{"a", "b", "a"}, Due: t0.Add(7 * 24 * time.Hour)}, ""},
	} {
		next, err := AddItem(p, c.it, t0)
		if c.want == "" && err != nil || c.want != "" && !refused(err, c.want) {
			t.Fatalf("%s: %v", c.name, err)
		}
		if err == nil {
			p = next
		}
	}
	if len(p.Items[0].People) != 2 {
		t.Fatal(p.Items[0].People)
	}
	if _, err := Complete(p, 0, "z", "", t0); !refused(err, "不在") {
		t.Fatal(err)
	}
	p2, err := Complete(p, 0, "a", "学习了行文规则", t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Complete(p2, 0, "a", "", t0); !refused(err, "已登记") {
		t.Fatal(err)
	}
	if len(p.Items[0].Done) != 0 {
		t.Fatal("Complete changed its input")
	}
	if o := p2.Owing("a", t0); len(o) != 0 {
		t.Fatal(o)
	}
	if o := p2.Owing("b", t0.Add(8*24*time.Hour)); len(o) != 1 || !o[0].Overdue {
		t.Fatal(o)
	}
	if _, err := AddItem(p, Item{Topic: strings.Repeat("学", MaxTopic+1), People: []string{"a"}, Due: t0}, t0); !errors.Is(err, textlimit.ErrTooLong) {
		t.Fatal(err)
	}
}

func training(t *testing.T) Training {
	t.Helper()
	tr, err := NewTraining(Training{ID: "tr1", OfficeID: "off", Title: "公文写作专题培训", Speaker: "市委办 李科长", Place: "区委三楼会议室",
		Start: t0, End: t0.Add(2 * time.Hour), Minutes: 0, Invitees: []string{"a", "b", "c"}, Organizer: "org", Secret: []byte("0123456789abcdef0123")}, t0.Add(-48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestTraining(t *testing.T) {
	tr := training(t)
	if tr.Minutes != 120 {
		t.Fatal(tr.Minutes)
	}
	bad := tr
	bad.Minutes = 200
	if _, err := NewTraining(bad, t0); !refused(err, "学时不能超过") {
		t.Fatal(err)
	}
	bad = tr
	bad.End = t0.Add(13 * time.Hour)
	if _, err := NewTraining(bad, t0); !refused(err, "按天登记") {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name         string
		by, who, via string
		at           time.Time
		want         string
	}{
		{"too early", "a", "a", "qr", t0.Add(-2 * time.Hour), "开放"},
		{"not invited", "z", "z", "qr", t0, "不在"},
		{"for another", "a", "b", "qr", t0, "本人"},
		{"click by stranger", "a", "b", "click", t0, "组织者"},
		{"qr", "a", "a", "qr", t0.Add(-30 * time.Minute), ""},
		{"twice", "a", "a", "qr", t0, "已经签到（14:00）"},
		{"click", "org", "b", "click", t0.Add(10 * time.Minute), ""},
		{"after end", "c", "c", "qr", t0.Add(2 * time.Hour), "已经结束"},
	} {
		next, err := SignIn(tr, c.by, c.who, c.via, c.at)
		if c.want == "" && err != nil || c.want != "" && !refused(err, c.want) {
			t.Fatalf("%s: %v", c.name, err)
		}
		if err == nil {
			tr = next
		}
	}
	if !tr.Attended("a") || tr.Attended("c") {
		t.Fatal(tr.Attendance)
	}
	if _, err := Cancel(tr, t0); !refused(err, "已开始") {
		t.Fatal(err)
	}
}

func TestSignInToken(t *testing.T) {
	tr := training(t)
	tok := SignInToken(tr, t0.Add(10*time.Minute))
	if err := CheckSignInToken(tr, tok, t0); err != nil {
		t.Fatal(err)
	}
	if err := CheckSignInToken(tr, tok, t0.Add(11*time.Minute)); err == nil {
		t.Fatal("expired token accepted")
	}
	other := tr
	other.ID = "tr2"
	if err := CheckSignInToken(other, tok, t0); err == nil {
		t.Fatal("token of another session accepted")
	}
}

func TestHours(t *testing.T) {
	a := training(t)
	a.Attendance = []Attendance{{PersonID: "a"}, {PersonID: "b"}}
	b := training(t)
	b.ID, b.Minutes = "tr2", 90
	b.Attendance = []Attendance{{PersonID: "a"}}
	// The last evening of the year in Shanghai is still that year.
	c := training(t)
	c.ID = "tr3"
	c.Start = time.Date(2026, 12, 31, 23, 0, 0, 0, sh)
	c.Attendance = []Attendance{{PersonID: "c"}}
	d := training(t) // the next year
	d.ID = "tr4"
	d.Start = time.Date(2027, 1, 1, 0, 30, 0, 0, sh)
	d.Attendance = []Attendance{{PersonID: "c"}}
	e := training(t) // cancelled
	e.ID, e.Cancelled = "tr5", true
	e.Attendance = []Attendance{{PersonID: "b"}}
	got := Hours([]Training{a, b, c, d, e}, 2026)
	want := []PersonHours{{"a", 210, 2, 3}, {"b", 120, 1, 3}, {"c", 120, 1, 3}}
	if len(got) != len(want) {
		t.Fatalf("%+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestParseHours(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"2", 120, true}, {"1.5", 90, true}, {"0.75", 45, true}, {"1.5学时", 90, true}, {" 3小时 ", 180, true}, {"0.01", 1, true},
		{"", 0, false}, {"1.555", 0, false}, {"-1", 0, false}, {".5", 0, false}, {"一", 0, false}, {"13", 0, false}, {"1e3", 0, false},
	} {
		got, err := ParseHours(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("%q: %d %v", c.in, got, err)
		}
	}
	if FormatHours(90) != "1.5" || FormatHours(120) != "2" || FormatHours(45) != "0.75" {
		t.Fatal(FormatHours(90), FormatHours(120), FormatHours(45))
	}
}

func FuzzParseHours(f *testing.F) {
	f.Add("1.5")
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseHours(s)
		if err == nil && (m < 0 || m > int(MaxSession/time.Minute)) {
			t.Fatalf("%q → %d", s, m)
		}
		if err == nil {
			if back, err := ParseHours(FormatHours(m)); err != nil || back != m {
				t.Fatalf("%q → %d → %q → %d %v", s, m, FormatHours(m), back, err)
			}
		}
	})
}

func TestEntry(t *testing.T) {
	ok := Entry{ID: "e1", OfficeID: "off", Kind: ModelText, Title: "关于做好2026年春节期间值班工作的通知", UnitID: "u1", DocType: "通知", Summary: "结构清晰、要求具体", Body: "各镇街……", Tags: []string{"值班", "值班", "节假日"}}
	e, err := NewEntry(ok, t0)
	if err != nil || len(e.Tags) != 2 {
		t.Fatal(err, e.Tags)
	}
	for _, c := range []struct {
		edit func(*Entry)
		want string
	}{
		{func(e *Entry) { e.Kind = "x" }, "类别"},
		{func(e *Entry) { e.Title = "" }, "标题"},
		{func(e *Entry) { e.UnitID = "" }, "撰写单位"},
		{func(e *Entry) { e.Body = " " }, "正文"},
	} {
		e := ok
		c.edit(&e)
		if _, err := NewEntry(e, t0); !refused(err, c.want) {
			t.Fatalf("%q: %v", c.want, err)
		}
	}
	for _, c := range []struct {
		q    string
		kind Kind
		unit string
		want bool
	}{
		{"", "", "", true}, {"值班 通知", "", "", true}, {"春节 会议", "", "", false}, {"节假日", ModelText, "u1", true},
		{"", Experience, "", false}, {"", "", "u2", false}, {"具体", "", "", true},
	} {
		if e.Matches(c.q, c.kind, c.unit) != c.want {
			t.Errorf("%q %q %q", c.q, c.kind, c.unit)
		}
	}
}
