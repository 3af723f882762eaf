package archive

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Line is one line of the catalogue with its 档号.
type Line struct {
	Code  Code
	Entry Entry
}

// CatalogueHeader is the 归档文件目录's columns (DA/T 22 appendix), with the
// 档号 first for an archives system to take the sheet in.
var CatalogueHeader = []string{"档号", "件号", "责任者", "文号", "题名", "日期", "页数", "密级", "备注"}

// WriteCatalogueXLSX writes the 归档文件目录 as an .xlsx workbook: a title
// row, the header, one row per document in the order given.
func WriteCatalogueXLSX(w io.Writer, title string, lines []Line) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "归档文件目录"
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return fmt.Errorf("catalogue sheet: %w", err)
	}
	rows := [][]any{{title}, {}}
	head := make([]any, len(CatalogueHeader))
	for i, h := range CatalogueHeader {
		head[i] = h
	}
	rows = append(rows, head)
	for _, l := range lines {
		e := l.Entry
		pages := any("")
		if e.Pages > 0 {
			pages = e.Pages
		}
		rows = append(rows, []any{l.Code.String(), e.Piece, e.Responsible, e.DocNumber, e.Title, e.Date, pages, e.Classification, e.Note})
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return fmt.Errorf("catalogue row %d: %w", i+1, err)
		}
	}
	if bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err == nil {
		_ = f.SetCellStyle(sheet, "A1", "A1", bold)
		_ = f.SetCellStyle(sheet, "A3", "I3", bold)
	}
	_ = f.SetColWidth(sheet, "A", "A", 24)
	_ = f.SetColWidth(sheet, "C", "D", 22)
	_ = f.SetColWidth(sheet, "E", "E", 50)
	_ = f.SetColWidth(sheet, "F", "F", 10)
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write catalogue: %w", err)
	}
	return nil
}
