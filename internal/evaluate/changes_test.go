package evaluate

import (
	"strings"
	"testing"
	"time"
)

// TestCheckChange: what may be recorded over testOrg (白沙街道 was 白沙乡
// until July; 柳湾镇 merged into 青石镇 on 15 October).
func TestCheckChange(t *testing.T) {
	cal := testCal(t)
	units := []Unit{
		{ID: "T1", Name: "青石镇", Class: Towns, Scored: true},
		{ID: "S1", Name: "青石镇党政办", Parent: "T1"},
		{ID: "T2", Name: "白沙街道", Class: Towns, Scored: true, Names: []NameSpan{{Name: "白沙乡", Until: at(t, cal, "2026-07-01 00:00")}}},
		{ID: "T3", Name: "柳湾镇", Class: Towns, Scored: true, MergedInto: "T1", MergedOn: at(t, cal, "2026-10-15 00:00")},
		{ID: "T4", Name: "东岭镇", Class: Towns, Scored: true},
		{ID: "D1", Name: "区财政局", Class: Departments, Scored: true},
	}
	day := func(s string) time.Time { return at(t, cal, s+" 00:00") }
	for _, c := range []struct {
		name string
		c    Change
		want string // "" = accepted; else a part of the message
	}{
		{"rename", Change{Unit: "T4", Kind: Renamed, OldName: "东岭乡", On: day("2026-03-01")}, ""},
		{"an earlier rename before a recorded one", Change{Unit: "T2", Kind: Renamed, OldName: "白沙公社", On: day("2001-01-01")}, ""},
		{"rename, same name", Change{Unit: "T4", Kind: Renamed, OldName: " 东岭镇 ", On: day("2026-03-01")}, "相同"},
		{"rename, the name it had then", Change{Unit: "T2", Kind: Renamed, OldName: "白沙乡", On: day("2026-05-01")}, "相同"},
		{"rename, same date twice", Change{Unit: "T2", Kind: Renamed, OldName: "白沙镇", On: day("2026-07-01")}, "已记录过"},
		{"rename, no name", Change{Unit: "T4", Kind: Renamed, On: day("2026-03-01")}, "更名前的名称"},
		{"rename, too long", Change{Unit: "T4", Kind: Renamed, OldName: strings.Repeat("镇", 101), On: day("2026-03-01")}, "不能超过"},
		{"no date", Change{Unit: "T4", Kind: Renamed, OldName: "东岭乡"}, "变更日期"},
		{"a section", Change{Unit: "S1", Kind: Renamed, OldName: "办公室", On: day("2026-03-01")}, "不单独参加考核"},
		{"unknown unit", Change{Unit: "X", Kind: Renamed, OldName: "甲", On: day("2026-03-01")}, "请选择"},
		{"unknown kind", Change{Unit: "T4", Kind: "split", On: day("2026-03-01")}, "未知的变更类型"},
		{"merge", Change{Unit: "T4", Kind: Merged, Into: "T2", On: day("2026-12-01")}, ""},
		{"merge into itself", Change{Unit: "T4", Kind: Merged, Into: "T4", On: day("2026-12-01")}, "自身"},
		{"merge into nothing", Change{Unit: "T4", Kind: Merged, On: day("2026-12-01")}, "请选择并入"},
		{"merge into another class", Change{Unit: "T4", Kind: Merged, Into: "D1", On: day("2026-12-01")}, "同类"},
		{"merge into a section", Change{Unit: "T4", Kind: Merged, Into: "S1", On: day("2026-12-01")}, "同类"},
		{"merged twice", Change{Unit: "T3", Kind: Merged, Into: "T2", On: day("2026-12-01")}, "已记录于 2026-10-15 并入“青石镇”"},
		{"into one merged away before", Change{Unit: "T4", Kind: Merged, Into: "T3", On: day("2026-12-01")}, "已于 2026-10-15 并入其他单位"},
		{"into one merged away later", Change{Unit: "T4", Kind: Merged, Into: "T3", On: day("2026-09-01")}, ""},
		{"a loop", Change{Unit: "T1", Kind: Merged, Into: "T3", On: day("2026-09-01")}, "成环"},
	} {
		err := CheckChange(units, c.c)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: refused: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

// TestRulesNextFromAndWithdraw: a new version takes effect today or later,
// and only the latest version, not yet in force, may be withdrawn.
func TestRulesNextFromAndWithdraw(t *testing.T) {
	cal := testCal(t)
	rs := testRules(t, cal) // v1 from 2026-01-01, v2 from 2026-11-01
	today := at(t, cal, "2026-11-20 00:00")
	n := DefaultRules(at(t, cal, "2026-11-19 00:00"))
	if _, err := rs.NextFrom(n, today); err == nil || !strings.Contains(err.Error(), "不能早于今天（2026-11-20）") {
		t.Errorf("yesterday: %v", err)
	}
	n.Effective = today
	got, err := rs.NextFrom(n, today)
	if err != nil || got.Version != 3 {
		t.Fatalf("today: v%d %v", got.Version, err)
	}
	rs = append(rs, got)
	now := at(t, cal, "2026-11-19 15:00")
	if err := rs.Withdrawable(3, now); err != nil {
		t.Errorf("v3 before it takes effect: %v", err)
	}
	for v, want := range map[int]string{2: "只能撤销最新", 9: "不存在"} {
		if err := rs.Withdrawable(v, now); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("withdraw v%d: %v, want %q", v, err, want)
		}
	}
	if err := rs.Withdrawable(3, today); err == nil || !strings.Contains(err.Error(), "只读") {
		t.Errorf("v3 in force: %v", err)
	}
	if err := (Rules{rs[1]}).Withdrawable(1, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)); err == nil {
		t.Error("the only version was withdrawable")
	}
	for v, want := range map[int]string{1: "已停止施行", 2: "现行", 3: "待施行"} {
		if got := rs.State(v, now); got != want {
			t.Errorf("State(v%d) = %q, want %q", v, got, want)
		}
	}
}
