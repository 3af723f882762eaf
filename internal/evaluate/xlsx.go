package evaluate

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// WriteBoardXLSX writes a scoreboard as a workbook: the ranking with every
// counted indicator's figure and score, then the method of each indicator,
// then the 先进单位 candidates with their reasons.
func WriteBoardXLSX(w io.Writer, title string, b Board) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "考核排名"
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return fmt.Errorf("board sheet: %w", err)
	}
	row := 1
	set := func(cells ...any) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		if err := f.SetSheetRow(sheet, cell, &cells); err != nil {
			return fmt.Errorf("board row %d: %w", row-1, err)
		}
		return nil
	}
	if err := set(title); err != nil {
		return err
	}
	head := []any{"名次", "单位"}
	for _, i := range b.Counted {
		head = append(head, i.Label(), i.Label()+"得分（权重 "+fmt.Sprint(b.Rules.Weights[b.Class][i])+"）")
	}
	head = append(head, "综合得分")
	if err := set(head...); err != nil {
		return err
	}
	for _, r := range b.Rows {
		cells := []any{r.Rank, r.Name}
		for _, i := range b.Counted {
			fg, _ := r.Figure(i)
			if fg.Empty {
				cells = append(cells, "—", "不计")
				continue
			}
			cells = append(cells, fg.Text(), fg.Score)
		}
		cells = append(cells, r.Total)
		if err := set(cells...); err != nil {
			return err
		}
	}
	row++
	if err := set(fmt.Sprintf("计分方法（考核规则第 %d 版，%s 起施行）", b.Rules.Version, b.Rules.Effective.Format("2006年1月2日"))); err != nil {
		return err
	}
	for _, i := range b.Counted {
		if err := set(i.Method(b.Rules)); err != nil {
			return err
		}
	}
	if err := set("综合得分 = 各计分指标得分按权重加权平均；本期无相应记录的指标不计入（权重按其余指标折算）。"); err != nil {
		return err
	}
	row++
	if err := set("先进单位候选"); err != nil {
		return err
	}
	for _, c := range b.Commended {
		cells := []any{c.Rank, c.Name}
		for _, reason := range c.Reasons {
			cells = append(cells, reason)
		}
		if err := set(cells...); err != nil {
			return err
		}
	}
	if len(b.Commended) == 0 {
		if err := set("本期无符合条件的单位"); err != nil {
			return err
		}
	}
	return f.Write(w)
}
