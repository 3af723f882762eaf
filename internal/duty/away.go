package duty

import (
	"slices"
	"strings"
	"time"
)

// MaxAwayText bounds what is typed for one person's absences (textlimit).
const MaxAwayText = 1000

// ParseDays reads the dates a person cannot serve (请假、外出、不可排班) as
// an office types them: dates (2026-12-08) and ranges (2026-12-08至2026-12-10,
// or with ~ or ～), separated by spaces, commas, 、 or ；. It answers the
// dates in order, each once; a range may not run backwards or span more than
// a roster can.
func ParseDays(s string, loc *time.Location) ([]string, error) {
	if err := checkText("away", "请假日期", MaxAwayText, s); err != nil {
		return nil, err
	}
	fields := strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case ' ', '\t', '\n', '\r', ',', '，', '、', ';', '；', '\u3000':
			return true
		}
		return false
	})
	seen := map[string]bool{}
	var out []string
	add := func(d time.Time) {
		k := d.Format(DateLayout)
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	for _, f := range fields {
		from, to, isRange := cutRange(f)
		if !isRange {
			d, err := ParseDate(f, loc)
			if err != nil {
				return nil, err
			}
			add(d)
			continue
		}
		a, err := ParseDate(from, loc)
		if err != nil {
			return nil, err
		}
		b, err := ParseDate(to, loc)
		if err != nil {
			return nil, err
		}
		if b.Before(a) {
			return nil, refuse("请假日期“%s”的结束早于开始", f) // two dates: short
		}
		n := 0
		for d := a; !d.After(b); d = d.AddDate(0, 0, 1) {
			if n++; n > MaxSpanDays {
				return nil, refuse("请假日期“%s”超过 %d 天", f, MaxSpanDays)
			}
			add(d)
		}
	}
	slices.Sort(out)
	return out, nil
}

// cutRange splits "from至to" (or with ~, ～).
func cutRange(s string) (from, to string, ok bool) {
	for _, sep := range []string{"至", "~", "～"} {
		if a, b, found := strings.Cut(s, sep); found {
			return a, b, true
		}
	}
	return s, "", false
}
