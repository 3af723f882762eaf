package calendar

import (
	"fmt"
	"strings"
)

// ParseDays reads the administrator's text form of a year's exceptions, one
// date a line: "2026-10-01 放假 国庆节" or "2026-10-10 上班 国庆节调休上班".
// The kind may be written 放假/休/holiday or 上班/班/workday; the name is
// optional; blank lines and lines starting with # are skipped.
func ParseDays(text string) ([]Day, error) {
	var out []Day
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(strings.ReplaceAll(line, "\u3000", " "))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 2 {
			return nil, fmt.Errorf("第 %d 行：应为“日期 放假|上班 名称”", i+1)
		}
		if _, _, err := parseISODate(fields[0]); err != nil {
			return nil, fmt.Errorf("第 %d 行：%w", i+1, err)
		}
		var kind DayKind
		switch strings.ToLower(fields[1]) {
		case "放假", "休", "假", "holiday":
			kind = Holiday
		case "上班", "班", "workday":
			kind = Workday
		default:
			return nil, fmt.Errorf("第 %d 行：类型“%s”无效，应为放假或上班", i+1, fields[1])
		}
		out = append(out, Day{Date: fields[0], Kind: kind, Name: strings.Join(fields[2:], " ")})
	}
	return out, nil
}

// FormatDays writes days in the form ParseDays reads.
func FormatDays(days []Day) string {
	var b strings.Builder
	for _, d := range days {
		b.WriteString(d.Date + " " + d.Kind.Label())
		if d.Name != "" {
			b.WriteString(" " + d.Name)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
