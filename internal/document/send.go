package document

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/org"
)

// What follows from finishing a step of a document's route is decided here,
// as plain values (house.md, "Where a step's consequences live"); the store
// carries the effects out in the same transaction as the step.

// FileRole says what a file is to its document.
type FileRole string

const (
	FileIssued     FileRole = "issued"     // 正式文本: the 版式 file (PDF, OFD) as issued
	FileAttachment FileRole = "attachment" // 附件
	FileScan       FileRole = "scan"       // 扫描件 of a paper original
)

// Label is the role's Chinese name.
func (r FileRole) Label() string {
	switch r {
	case FileIssued:
		return "正式文本"
	case FileScan:
		return "扫描件"
	}
	return "附件"
}

// File is a file a document carries, by its content address.
type File struct {
	SHA256    string
	Name      string
	Role      FileRole
	Size      int64
	MediaType string
}

// Addressee is a unit on a document's distribution list.
type Addressee struct {
	UnitID string
	Kind   RecipientKind
}

// Copy is one copy of a document sent to a unit: its 收文 is handled by the
// unit's office, and it carries the files.
type Copy struct {
	UnitID   string // the unit as addressed
	OfficeID string // where the copy is signed for and registered
	Kind     RecipientKind
	Files    []File
}

// Step keys whose finishing has consequences beyond the route.
const (
	StepSignOff    = "sign_off"
	StepNumber     = "number"
	StepPrintIssue = "print_issue"
	StepDistribute = "distribute"
	StepRegister   = "register"
)

// FieldSeries is the 编号 step's field in which the clerk chooses the series.
const FieldSeries = "series"

// Finish is what the rules need to know about a finished step.
type Finish struct {
	Outgoing   bool
	Step       string // the finished step's key
	Doc        Document
	Units      map[string]org.Unit // the organisation, by ID
	Recipients []Addressee         // the distribution list (outgoing)
	Files      []File              // the document's files, the issued text among them
	OrganID    string              // the organ in whose name the document is issued
	Series     []Series            // the series of the deployment's organs (编号)
	Fields     map[string]string   // what was recorded at the step (编号: the chosen series)
	At         time.Time           // when the step finished
	UnitID     string              // the receiving unit (收文)
	// 签发: the sign-off just made (SignOffOf the route) and the name of
	// the leader it is in the name of (the signer, or whom they signed for).
	SignOff    *SignOff
	SignerName string
}

// Effects are what must happen when a step finishes.
type Effects struct {
	Copies []Copy      // copies to make, each on its own 收文 route
	Number *NumberTake // the 发文字号 to take (编号), in the step's transaction
	Print  *Print      // what 印发 sets
	InNum  *InTake     // the 收文编号 to take (登记), in the step's transaction
	Signed *Signed     // what 签发 sets
}

// Signed is what 签发 records on the document: the 成文日期 is the day the
// leader signed (条例 art. 9(12)), and an upward document names its 签发人
// (Signers nil: left as it is).
type Signed struct {
	Date    Date
	Signers []string
}

// Print is what 印发 records on the document: the 印发日期 and the 印发机关 —
// the office of the organ in whose name it goes (政府办 prints 区政府's).
type Print struct {
	Date      Date
	PrintedBy string
	Copies    int
}

// InTake is a 收文编号 to take at 登记: the next of the receiving unit's
// count in the year, written with the code of its organ.
type InTake struct {
	Scope    string // the counter: "in:" + the unit
	UnitCode string
	Year     int
}

// OnFinish decides the consequences of a finished step.
func OnFinish(f Finish) (Effects, error) {
	var e Effects
	if f.Outgoing && f.Step == StepSignOff && f.SignOff != nil {
		d := WithSignOff(f.Doc, *f.SignOff, f.SignerName)
		e.Signed = &Signed{Date: d.Date}
		if f.Doc.EffectiveDirection() == Upward && f.SignerName != "" {
			e.Signed.Signers = d.Signers
		}
	}
	if f.Outgoing && f.Step == StepNumber {
		organ, ok := f.Units[f.OrganID]
		if !ok {
			return e, errors.New("发文机关不存在")
		}
		allowed := SeriesFor(f.Series, organ, f.Doc.Type)
		if r, ok := RuleFor(f.Doc.Type); ok && !r.NumberRequired && len(allowed) == 0 && f.Fields[FieldSeries] == "" {
			return e, nil // a 纪要 where the organ keeps no series for them: it goes by its 期号
		}
		s, err := ChooseSeries(allowed, organ, f.Doc.Type, f.Fields[FieldSeries])
		if err != nil {
			return e, err
		}
		e.Number = &NumberTake{Series: s, Year: numberYear(f.At)}
	}
	if f.Outgoing && f.Step == StepPrintIssue {
		p, err := printOf(f)
		if err != nil {
			return e, err
		}
		e.Print = &p
	}
	if !f.Outgoing && f.Step == StepRegister {
		u, ok := f.Units[f.UnitID]
		if !ok {
			return e, errors.New("收文单位不存在")
		}
		code := f.Units[org.OrganOf(f.Units, u.ID)].OrganCode
		if code == "" {
			code = u.ShortName
		}
		e.InNum = &InTake{Scope: "in:" + u.ID, UnitCode: code, Year: numberYear(f.At)}
	}
	if f.Outgoing && f.Step == StepDistribute {
		cs, err := Copies(f.Units, f.Recipients, f.Files)
		if err != nil {
			return e, err
		}
		e.Copies = cs
	}
	return e, nil
}

// Copies decides the copies sending a document makes: one per receiving
// office (a unit named as 主送 and 抄送, or two units handled by one office,
// get one copy, as 主送 if either is), each carrying every file the document
// has — the issued text first, then the attachments, then any scans — with
// their hashes, so that the receiver holds what was sent and can check it.
func Copies(units map[string]org.Unit, to []Addressee, files []File) ([]Copy, error) {
	carried := CarriedFiles(files)
	var out []Copy
	at := map[string]int{}
	for _, a := range to {
		if _, ok := units[a.UnitID]; !ok {
			return nil, errors.New("主送或抄送单位不存在")
		}
		office := org.OfficeOf(units, a.UnitID)
		if i, ok := at[office]; ok {
			if a.Kind == ToRecipient {
				out[i].Kind = ToRecipient
			}
			continue
		}
		at[office] = len(out)
		out = append(out, Copy{UnitID: a.UnitID, OfficeID: office, Kind: a.Kind, Files: slices.Clone(carried)})
	}
	return out, nil
}

// CarriedFiles orders the files a copy carries: issued text, attachments,
// scans, each group in the order given; the same file under the same name
// once.
func CarriedFiles(files []File) []File {
	rank := map[FileRole]int{FileIssued: 0, FileAttachment: 1, FileScan: 2}
	var out []File
	seen := map[[2]string]bool{}
	for _, f := range files {
		k := [2]string{f.SHA256, f.Name}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, f)
	}
	slices.SortStableFunc(out, func(a, b File) int { return rank[a.Role] - rank[b.Role] })
	return out
}

// printOf reads the 印发 step's fields: the date (as a date input sends it,
// 2026-12-01, or as a document writes it) and the number of copies.
func printOf(f Finish) (Print, error) {
	raw := strings.TrimSpace(f.Fields["print_date"])
	var d Date
	if t, err := time.Parse("2006-01-02", raw); err == nil {
		d = DateOf(t)
	} else if d, err = ParseDate(raw); err != nil {
		return Print{}, fmt.Errorf("印发日期无效：%w", err)
	}
	n, err := strconv.Atoi(strings.TrimSpace(f.Fields["copies"]))
	if err != nil || n < 1 || n > 100000 {
		return Print{}, errors.New("份数应为正整数")
	}
	return Print{Date: d, PrintedBy: f.Units[org.OfficeOf(f.Units, f.OrganID)].Name, Copies: n}, nil
}
