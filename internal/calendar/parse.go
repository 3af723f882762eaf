package calendar

import (
	"fmt"
	"strings"
)

// ParseDays reads the administrator's text form of a year's exceptions, one
// date a line: "2026-10-01 放假 国庆节" or "2026-10-10 调休上班 国庆节".
// The kind may be written 放假/休/holiday or 调休上班/上班/班/补班/workday (see
// ParseKind); the name is optional; blank lines and lines starting with # are
// skipped.
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
		kind, err := ParseKind(fields[1])
		if err != nil {
			return nil, fmt.Errorf("第 %d 行：%w", i+1, err)
		}
		out = append(out, Day{Date: fields[0], Kind: kind, Name: strings.Join(fields[2:], " ")})
	}
	return out, nil
}

// ParseKind reads a day's kind as an administrator writes it: 放假 (also
// 休, 假, holiday) or 调休上班 (also 上班, 班, 补班, workday).
func ParseKind(s string) (DayKind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "放假", "休", "假", "holiday":
		return Holiday, nil
	case "调休上班", "上班", "班", "补班", "workday":
		return Workday, nil
	}
	return "", fmt.Errorf("类型“%s”无效，应为放假或调休上班", s)
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
