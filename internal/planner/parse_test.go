package planner_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/shuniu-oa/shuniu/internal/planner"
)

func TestParseSpan(t *testing.T) {
	cases := []struct {
		first, start, last, end string
		allDay                  bool
		want, err               string
	}{
		{"2026-12-08", "09:00", "", "10:30", false, "2026-12-08 09:00 – 2026-12-08 10:30", ""},
		{"2026/12/8", "9:00", "", "10点半", false, "2026-12-08 09:00 – 2026-12-08 10:30", ""},
		{"2026年12月8日", "9点", "", "11：00", false, "2026-12-08 09:00 – 2026-12-08 11:00", ""},
		{"2026.12.8", "22:00", "2026-12-09", "2:00", false, "2026-12-08 22:00 – 2026-12-09 02:00", ""},
		{"2026-12-08", "20:00", "", "24:00", false, "2026-12-08 20:00 – 2026-12-09 00:00", ""},
		{"2026-12-08", "", "", "", true, "2026-12-08 00:00 – 2026-12-09 00:00", ""},
		{"2026-12-08", "", "2026-12-10", "", true, "2026-12-08 00:00 – 2026-12-11 00:00", ""},
		{"2026-12-08", "10:00", "", "09:00", false, "", "晚于"},
		{"2026-12-08", "10:00", "", "10:00", false, "", "晚于"},
		{"2026-12-08", "", "2026-12-07", "", true, "", "不能早于"},
		{"2026-02-30", "09:00", "", "10:00", false, "", "无效"},
		{"12-08", "09:00", "", "10:00", false, "", "格式"},
		{"2026-12-08", "25:00", "", "26:00", false, "", "格式"},
		{"2026-12-08", "9:60", "", "10:00", false, "", "格式"},
		{"2026-12-08", "", "", "10:00", false, "", "格式"},
		{"2026-01-01", "", "2026-12-31", "", true, "", "不能超过"},
		{"", "09:00", "", "10:00", false, "", "格式"},
	}
	for _, c := range cases {
		s, e, err := planner.ParseSpan(c.first, c.start, c.last, c.end, c.allDay, sh)
		if c.err != "" {
			var ref *planner.Refusal
			if !errors.As(err, &ref) || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%+v: %v, want %q", c, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%+v: %v", c, err)
			continue
		}
		if got := s.Format("2006-01-02 15:04") + " – " + e.Format("2006-01-02 15:04"); got != c.want {
			t.Errorf("%+v: %s, want %s", c, got, c.want)
		}
	}
}

func TestParseWeek(t *testing.T) {
	now := at(t, "2026-12-09 10:00")
	cases := map[string]string{"": "2026-12-07", "2026-12-13": "2026-12-07", "2026-W50": "2026-12-07", "2026-w01": "2025-12-29",
		"2027-W01": "2027-01-04", "2026-W53": "2026-12-28", "2027-W53": "!", "2026-W0": "!", "bad": "!", "2026/12/14": "2026-12-14"}
	for in, want := range cases {
		got, err := planner.ParseWeek(in, now, sh)
		if want == "!" {
			if err == nil {
				t.Errorf("%q: no error", in)
			}
			continue
		}
		if err != nil || got.Format("2006-01-02") != want {
			t.Errorf("%q: %v %v, want %s", in, got, err, want)
		}
	}
}

// FuzzParseSpan: whatever is typed, the parser answers a refusal in Chinese
// or a span that ends after it starts, is at most MaxSpan long, and starts
// on the first day typed.
func FuzzParseSpan(f *testing.F) {
	f.Add("2026-12-08", "09:00", "", "10:30", false)
	f.Add("2026年12月8日", "9点半", "2026/12/9", "24:00", false)
	f.Add("2026.12.8", "", "2026-12-10", "", true)
	f.Add("2026-W50", "：", "-", "点", false)
	f.Fuzz(func(t *testing.T, first, start, last, end string, allDay bool) {
		s, e, err := planner.ParseSpan(first, start, last, end, allDay, sh)
		if err != nil {
			var ref *planner.Refusal
			if !errors.As(err, &ref) || !utf8.ValidString(err.Error()) || err.Error() == "" {
				t.Fatalf("not a refusal: %v", err)
			}
			return
		}
		if !e.After(s) || e.Sub(s) > planner.MaxSpan {
			t.Fatalf("span %v – %v", s, e)
		}
		d, err := planner.ParseDate(first, sh)
		if err != nil || s.In(sh).Format("2006-01-02") != d.Format("2006-01-02") {
			t.Fatalf("first day %q read as %v, start %v", first, d, s)
		}
		if allDay && (s.Hour() != 0 || e.Hour() != 0 || s.Minute() != 0) {
			t.Fatalf("all day not midnight to midnight: %v – %v", s, e)
		}
	})
}

// FuzzParseWeek: a Monday at midnight, or a refusal.
func FuzzParseWeek(f *testing.F) {
	for _, s := range []string{"", "2026-12-13", "2026-W50", "2026-W53", "2027年1月4日", "-W"} {
		f.Add(s)
	}
	now := at(f, "2026-12-09 10:00")
	f.Fuzz(func(t *testing.T, s string) {
		m, err := planner.ParseWeek(s, now, sh)
		if err != nil {
			var ref *planner.Refusal
			if !errors.As(err, &ref) {
				t.Fatalf("not a refusal: %v", err)
			}
			return
		}
		if m.In(sh).Weekday() != 1 || m.In(sh).Hour() != 0 || m.In(sh).Minute() != 0 {
			t.Fatalf("%q: %v is not a Monday's midnight", s, m)
		}
	})
}
