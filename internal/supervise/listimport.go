package supervise

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/org"
)

// Directory is the organization data the list import resolves names against.
type Directory struct {
	Units     []org.Unit
	People    []org.Person
	Positions []org.Position
	// Heads names a unit's default responsible person (usually its leader),
	// used when a co-unit is listed without one.
	Heads map[string]string
}

// ListImport says where the imported items go.
type ListImport struct {
	// Name is the list's name (e.g. 2026年区政府民生实事), kept in each item's Ref.
	Name   string
	Office string // the 督查室 that registers them
	// IDPrefix prefixes the item IDs: prefix-<line>.
	IDPrefix string
	// Now is the import time; a deadline already past is refused.
	Now time.Time
}

// RowError is one problem with one line of the sheet (line 1 is the header).
type RowError struct {
	Line   int    `json:"line"`
	Column string `json:"column,omitempty"`
	Msg    string `json:"msg"`
}

func (e RowError) Error() string {
	if e.Column != "" {
		return fmt.Sprintf("第 %d 行“%s”：%s", e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("第 %d 行：%s", e.Line, e.Msg)
}

// ImportErrors lists every bad line; nothing is imported when there is one.
type ImportErrors []RowError

func (es ImportErrors) Error() string {
	if len(es) == 0 {
		return "导入失败"
	}
	msgs := make([]string, 0, min(len(es), 20))
	for i, e := range es {
		if i == 20 {
			msgs = append(msgs, fmt.Sprintf("……共 %d 处问题", len(es)))
			break
		}
		msgs = append(msgs, e.Error())
	}
	return "导入失败，未导入任何事项：" + strings.Join(msgs, "；")
}

// MaxListRows bounds an import so a huge sheet cannot exhaust memory.
const MaxListRows = 10000

// Columns of the sheet and the header names each is known by.
const (
	colNo       = "序号"
	colKind     = "类别"
	colTitle    = "事项名称"
	colContent  = "工作内容"
	colLead     = "牵头单位"
	colPerson   = "责任人"
	colCo       = "配合单位"
	colDeadline = "完成时限"
	colSchedule = "反馈周期"
)

var headerAliases = map[string]string{
	"序号": colNo, "编号": colNo,
	"类别": colKind, "类型": colKind,
	"事项名称": colTitle, "项目名称": colTitle, "名称": colTitle, "事项": colTitle, "标题": colTitle,
	"工作内容": colContent, "目标任务": colContent, "主要内容": colContent, "具体内容": colContent, "工作目标": colContent,
	"牵头单位": colLead, "责任单位": colLead,
	"责任人": colPerson, "牵头单位责任人": colPerson, "联系人": colPerson,
	"配合单位": colCo, "协办单位": colCo,
	"完成时限": colDeadline, "时限": colDeadline, "完成时间": colDeadline, "办结时限": colDeadline,
	"反馈周期": colSchedule, "进展反馈": colSchedule, "报送频次": colSchedule, "反馈频次": colSchedule,
}

// normHeader strips spaces, full-width spaces and 必填 marks such as "*".
func normHeader(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\u3000', '*', '＊', '\n', '\r':
			return -1
		}
		return r
	}, s)
	return s
}

// ParseList reads a 民生实事/重点工作 list: rows as read from a spreadsheet,
// the first a header row in Chinese. It returns one NewItem per non-blank
// line, or — if any line is bad — no items and every problem line by line.
func ParseList(rows [][]string, dir Directory, li ListImport) ([]NewItem, error) {
	if len(rows) == 0 {
		return nil, ImportErrors{{Line: 1, Msg: "表格为空，缺少表头"}}
	}
	if len(rows) > MaxListRows+1 {
		return nil, ImportErrors{{Line: MaxListRows + 2, Msg: fmt.Sprintf("一次最多导入 %d 行", MaxListRows)}}
	}
	cols := map[string]int{}
	var errs ImportErrors
	for i, h := range rows[0] {
		name, ok := headerAliases[normHeader(h)]
		if !ok {
			continue // extra columns (备注…) are ignored
		}
		if _, dup := cols[name]; dup {
			errs = append(errs, RowError{Line: 1, Column: strings.ToValidUTF8(h, "\uFFFD"), Msg: "表头重复"})
			continue
		}
		cols[name] = i
	}
	for _, need := range []string{colTitle, colLead, colDeadline} {
		if _, ok := cols[need]; !ok {
			errs = append(errs, RowError{Line: 1, Msg: fmt.Sprintf("缺少“%s”列", need)})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	units := unitIndex(dir.Units)
	var items []NewItem
	titles := map[string]int{}
	for i, row := range rows[1:] {
		line := i + 2
		cell := func(col string) string {
			if j, ok := cols[col]; ok && j < len(row) {
				// Messages quote cells; keep them valid text whatever the file held.
				return strings.TrimSpace(strings.ToValidUTF8(row[j], "\uFFFD"))
			}
			return ""
		}
		if blankRow(row) {
			continue
		}
		n, rowErrs := parseListRow(line, cell, units, dir, li)
		// The same task may be listed for several units; twice for one unit is a slip.
		dupKey := n.Title + "\x00" + cell(colLead)
		if prev, dup := titles[dupKey]; dup && n.Title != "" {
			rowErrs = append(rowErrs, RowError{Line: line, Column: colTitle, Msg: fmt.Sprintf("与第 %d 行重复（同一牵头单位）", prev)})
		} else if n.Title != "" {
			titles[dupKey] = line
		}
		if len(rowErrs) == 0 {
			if err := validateNew(n); err != nil {
				rowErrs = append(rowErrs, RowError{Line: line, Msg: err.Error()})
			}
		}
		errs = append(errs, rowErrs...)
		items = append(items, n)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if len(items) == 0 {
		return nil, ImportErrors{{Line: 2, Msg: "表格中没有事项"}}
	}
	return items, nil
}

func blankRow(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// unitIndex maps full and short names to unit IDs; a name shared by two
// units maps to "" (ambiguous).
func unitIndex(us []org.Unit) map[string]string {
	m := map[string]string{}
	add := func(name, id string) {
		name = strings.TrimSpace(name)
		if name == "" {
			return
		}
		if old, ok := m[name]; ok && old != id {
			m[name] = ""
			return
		}
		m[name] = id
	}
	for _, u := range us {
		add(u.Name, u.ID)
		add(u.ShortName, u.ID)
	}
	return m
}

// personIn finds a person by name among those holding a position in the unit.
func personIn(dir Directory, unitID, name string) (string, string) {
	var found []string
	for _, p := range dir.People {
		if p.Name != name {
			continue
		}
		for _, pos := range dir.Positions {
			if pos.PersonID == p.ID && pos.UnitID == unitID {
				found = append(found, p.ID)
				break
			}
		}
	}
	switch len(found) {
	case 0:
		return "", fmt.Sprintf("该单位没有名为“%s”的人员", name)
	case 1:
		return found[0], ""
	}
	return "", fmt.Sprintf("该单位有 %d 名“%s”，请在系统中指定", len(found), name)
}

func parseListRow(line int, cell func(string) string, units map[string]string, dir Directory, li ListImport) (NewItem, []RowError) {
	var errs []RowError
	bad := func(col, format string, a ...any) {
		errs = append(errs, RowError{Line: line, Column: col, Msg: fmt.Sprintf(format, a...)})
	}
	n := NewItem{
		ID: fmt.Sprintf("%s-%d", li.IDPrefix, line), Source: FromList, Office: li.Office,
		Title: cell(colTitle), Instruction: cell(colContent),
		Ref: fmt.Sprintf("%s 第%d行", li.Name, line),
	}
	if kind := cell(colKind); kind != "" {
		n.Ref = fmt.Sprintf("%s（%s）第%d行", li.Name, kind, line)
	}
	if n.Title == "" {
		bad(colTitle, "不能为空")
	} else if n := len([]rune(n.Title)); n > MaxTitle {
		bad(colTitle, "不能超过 %d 字（现有 %d 字）", MaxTitle, n)
	}
	if n.Instruction == "" {
		n.Instruction = n.Title
	}
	leadID := ""
	if name := cell(colLead); name == "" {
		bad(colLead, "不能为空")
	} else if id, ok := units[name]; !ok {
		bad(colLead, "没有名为“%s”的单位", name)
	} else if id == "" {
		bad(colLead, "“%s”对应多个单位，请填写全称", name)
	} else {
		leadID = id
		lead := Unit{UnitID: id, Lead: true}
		if person := cell(colPerson); person == "" {
			if h := dir.Heads[id]; h != "" {
				lead.Responsible = h
			} else {
				bad(colPerson, "牵头单位责任人不能为空")
			}
		} else if pid, msg := personIn(dir, id, person); msg != "" {
			bad(colPerson, "%s", msg)
		} else {
			lead.Responsible = pid
		}
		n.Units = append(n.Units, lead)
	}
	for _, part := range splitList(cell(colCo)) {
		name, person := splitPerson(part)
		id, ok := units[name]
		switch {
		case !ok:
			bad(colCo, "没有名为“%s”的单位", name)
			continue
		case id == "":
			bad(colCo, "“%s”对应多个单位，请填写全称", name)
			continue
		case id == leadID:
			bad(colCo, "“%s”已是牵头单位", name)
			continue
		}
		u := Unit{UnitID: id}
		if person == "" {
			if u.Responsible = dir.Heads[id]; u.Responsible == "" {
				bad(colCo, "“%s”未填写责任人，可写作“%s（姓名）”", name, name)
				continue
			}
		} else if pid, msg := personIn(dir, id, person); msg != "" {
			bad(colCo, "%s：%s", name, msg)
			continue
		} else {
			u.Responsible = pid
		}
		dup := false
		for _, o := range n.Units {
			dup = dup || o.UnitID == id
		}
		if dup {
			bad(colCo, "“%s”重复", name)
			continue
		}
		n.Units = append(n.Units, u)
	}
	if v := cell(colDeadline); v == "" {
		bad(colDeadline, "不能为空")
	} else if d, err := ParseListDate(v); err != nil {
		bad(colDeadline, "%v", err)
	} else if !li.Now.IsZero() && d.Before(time.Date(li.Now.Year(), li.Now.Month(), li.Now.Day(), 0, 0, 0, 0, time.UTC)) {
		bad(colDeadline, "%s 已过", d.Format("2006-01-02"))
	} else {
		n.Deadline = DeadlineSpec{Date: time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, time.FixedZone("CST", cstOffset))}
	}
	if s, err := ParseSchedule(cell(colSchedule)); err != nil {
		bad(colSchedule, "%v", err)
	} else {
		n.Schedule = s
	}
	return n, errs
}

// splitList splits 单位A、单位B；单位C on the separators people type.
func splitList(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case '、', '，', ',', '；', ';', '/', '\n', ' ', '\u3000':
			return true
		}
		return false
	})
	out := f[:0]
	for _, x := range f {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// splitPerson reads "单位（姓名）" or "单位(姓名)".
func splitPerson(s string) (unit, person string) {
	s = strings.NewReplacer("（", "(", "）", ")").Replace(s)
	if i := strings.Index(s, "("); i > 0 && strings.HasSuffix(s, ")") {
		return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1 : len(s)-1])
	}
	return strings.TrimSpace(s), ""
}

var (
	reISODate = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$`)
	reCNDate  = regexp.MustCompile(`^(\d{4})年(\d{1,2})月(\d{1,2})[日号]$`)
	reCNMonth = regexp.MustCompile(`^(\d{4})年(\d{1,2})月(?:底|末)?$`)
	reWeekly  = regexp.MustCompile(`^(?:每周|周|每星期|星期)(?:星期|周)?([一二三四五六日天1-7])$`)
	reMonthly = regexp.MustCompile(`^每月(\d{1,2})[日号]?$`)
)

// ParseListDate reads a deadline as people type it in a sheet: 2026-06-30,
// 2026/6/30, 2026.6.30, 2026年6月30日, 2026年6月底 (the month's last day), or
// an Excel serial date number.
func ParseListDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	fail := fmt.Errorf("“%s”无法识别，应写作 2026-06-30 或 2026年6月30日", s)
	if len(s) > 40 {
		return time.Time{}, fmt.Errorf("日期过长，应写作 2026-06-30 或 2026年6月30日")
	}
	var y, m, d int
	switch {
	case reISODate.MatchString(s):
		p := reISODate.FindStringSubmatch(s)
		y, m, d = atoi(p[1]), atoi(p[2]), atoi(p[3])
	case reCNDate.MatchString(s):
		p := reCNDate.FindStringSubmatch(s)
		y, m, d = atoi(p[1]), atoi(p[2]), atoi(p[3])
	case reCNMonth.MatchString(s):
		p := reCNMonth.FindStringSubmatch(s)
		y, m = atoi(p[1]), atoi(p[2])
		if m < 1 || m > 12 {
			return time.Time{}, fail
		}
		d = time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	default:
		// Excel stores dates as days since 1899-12-30; a sheet read raw gives the number.
		if n, err := strconv.ParseFloat(s, 64); err == nil && n >= 36526 && n < 73051 { // 2000 … 2099
			return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n)), nil
		}
		return time.Time{}, fail
	}
	if y < 2000 || y > 2099 || m < 1 || m > 12 || d < 1 {
		return time.Time{}, fail
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, fmt.Errorf("“%s”不是有效日期", s)
	}
	return t, nil
}

var weekdayNames = map[string]time.Weekday{
	"日": time.Sunday, "天": time.Sunday, "7": time.Sunday,
	"一": time.Monday, "1": time.Monday, "二": time.Tuesday, "2": time.Tuesday,
	"三": time.Wednesday, "3": time.Wednesday, "四": time.Thursday, "4": time.Thursday,
	"五": time.Friday, "5": time.Friday, "六": time.Saturday, "6": time.Saturday,
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// ParseSchedule reads a report schedule as typed: 每周五, 周五, 每月25日,
// 每月25号, 按节点. Empty means monthly on the 25th.
func ParseSchedule(s string) (Schedule, error) {
	s = normHeader(s)
	switch {
	case s == "":
		return Schedule{Kind: Monthly, Day: 25}, nil
	case s == "按节点" || s == "节点" || s == "按节点反馈":
		return Schedule{Kind: AtMilestones}, nil
	case reWeekly.MatchString(s):
		return Schedule{Kind: Weekly, Weekday: weekdayNames[reWeekly.FindStringSubmatch(s)[1]]}, nil
	case reMonthly.MatchString(s):
		d := atoi(reMonthly.FindStringSubmatch(s)[1])
		if d < 1 || d > 31 {
			return Schedule{}, fmt.Errorf("每月反馈日应为 1–31 日")
		}
		return Schedule{Kind: Monthly, Day: d}, nil
	}
	return Schedule{}, fmt.Errorf("“%s”无法识别，应写作 每周五、每月25日 或 按节点", s)
}
