package calendar

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// The administrator's edits work on one Year at a time; each returns a new
// Year and leaves the calendar itself to New, which checks the whole.

// Year returns the record of year y, if the calendar has one.
func (c *Calendar) Year(y int) (Year, bool) {
	rec, ok := c.years[y]
	if ok {
		rec.Days = append([]Day(nil), rec.Days...)
	}
	return rec, ok
}

// DayOf returns the year a date (YYYY-MM-DD) belongs to, or a Chinese
// message when the date is malformed.
func DayOf(date string) (int, error) {
	_, t, err := parseISODate(strings.TrimSpace(date))
	if err != nil {
		return 0, err
	}
	return t.Year(), nil
}

// MaxDayName bounds a holiday's name (国庆节、中秋节) in characters.
const MaxDayName = 40

// WithDay returns the year with d added. A date already listed is refused,
// not overwritten, so a slip of the keyboard cannot silently turn a 调休上班
// into a holiday; the administrator removes the old entry first.
func (y Year) WithDay(d Day) (Year, error) {
	d.Date, d.Name = strings.TrimSpace(d.Date), strings.TrimSpace(d.Name)
	_, t, err := parseISODate(d.Date)
	if err != nil {
		return y, err
	}
	if t.Year() != y.Year {
		return y, fmt.Errorf("日期 %s 不属于 %d 年", d.Date, y.Year)
	}
	if d.Kind != Holiday && d.Kind != Workday {
		return y, fmt.Errorf("%s 的类型“%s”无效，应为放假或调休上班", d.Date, d.Kind)
	}
	if err := textlimit.Text("name", "节假日名称", MaxDayName, d.Name); err != nil {
		return y, err
	}
	for _, old := range y.Days {
		if old.Date == d.Date {
			return y, fmt.Errorf("%s 已在日历中（%s %s），如需修改请先删除该日", d.Date, old.Kind.Label(), old.Name)
		}
	}
	out := y
	out.Days = append(append([]Day(nil), y.Days...), d)
	sort.Slice(out.Days, func(i, j int) bool { return out.Days[i].Date < out.Days[j].Date })
	return out, nil
}

// WithoutDay returns the year without the entry for date; it says so when
// the date is not listed.
func (y Year) WithoutDay(date string) (Year, Day, error) {
	date = strings.TrimSpace(date)
	for i, d := range y.Days {
		if d.Date == date {
			out := y
			out.Days = append(append([]Day(nil), y.Days[:i]...), y.Days[i+1:]...)
			return out, d, nil
		}
	}
	return y, Day{}, fmt.Errorf("%d 年日历中没有 %s", y.Year, date)
}

// Hints are remarks on a year that are not errors but deserve the
// administrator's eye: a 调休上班 on a weekday changes nothing, and a
// provisional year should be replaced by the published notice.
func (y Year) Hints() []string {
	var out []string
	if y.Provisional {
		out = append(out, fmt.Sprintf("%d 年日历为暂定数据，请在国务院办公厅节假日安排通知发布后核对更正，并取消“暂定”。", y.Year))
	}
	for _, d := range y.Days {
		t, err := time.Parse("2006-01-02", d.Date)
		if err != nil {
			continue
		}
		if wd := t.Weekday(); d.Kind == Workday && wd != time.Saturday && wd != time.Sunday {
			out = append(out, fmt.Sprintf("%s 是%s，本来就是工作日，标为调休上班不起作用。", d.Date, WeekdayLabel(wd)))
		}
	}
	return out
}

// WeekdayLabel is the weekday in Chinese, e.g. 周六.
func WeekdayLabel(wd time.Weekday) string {
	return [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}[wd]
}

// Weekday is the Chinese weekday of a listed day ("" if the date is malformed).
func (d Day) Weekday() string {
	t, err := time.Parse("2006-01-02", d.Date)
	if err != nil {
		return ""
	}
	return WeekdayLabel(t.Weekday())
}
