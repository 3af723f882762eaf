package duty

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

func cal(t *testing.T) *calendar.Calendar {
	t.Helper()
	c, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func pool(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", prefix, i+1)
	}
	return out
}

func at(date, hm string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", date+" "+hm, calendar.Shanghai())
	if err != nil {
		panic(err)
	}
	return t
}

// TestGenerateDays: which days get a shift, of which kind, named as the
// calendar names them — 2026's 春节 with its two 调休 Saturdays, 国庆 and
// 中秋 with theirs, 元旦 with its Sunday worked.
func TestGenerateDays(t *testing.T) {
	c := cal(t)
	rot := func(m Mode) Rotation { return Rotation{Mode: m, Leaders: pool("L", 3), Staff: pool("S", 4)} }
	cases := []struct {
		name     string
		from, to string
		mode     Mode
		want     map[string]DayKind // date → kind, for every shift
		names    map[string]string  // some dates' calendar names
		absent   []string           // dates without a shift
	}{
		{name: "春节 days off only", from: "2026-02-13", to: "2026-03-01", mode: DaysOff,
			want: map[string]DayKind{"2026-02-15": Holiday, "2026-02-16": Holiday, "2026-02-17": Holiday, "2026-02-18": Holiday,
				"2026-02-19": Holiday, "2026-02-20": Holiday, "2026-02-21": Holiday, "2026-02-22": Holiday, "2026-02-23": Holiday,
				"2026-03-01": Weekend},
			names:  map[string]string{"2026-02-15": "春节"},
			absent: []string{"2026-02-13", "2026-02-14", "2026-02-28", "2026-02-24"}, // 02-14 and 02-28 are 调休上班 Saturdays
		},
		{name: "国庆 every day", from: "2026-09-30", to: "2026-10-11", mode: EveryDay,
			want: map[string]DayKind{"2026-09-30": Workday, "2026-10-01": Holiday, "2026-10-02": Holiday, "2026-10-03": Holiday,
				"2026-10-04": Holiday, "2026-10-05": Holiday, "2026-10-06": Holiday, "2026-10-07": Holiday, "2026-10-08": Workday,
				"2026-10-09": Workday, "2026-10-10": Workday, "2026-10-11": Weekend},
			names: map[string]string{"2026-10-10": "国庆节调休上班", "2026-10-01": "国庆节"},
		},
		{name: "元旦 with its Sunday worked", from: "2026-01-01", to: "2026-01-11", mode: DaysOff,
			want: map[string]DayKind{"2026-01-01": Holiday, "2026-01-02": Holiday, "2026-01-03": Holiday,
				"2026-01-10": Weekend, "2026-01-11": Weekend},
			absent: []string{"2026-01-04"},
		},
		{name: "an ordinary December week", from: "2026-12-07", to: "2026-12-13", mode: EveryDay,
			want: map[string]DayKind{"2026-12-07": Workday, "2026-12-08": Workday, "2026-12-09": Workday, "2026-12-10": Workday,
				"2026-12-11": Workday, "2026-12-12": Weekend, "2026-12-13": Weekend},
		},
		{name: "one day", from: "2026-10-01", to: "2026-10-01", mode: EveryDay, want: map[string]DayKind{"2026-10-01": Holiday}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			shifts, err := Generate(c, tc.from, tc.to, rot(tc.mode))
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]DayKind{}
			for _, s := range shifts {
				got[s.Date] = s.Kind
				if s.LeaderID == "" || s.StaffID == "" {
					t.Errorf("%s: posts not filled: %+v", s.Date, s)
				}
				if want := at(s.Date, "08:30"); !s.Start.Equal(want) || !s.End.Equal(want.AddDate(0, 0, 1)) {
					t.Errorf("%s: %v–%v, want from 08:30 to the next day's", s.Date, s.Start, s.End)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("shifts %v\nwant   %v", got, tc.want)
			}
			for d, n := range tc.names {
				if i := slices.IndexFunc(shifts, func(s Shift) bool { return s.Date == d }); i < 0 || shifts[i].DayName != n {
					t.Errorf("%s: name not %q", d, n)
				}
			}
			for _, d := range tc.absent {
				if _, ok := got[d]; ok {
					t.Errorf("%s has a shift", d)
				}
			}
		})
	}
}

// spread is max − min of f over the pool.
func spread(p []string, f func(string) int) int {
	lo, hi := 1<<30, -1
	for _, id := range p {
		v := f(id)
		lo, hi = min(lo, v), max(hi, v)
	}
	return hi - lo
}

// TestGenerateFairness: over a quarter with 国庆 and 中秋, each kind of
// shift is spread within one between the people of a pool, the weighted
// loads within a holiday's weight, nobody serves two days running or both
// posts a day, absences are kept, and what people did before counts.
func TestGenerateFairness(t *testing.T) {
	c := cal(t)
	cases := []struct {
		name     string
		from, to string
		rot      Rotation
		check    func(t *testing.T, shifts []Shift)
	}{
		{name: "quarter, 4 leaders and 7 staff", from: "2026-09-01", to: "2026-11-30",
			rot: Rotation{Mode: EveryDay, Leaders: pool("L", 4), Staff: pool("S", 7)}},
		{name: "days off, 3 and 5", from: "2026-09-01", to: "2026-11-30",
			rot: Rotation{Mode: DaysOff, Leaders: pool("L", 3), Staff: pool("S", 5)}},
		{name: "two staff alternate", from: "2026-12-01", to: "2026-12-31",
			rot: Rotation{Mode: EveryDay, Leaders: pool("L", 2), Staff: pool("S", 2)},
			check: func(t *testing.T, shifts []Shift) {
				for i := 1; i < len(shifts); i++ {
					if shifts[i].StaffID == shifts[i-1].StaffID {
						t.Errorf("%s and %s: %s twice", shifts[i-1].Date, shifts[i].Date, shifts[i].StaffID)
					}
				}
			}},
		{name: "absences kept", from: "2026-10-01", to: "2026-10-31",
			rot: Rotation{Mode: EveryDay, Leaders: pool("L", 3), Staff: pool("S", 5),
				Away: map[string][]string{"S1": {"2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05"}, "L2": {"2026-10-01"}}},
			check: func(t *testing.T, shifts []Shift) {
				for _, s := range shifts {
					if s.StaffID == "S1" && s.Date <= "2026-10-05" || s.LeaderID == "L2" && s.Date == "2026-10-01" {
						t.Errorf("%s: someone away is on duty: %+v", s.Date, s)
					}
				}
			}},
		{name: "prior holidays count", from: "2026-10-01", to: "2026-10-07",
			rot: Rotation{Mode: DaysOff, Leaders: pool("L", 7), Staff: pool("S", 7),
				Prior: map[string]Load{"S1": {Holiday: 3}, "S2": {Holiday: 3}}},
			check: func(t *testing.T, shifts []Shift) {
				for _, s := range shifts {
					if s.StaffID == "S1" || s.StaffID == "S2" {
						t.Errorf("%s: %s had three holidays already", s.Date, s.StaffID)
					}
				}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			shifts, err := Generate(c, tc.from, tc.to, tc.rot)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := Generate(c, tc.from, tc.to, tc.rot)
			if fmt.Sprint(again) != fmt.Sprint(shifts) {
				t.Error("two generations differ")
			}
			r := Roster{Shifts: shifts}
			loads := r.Loads()
			for p, l := range tc.rot.Prior {
				loads[p] = Load{Workday: loads[p].Workday + l.Workday, Weekend: loads[p].Weekend + l.Weekend, Holiday: loads[p].Holiday + l.Holiday}
			}
			hasAway := len(tc.rot.Away) > 0
			for _, pl := range [][]string{tc.rot.Leaders, tc.rot.Staff} {
				for _, k := range []DayKind{Workday, Weekend, Holiday} {
					if d := spread(pl, func(id string) int { return loads[id].Of(k) }); d > 1 && !hasAway && tc.rot.Prior == nil {
						t.Errorf("%s shifts spread %d in %v: %v", k.Label(), d, pl, loads)
					}
				}
				if d := spread(pl, func(id string) int { return loads[id].Points() }); d > Holiday.Weight()+1 && tc.rot.Prior == nil {
					t.Errorf("weighted loads spread %d in %v: %v", d, pl, loads)
				}
			}
			for i, s := range shifts {
				if s.LeaderID == s.StaffID {
					t.Errorf("%s: one person on both posts", s.Date)
				}
				if i > 0 && shifts[i-1].End.Equal(s.Start) && len(tc.rot.Staff) > 1 &&
					(shifts[i-1].StaffID == s.StaffID || len(tc.rot.Leaders) > 1 && shifts[i-1].LeaderID == s.LeaderID) {
					t.Errorf("%s: someone serves two days running", s.Date)
				}
			}
			if tc.check != nil {
				tc.check(t, shifts)
			}
		})
	}
}

// TestGenerateRefusals: bad input is refused in Chinese and names the day.
func TestGenerateRefusals(t *testing.T) {
	c := cal(t)
	ok := Rotation{Mode: EveryDay, Leaders: pool("L", 2), Staff: pool("S", 2)}
	with := func(f func(*Rotation)) Rotation { r := ok; f(&r); return r }
	cases := []struct {
		name, from, to string
		rot            Rotation
		want           string
	}{
		{"reversed", "2026-10-05", "2026-10-01", ok, "早于"},
		{"bad date", "2026-13-01", "2026-10-01", ok, "格式应为"},
		{"too long", "2026-01-01", "2026-06-30", ok, "最多排 92 天"},
		{"no mode", "2026-10-01", "2026-10-02", with(func(r *Rotation) { r.Mode = "" }), "值班方式"},
		{"no leaders", "2026-10-01", "2026-10-02", with(func(r *Rotation) { r.Leaders = nil }), "带班领导"},
		{"duplicate", "2026-10-01", "2026-10-02", with(func(r *Rotation) { r.Staff = []string{"S1", "S1"} }), "重复"},
		{"bad handover", "2026-10-01", "2026-10-02", with(func(r *Rotation) { r.Handover = "25:00" }), "交接班时间"},
		{"everyone away", "2026-10-01", "2026-10-03", with(func(r *Rotation) {
			r.Away = map[string][]string{"S1": {"2026-10-02"}, "S2": {"2026-10-02"}}
		}), "2026-10-02 没有可以值班的人员"},
		{"the only staff is the only leader", "2026-10-01", "2026-10-01", with(func(r *Rotation) {
			r.Leaders, r.Staff = []string{"X"}, []string{"X"}
		}), "没有可以值班的人员"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Generate(c, tc.from, tc.to, tc.rot)
			var ref *Refusal
			if !errors.As(err, &ref) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want a refusal with %q", err, tc.want)
			}
		})
	}
}

// published is a week's roster in force, generated on the calendar.
func published(t *testing.T) Roster {
	t.Helper()
	r, err := Create(cal(t), NewRoster{ID: "R", UnitID: "U", Title: "十二月值班", From: "2026-12-07", To: "2026-12-13",
		Rotation: Rotation{Mode: EveryDay, Leaders: pool("L", 3), Staff: pool("S", 4)}, By: "D"}, at("2026-12-01", "09:00"))
	if err != nil {
		t.Fatal(err)
	}
	if r, err = Publish(r, "D", at("2026-12-01", "10:00")); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestEditAndPublish: a draft is edited within the pools, published only
// when full, and then changed only by swaps.
func TestEditAndPublish(t *testing.T) {
	c := cal(t)
	r, err := Create(c, NewRoster{ID: "R", UnitID: "U", Title: "  十二月  ", From: "2026-12-07", To: "2026-12-09",
		Rotation: Rotation{Mode: EveryDay, Leaders: pool("L", 2), Staff: pool("S", 3)}}, at("2026-12-01", "09:00"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Title != "十二月" || r.State != Draft || r.Rotation.Handover != DefaultHandover {
		t.Errorf("created %+v", r)
	}
	day := r.Shifts[0]
	cases := []struct {
		name   string
		date   string
		post   Post
		person string
		want   string // "" = allowed
	}{
		{"a staff member from the pool", day.Date, Staff, "S3", ""},
		{"not in the pool", day.Date, Staff, "L1", "不在值班员名单"},
		{"both posts", day.Date, Leader, day.StaffID, "不在带班领导名单"},
		{"not a duty day", "2026-12-20", Staff, "S1", "不在本排班表"},
		{"no post", day.Date, "", "S1", "请选择"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Assign(r, tc.date, tc.post, tc.person)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if s, _ := got.Shift(tc.date); s.Holder(tc.post) != tc.person || got.Version != r.Version+1 {
					t.Errorf("after assign: %+v v%d", s, got.Version)
				}
				if s, _ := r.Shift(tc.date); s != day {
					t.Error("Assign changed its input")
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want %q", err, tc.want)
			}
		})
	}
	both := Rotation{Mode: EveryDay, Leaders: []string{"A", "B"}, Staff: []string{"A", "B"}}
	rb, err := Create(c, NewRoster{ID: "R2", UnitID: "U", Title: "x", From: "2026-12-07", To: "2026-12-07", Rotation: both}, at("2026-12-01", "09:00"))
	if err != nil {
		t.Fatal(err)
	}
	s := rb.Shifts[0]
	if _, err := Assign(rb, s.Date, Staff, s.LeaderID); err == nil || !strings.Contains(err.Error(), "既任带班领导又任值班员") {
		t.Errorf("one person on both posts: %v", err)
	}

	holed := r
	holed.Shifts = slices.Clone(r.Shifts)
	holed.Shifts[1].StaffID = ""
	if _, err := Publish(holed, "D", at("2026-12-02", "09:00")); err == nil || !strings.Contains(err.Error(), "2026-12-08 的值班还没有排满") {
		t.Errorf("publishing a roster with a hole: %v", err)
	}
	p, err := Publish(r, "D", at("2026-12-02", "09:00"))
	if err != nil || p.State != Published || p.PublishedBy != "D" {
		t.Fatalf("publish: %v %+v", err, p)
	}
	if _, err := Publish(p, "D", at("2026-12-02", "09:00")); err == nil {
		t.Error("published twice")
	}
	if _, err := Assign(p, day.Date, Staff, "S3"); err == nil || !strings.Contains(err.Error(), "换班申请") {
		t.Errorf("edit after publishing: %v", err)
	}
	if _, err := Regenerate(c, p, p.Rotation); err == nil {
		t.Error("regenerated a published roster")
	}
	if _, err := Create(c, NewRoster{Title: strings.Repeat("值", MaxTitle+1), UnitID: "U"}, time.Time{}); !errors.Is(err, textlimit.ErrTooLong) {
		t.Errorf("long title: %v", err)
	}
}

// TestSwaps: 换班 and 替班 requested and approved against the roster in force.
func TestSwaps(t *testing.T) {
	r := published(t)
	mon, tue, wed := r.Shifts[0], r.Shifts[1], r.Shifts[2]
	before := at("2026-12-05", "12:00")
	// A staff member in the pool on neither Monday's post.
	free := ""
	for _, p := range r.Rotation.Staff {
		if p != mon.StaffID && p != wed.StaffID {
			free = p
			break
		}
	}
	cases := []struct {
		name string
		s    Swap
		now  time.Time
		want string // "" = approved; then check
		chk  func(t *testing.T, got Roster)
	}{
		{name: "cover", s: Swap{Kind: Cover, Post: Staff, Date: mon.Date, FromID: mon.StaffID, ToID: free, Reason: "出差"}, now: before,
			chk: func(t *testing.T, got Roster) {
				if s, _ := got.Shift(mon.Date); s.StaffID != free {
					t.Errorf("Monday's staff %s, want %s", s.StaffID, free)
				}
			}},
		{name: "exchange", s: Swap{Kind: Exchange, Post: Leader, Date: mon.Date, FromID: mon.LeaderID, ToID: wed.LeaderID, WithDate: wed.Date, Reason: "开会"}, now: before,
			chk: func(t *testing.T, got Roster) {
				a, _ := got.Shift(mon.Date)
				b, _ := got.Shift(wed.Date)
				if a.LeaderID != wed.LeaderID || b.LeaderID != mon.LeaderID {
					t.Errorf("after the exchange: %s %s", a.LeaderID, b.LeaderID)
				}
			}},
		{name: "not the holder", s: Swap{Kind: Cover, Post: Staff, Date: mon.Date, FromID: tue.StaffID, ToID: free, Reason: "x"}, now: before, want: "已不是申请人"},
		{name: "shift begun", s: Swap{Kind: Cover, Post: Staff, Date: mon.Date, FromID: mon.StaffID, ToID: free, Reason: "x"}, now: mon.Start, want: "已经开始"},
		{name: "outside the pool", s: Swap{Kind: Cover, Post: Staff, Date: mon.Date, FromID: mon.StaffID, ToID: "L1", Reason: "x"}, now: before, want: "不在值班员名单"},
		{name: "no reason", s: Swap{Kind: Cover, Post: Staff, Date: mon.Date, FromID: mon.StaffID, ToID: free}, now: before, want: "理由"},
		{name: "exchange with a non-holder", s: Swap{Kind: Exchange, Post: Leader, Date: mon.Date, FromID: mon.LeaderID, ToID: mon.LeaderID + "x", WithDate: wed.Date, Reason: "x"}, now: before, want: "不在带班领导名单"},
		{name: "exchange with the same day", s: Swap{Kind: Exchange, Post: Leader, Date: mon.Date, FromID: mon.LeaderID, ToID: wed.LeaderID, WithDate: mon.Date, Reason: "x"}, now: before, want: "不能相同"},
		{name: "no kind", s: Swap{Post: Staff, Date: mon.Date, FromID: mon.StaffID, ToID: free, Reason: "x"}, now: before, want: "换班或替班"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := RequestSwap(r, tc.s, tc.now)
			if tc.want != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("err %v, want %q", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.State != SwapPending || s.RosterID != r.ID {
				t.Errorf("requested %+v", s)
			}
			got, s2, err := ApproveSwap(r, s, "D", "同意", tc.now.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if s2.State != SwapApproved || s2.DecidedBy != "D" || got.Version != r.Version+1 {
				t.Errorf("approved %+v v%d", s2, got.Version)
			}
			tc.chk(t, got)
			if _, _, err := ApproveSwap(got, s2, "D", "", tc.now); err == nil {
				t.Error("approved twice")
			}
		})
	}
	// The roster moved on between request and approval: the approval checks again.
	s, err := RequestSwap(r, Swap{Kind: Cover, Post: Staff, Date: mon.Date, FromID: mon.StaffID, ToID: free, Reason: "出差"}, before)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := ApproveSwap(r, s, "D", "", mon.Start.Add(time.Minute)); err == nil || !strings.Contains(err.Error(), "已经开始") {
		t.Errorf("approval after the shift began: %v", err)
	}
	rej, err := RejectSwap(s, "D", "人手不足", before)
	if err != nil || rej.State != SwapRejected {
		t.Errorf("reject: %v %+v", err, rej)
	}
	draft := r
	draft.State = Draft
	if _, err := RequestSwap(draft, s, before); err == nil || !strings.Contains(err.Error(), "尚未发布") {
		t.Errorf("swap on a draft: %v", err)
	}
}

// TestHandover: the outgoing person lists open matters, the incoming
// acknowledges each; only they may, once each.
func TestHandover(t *testing.T) {
	r := published(t)
	mon, tue := r.Shifts[0], r.Shifts[1]
	next := Next{RosterID: r.ID, Shift: tue}
	end := mon.End.Add(-10 * time.Minute)
	h, err := NewHandover(r, mon.Date, next, true, mon.StaffID, []string{"区应急局来电待回复", " ", "明早 9 点前报送周报"}, "", end)
	if err != nil {
		t.Fatal(err)
	}
	if h.ToID != tue.StaffID || h.Post != Staff || len(h.Matters) != 2 || h.Matters[1].Seq != 2 || h.Open() != 2 {
		t.Fatalf("handover %+v", h)
	}
	if lh, err := NewHandover(r, mon.Date, next, true, mon.LeaderID, nil, "平稳", end); err != nil || lh.ToID != tue.LeaderID || lh.Post != Leader {
		t.Errorf("the leader's handover: %v %+v", err, lh)
	}
	refusals := []struct {
		name string
		f    func() error
		want string
	}{
		{"a stranger hands over", func() error { _, err := NewHandover(r, mon.Date, next, true, "X", nil, "", end); return err }, "只有"},
		{"before the shift", func() error {
			_, err := NewHandover(r, mon.Date, next, true, mon.StaffID, nil, "", mon.Start.Add(-time.Minute))
			return err
		}, "尚未开始"},
		{"nobody next", func() error { _, err := NewHandover(r, mon.Date, Next{}, false, mon.StaffID, nil, "", end); return err }, "无人接班"},
		{"too many matters", func() error {
			_, err := NewHandover(r, mon.Date, next, true, mon.StaffID, pool("事项", MaxMatters+1), "", end)
			return err
		}, "最多 50 项"},
		{"someone else acknowledges", func() error { _, err := Acknowledge(h, 1, mon.StaffID, end); return err }, "只有接班人员"},
		{"no such matter", func() error { _, err := Acknowledge(h, 3, tue.StaffID, end); return err }, "没有第 3 项"},
		{"the whole at once", func() error { _, err := Acknowledge(h, 0, tue.StaffID, end); return err }, "逐项"},
	}
	for _, tc := range refusals {
		if err := tc.f(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	h1, err := Acknowledge(h, 2, tue.StaffID, tue.Start)
	if err != nil || h1.Done() || h1.Open() != 1 || !h1.Matters[1].Acked() {
		t.Fatalf("first ack: %v %+v", err, h1)
	}
	if h.Matters[1].Acked() {
		t.Error("Acknowledge changed its input")
	}
	if _, err := Acknowledge(h1, 2, tue.StaffID, tue.Start); err == nil {
		t.Error("acknowledged twice")
	}
	h2, err := Acknowledge(h1, 1, tue.StaffID, tue.Start.Add(time.Minute))
	if err != nil || !h2.Done() || !h2.AckAt.Equal(tue.Start.Add(time.Minute)) {
		t.Fatalf("second ack: %v %+v", err, h2)
	}
	empty, _ := NewHandover(r, mon.Date, next, true, mon.StaffID, nil, "无", end)
	if e2, err := Acknowledge(empty, 0, tue.StaffID, tue.Start); err != nil || !e2.Done() {
		t.Errorf("receipt of an empty handover: %v", err)
	}
}

// TestWarnings: a shift without its log, without a handover, or with a
// handover not acknowledged is flagged Grace after it was due, not before.
func TestWarnings(t *testing.T) {
	r := published(t)
	mon, tue := r.Shifts[0], r.Shifts[1]
	h, _ := NewHandover(r, mon.Date, Next{RosterID: r.ID, Shift: tue}, true, mon.StaffID, []string{"待回复"}, "", mon.End.Add(-5*time.Minute))
	acked, _ := Acknowledge(h, 1, tue.StaffID, mon.End)
	late := mon.End.Add(Grace)
	cases := []struct {
		name string
		rec  ShiftRecord
		now  time.Time
		want []WarningKind
	}{
		{"all in order", ShiftRecord{Shift: mon, Logged: true, Handovers: []Handover{acked}, HasNext: true}, late.Add(time.Hour), nil},
		{"within the grace", ShiftRecord{Shift: mon, HasNext: true, Handovers: []Handover{h}}, late.Add(-time.Second), nil},
		{"no log", ShiftRecord{Shift: mon, Handovers: []Handover{acked}, HasNext: true}, late, []WarningKind{LogMissing}},
		{"not acknowledged", ShiftRecord{Shift: mon, Logged: true, Handovers: []Handover{h}, HasNext: true}, late, []WarningKind{Unacknowledged}},
		{"nothing at all", ShiftRecord{Shift: mon, HasNext: true}, late, []WarningKind{HandoverMissing, LogMissing}},
		{"the last shift owes no handover", ShiftRecord{Shift: mon, Logged: true}, late, nil},
		{"a shift still on", ShiftRecord{Shift: tue, HasNext: true}, tue.Start.Add(time.Hour), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.rec.RosterID = r.ID
			ws := Warnings([]ShiftRecord{tc.rec}, tc.now)
			var got []WarningKind
			for _, w := range ws {
				got = append(got, w.Kind)
				if w.Date != tc.rec.Shift.Date || w.Who == "" {
					t.Errorf("warning %+v", w)
				}
				if w.Kind == Unacknowledged && (w.Who != tue.StaffID || w.Open != 1) {
					t.Errorf("unacknowledged: %+v", w)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("warnings %v, want %v", got, tc.want)
			}
		})
	}
}

// TestEscalate: who hears of an event of each grade, and how fast it goes up.
func TestEscalate(t *testing.T) {
	s := Shift{LeaderID: "L", StaffID: "S"}
	resp := []string{"H", "L", "O"}
	cases := []struct {
		level    Level
		recorder string
		to       []string
		within   time.Duration
	}{
		{LevelI, "S", []string{"L", "H", "O"}, 30 * time.Minute},
		{LevelII, "S", []string{"L", "H", "O"}, 30 * time.Minute},
		{LevelIII, "S", []string{"L", "H", "O"}, 2 * time.Hour},
		{LevelIV, "S", []string{"L"}, 0},
		{LevelIV, "L", nil, 0}, // the leader on duty records it himself
		{LevelI, "H", []string{"L", "O"}, 30 * time.Minute},
	}
	for _, tc := range cases {
		e := Escalate(tc.level, s, resp, tc.recorder)
		if !slices.Equal(e.To, tc.to) || e.Within != tc.within || e.Rule == "" {
			t.Errorf("%s by %s: %+v, want to %v within %v", tc.level.Label(), tc.recorder, e, tc.to, tc.within)
		}
	}
}

// TestLog: entries are written during the shift by who holds it, checked
// by kind, and the log is filed once.
func TestLog(t *testing.T) {
	r := published(t)
	mon := r.Shifts[0]
	l := Log{RosterID: r.ID, Date: mon.Date}
	now := mon.Start.Add(3 * time.Hour)
	cases := []struct {
		name    string
		e       Entry
		manager bool
		now     time.Time
		want    string
	}{
		{"a call", Entry{Kind: Call, ByID: mon.StaffID, Party: "张三", PartyUnit: "区应急局", Content: "报告道路结冰", Handling: "已转交通局"}, false, now, ""},
		{"an event", Entry{Kind: Event, ByID: mon.StaffID, Title: "化工厂火情", Level: LevelIII, Content: "xx"}, false, now, ""},
		{"an instruction", Entry{Kind: Instruction, ByID: mon.LeaderID, Party: "区长", Content: "加强巡查", Handling: "各街道"}, false, now, ""},
		{"by the manager", Entry{Kind: Call, ByID: "D", Party: "李四", Content: "咨询"}, true, now, ""},
		{"by a stranger", Entry{Kind: Call, ByID: "X", Party: "李四", Content: "咨询"}, false, now, "只有当班"},
		{"before the shift", Entry{Kind: Call, ByID: mon.StaffID, Party: "李四", Content: "咨询"}, false, mon.Start.Add(-time.Minute), "尚未开始"},
		{"an event without a level", Entry{Kind: Event, ByID: mon.StaffID, Title: "火情", Content: "x"}, false, now, "等级"},
		{"a call without a caller", Entry{Kind: Call, ByID: mon.StaffID, Content: "x"}, false, now, "来电人"},
		{"an instruction passed to nobody", Entry{Kind: Instruction, ByID: mon.StaffID, Party: "区长", Content: "x"}, false, now, "传达给谁"},
		{"at a time outside the shift", Entry{Kind: Call, ByID: mon.StaffID, Party: "李四", Content: "x", At: mon.Start.Add(-time.Hour)}, false, now, "值班时间内"},
		{"no kind", Entry{ByID: mon.StaffID, Content: "x"}, false, now, "记录类别"},
		{"too long", Entry{Kind: Call, ByID: mon.StaffID, Party: "李四", Content: strings.Repeat("长", MaxText+1)}, false, now, "不能超过"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, err := NewEntry(r, l, tc.e, tc.manager, tc.now)
			if tc.want == "" {
				if err != nil || !e.At.Equal(tc.now) || !e.Created.Equal(tc.now) {
					t.Errorf("%v %+v", err, e)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want %q", err, tc.want)
			}
		})
	}
	if _, err := Submit(r, l, mon.StaffID, " ", false, now); err == nil {
		t.Error("filed without a summary")
	}
	filed, err := Submit(r, l, mon.StaffID, "值班期间平稳", false, now)
	if err != nil || !filed.Submitted() {
		t.Fatalf("submit: %v", err)
	}
	if _, err := Submit(r, filed, mon.StaffID, "再交", false, now); err == nil {
		t.Error("filed twice")
	}
	if _, err := NewEntry(r, filed, Entry{Kind: Call, ByID: mon.StaffID, Party: "李四", Content: "x"}, false, now); err == nil || !strings.Contains(err.Error(), "已经提交") {
		t.Errorf("entry after filing: %v", err)
	}
}

func defaultCal() (*calendar.Calendar, error) { return calendar.Default() }

// TestFollowUp: an event's handling grows by dated, signed follow-ups from
// those on the roster or the office, after the log is filed too.
func TestFollowUp(t *testing.T) {
	r := published(t)
	mon := r.Shifts[0]
	ev := Entry{Kind: Event, Title: "燃气泄漏", Level: LevelIII, Handling: "已疏散"}
	now := at("2026-12-08", "09:10")
	got, err := FollowUp(r, ev, r.Shifts[1].StaffID, "钱科员", "管道已修复，居民已返回", false, now)
	if err != nil || got.Handling != "已疏散\n〔12-08 09:10 钱科员续报〕管道已修复，居民已返回" {
		t.Fatalf("%v %q", err, got.Handling)
	}
	for _, tc := range []struct {
		name    string
		e       Entry
		by      string
		manager bool
		text    string
		want    string
	}{
		{"a call", Entry{Kind: Call}, mon.StaffID, false, "x", "只有突发事件"},
		{"a stranger", ev, "X", false, "x", "只有本排班表"},
		{"the office", ev, "D", true, "", "请填写"},
		{"too long in all", Entry{Kind: Event, Handling: strings.Repeat("长", MaxHandling-5)}, mon.StaffID, false, "再续报一次", "不能超过"},
	} {
		if _, err := FollowUp(r, tc.e, tc.by, "某", tc.text, tc.manager, now); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestParseDays: absences as an office types them.
func TestParseDays(t *testing.T) {
	loc := calendar.Shanghai()
	for _, c := range []struct {
		in, want, err string
	}{
		{in: "", want: ""},
		{in: "2026-12-08", want: "2026-12-08"},
		{in: " 2026-12-10至2026-12-12，2026-12-08、2026-12-11 ", want: "2026-12-08 2026-12-10 2026-12-11 2026-12-12"},
		{in: "2026-12-31~2027-01-01；2026-12-30", want: "2026-12-30 2026-12-31 2027-01-01"},
		{in: "2026-12-08～2026-12-08", want: "2026-12-08"},
		{in: "2026-12-12至2026-12-10", err: "请假日期“2026-12-12至2026-12-10”的结束早于开始"},
		{in: "2026-01-01至2026-12-31", err: "超过 92 天"},
		{in: "12月8日", err: "日期“12月8日”格式应为 YYYY-MM-DD"},
		{in: "2026-12-08至", err: "格式应为 YYYY-MM-DD"},
		{in: strings.Repeat("2026-12-08 ", 100), err: "请假日期不能超过 1000 字"},
	} {
		got, err := ParseDays(c.in, loc)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || strings.Join(got, " ") != c.want {
			t.Errorf("%q: %v %v, want %s", c.in, got, err, c.want)
		}
	}
}
