package document

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/org"
)

// Series is one 发文字号 series (文号系列) of an organ: the code its numbers
// begin with (清政发, 清政办发, 清政函, 清政明电), its name, and the doc types
// it may carry. An organ has several; each is numbered gap-free per year,
// and the organ's documents — drafted by the organ itself or by the office
// in its name — are numbered in one of them.
type Series struct {
	OrganID string    `json:"organ_id"`
	Code    string    `json:"code"`            // as the number shows it: 清政发〔2026〕3号
	Name    string    `json:"name"`            // e.g. 区政府文件
	Types   []DocType `json:"types,omitempty"` // the doc types it carries; none: any
	Sort    int       `json:"sort"`
}

// Validate checks one series' own fields.
func (s Series) Validate() error {
	var errs []error
	if s.OrganID == "" {
		errs = append(errs, errors.New("文号系列须属于一个机关"))
	}
	if !organCodeRE.MatchString(s.Code) {
		errs = append(errs, fmt.Errorf("文号系列代字“%s”无效，应以汉字开头，不含括号，如“清政发”", s.Code))
	}
	if strings.TrimSpace(s.Name) == "" {
		errs = append(errs, fmt.Errorf("文号系列“%s”须有名称", s.Code))
	}
	for _, t := range s.Types {
		if _, ok := RuleFor(t); !ok {
			errs = append(errs, fmt.Errorf("文号系列“%s”的文种“%s”无效", s.Code, t))
		}
	}
	return errors.Join(errs...)
}

// Allows reports whether a document of type t may be numbered in the series.
func (s Series) Allows(t DocType) bool {
	return len(s.Types) == 0 || slices.Contains(s.Types, t)
}

// CheckSeries checks an organ's whole list: each series valid, every code
// once, and no code that is another unit's 机关代字 (numbers of both would
// share one count).
func CheckSeries(list []Series, units map[string]org.Unit) error {
	seen := map[string]bool{}
	for _, s := range list {
		if err := s.Validate(); err != nil {
			return err
		}
		if seen[s.Code] {
			return fmt.Errorf("文号系列“%s”重复", s.Code)
		}
		seen[s.Code] = true
		for _, u := range units {
			if u.OrganCode == s.Code && u.ID != s.OrganID {
				return fmt.Errorf("文号系列“%s”与%s的机关代字相同", s.Code, u.Name)
			}
		}
	}
	return nil
}

// SeriesFor returns the series in which a document of type t issued in the
// name of organ may be numbered, the usual one first (by the organ's order).
// An organ without series numbers under its 机关代字 alone, as before series
// were set; an organ without either has none.
func SeriesFor(all []Series, organ org.Unit, t DocType) []Series {
	var out []Series
	own := false
	for _, s := range all {
		if s.OrganID != organ.ID {
			continue
		}
		own = true
		if s.Allows(t) {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b Series) int { return a.Sort - b.Sort })
	if !own && organ.OrganCode != "" {
		out = []Series{{OrganID: organ.ID, Code: organ.OrganCode, Name: organ.ShortName + "文件"}}
	}
	return out
}

// ChooseSeries picks the series at 编号: the clerk's choice when it is one of
// those allowed, the usual one when the clerk chose none.
func ChooseSeries(allowed []Series, organ org.Unit, t DocType, chosen string) (Series, error) {
	if len(allowed) == 0 {
		return Series{}, fmt.Errorf("“%s”没有可用于%s的文号系列，不能编号，请联系系统管理员", organ.ShortName, typeLabel(t))
	}
	chosen = strings.TrimSpace(chosen)
	if chosen == "" {
		return allowed[0], nil
	}
	for _, s := range allowed {
		if s.Code == chosen {
			return s, nil
		}
	}
	names := make([]string, len(allowed))
	for i, s := range allowed {
		names[i] = s.Code
	}
	return Series{}, fmt.Errorf("%s不能编入“%s”系列，可选：%s", typeLabel(t), chosen, strings.Join(names, "、"))
}

func typeLabel(t DocType) string {
	if r, ok := RuleFor(t); ok {
		return r.Name
	}
	return string(t)
}

// NumberTake is a number to take at 编号: the next of the series in the year.
type NumberTake struct {
	Series Series
	Year   int
}

// numberYear is the year a number taken at t belongs to: Beijing's.
func numberYear(t time.Time) int { return t.In(calendar.Shanghai()).Year() }

// FormatSeries writes an organ's series one a line as the editor shows
// them: 代字, 名称, then the 文种 it carries (none: any), space-separated.
func FormatSeries(list []Series) string {
	var b strings.Builder
	for _, s := range list {
		b.WriteString(s.Code + " " + s.Name)
		for _, t := range s.Types {
			b.WriteString(" " + typeLabel(t))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// ParseSeries reads what FormatSeries writes, for organ, in order: each
// line 代字, 名称 and any 文种 by their Chinese names (命令 or 令). Blank
// lines are skipped; the list is checked by Validate line by line.
func ParseSeries(organID, text string) ([]Series, error) {
	byName := map[string]DocType{}
	for _, r := range Rules() {
		byName[r.Name] = r.Type
		for _, n := range r.TitleNames {
			byName[n] = r.Type
		}
	}
	var out []Series
	for i, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) < 2 {
			return nil, fmt.Errorf("第%d行：应写“代字 名称 文种…”，如“清政发 区政府文件 通知 意见”", i+1)
		}
		s := Series{OrganID: organID, Code: f[0], Name: f[1], Sort: len(out) + 1}
		for _, n := range f[2:] {
			t, ok := byName[n]
			if !ok {
				return nil, fmt.Errorf("第%d行：文种“%s”无效", i+1, n)
			}
			if !slices.Contains(s.Types, t) {
				s.Types = append(s.Types, t)
			}
		}
		if err := s.Validate(); err != nil {
			return nil, fmt.Errorf("第%d行：%w", i+1, err)
		}
		out = append(out, s)
	}
	return out, nil
}
