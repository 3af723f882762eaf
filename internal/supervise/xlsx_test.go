package supervise

import (
	"bytes"
	"errors"
	"regexp"
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

func TestBulletinXLSX(t *testing.T) {
	sw := sweep(t)
	items := statsItems(t)
	april := Months(at(4, 15, 0, 0), 1)[0]
	b := sw.Bulletin(items, april, at(4, 30, 12, 0))
	var buf bytes.Buffer
	names := map[string]string{"town1": "城关镇", "town2": "河西镇", "dept3": "区教育局"}
	if err := WriteBulletinXLSX(&buf, "2026年4月督办通报", b, func(id string) string { return names[id] }); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); strings.Join(got, ",") != "汇总,逾期事项,全部事项" {
		t.Fatalf("sheets %v", got)
	}
	over, _ := f.GetRows("逾期事项")
	if len(over) != 2 || over[1][3] != "河西镇" || over[1][5] != "37" {
		t.Fatalf("overdue sheet %v", over)
	}
	all, _ := f.GetRows("全部事项")
	if len(all) != 4 { // header + b, c, e
		t.Fatalf("all items sheet %v", all)
	}
	sum, _ := f.GetRows("汇总")
	if sum[0][0] != "2026年4月督办通报" || sum[1][1] != "2026-04-01 至 2026-04-30" {
		t.Fatalf("summary %v", sum[:3])
	}
}

// FuzzImportListXLSX: whatever file is uploaded as a 清单, reading it is
// refused in Chinese or gives every item or, with every bad line, none
// (what ParseList promises; FuzzParseList covers the rows themselves).
func FuzzImportListXLSX(f *testing.F) {
	x := excelize.NewFile()
	sheet := x.GetSheetName(0)
	for i, r := range [][]any{
		{"序号", "事项名称", "牵头单位", "责任人", "配合单位", "完成时限", "反馈周期"},
		{1, "新建城关镇幼儿园", "城关镇", "李明", "区住建局（王芳）", 46295, "每月25日"},
		{2, "河西镇污水管网改造", "河西镇", "", "", "2026年12月底", "每周五"},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		_ = x.SetSheetRow(sheet, cell, &r)
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte("序号,事项名称\n1,修路\n"))
	f.Fuzz(func(t *testing.T, file []byte) {
		items, err := ImportListXLSX(bytes.NewReader(file), "", testDirectory(), testImport())
		var ie ImportErrors
		switch {
		case err == nil:
			if len(items) == 0 {
				t.Fatal("no items and no error")
			}
		case errors.As(err, &ie):
			if items != nil {
				t.Fatalf("%d items and line errors", len(items))
			}
		case !hanRE.MatchString(err.Error()):
			t.Fatalf("refusal not in Chinese: %v", err)
		}
	})
}

var hanRE = regexp.MustCompile(`\p{Han}`)
