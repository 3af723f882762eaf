// Package archive holds the rules of 归档 under DA/T 22-2015 (归档文件整理规则):
// a finished document is filed by 年度, 保管期限 and 机构（问题）, given the next
// 件号 of that class and the 档号 全宗号-年度-保管期限代码-机构（问题）代码-件号,
// and listed in the 归档文件目录. The 保管期限 follows the deployment's
// 归档范围和保管期限表 (Table), which the system administrator may adjust, as
// are the 全宗号 of each organ and the code of each unit (Settings).
//
// Pure: no database, no HTTP. The store takes the 件号 in the archiving
// transaction and keeps the record; once archived a document does not change.
package archive

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
)

// Retention is a 保管期限, by its DA/T 22 code.
type Retention string

const (
	Permanent Retention = "Y"   // 永久
	Term30    Retention = "D30" // 定期30年
	Term10    Retention = "D10" // 定期10年
)

// Retentions are the 保管期限 in order, longest first.
func Retentions() []Retention { return []Retention{Permanent, Term30, Term10} }

// Valid reports whether r is one of the three 保管期限.
func (r Retention) Valid() bool { return r == Permanent || r == Term30 || r == Term10 }

// Label is the 保管期限 as written: 永久, 定期30年, 定期10年.
func (r Retention) Label() string {
	switch r {
	case Permanent:
		return "永久"
	case Term30:
		return "定期30年"
	case Term10:
		return "定期10年"
	}
	return ""
}

// ParseRetention reads a 保管期限 by its code (Y, D30, D10) or its name.
func ParseRetention(s string) (Retention, error) {
	s = strings.TrimSpace(s)
	for _, r := range Retentions() {
		if strings.EqualFold(s, string(r)) || s == r.Label() {
			return r, nil
		}
	}
	return "", fmt.Errorf("保管期限“%s”无效，应为永久、定期30年或定期10年", s)
}

// Directions a rule of the table applies to.
const (
	Outgoing = "outgoing" // 本机关发文
	Incoming = "incoming" // 收文
)

// Rule is one line of the 归档范围和保管期限表: documents of a direction (empty:
// both) and a 文种 (empty: any) are kept for Retention.
type Rule struct {
	Direction string           `json:"direction,omitempty"`
	Type      document.DocType `json:"type,omitempty"`
	Retention Retention        `json:"retention"`
}

// Table is a deployment's 归档范围和保管期限表: the first rule that fits a
// document decides; a document no rule fits is kept for Default.
type Table struct {
	Rules   []Rule    `json:"rules"`
	Default Retention `json:"default"`
}

// DefaultTable follows the 机关文件材料归档范围和文书档案保管期限规定 in outline:
// what the organ itself decides, asks and reports is kept permanently, its
// notices and letters 30 years; of what it receives, the higher organs'
// decisions and orders 30 years, the rest 10.
func DefaultTable() Table {
	var rs []Rule
	out := func(r Retention, ts ...document.DocType) {
		for _, t := range ts {
			rs = append(rs, Rule{Direction: Outgoing, Type: t, Retention: r})
		}
	}
	in := func(r Retention, ts ...document.DocType) {
		for _, t := range ts {
			rs = append(rs, Rule{Direction: Incoming, Type: t, Retention: r})
		}
	}
	out(Permanent, document.Resolution, document.Decision, document.Order, document.Communique, document.Announcement,
		document.PublicNotice, document.Opinion, document.Request, document.Report, document.Motion, document.Minutes)
	out(Term30, document.Notice, document.Bulletin, document.Approval, document.Letter)
	in(Term30, document.Resolution, document.Decision, document.Order, document.Approval)
	return Table{Rules: rs, Default: Term10}
}

// For is the 保管期限 the table gives a document.
func (t Table) For(outgoing bool, typ document.DocType) Retention {
	dir := Incoming
	if outgoing {
		dir = Outgoing
	}
	for _, r := range t.Rules {
		if (r.Direction == "" || r.Direction == dir) && (r.Type == "" || r.Type == typ) {
			return r.Retention
		}
	}
	if t.Default.Valid() {
		return t.Default
	}
	return Term10
}

// Validate refuses a table with an unknown direction, 文种 or 保管期限.
func (t Table) Validate() error {
	if !t.Default.Valid() {
		return errors.New("请选择其他文件的保管期限")
	}
	for i, r := range t.Rules {
		if r.Direction != "" && r.Direction != Outgoing && r.Direction != Incoming {
			return fmt.Errorf("第 %d 条：收发类别“%s”无效", i+1, r.Direction)
		}
		if _, ok := document.RuleFor(r.Type); r.Type != "" && !ok {
			return fmt.Errorf("第 %d 条：文种“%s”无效", i+1, r.Type)
		}
		if !r.Retention.Valid() {
			return fmt.Errorf("第 %d 条：保管期限无效", i+1)
		}
	}
	return nil
}

// Settings are the deployment's archiving settings, kept by the system
// administrator.
type Settings struct {
	Fonds     map[string]string `json:"fonds,omitempty"`      // organ ID → 全宗号
	UnitCodes map[string]string `json:"unit_codes,omitempty"` // unit ID → 机构（问题）代码
	Table     Table             `json:"table"`
}

// DefaultSettings are the default table and no codes yet.
func DefaultSettings() Settings { return Settings{Table: DefaultTable()} }

// codeRE is a 全宗号 or a 机构（问题）代码 as DA/T 13 writes them: Latin letters
// and digits (办公室 is BGS).
var codeRE = regexp.MustCompile(`^[A-Za-z0-9]{1,8}$`)

// Validate checks the codes and the table.
func (s Settings) Validate(units map[string]org.Unit) error {
	seen := map[string]string{}
	for id, code := range s.Fonds {
		u, ok := units[id]
		if !ok {
			return errors.New("设置全宗号的机关不存在")
		}
		if !codeRE.MatchString(code) {
			return fmt.Errorf("%s的全宗号“%s”无效：应为 1 至 8 位字母或数字", u.Name, code)
		}
		if other, dup := seen[strings.ToUpper(code)]; dup {
			return fmt.Errorf("全宗号“%s”已用于%s，不能同时用于%s", code, other, u.Name)
		}
		seen[strings.ToUpper(code)] = u.Name
	}
	for id, code := range s.UnitCodes {
		u, ok := units[id]
		if !ok {
			return errors.New("设置机构代码的单位不存在")
		}
		if !codeRE.MatchString(code) {
			return fmt.Errorf("%s的机构（问题）代码“%s”无效：应为 1 至 8 位字母或数字，如办公室 BGS", u.Name, code)
		}
	}
	return s.Table.Validate()
}

// FondsOf is an organ's 全宗号; until one is set, its 机关代字 (or short name)
// stands in, so that archiving never stops for a missing setting.
func (s Settings) FondsOf(organ org.Unit) string {
	if c := s.Fonds[organ.ID]; c != "" {
		return strings.ToUpper(c)
	}
	if organ.OrganCode != "" {
		return organ.OrganCode
	}
	return organ.ShortName
}

// UnitCodeOf is a unit's 机构（问题）代码; until one is set, its short name.
func (s Settings) UnitCodeOf(u org.Unit) string {
	if c := s.UnitCodes[u.ID]; c != "" {
		return strings.ToUpper(c)
	}
	return u.ShortName
}

// Input is what filing a document needs to know.
type Input struct {
	Outgoing  bool
	Doc       document.Document
	OrganID   string              // the organ whose 全宗 the document joins
	UnitID    string              // the unit that handled it (机构)
	Units     map[string]org.Unit // the organisation, by ID
	Retention Retention           // the archivist's choice; empty: the table's
	Formed    time.Time           // when the document was made, if it has no 成文日期
}

// Class is where a document is filed: the 全宗, 年度, 保管期限 and 机构. 件号 run
// from 1 within a class.
type Class struct {
	Fonds     string    `json:"fonds"`
	Year      int       `json:"year"`
	Retention Retention `json:"retention"`
	UnitID    string    `json:"unit_id"`
	UnitCode  string    `json:"unit_code"`
}

// Counter is the name of the class's 件号 counter.
func (c Class) Counter() string {
	return "archive:" + c.Fonds + ":" + string(c.Retention) + ":" + c.UnitCode
}

// Year is a document's 年度: the year of its 成文日期 (its formation), else
// of when it was made, in Beijing time.
func Year(d document.Document, formed time.Time) int {
	if d.Date.Year > 0 {
		return d.Date.Year
	}
	return formed.In(calendar.Shanghai()).Year()
}

// Classify decides where a document is filed.
func Classify(s Settings, in Input) (Class, error) {
	organ, ok := in.Units[in.OrganID]
	if !ok {
		return Class{}, errors.New("归档机关不存在")
	}
	unit, ok := in.Units[in.UnitID]
	if !ok {
		return Class{}, errors.New("承办单位不存在")
	}
	r := in.Retention
	if r == "" {
		r = s.Table.For(in.Outgoing, in.Doc.Type)
	}
	if !r.Valid() {
		return Class{}, fmt.Errorf("保管期限“%s”无效，应为永久、定期30年或定期10年", r)
	}
	return Class{Fonds: s.FondsOf(organ), Year: Year(in.Doc, in.Formed), Retention: r, UnitID: unit.ID, UnitCode: s.UnitCodeOf(unit)}, nil
}

// Code is a document's 档号.
type Code struct {
	Class
	Piece int `json:"piece"` // 件号
}

// String writes the 档号 as DA/T 22 does: Z012-2026-Y-BGS-0001.
func (c Code) String() string {
	return fmt.Sprintf("%s-%04d-%s-%s-%04d", c.Fonds, c.Year, c.Retention, c.UnitCode, c.Piece)
}

// ParseCode reads a 档号 written by Code.String.
func ParseCode(s string) (Code, error) {
	parts := strings.Split(strings.TrimSpace(s), "-")
	if len(parts) != 5 {
		return Code{}, fmt.Errorf("档号“%s”应为 全宗号-年度-保管期限代码-机构代码-件号", s)
	}
	year, err := strconv.Atoi(parts[1])
	if err != nil || len(parts[1]) != 4 {
		return Code{}, fmt.Errorf("档号“%s”的年度无效", s)
	}
	r := Retention(parts[2])
	if !r.Valid() {
		return Code{}, fmt.Errorf("档号“%s”的保管期限代码无效", s)
	}
	piece, err := strconv.Atoi(parts[4])
	if err != nil || piece < 1 || len(parts[4]) < 4 {
		return Code{}, fmt.Errorf("档号“%s”的件号无效", s)
	}
	if parts[0] == "" || parts[3] == "" {
		return Code{}, fmt.Errorf("档号“%s”缺少全宗号或机构代码", s)
	}
	return Code{Class: Class{Fonds: parts[0], Year: year, Retention: r, UnitCode: parts[3]}, Piece: piece}, nil
}

// Entry is one line of the 归档文件目录 (DA/T 22 appendix): 件号, 责任者, 文号,
// 题名, 日期, 页数, 密级, 备注.
type Entry struct {
	Piece          int    `json:"piece"`
	Responsible    string `json:"responsible"`
	DocNumber      string `json:"doc_number,omitempty"`
	Title          string `json:"title"`
	Date           string `json:"date"` // YYYYMMDD
	Pages          int    `json:"pages,omitempty"`
	Classification string `json:"classification,omitempty"`
	Note           string `json:"note,omitempty"`
}

// EntryInput is what the catalogue line is made from.
type EntryInput struct {
	Outgoing  bool
	Doc       document.Document
	Organ     org.Unit // the archiving organ
	Sender    string   // an incoming document's sender as registered
	DocNumber string   // the 发文字号 (outgoing) as stored
	Pages     int
	Formed    time.Time
}

// EntryOf is a document's line in the catalogue: its 责任者 is the organ
// that issued it (all of them for a joint document), its 日期 the 成文日期
// written as eight digits.
func EntryOf(piece int, in EntryInput) Entry {
	e := Entry{Piece: piece, Title: in.Doc.Title, Pages: in.Pages}
	switch {
	case len(in.Doc.Signatures) > 0:
		e.Responsible = strings.Join(in.Doc.Signatures, "、")
	case !in.Outgoing && in.Sender != "":
		e.Responsible = in.Sender
	default:
		e.Responsible = in.Organ.Name
	}
	e.DocNumber = in.DocNumber
	if e.DocNumber == "" && in.Doc.Number != nil {
		e.DocNumber = in.Doc.Number.String()
	}
	if d := in.Doc.Date; !d.IsZero() {
		e.Date = fmt.Sprintf("%04d%02d%02d", d.Year, d.Month, d.Day)
	} else if !in.Formed.IsZero() {
		e.Date = in.Formed.In(calendar.Shanghai()).Format("20060102")
	}
	if in.Doc.Classification.Level != document.Unclassified {
		e.Classification = in.Doc.Classification.Level.Label()
	}
	return e
}

// pdfPageRE finds the page objects of an uncompressed PDF page tree (the
// layout engine writes them plainly).
var pdfPageRE = regexp.MustCompile(`/Type\s*/Page[^s]`)

// PDFPages counts the pages of a PDF whose page objects are not in
// compressed object streams; 0 when it finds none (the archivist counts).
func PDFPages(b []byte) int { return len(pdfPageRE.FindAllIndex(b, -1)) }
