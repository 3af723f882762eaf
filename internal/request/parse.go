package request

import (
	"strconv"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
)

// ParseTime reads a time as forms send it (Beijing time): 2026-12-08T09:30
// (datetime-local), 2026-12-08 09:30, with seconds, or RFC 3339 with a zone
// (the API). label names the field in the refusal.
func ParseTime(label, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, refuse("请填写%s", label)
	}
	if len(s) > 40 {
		return time.Time{}, refuse("%s格式不对，应为 2026-12-08 09:30", label)
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, calendar.Shanghai()); err == nil {
			return t, nil
		}
	}
	return time.Time{}, refuse("%s格式不对，应为 2026-12-08 09:30", label)
}

// ParseCount reads a whole number of at most max from a form ("" is 0).
func ParseCount(label, s string, max int) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, refuse("%s须为非负整数", label)
	}
	if n > max {
		return 0, refuse("%s不能超过 %d", label, max)
	}
	return n, nil
}
