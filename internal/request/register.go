package request

import (
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/shuniu-oa/shuniu/internal/calendar"
)

// RegisterRow is one line of the 用印登记簿.
type RegisterRow struct {
	No        int       `json:"no"`
	RequestID string    `json:"request_id"`
	UsedAt    time.Time `json:"used_at"`
	SealID    string    `json:"seal_id"`
	UnitID    string    `json:"unit_id"`
	Requester string    `json:"requester"`
	Material  string    `json:"material"`
	Copies    int       `json:"copies"`
	Reason    string    `json:"reason"`
	Approver  string    `json:"approver"` // who approved at 办公室审批 (the last approval before 用印)
	Keeper    string    `json:"keeper"`   // who applied the seal
	ESeal     bool      `json:"eseal,omitempty"`
}

// Register is the 用印登记簿 of the requests given: every use recorded, in
// the order of use, numbered from 1.
func Register(reqs []Request) []RegisterRow {
	var out []RegisterRow
	for _, r := range reqs {
		if r.Kind != SealUse || r.Seal == nil || r.Seal.UsedAt.IsZero() {
			continue
		}
		out = append(out, RegisterRow{RequestID: r.ID, UsedAt: r.Seal.UsedAt, SealID: r.Seal.SealID, UnitID: r.UnitID,
			Requester: r.Requester, Material: r.Seal.Material, Copies: r.Seal.UsedCopies, Reason: r.Reason,
			Approver: approver(r), Keeper: r.Seal.UsedBy, ESeal: r.Seal.ESealApplied})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].UsedAt.Equal(out[j].UsedAt) {
			return out[i].UsedAt.Before(out[j].UsedAt)
		}
		return out[i].RequestID < out[j].RequestID
	})
	for i := range out {
		out[i].No = i + 1
	}
	return out
}

// approver is who last approved the request before its 用印 step.
func approver(r Request) string {
	stamp := r.Route.Template.StepIndex(StepStamp)
	who := ""
	for _, t := range r.Route.Tasks {
		if t.Step > 0 && (stamp < 0 || t.Step < stamp) && t.ActedBy != "" && t.Outcome != "" {
			who = t.ActedBy
			if t.OnBehalfOf != "" {
				who = t.OnBehalfOf
			}
		}
	}
	return who
}

// RegisterNames names what the register shows.
type RegisterNames interface {
	Seal(id string) string
	Unit(id string) string
	Person(id string) string
}

// RegisterHeader is the register's column heads, for the page and the sheet.
var RegisterHeader = []string{"序号", "用印时间", "印章", "用印单位", "经办人", "文件或材料", "份数", "事由", "批准人", "监印人", "用印方式"}

// Way is how the seal was applied, as the register says it.
func (r RegisterRow) Way() string {
	if r.ESeal {
		return "电子印章"
	}
	return "实物印章"
}

// RegisterCells is a row as the page and the sheet show it.
func RegisterCells(r RegisterRow, n RegisterNames) []string {
	return []string{fmt.Sprint(r.No), r.UsedAt.In(calendar.Shanghai()).Format("2006-01-02 15:04"), n.Seal(r.SealID), n.Unit(r.UnitID),
		n.Person(r.Requester), r.Material, fmt.Sprint(r.Copies), r.Reason, n.Person(r.Approver), n.Person(r.Keeper), r.Way()}
}

// WriteRegisterXLSX writes the 用印登记簿 as an .xlsx workbook: a title line,
// the heads and one row per use.
func WriteRegisterXLSX(w io.Writer, title string, rows []RegisterRow, n RegisterNames) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "用印登记簿"
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return fmt.Errorf("register sheet: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("register style: %w", err)
	}
	set := func(row int, cells []any) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := f.SetSheetRow(sheet, cell, &cells); err != nil {
			return fmt.Errorf("register row %d: %w", row, err)
		}
		return nil
	}
	if err := set(1, []any{title}); err != nil {
		return err
	}
	head := make([]any, len(RegisterHeader))
	for i, h := range RegisterHeader {
		head[i] = h
	}
	if err := set(2, head); err != nil {
		return err
	}
	if err := f.SetRowStyle(sheet, 1, 2, bold); err != nil {
		return fmt.Errorf("register style: %w", err)
	}
	for i, r := range rows {
		cs := RegisterCells(r, n)
		cells := make([]any, len(cs))
		for j, c := range cs {
			cells[j] = c
		}
		cells[0], cells[6] = r.No, r.Copies // numbers as numbers
		if err := set(i+3, cells); err != nil {
			return err
		}
	}
	for col, width := range []float64{6, 17, 24, 22, 10, 40, 6, 30, 10, 10, 10} {
		name, _ := excelize.ColumnNumberToName(col + 1)
		if err := f.SetColWidth(sheet, name, name, width); err != nil {
			return fmt.Errorf("register width: %w", err)
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write register: %w", err)
	}
	return nil
}
