package supervise

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/shuniu-oa/shuniu/internal/org"
)

func testDirectory() Directory {
	return Directory{
		Units: []org.Unit{
			{ID: "town1", Name: "城关镇人民政府", ShortName: "城关镇", Kind: org.KindTown},
			{ID: "town2", Name: "河西镇人民政府", ShortName: "河西镇", Kind: org.KindTown},
			{ID: "dept2", Name: "区住房和城乡建设局", ShortName: "区住建局", Kind: org.KindDepartment},
			{ID: "dept3", Name: "区教育局", ShortName: "区教育局", Kind: org.KindDepartment},
			{ID: "dup1", Name: "甲单位", ShortName: "同名", Kind: org.KindDepartment},
			{ID: "dup2", Name: "乙单位", ShortName: "同名", Kind: org.KindDepartment},
		},
		People: []org.Person{{ID: "a1", Name: "李明"}, {ID: "b1", Name: "王芳"}, {ID: "c1", Name: "张伟"}, {ID: "c2", Name: "张伟"}},
		Positions: []org.Position{
			{PersonID: "a1", UnitID: "town1"}, {PersonID: "b1", UnitID: "dept2"},
			{PersonID: "c1", UnitID: "dept3"}, {PersonID: "c2", UnitID: "dept3"},
		},
		Heads: map[string]string{"dept3": "c1", "town2": "h2"},
	}
}

var listHeader = []string{"序号", "类别", "事项名称", "目标任务", "牵头单位", "责任人", "配合单位", "完成时限", "反馈周期", "备注"}

func testImport() ListImport {
	return ListImport{Name: "2026年民生实事", Office: "dcs", IDPrefix: "ms2026", Now: at(3, 1, 9, 0)}
}

func TestParseListGood(t *testing.T) {
	rows := [][]string{
		listHeader,
		{"1", "民生实事", "新建城关镇幼儿园", "新增学位 360 个", "城关镇", "李明", "区住建局（王芳）、区教育局", "2026-09-30", "每月25日", ""},
		{"", "", "", "", "", "", "", "", "", ""}, // blank lines are skipped
		{"2", "重点工作", "河西镇污水管网改造", "", "河西镇人民政府", "", "", "2026年12月底", "每周五"},
		{"3", "重点工作", "校园安全整治", "全覆盖", "区教育局", "", "区住建局(王芳)", "2026年6月30日", "按节点", "x"},
	}
	items, err := ParseList(rows, testDirectory(), testImport())
	if err == nil {
		// 按节点 needs milestones, which a sheet cannot give: the third row is refused.
		t.Fatalf("want the 按节点 row refused, got %d items", len(items))
	}
	var ie ImportErrors
	if !errors.As(err, &ie) || len(ie) != 1 || ie[0].Line != 5 || !strings.Contains(ie[0].Msg, "节点") {
		t.Fatalf("errors %v", err)
	}
	rows[4][8] = "每周三"
	items, err = ParseList(rows, testDirectory(), testImport())
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 {
		t.Fatalf("%d items", len(items))
	}
	a := items[0]
	if a.ID != "ms2026-2" || a.Source != FromList || a.Title != "新建城关镇幼儿园" || a.Instruction != "新增学位 360 个" ||
		a.Ref != "2026年民生实事（民生实事）第2行" || a.Office != "dcs" {
		t.Fatalf("first item %+v", a)
	}
	if len(a.Units) != 3 || a.Units[0] != (Unit{UnitID: "town1", Lead: true, Responsible: "a1"}) ||
		a.Units[1] != (Unit{UnitID: "dept2", Responsible: "b1"}) || a.Units[2] != (Unit{UnitID: "dept3", Responsible: "c1"}) {
		t.Fatalf("units %+v", a.Units)
	}
	if a.Schedule != (Schedule{Kind: Monthly, Day: 25}) {
		t.Fatalf("schedule %+v", a.Schedule)
	}
	b := items[1]
	if b.Instruction != b.Title || b.Units[0].Responsible != "h2" || b.Schedule != (Schedule{Kind: Weekly, Weekday: time.Friday}) {
		t.Fatalf("second item %+v", b)
	}
	// The items are ready for 立项 and the deadline resolves to the close of office.
	r := rules(t)
	it := must(t)(r.Create(b, sup, at(3, 2, 9, 0)))
	it = must(t)(r.Assign(it, sup, at(3, 2, 9, 30)))
	if want := at(12, 31, 17, 30); !it.Deadline.Due.Equal(want) {
		t.Fatalf("12月底 due %v, want %v", it.Deadline.Due, want)
	}
}

func TestParseListBadRowsLineByLine(t *testing.T) {
	rows := [][]string{
		listHeader,
		{"1", "", "好的一行", "", "城关镇", "李明", "", "2026-09-30", ""},
		{"2", "", "", "", "城关镇", "李明", "", "2026-09-30", ""},
		{"3", "", "单位不存在", "", "城南镇", "李明", "", "2026-09-30", ""},
		{"4", "", "日期不对", "", "城关镇", "李明", "", "九月底", ""},
		{"5", "", "日期不存在", "", "城关镇", "李明", "", "2026-02-30", ""},
		{"6", "", "责任人不对", "", "城关镇", "王芳", "", "2026-09-30", ""},
		{"7", "", "配合单位无责任人", "", "城关镇", "李明", "区住建局", "2026-09-30", ""},
		{"8", "", "同名单位", "", "同名", "李明", "", "2026-09-30", ""},
		{"9", "", "重名人员", "", "区教育局", "张伟", "", "2026-09-30", ""},
		{"10", "", "周期不对", "", "城关镇", "李明", "", "2026-09-30", "每天"},
		{"11", "", "好的一行", "", "城关镇", "李明", "", "2026-09-30", ""},
		{"11b", "", "好的一行", "", "区住建局", "王芳", "", "2026-09-30", ""}, // same task, another unit: fine
		{"12", "", "已过期", "", "城关镇", "李明", "", "2026-02-01", ""},
		{"13", "", "牵头又配合", "", "城关镇", "李明", "城关镇（李明）", "2026-09-30", ""},
	}
	items, err := ParseList(rows, testDirectory(), testImport())
	if items != nil {
		t.Fatalf("half-imported %d items", len(items))
	}
	var ie ImportErrors
	if !errors.As(err, &ie) {
		t.Fatalf("error %v", err)
	}
	want := map[int]string{3: "不能为空", 4: "没有名为“城南镇”", 5: "无法识别", 6: "不是有效日期", 7: "没有名为“王芳”",
		8: "未填写责任人", 9: "对应多个单位", 10: "有 2 名", 11: "无法识别", 12: "与第 2 行重复", 14: "已过", 15: "已是牵头单位"}
	got := map[int]string{}
	for _, e := range ie {
		got[e.Line] += e.Error()
	}
	for line, w := range want {
		if !strings.Contains(got[line], w) {
			t.Errorf("line %d: %q, want %q", line, got[line], w)
		}
	}
	if _, bad := got[2]; bad {
		t.Errorf("line 2 is good but reported: %s", got[2])
	}
	if len(got) != len(want) {
		t.Errorf("lines reported %v", got)
	}
	if !strings.HasPrefix(err.Error(), "导入失败，未导入任何事项") || !strings.Contains(err.Error(), "第 4 行“牵头单位”") {
		t.Errorf("message %s", err)
	}
}

func TestParseListHeader(t *testing.T) {
	cases := []struct {
		rows [][]string
		want string
	}{
		{nil, "表格为空"},
		{[][]string{{"事项名称", "牵头单位"}}, "缺少“完成时限”列"},
		{[][]string{{"* 事项名称", "牵头单位", "完成时限", "项目名称"}}, "表头重复"},
		{[][]string{{"事项名称", "牵头单位", "完成时限"}}, "没有事项"},
	}
	for _, c := range cases {
		_, err := ParseList(c.rows, testDirectory(), testImport())
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.rows, err, c.want)
		}
	}
	// Header aliases and spaces are accepted.
	rows := [][]string{{"项目 名称", "责任单位*", "办结时限"}, {"修路", "城关镇", "46295"}}
	dir := testDirectory()
	dir.Heads["town1"] = "a1"
	items, err := ParseList(rows, dir, testImport())
	if err != nil || len(items) != 1 {
		t.Fatal(err)
	}
	if d := items[0].Deadline.Date; d.Year() != 2026 || d.Month() != 9 || d.Day() != 30 {
		t.Fatalf("Excel serial 46295 read as %v", d)
	}
}

func TestParseListDate(t *testing.T) {
	good := map[string]string{
		"2026-06-30": "2026-06-30", "2026/6/3": "2026-06-03", "2026.12.31": "2026-12-31",
		"2026年6月30日": "2026-06-30", "2026年6月3号": "2026-06-03", "2026年2月底": "2026-02-28",
		"2028年2月": "2028-02-29", "46022": "2025-12-31", " 2026-01-01 ": "2026-01-01",
	}
	for in, want := range good {
		d, err := ParseListDate(in)
		if err != nil || d.Format("2006-01-02") != want {
			t.Errorf("%q: %v %v, want %s", in, d, err, want)
		}
	}
	for _, in := range []string{"", "明年", "2026-13-01", "2026-00-10", "1999-01-01", "2026年13月", "2026-02-29", "12", "2026-1-1-1"} {
		if _, err := ParseListDate(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}

func TestParseSchedule(t *testing.T) {
	good := map[string]Schedule{
		"每周五": {Kind: Weekly, Weekday: time.Friday}, "周一": {Kind: Weekly, Weekday: time.Monday},
		"每周星期日": {Kind: Weekly, Weekday: time.Sunday}, "每周 3": {Kind: Weekly, Weekday: time.Wednesday},
		"每月25日": {Kind: Monthly, Day: 25}, "每月1号": {Kind: Monthly, Day: 1}, "每月 31": {Kind: Monthly, Day: 31},
		"按节点": {Kind: AtMilestones}, "": {Kind: Monthly, Day: 25},
	}
	for in, want := range good {
		s, err := ParseSchedule(in)
		if err != nil || s != want {
			t.Errorf("%q: %+v %v", in, s, err)
		}
		if err == nil && s.Validate() != nil {
			t.Errorf("%q: parsed an invalid schedule", in)
		}
	}
	for _, in := range []string{"每天", "每月32日", "每月0日", "周八", "每周"} {
		if _, err := ParseSchedule(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
	if got := (Schedule{Kind: Weekly, Weekday: time.Friday}).Label(); got != "每周五" {
		t.Errorf("label %s", got)
	}
}

// FuzzParseList feeds arbitrary sheets: never a panic; either items or
// errors, never both; every error names a line inside the sheet; every item
// passes 立项 validation.
func FuzzParseList(f *testing.F) {
	f.Add("事项名称\t牵头单位\t完成时限\t配合单位\t反馈周期\n修路\t城关镇\t2026-09-30\t区住建局（王芳）\t每周五\n\t\t\n")
	f.Add("序号\t事项名称\t牵头单位\t责任人\t完成时限\n1\t建桥\t同名\t李明\t2026年6月底")
	f.Add("事项名称\t牵头单位\t完成时限\n" + strings.Repeat("x\t城关镇\t46295\n", 3))
	dir := testDirectory()
	dir.Heads["town1"] = "a1"
	f.Fuzz(func(t *testing.T, sheet string) {
		var rows [][]string
		for _, line := range strings.Split(sheet, "\n") {
			rows = append(rows, strings.Split(line, "\t"))
		}
		items, err := ParseList(rows, dir, testImport())
		if (items == nil) == (err == nil) {
			t.Fatalf("items %d and error %v", len(items), err)
		}
		var ie ImportErrors
		if err != nil {
			if !errors.As(err, &ie) || len(ie) == 0 {
				t.Fatalf("error without lines: %v", err)
			}
			for _, e := range ie {
				if e.Line < 1 || e.Line > len(rows)+1 || !utf8.ValidString(e.Msg) {
					t.Fatalf("bad line %d in %v", e.Line, e)
				}
			}
		}
		for _, n := range items {
			if err := validateNew(n); err != nil {
				t.Fatalf("imported an invalid item: %v", err)
			}
		}
	})
}

func FuzzParseListDate(f *testing.F) {
	for _, s := range []string{"2026-06-30", "2026年6月底", "46022", "2026/2/29", "１２"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseListDate(s)
		if err == nil && (d.Year() < 1999 || d.Year() > 2100) {
			t.Fatalf("%q read as %v", s, d)
		}
		sc, err := ParseSchedule(s)
		if err == nil && sc.Validate() != nil {
			t.Fatalf("%q parsed as invalid schedule %+v", s, sc)
		}
		if err == nil {
			// The label the pages show reads back as the same schedule.
			if again, err := ParseSchedule(sc.Label()); err != nil || again != sc {
				t.Fatalf("%q → %+v → %q → %+v, %v", s, sc, sc.Label(), again, err)
			}
		}
	})
}
