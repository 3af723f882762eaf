package calendar

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Clock is a time of day in minutes after midnight.
type Clock int

func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// MarshalText writes "HH:MM".
func (c Clock) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads "HH:MM".
func (c *Clock) UnmarshalText(b []byte) error {
	v, err := ParseClock(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// ParseClock reads "H:MM" or "HH:MM" (24-hour; "24:00" allowed as end of day).
func ParseClock(s string) (Clock, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "：", ":"))
	hh, mm, ok := strings.Cut(s, ":")
	if !ok || len(hh) < 1 || len(hh) > 2 || len(mm) != 2 {
		return 0, fmt.Errorf("时间“%s”格式应为 时:分，如 08:30", s)
	}
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if err1 != nil || err2 != nil || h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("时间“%s”无效", s)
	}
	return Clock(h*60 + m), nil
}

// Session is one block of office hours, [Start, End).
type Session struct {
	Start Clock `json:"start"`
	End   Clock `json:"end"`
}

// OfficeHours are the day's sessions, in order and not overlapping.
type OfficeHours []Session

// DefaultOfficeHours is 08:30–12:00 and 14:30–17:30 (6.5 working hours a day),
// the common summer timetable of government offices; an office with other
// hours sets its own.
func DefaultOfficeHours() OfficeHours {
	return OfficeHours{{Start: 8*60 + 30, End: 12 * 60}, {Start: 14*60 + 30, End: 17*60 + 30}}
}

// Validate checks that sessions are non-empty, ordered and within the day.
func (h OfficeHours) Validate() error {
	if len(h) == 0 {
		return fmt.Errorf("办公时间不能为空")
	}
	prev := Clock(-1)
	for _, s := range h {
		if s.Start < 0 || s.End > 24*60 || s.Start >= s.End {
			return fmt.Errorf("办公时段 %s-%s 无效", s.Start, s.End)
		}
		if s.Start < prev {
			return fmt.Errorf("办公时段 %s-%s 与前一时段重叠或顺序颠倒", s.Start, s.End)
		}
		prev = s.End
	}
	return nil
}

// PerDay is the working time in one working day.
func (h OfficeHours) PerDay() time.Duration {
	var d time.Duration
	for _, s := range h {
		d += time.Duration(s.End-s.Start) * time.Minute
	}
	return d
}

// String writes "08:30-12:00,14:30-17:30", the form ParseOfficeHours reads.
func (h OfficeHours) String() string {
	parts := make([]string, len(h))
	for i, s := range h {
		parts[i] = s.Start.String() + "-" + s.End.String()
	}
	return strings.Join(parts, ",")
}

// ParseOfficeHours reads sessions such as "08:30-12:00,14:30-17:30" as the
// administrator types them (full-width punctuation and 至/～ accepted).
func ParseOfficeHours(s string) (OfficeHours, error) {
	r := strings.NewReplacer("，", ",", "、", ",", "；", ",", ";", ",", "至", "-", "～", "-", "~", "-", "—", "-", "–", "-")
	s = r.Replace(s)
	var h OfficeHours
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		a, b, ok := strings.Cut(part, "-")
		if !ok {
			return nil, fmt.Errorf("办公时段“%s”格式应为 开始-结束，如 08:30-12:00", part)
		}
		start, err := ParseClock(a)
		if err != nil {
			return nil, err
		}
		end, err := ParseClock(b)
		if err != nil {
			return nil, err
		}
		h = append(h, Session{Start: start, End: end})
	}
	if err := h.Validate(); err != nil {
		return nil, err
	}
	return h, nil
}
