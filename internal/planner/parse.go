package planner

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseDate reads a date as people type it: 2026-12-08, 2026/12/8,
// 2026.12.8, 2026年12月8日.
func ParseDate(s string, loc *time.Location) (time.Time, error) {
	orig := s
	s = strings.TrimSpace(s)
	s = strings.NewReplacer("年", "-", "月", "-", "日", "", "/", "-", ".", "-", "－", "-").Replace(s)
	parts := strings.Split(s, "-")
	if len(parts) != 3 {
		return time.Time{}, &Refusal{Msg: fmt.Sprintf("日期“%s”格式应为 2026-12-08", clip(orig))}
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || v < 0 {
			return time.Time{}, &Refusal{Msg: fmt.Sprintf("日期“%s”格式应为 2026-12-08", clip(orig))}
		}
		n[i] = v
	}
	y, m, d := n[0], n[1], n[2]
	if y < 2000 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, &Refusal{Msg: fmt.Sprintf("日期“%s”无效", clip(orig))}
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc)
	if t.Day() != d {
		return time.Time{}, &Refusal{Msg: fmt.Sprintf("日期“%s”无效", clip(orig))}
	}
	return t, nil
}

// ParseClock reads a time of day: 9:00, 09:00, 9：00, 9点, 9点30, 9点半,
// 24:00 (the end of the day). It returns minutes after midnight.
func ParseClock(s string) (int, error) {
	orig := s
	s = strings.TrimSpace(s)
	s = strings.NewReplacer("：", ":", "点半", ":30", "点", ":", "分", "", "时", ":").Replace(s)
	h, m, _ := strings.Cut(s, ":")
	if m == "" {
		m = "0"
	}
	hh, err1 := strconv.Atoi(strings.TrimSpace(h))
	mm, err2 := strconv.Atoi(strings.TrimSpace(m))
	if err1 != nil || err2 != nil || len(h) > 2 || len(m) > 2 || hh < 0 || mm < 0 || mm > 59 || hh > 24 || (hh == 24 && mm != 0) {
		return 0, &Refusal{Msg: fmt.Sprintf("时间“%s”格式应为 09:00", clip(orig))}
	}
	return hh*60 + mm, nil
}

// ParseSpan reads an entry's span from a form: the first day and, unless
// all day, the start time; the last day (empty: the first) and the end
// time. An all-day span runs from midnight of the first day to midnight
// after the last; otherwise the end must come after the start.
func ParseSpan(firstDay, startTime, lastDay, endTime string, allDay bool, loc *time.Location) (start, end time.Time, err error) {
	d1, err := ParseDate(firstDay, loc)
	if err != nil {
		return start, end, err
	}
	d2 := d1
	if strings.TrimSpace(lastDay) != "" {
		if d2, err = ParseDate(lastDay, loc); err != nil {
			return start, end, err
		}
	}
	if d2.Before(d1) {
		return start, end, &Refusal{Msg: "结束日期不能早于开始日期"}
	}
	if allDay {
		start, end = AllDayRange(d1, d2, loc)
	} else {
		a, err := ParseClock(startTime)
		if err != nil {
			return start, end, err
		}
		b, err := ParseClock(endTime)
		if err != nil {
			return start, end, err
		}
		start = time.Date(d1.Year(), d1.Month(), d1.Day(), 0, a, 0, 0, loc)
		end = time.Date(d2.Year(), d2.Month(), d2.Day(), 0, b, 0, 0, loc)
		if !end.After(start) {
			return time.Time{}, time.Time{}, &Refusal{Msg: "结束时间应晚于开始时间"}
		}
	}
	if end.Sub(start) > MaxSpan {
		return time.Time{}, time.Time{}, &Refusal{Msg: fmt.Sprintf("一条日程不能超过 %d 天", int(MaxSpan/(24*time.Hour)))}
	}
	return start, end, nil
}

// ParseWeek reads the week asked for: a date in it (any form ParseDate
// reads), or an ISO week 2026-W50; empty is the week of now. It returns the
// Monday.
func ParseWeek(s string, now time.Time, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return WeekStart(now, loc), nil
	}
	if y, w, ok := strings.Cut(strings.ToUpper(s), "-W"); ok {
		yy, err1 := strconv.Atoi(y)
		ww, err2 := strconv.Atoi(w)
		if err1 != nil || err2 != nil || yy < 2000 || yy > 2100 || ww < 1 || ww > 53 {
			return time.Time{}, &Refusal{Msg: fmt.Sprintf("周“%s”格式应为 2026-W50", clip(s))}
		}
		// Week 1 holds 4 January.
		mon := WeekStart(time.Date(yy, 1, 4, 0, 0, 0, 0, loc), loc).AddDate(0, 0, 7*(ww-1))
		if _, got := mon.ISOWeek(); got != ww {
			return time.Time{}, &Refusal{Msg: fmt.Sprintf("%d 年没有第 %d 周", yy, ww)}
		}
		return mon, nil
	}
	d, err := ParseDate(s, loc)
	if err != nil {
		return time.Time{}, err
	}
	return WeekStart(d, loc), nil
}

// clip shortens input quoted back in a message.
func clip(s string) string {
	r := []rune(strings.ToValidUTF8(s, "�"))
	if len(r) > 20 {
		return string(r[:20]) + "…"
	}
	return string(r)
}
