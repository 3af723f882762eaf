package calendar

import (
	"strings"
	"testing"
)

func TestYearEdits(t *testing.T) {
	y := Year{Year: 2026, Days: []Day{{Date: "2026-10-01", Kind: Holiday, Name: "国庆节"}, {Date: "2026-10-10", Kind: Workday}}}
	for _, tc := range []struct {
		name string
		day  Day
		err  string // "" means accepted
	}{
		{"holiday", Day{Date: "2026-12-01", Kind: Holiday, Name: "临时放假"}, ""},
		{"make-up day", Day{Date: " 2026-12-05 ", Kind: Workday}, ""},
		{"listed already", Day{Date: "2026-10-01", Kind: Workday}, "已在日历中"},
		{"other year", Day{Date: "2027-01-01", Kind: Holiday}, "不属于 2026 年"},
		{"bad date", Day{Date: "2026-02-30", Kind: Holiday}, "YYYY-MM-DD"},
		{"bad kind", Day{Date: "2026-12-02", Kind: "half"}, "无效"},
		{"name at the limit", Day{Date: "2026-12-02", Kind: Holiday, Name: strings.Repeat("假", MaxDayName)}, ""},
		{"long name", Day{Date: "2026-12-02", Kind: Holiday, Name: strings.Repeat("假", MaxDayName+1)}, "节假日名称不能超过 40 字（现有 41 字）"},
	} {
		got, err := y.WithDay(tc.day)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s: error %v, want one with %q", tc.name, err, tc.err)
		case tc.err == "":
			if len(got.Days) != 3 || len(y.Days) != 2 {
				t.Errorf("%s: %d days (original %d)", tc.name, len(got.Days), len(y.Days))
			}
			for i := 1; i < len(got.Days); i++ {
				if got.Days[i-1].Date >= got.Days[i].Date {
					t.Errorf("%s: days out of order: %v", tc.name, got.Days)
				}
			}
		}
	}
	less, gone, err := y.WithoutDay("2026-10-10")
	if err != nil || len(less.Days) != 1 || gone.Kind != Workday || len(y.Days) != 2 {
		t.Errorf("WithoutDay: %v %v %v", less, gone, err)
	}
	if _, _, err := y.WithoutDay("2026-10-11"); err == nil {
		t.Error("removing an unlisted date succeeded")
	}
}

func TestParseKind(t *testing.T) {
	for in, want := range map[string]DayKind{"放假": Holiday, "休": Holiday, "holiday": Holiday, "调休上班": Workday, "上班": Workday, "补班": Workday, " Workday ": Workday} {
		if got, err := ParseKind(in); err != nil || got != want {
			t.Errorf("ParseKind(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseKind("半天"); err == nil {
		t.Error("ParseKind accepted 半天")
	}
}

func TestHints(t *testing.T) {
	y := Year{Year: 2026, Provisional: true, Days: []Day{{Date: "2026-10-10", Kind: Workday}, {Date: "2026-12-01", Kind: Workday}}}
	h := y.Hints()
	if len(h) != 2 || !strings.Contains(h[0], "暂定") || !strings.Contains(h[1], "2026-12-01 是周二") {
		t.Errorf("hints: %q", h)
	}
	if d := (Day{Date: "2026-10-10"}); d.Weekday() != "周六" {
		t.Errorf("2026-10-10 is %s", d.Weekday())
	}
}

// TestShippedYearsMatchTheNotice pins the 2026 data to the State Council's
// notice (see data/NOTICE.md): its holidays and make-up working days, date
// by date.
func TestShippedYearsMatchTheNotice(t *testing.T) {
	cal, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	y, ok := cal.Year(2026)
	if !ok || y.Provisional {
		t.Fatalf("2026: %+v", y)
	}
	var off, on []string
	for _, d := range y.Days {
		if d.Kind == Holiday {
			off = append(off, d.Date[5:])
		} else {
			on = append(on, d.Date[5:])
		}
	}
	wantOff := "01-01 01-02 01-03 02-15 02-16 02-17 02-18 02-19 02-20 02-21 02-22 02-23 04-04 04-05 04-06 05-01 05-02 05-03 05-04 05-05 06-19 06-20 06-21 09-25 09-26 09-27 10-01 10-02 10-03 10-04 10-05 10-06 10-07"
	wantOn := "01-04 02-14 02-28 05-09 09-20 10-10"
	if got := strings.Join(off, " "); got != wantOff {
		t.Errorf("2026 holidays:\n got %s\nwant %s", got, wantOff)
	}
	if got := strings.Join(on, " "); got != wantOn {
		t.Errorf("2026 make-up working days:\n got %s\nwant %s", got, wantOn)
	}
	if len(y.Hints()) != 0 {
		t.Errorf("2026 hints: %q", y.Hints())
	}
	if y27, ok := cal.Year(2027); !ok || !y27.Provisional {
		t.Errorf("2027 should ship provisional: %+v", y27)
	}
}
