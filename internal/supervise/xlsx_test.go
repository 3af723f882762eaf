package supervise

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestImportListXLSX(t *testing.T) {
	f := excelize.NewFile()
	sheet := f.GetSheetName(0)
	rows := [][]any{
		{"序号", "事项名称", "牵头单位", "责任人", "配合单位", "完成时限", "反馈周期"},
		{1, "新建城关镇幼儿园", "城关镇", "李明", "区住建局（王芳）", time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC), "每月25日"},
		{2, "河西镇污水管网改造", "河西镇", "", "", "2026年12月底", "每周五"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14}) // m/d/yy: the cell holds a serial number
	_ = f.SetCellStyle(sheet, "F2", "F2", style)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	items, err := ImportListXLSX(bytes.NewReader(buf.Bytes()), "", testDirectory(), testImport())
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 || items[0].Title != "新建城关镇幼儿园" || items[1].Units[0].Responsible != "h2" {
		t.Fatalf("items %+v", items)
	}
	if d := items[0].Deadline.Date; d.Year() != 2026 || d.Month() != 9 || d.Day() != 30 {
		t.Fatalf("date cell read as %v", d)
	}

	// A bad line: nothing imported, the line reported.
	_ = f.SetCellValue(sheet, "C3", "不存在的镇")
	buf.Reset()
	_ = f.Write(&buf)
	items, err = ImportListXLSX(bytes.NewReader(buf.Bytes()), "", testDirectory(), testImport())
	var ie ImportErrors
	if items != nil || !errors.As(err, &ie) || ie[0].Line != 3 {
		t.Fatalf("bad sheet: %d items, %v", len(items), err)
	}

	// Not a spreadsheet at all.
	if _, err := ImportListXLSX(strings.NewReader("序号,事项名称\n"), "", testDirectory(), testImport()); err == nil || !strings.Contains(err.Error(), "无法读取") {
		t.Fatalf("csv accepted: %v", err)
	}
	if _, err := ReadListXLSX(bytes.NewReader(buf.Bytes()), "没有这张表"); err == nil {
		t.Fatal("missing sheet accepted")
	}
}
