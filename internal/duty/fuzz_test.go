package duty

import (
	"errors"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// FuzzGenerate: whatever dates and handover time a form sends, Generate
// answers a roster or a refusal — never a panic — and a roster it answers
// has both posts filled on every day, one person never on both, each shift
// a day long and in date order.
func FuzzGenerate(f *testing.F) {
	for _, s := range [][3]string{{"2026-10-01", "2026-10-07", "08:30"}, {"2026-02-13", "2026-03-01", ""}, {"2026-13-01", "x", "25:61"},
		{"2026-12-31", "2027-01-02", "0:00"}, {" 2026-05-01", "2026-05-05 ", "23:59"}, {"", "", ":"}} {
		f.Add(s[0], s[1], s[2], uint8(3), uint8(4), false)
	}
	c, err := defaultCal()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, from, to, handover string, nl, ns uint8, offdays bool) {
		rot := Rotation{Mode: EveryDay, Handover: handover, Leaders: pool("L", int(nl%6)), Staff: pool("S", int(ns%8))}
		if offdays {
			rot.Mode = DaysOff
		}
		shifts, err := Generate(c, from, to, rot)
		if err != nil {
			if _, ok := err.(*Refusal); !ok {
				t.Fatalf("not a refusal: %v", err)
			}
			return
		}
		if len(shifts) > MaxSpanDays {
			t.Fatalf("%d shifts", len(shifts))
		}
		for i, s := range shifts {
			if s.LeaderID == "" || s.StaffID == "" || s.LeaderID == s.StaffID {
				t.Fatalf("%s: %+v", s.Date, s)
			}
			if s.End.Sub(s.Start) != 24*time.Hour {
				t.Fatalf("%s lasts %v", s.Date, s.End.Sub(s.Start))
			}
			if i > 0 && shifts[i-1].Date >= s.Date {
				t.Fatalf("out of order: %s after %s", s.Date, shifts[i-1].Date)
			}
		}
	})
}

// FuzzParseDays: whatever is typed as a person's absences, ParseDays
// answers sorted distinct dates it can read back, or a refusal.
func FuzzParseDays(f *testing.F) {
	for _, s := range []string{"2026-12-08", "2026-12-08 2026-12-10至2026-12-12", "2026-12-08，2026-12-09、2026-12-08", "2026-12-10~2026-12-08",
		"2026-01-01至2026-12-31", "至", "~~", "2026-12-08至", "12-08"} {
		f.Add(s)
	}
	loc := time.FixedZone("CST", 8*3600)
	f.Fuzz(func(t *testing.T, s string) {
		ds, err := ParseDays(s, loc)
		if err != nil {
			if _, ok := err.(*Refusal); !ok && !errors.Is(err, textlimit.ErrTooLong) {
				t.Fatalf("not a refusal: %v", err)
			}
			return
		}
		for i, d := range ds {
			if _, err := ParseDate(d, loc); err != nil {
				t.Fatalf("%q answered %q", s, d)
			}
			if i > 0 && ds[i-1] >= d {
				t.Fatalf("not sorted and distinct: %v", ds)
			}
		}
	})
}
