package supervise

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// WriteBulletinXLSX writes a 督办通报 as an .xlsx workbook: a summary sheet,
// the overdue items by name (worst first), and every item by state. unitName
// turns a unit ID into the name to print (nil prints IDs).
func WriteBulletinXLSX(w io.Writer, title string, b *Bulletin, unitName func(string) string) error {
	if unitName == nil {
		unitName = func(id string) string { return id }
	}
	cst := time.FixedZone("CST", cstOffset)
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(cst).Format("2006-01-02")
	}
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("bulletin style: %w", err)
	}
	write := func(sheet string, rows [][]any) error {
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(sheet, cell, &r); err != nil {
				return fmt.Errorf("bulletin sheet %s: %w", sheet, err)
			}
		}
		return nil
	}

	summary := "汇总"
	if err := f.SetSheetName(f.GetSheetName(0), summary); err != nil {
		return fmt.Errorf("bulletin sheet: %w", err)
	}
	rate := "—"
	if r, ok := b.Total.OnTimeRate(); ok {
		rate = fmt.Sprintf("%.1f%%", r*100)
	}
	rows := [][]any{
		{title},
		{"统计期间", date(b.Period.From) + " 至 " + date(b.Period.To.Add(-time.Nanosecond))},
		{"统计时点", b.Now.In(cst).Format("2006-01-02 15:04")},
		{},
		{"事项总数", b.Total.Items}, {"本期交办", b.Total.New}, {"应办结", b.Total.Due}, {"本期办结", b.Total.Closed},
		{"按期办结", b.Total.ClosedOnTime}, {"按期办结率", rate}, {"逾期未办结", b.Total.OverdueNow},
		{"批准延期", b.Total.Extensions}, {"催办", b.Total.Urgings},
		{},
		{"状态", "事项数"},
	}
	for _, s := range AllStates() {
		rows = append(rows, []any{s.Label(), len(b.ByState[s])})
	}
	rows = append(rows, []any{}, []any{"亮灯", "事项数"})
	for _, c := range []Color{Red, Yellow, Green} {
		rows = append(rows, []any{c.Label(), b.Lights[c]})
	}
	if err := write(summary, rows); err != nil {
		return err
	}
	_ = f.SetCellStyle(summary, "A1", "A1", bold)
	_ = f.SetColWidth(summary, "A", "A", 16)

	overdue := "逾期事项"
	if _, err := f.NewSheet(overdue); err != nil {
		return fmt.Errorf("bulletin sheet: %w", err)
	}
	rows = [][]any{{"序号", "事项", "来源", "牵头单位", "办理期限", "逾期工作日", "延期次数", "催办次数"}}
	for i, r := range b.Overdue {
		rows = append(rows, []any{i + 1, r.Title, r.Source.Label(), unitName(r.LeadUnit), date(r.Due), r.DaysOverdue, r.Extensions, r.Urgings})
	}
	if err := write(overdue, rows); err != nil {
		return err
	}

	all := "全部事项"
	if _, err := f.NewSheet(all); err != nil {
		return fmt.Errorf("bulletin sheet: %w", err)
	}
	rows = [][]any{{"状态", "事项", "来源", "牵头单位", "办理期限", "亮灯"}}
	for _, s := range AllStates() {
		for _, r := range b.ByState[s] {
			rows = append(rows, []any{s.Label(), r.Title, r.Source.Label(), unitName(r.LeadUnit), date(r.Due), r.Light.Label()})
		}
	}
	if err := write(all, rows); err != nil {
		return err
	}
	for _, sh := range []string{overdue, all} {
		_ = f.SetCellStyle(sh, "A1", "H1", bold)
		_ = f.SetColWidth(sh, "B", "B", 40)
		_ = f.SetColWidth(sh, "C", "D", 16)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write bulletin xlsx: %w", err)
	}
	return nil
}
