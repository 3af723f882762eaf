package document

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
)

func render(es []Edit) string {
	var b strings.Builder
	for _, e := range es {
		switch e.Op {
		case Equal:
			b.WriteString(e.Text)
		case Insert:
			b.WriteString("[+" + e.Text + "]")
		case Delete:
			b.WriteString("[-" + e.Text + "]")
		}
	}
	return b.String()
}

func TestDiff(t *testing.T) {
	cases := []struct{ a, b, want string }{
		{"", "", ""},
		{"", "新增", "[+新增]"},
		{"删除", "", "[-删除]"},
		{"关于做好防汛工作的通知", "关于切实做好防汛工作的通知", "关于[+切实]做好防汛工作的通知"},
		{"请各镇于3月20日前报送", "请各镇于3月25日前报送", "请各镇于3月2[-0][+5]日前报送"},
		{"一、提高认识\n二、压实责任", "一、提高思想认识\n二、压实责任", "一、提高[+思想]认识\n二、压实责任"},
		{"甲乙丙", "丙乙甲", ""}, // checked by edit count only
	}
	for _, tc := range cases {
		es := Diff(tc.a, tc.b)
		if Apply(tc.a, es) != tc.b {
			t.Fatalf("Diff(%q, %q) does not rebuild the new text: %s", tc.a, tc.b, render(es))
		}
		if tc.want != "" && render(es) != tc.want {
			t.Errorf("Diff(%q, %q) = %s, want %s", tc.a, tc.b, render(es), tc.want)
		}
	}
	// Offsets are in runes.
	es := Diff("关于防汛的通知", "关于做好防汛的通知")
	if es[1].Op != Insert || es[1].A != 2 || es[1].B != 2 || es[1].Len != 2 {
		t.Fatalf("offsets: %+v", es)
	}
}

// lcs is the textbook dynamic programme, for checking minimality on small inputs.
func lcs(a, b []rune) int {
	prev := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		for j := 1; j <= len(b); j++ {
			switch {
			case a[i-1] == b[j-1]:
				cur[j] = prev[j-1] + 1
			case prev[j] > cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev = cur
	}
	return prev[len(b)]
}

func randomText(r *rand.Rand, n int, alphabet []rune) string {
	out := make([]rune, n)
	for i := range out {
		out[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(out)
}

func TestDiffIsMinimal(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	alphabet := []rune("的一是在不了有和人这中大为上个国我以要")
	for i := 0; i < 2000; i++ {
		a := randomText(r, r.IntN(30), alphabet[:2+r.IntN(len(alphabet)-2)])
		b := randomText(r, r.IntN(30), alphabet[:2+r.IntN(len(alphabet)-2)])
		es := Diff(a, b)
		if Apply(a, es) != b {
			t.Fatalf("Diff(%q, %q) wrong: %s", a, b, render(es))
		}
		edits := 0
		for _, e := range es {
			if e.Op != Equal {
				edits += e.Len
			}
			if e.Op == Equal && string([]rune(a)[e.A:e.A+e.Len]) != string([]rune(b)[e.B:e.B+e.Len]) {
				t.Fatalf("equal run %+v does not match both texts", e)
			}
		}
		ra, rb := []rune(a), []rune(b)
		if want := len(ra) + len(rb) - 2*lcs(ra, rb); edits != want {
			t.Fatalf("Diff(%q, %q) uses %d edits, minimum is %d", a, b, edits, want)
		}
	}
}

func FuzzDiff(f *testing.F) {
	f.Add("关于做好防汛工作的通知", "关于切实做好防汛工作的通知")
	f.Add("abc", "\xff\xfe")
	f.Fuzz(func(t *testing.T, a, b string) {
		es := Diff(a, b)
		// Invalid UTF-8 becomes U+FFFD in runes, so compare rune-normalised text.
		if Apply(a, es) != string([]rune(b)) {
			t.Fatalf("Diff(%q, %q) does not rebuild b", a, b)
		}
		for i := 1; i < len(es); i++ {
			if es[i].Op == es[i-1].Op {
				t.Fatal("adjacent runs of one kind not merged")
			}
		}
	})
}

// tenThousand builds a 10,000-character document and a revision with edits
// every ~200 characters, as a reviewer's pass would leave.
func tenThousand() (string, string) {
	r := rand.New(rand.NewPCG(9, 9))
	alphabet := []rune("为做好防汛工作现将有关事项通知如下各镇要切实提高认识压实责任加强监测预警及时转移群众确保安全，。、")
	a := []rune(randomText(r, 10000, alphabet))
	var b []rune
	for i := 0; i < len(a); i++ {
		switch r.IntN(200) {
		case 0:
			b = append(b, []rune("（新增内容）")...)
			b = append(b, a[i])
		case 1: // delete
		case 2:
			b = append(b, '改')
		default:
			b = append(b, a[i])
		}
	}
	return string(a), string(b)
}

func TestDiffTenThousand(t *testing.T) {
	a, b := tenThousand()
	if Apply(a, Diff(a, b)) != b {
		t.Fatal("10,000-character diff wrong")
	}
	// Unrelated texts take the cost-limited path; the script must still be right.
	r := rand.New(rand.NewPCG(5, 5))
	x, y := randomText(r, 6000, []rune("甲乙丙丁戊")), randomText(r, 5000, []rune("甲乙丙丁戊"))
	es := Diff(x, y)
	if Apply(x, es) != y {
		t.Fatal("cost-limited diff wrong")
	}
	kept := 0
	for _, e := range es {
		if e.Op == Equal {
			kept += e.Len
		}
	}
	if want := lcs([]rune(x), []rune(y)); kept < want*9/10 {
		t.Errorf("cost-limited diff keeps %d characters, the best keeps %d", kept, want)
	}
}

func BenchmarkDiff10000(b *testing.B) {
	x, y := tenThousand()
	b.ReportAllocs()
	for b.Loop() {
		Diff(x, y)
	}
}

// BenchmarkDiff10000Rewritten is the worst case: two unrelated 10,000-character texts.
func BenchmarkDiff10000Rewritten(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	alphabet := []rune("为做好防汛工作现将有关事项通知如下各镇要切实提高认识")
	x, y := randomText(r, 10000, alphabet), randomText(r, 10000, alphabet)
	b.ReportAllocs()
	for b.Loop() {
		Diff(x, y)
	}
}

func TestAnnotations(t *testing.T) {
	v1 := "请各镇于3月20日前报送防汛方案。"
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, calendar.Shanghai())
	a, err := Annotate("a1", 1, v1, 4, 9, "r1", "时间太紧，建议延后", at) // "3月20日"
	if err != nil || a.Quote != "3月20日" {
		t.Fatalf("%+v %v", a, err)
	}
	for _, bad := range [][2]int{{-1, 3}, {3, 3}, {5, 99}} {
		if _, err := Annotate("x", 1, v1, bad[0], bad[1], "r1", "x", at); err == nil {
			t.Errorf("range %v accepted", bad)
		}
	}
	if _, err := Annotate("x", 1, v1, 0, 2, "r1", "  ", at); err == nil {
		t.Error("empty comment accepted")
	}
	cases := []struct {
		v2, quote string
		orphan    bool
	}{
		{"请全区各镇于3月20日前报送防汛方案。", "3月20日", false},    // insertion before
		{"请各镇于3月25日前报送防汛方案。", "3月25日", false},      // change inside
		{"请各镇于3月20日（星期五）前报送防汛方案。", "3月20日", false}, // insertion after, not taken in
		{"请各镇尽快报送防汛方案。", "", true},                 // the text is gone
		{"请各镇于3月下旬20日前报送防汛方案。", "3月下旬20日", false},  // insertion inside is taken in
	}
	for _, tc := range cases {
		got := CarryForward(a, Diff(v1, tc.v2), 2, tc.v2)
		if got.Orphaned != tc.orphan || (!tc.orphan && got.Quote != tc.quote) || got.Version != 2 {
			t.Errorf("carry to %q: %+v, want quote %q orphan %v", tc.v2, got, tc.quote, tc.orphan)
		}
	}
	res, err := a.Resolve("d1", at)
	if err != nil || !res.Resolved || res.ResolvedBy != "d1" {
		t.Fatalf("%+v %v", res, err)
	}
	if _, err := res.Resolve("d1", at); err == nil {
		t.Error("resolved twice")
	}
}

func TestSignFor(t *testing.T) {
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	p := DefaultSignFor()
	issued := time.Date(2026, 3, 6, 17, 0, 0, 0, calendar.Shanghai()) // Friday 17:00
	cases := []struct {
		u    Urgency
		want time.Time
	}{
		{ExtraUrgent, time.Date(2026, 3, 6, 18, 0, 0, 0, calendar.Shanghai())},
		{Urgent, time.Date(2026, 3, 9, 12, 0, 0, 0, calendar.Shanghai())}, // 0.5h Friday + 3.5h Monday
		{Ordinary, time.Date(2026, 3, 9, 17, 30, 0, 0, calendar.Shanghai())},
	}
	for _, tc := range cases {
		due, ok, err := SignForDue(cal, p, tc.u, issued)
		if err != nil || !ok || !due.Equal(tc.want) {
			t.Errorf("%q: due %s, want %s (%v)", tc.u, due, tc.want, err)
		}
	}
	late, _ := SignForLate(cal, p, ExtraUrgent, issued, time.Time{}, issued.Add(2*time.Hour))
	onTime, _ := SignForLate(cal, p, Ordinary, issued, issued.Add(time.Hour), issued.Add(100*time.Hour))
	if !late || onTime {
		t.Errorf("late=%v onTime-late=%v", late, onTime)
	}
	first := IncomingFirst("town", Urgent, p)
	if len(first) != 1 || first[0].Limit != p.Urgent || first[0].Assignee.Unit != "town" {
		t.Fatalf("%+v", first)
	}
	if (SignForPolicy{Urgent: calendar.Limit{Unit: "x", N: 1}}).Validate() == nil {
		t.Error("bad policy accepted")
	}
}

func TestCompareVersions(t *testing.T) {
	d1 := goodDoc(Notice)
	d2 := d1
	d2.Title = "××区人民政府办公室关于切实做好2026年防汛工作的通知"
	r := Compare(Version{N: 1, Doc: d1}, Version{N: 2, Doc: d2})
	if r.Inserted != 2 || r.Deleted != 0 || r.From != 1 || r.To != 2 {
		t.Fatalf("%+v", r)
	}
	back := Compare(Version{N: 2, Doc: d2}, Version{N: 1, Doc: d1})
	if back.Deleted != 2 || Apply(d2.Text(), back.Edits) != d1.Text() {
		t.Fatalf("reverse comparison: %+v", back)
	}
}
