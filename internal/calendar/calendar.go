// Package calendar is Shuniu's one working-day calendar: China's public
// holidays and make-up working days (调休) as editable per-year data, office
// hours, and the due-time arithmetic every module uses (working days, working
// hours, working time between two instants, and the 正常/即将到期/逾期 state).
//
// All dates are civil dates in Asia/Shanghai. A Calendar is immutable: edits
// return a new value, so one can be shared by concurrent requests.
package calendar

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// DayKind says whether a listed date is a day off or a working day.
type DayKind string

const (
	// Holiday is a day off that would otherwise be a working day (or a statutory holiday on a weekend).
	Holiday DayKind = "holiday"
	// Workday is a make-up working day (调休上班) that would otherwise be a weekend.
	Workday DayKind = "workday"
)

// Label is the kind's Chinese name.
func (k DayKind) Label() string {
	switch k {
	case Holiday:
		return "放假"
	case Workday:
		return "调休上班"
	}
	return string(k)
}

// Day is one exception to the Monday–Friday rule.
type Day struct {
	Date string  `json:"date"` // YYYY-MM-DD
	Kind DayKind `json:"kind"`
	Name string  `json:"name"` // e.g. 春节, 国庆节调休上班
}

// Year is the record a store saves and loads: one year's exceptions.
type Year struct {
	Year int `json:"year"`
	// Source names the notice the data comes from.
	Source string `json:"source"`
	// Provisional marks data not yet checked against the published notice;
	// the UI should ask the system administrator to confirm it.
	Provisional bool  `json:"provisional"`
	Days        []Day `json:"days"`
}

// civil is a date as yyyymmdd, used as a map key.
type civil int

func civilOf(t time.Time) civil {
	y, m, d := t.Date()
	return civil(y*10000 + int(m)*100 + d)
}

func parseISODate(s string) (civil, time.Time, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("日期“%s”格式应为 YYYY-MM-DD", s)
	}
	return civilOf(t), t, nil
}

// Calendar answers "is this a working day" and does due-time arithmetic.
type Calendar struct {
	loc   *time.Location
	hours OfficeHours
	years map[int]Year
	days  map[civil]Day
}

// New builds a calendar from year records and office hours. It refuses
// malformed dates, dates outside their record's year, duplicate dates and
// unknown kinds, with Chinese messages fit for the administrator.
func New(years []Year, hours OfficeHours) (*Calendar, error) {
	if err := hours.Validate(); err != nil {
		return nil, err
	}
	c := &Calendar{loc: Shanghai(), hours: hours, years: map[int]Year{}, days: map[civil]Day{}}
	for _, y := range years {
		if _, dup := c.years[y.Year]; dup {
			return nil, fmt.Errorf("%d 年的日历重复", y.Year)
		}
		if y.Year < 1970 || y.Year > 9999 {
			return nil, fmt.Errorf("年份 %d 无效", y.Year)
		}
		y.Days = append([]Day(nil), y.Days...)
		for _, d := range y.Days {
			key, t, err := parseISODate(d.Date)
			if err != nil {
				return nil, fmt.Errorf("%d 年日历：%w", y.Year, err)
			}
			if t.Year() != y.Year {
				return nil, fmt.Errorf("%d 年日历中出现了其他年份的日期 %s", y.Year, d.Date)
			}
			if d.Kind != Holiday && d.Kind != Workday {
				return nil, fmt.Errorf("%s 的类型“%s”无效，应为放假或调休上班", d.Date, d.Kind)
			}
			if _, dup := c.days[key]; dup {
				return nil, fmt.Errorf("日期 %s 重复", d.Date)
			}
			c.days[key] = d
		}
		sort.Slice(y.Days, func(i, j int) bool { return y.Days[i].Date < y.Days[j].Date })
		c.years[y.Year] = y
	}
	return c, nil
}

//go:embed data/*.json
var shipped embed.FS

// ShippedYears returns the year records that ship with Shuniu (2026 from the
// State Council's notice; 2027 provisional). A store seeds itself with them.
func ShippedYears() ([]Year, error) {
	entries, err := shipped.ReadDir("data")
	if err != nil {
		return nil, fmt.Errorf("read shipped calendar: %w", err)
	}
	var out []Year
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		b, err := shipped.ReadFile("data/" + e.Name())
		if err != nil {
			return nil, fmt.Errorf("read shipped calendar %s: %w", e.Name(), err)
		}
		var y Year
		if err := json.Unmarshal(b, &y); err != nil {
			return nil, fmt.Errorf("parse shipped calendar %s: %w", e.Name(), err)
		}
		out = append(out, y)
	}
	return out, nil
}

// Default is the shipped calendar with the default office hours.
func Default() (*Calendar, error) {
	years, err := ShippedYears()
	if err != nil {
		return nil, err
	}
	return New(years, DefaultOfficeHours())
}

// Location is the calendar's time zone (Asia/Shanghai).
func (c *Calendar) Location() *time.Location { return c.loc }

// Hours returns the office hours.
func (c *Calendar) Hours() OfficeHours { return c.hours }

// Years returns the year records, ordered, for the store to save.
func (c *Calendar) Years() []Year {
	out := make([]Year, 0, len(c.years))
	for _, y := range c.years {
		y.Days = append([]Day(nil), y.Days...)
		out = append(out, y)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year < out[j].Year })
	return out
}

// Covers reports whether the year has a record. Outside covered years only
// the Monday–Friday rule applies, which the UI should point out.
func (c *Calendar) Covers(year int) bool {
	_, ok := c.years[year]
	return ok
}

// WithYear returns a calendar with the year's record replaced (or added).
func (c *Calendar) WithYear(y Year) (*Calendar, error) {
	years := c.Years()
	replaced := false
	for i := range years {
		if years[i].Year == y.Year {
			years[i], replaced = y, true
		}
	}
	if !replaced {
		years = append(years, y)
	}
	return New(years, c.hours)
}

// WithHours returns a calendar with other office hours.
func (c *Calendar) WithHours(h OfficeHours) (*Calendar, error) {
	return New(c.Years(), h)
}

// DayInfo says what the calendar knows of t's date.
func (c *Calendar) DayInfo(t time.Time) (working bool, day Day, listed bool) {
	t = t.In(c.loc)
	day, listed = c.days[civilOf(t)]
	if listed {
		return day.Kind == Workday, day, true
	}
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday, Day{}, false
}

// IsWorkday reports whether t's date (in Asia/Shanghai) is a working day.
func (c *Calendar) IsWorkday(t time.Time) bool {
	w, _, _ := c.DayInfo(t)
	return w
}

// midnight is the start of t's date in the calendar's zone.
func (c *Calendar) midnight(t time.Time) time.Time {
	t = t.In(c.loc)
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, c.loc)
}

// nextDay is the midnight of the day after the midnight m.
func (c *Calendar) nextDay(m time.Time) time.Time {
	y, mo, d := m.Date()
	return time.Date(y, mo, d+1, 0, 0, 0, 0, c.loc)
}
