package inforeport

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// Publication is one of the office's information publications (期刊). Each
// has its own 版头 and its own numbering, restarting every year.
type Publication string

const (
	Special  Publication = "special"  // 《信息专报》: one matter for the leaders
	Daily    Publication = "daily"    // 《每日要情》: the day's important information
	Dynamics Publication = "dynamics" // 《工作动态》: the units' work
)

// Publications lists the publications in the order pages show them.
func Publications() []Publication { return []Publication{Special, Daily, Dynamics} }

// Label is the publication's name with its brackets.
func (p Publication) Label() string {
	switch p {
	case Special:
		return "《信息专报》"
	case Daily:
		return "《每日要情》"
	case Dynamics:
		return "《工作动态》"
	}
	return string(p)
}

// Name is the publication's name as its 版头 prints it.
func (p Publication) Name() string { return strings.Trim(p.Label(), "《》") }

// Valid reports whether p is a known publication.
func (p Publication) Valid() bool { return slices.Contains(Publications(), p) }

// NumberScope is the counter the store numbers an office's issues of p from
// (one sequence per office, publication and year).
func NumberScope(office string, p Publication) string { return "info:" + string(p) + ":" + office }

// Masthead is a publication's 版头: its name in red, the issue number, and
// the line naming who compiles it and the date, above a red rule.
type Masthead struct {
	Name     string // 信息专报
	Number   string // 2026年第12期（总第 12 期）
	Compiler string // 中共云泽市清澜区委办公室
	Date     string // 2026年12月7日
	Level    org.Classification
}

// Issue is one number (期) of a publication: the adopted items it
// compiles, in order. It is distributed as a document (DocumentID).
type Issue struct {
	ID          string      `json:"id"`
	OfficeID    string      `json:"office_id"`
	Publication Publication `json:"publication"`
	Year        int         `json:"year"`
	Seq         int         `json:"seq"` // the issue's number in its year
	Title       string      `json:"title"`
	Items       []string    `json:"items"` // report IDs
	// Level is the issue's 密级: the highest among its items.
	Level      org.Classification `json:"level"`
	Compiler   string             `json:"compiler"` // the office's name for the 版头
	By         string             `json:"by"`
	IssuedAt   time.Time          `json:"issued_at"`
	DocumentID string             `json:"document_id,omitempty"`
	Recipients []string           `json:"recipients,omitempty"` // units it is distributed to
}

// Number is the issue's number as printed: 2026年第12期.
func (is Issue) Number() string { return fmt.Sprintf("%d年第%d期", is.Year, is.Seq) }

// Masthead gives the issue's 版头.
func (is Issue) Masthead() Masthead {
	return Masthead{Name: is.Publication.Name(), Number: is.Number(), Compiler: is.Compiler,
		Date: is.IssuedAt.Format("2006年1月2日"), Level: is.Level}
}

// Compile checks and makes an issue of p from adopted reports (the number
// is the store's to give). 《信息专报》 carries one matter, so one item.
func Compile(id, office, compiler, by string, p Publication, title string, items []Report, now time.Time) (Issue, error) {
	if !p.Valid() {
		return Issue{}, refuse("请选择刊物")
	}
	title = strings.TrimSpace(title)
	if err := textlimit.Text("title", "本期标题", MaxTitle, title); err != nil {
		return Issue{}, err
	}
	if len(items) == 0 {
		return Issue{}, refuse("请选择本期编发的信息")
	}
	if p == Special && len(items) > 1 {
		return Issue{}, refuse("《信息专报》每期专报一事，请只选一条信息")
	}
	if len(items) > 30 {
		return Issue{}, refuse("一期最多编发 30 条信息")
	}
	is := Issue{ID: id, OfficeID: office, Publication: p, Title: title, Compiler: compiler, By: by, IssuedAt: now}
	for _, r := range items {
		if r.State != Adopted {
			return Issue{}, refuse("“%s”%s，只能编发已采用的信息", r.Title, r.State.Label())
		}
		if r.OfficeID != office {
			return Issue{}, refuse("“%s”不是报送本办公室的信息", r.Title)
		}
		if slices.Contains(is.Items, r.ID) {
			return Issue{}, refuse("同一条信息在一期中只能编发一次")
		}
		is.Items = append(is.Items, r.ID)
		is.Level = max(is.Level, r.Level)
	}
	if is.Title == "" {
		is.Title = items[0].Title
	}
	return is, nil
}

// Carried records on a report that an issue carried it.
func Carried(r Report, is Issue, now time.Time) Report {
	if slices.Contains(r.Issues, is.ID) {
		return r
	}
	r = r.clone()
	r.Issues = append(r.Issues, is.ID)
	r.log(now, is.By, "issue", is.Publication.Label()+is.Number())
	return r
}

// Text is the issue's body as it is printed and distributed: each item's
// title as a heading, its body, and the units credited (署名).
func (is Issue) Text(items []Report, unitName func(string) string) string {
	var b strings.Builder
	for i, r := range items {
		if i > 0 {
			b.WriteString("\n")
		}
		if len(items) > 1 {
			fmt.Fprintf(&b, "%s、", chineseOrdinal(i+1))
		}
		b.WriteString(r.Title)
		b.WriteString("\n")
		b.WriteString(r.Body)
		b.WriteString("\n")
		var names []string
		for _, u := range r.Credits() {
			names = append(names, unitName(u))
		}
		fmt.Fprintf(&b, "（%s报送）\n", strings.Join(names, "、"))
	}
	return b.String()
}

func chineseOrdinal(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return digits[n]
	case n == 10:
		return "十"
	case n < 20:
		return "十" + digits[n-10]
	case n < 100:
		return digits[n/10] + "十" + digits[n%10]
	}
	return fmt.Sprint(n)
}

// Document is the issue as the document it is distributed as (分发 through
// 办文): printed in the 纪要 format, as the issue is printed, whose 版头 is
// the publication's name and whose number is the issue's (2026年第12期, set
// by the store as the record's number); the compiling office signs it and
// dates it the day of issue; it carries the items' files.
func (is Issue) Document(items []Report, unitName func(string) string) document.Document {
	d := document.Document{Type: document.Minutes, Title: is.Title, IssuerMark: is.Publication.Name(),
		Body: document.ParseBody(is.Text(items, unitName)), Signatures: []string{is.Compiler}, Date: document.DateOf(is.IssuedAt),
		Classification: document.Classification{Level: document.Level(is.Level)}}
	var files []Attachment
	for _, r := range items {
		files = withFiles(files, r.Attachments...)
	}
	d.Attachments = files
	return d
}

// Distribute records that the issue went out as document docID to the
// units (each once, in the order given): an issue is distributed once.
func Distribute(is Issue, docID string, units []string) (Issue, error) {
	if is.DocumentID != "" {
		return is, refuse("本期已分发")
	}
	var us []string
	for _, u := range units {
		if u = strings.TrimSpace(u); u != "" && !slices.Contains(us, u) {
			us = append(us, u)
		}
	}
	if len(us) == 0 {
		return is, refuse("请选择分发单位")
	}
	if len(us) > MaxUnits {
		return is, &textlimit.Error{Field: "units", Label: "分发单位", Max: MaxUnits, Got: len(us), Unit: "个"}
	}
	if docID == "" {
		return is, refuse("分发缺少公文编号")
	}
	is.DocumentID, is.Recipients = docID, us
	return is, nil
}
