package supervise

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Limits on an uploaded sheet, so a crafted file (a zip bomb) cannot
// exhaust memory: 16 MiB unpacked per part, 64 MiB in all.
const (
	xlsxPartLimit  = 16 << 20
	xlsxTotalLimit = 64 << 20
)

// ReadListXLSX reads the rows of a sheet (the first one if sheet is empty)
// of an .xlsx file. Cells are read raw, so a date cell comes as its Excel
// serial number, which ParseListDate understands whatever the cell's format.
func ReadListXLSX(r io.Reader, sheet string) ([][]string, error) {
	f, err := excelize.OpenReader(r, excelize.Options{RawCellValue: true, UnzipSizeLimit: xlsxTotalLimit, UnzipXMLSizeLimit: xlsxPartLimit})
	if err != nil {
		return nil, fmt.Errorf("无法读取 xlsx 文件，请确认是 Excel 2007 及以后的格式：%w", err)
	}
	defer f.Close()
	if sheet == "" {
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return nil, fmt.Errorf("xlsx 文件中没有工作表")
		}
		sheet = sheets[0]
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		return nil, fmt.Errorf("无法读取工作表“%s”：%w", sheet, err)
	}
	return rows, nil
}

// ImportListXLSX reads a 民生实事/重点工作 list from an .xlsx file and parses
// it with ParseList: every item, or none and every bad line.
func ImportListXLSX(r io.Reader, sheet string, dir Directory, li ListImport) ([]NewItem, error) {
	rows, err := ReadListXLSX(r, sheet)
	if err != nil {
		return nil, err
	}
	return ParseList(rows, dir, li)
}
