// Package layout typesets 公文 (documents) in the exact GB/T 9704-2012 layout
// and writes them as PDF, OFD and DOCX; it also lays out the office's printed
// forms from a small set of primitives.
//
// The package is pure: a Document (this package's own input type) goes in,
// bytes come out. Fonts are loaded once into a Renderer, which is safe for
// concurrent use.
package layout

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// Format is one of the GB/T 9704 formats.
type Format int

// The formats of GB/T 9704: the general 文件格式 and the 特定格式 of §10.
const (
	FormatFile    Format = iota // 文件格式
	FormatLetter                // 信函格式
	FormatOrder                 // 命令（令）格式
	FormatMinutes               // 纪要格式
)

// String returns the Chinese name used in source files.
func (f Format) String() string {
	switch f {
	case FormatLetter:
		return "信函"
	case FormatOrder:
		return "命令"
	case FormatMinutes:
		return "纪要"
	}
	return "文件"
}

// ParseFormat reads 文件|信函|命令|令|纪要.
func ParseFormat(s string) (Format, bool) {
	switch strings.TrimSpace(s) {
	case "", "文件":
		return FormatFile, true
	case "信函", "函":
		return FormatLetter, true
	case "命令", "令", "命令（令）":
		return FormatOrder, true
	case "纪要":
		return FormatMinutes, true
	}
	return FormatFile, false
}

// Paragraph is one paragraph of a body. Level is 0 for plain text, 1–4 for
// headings numbered 一、 （一） 1. （1）; the numbering is part of Text.
type Paragraph struct {
	Level int
	Text  string
	// Table, when set, makes the paragraph a table set across the 版心
	// (Text and Level are not printed); see Table.
	Table *Table
}

// Attachment is an attachment of the document, starting on a new page.
type Attachment struct {
	Title string
	Body  []Paragraph
	// BoundSeparately marks an attachment that cannot be bound with the
	// body (附件与正文不能一起装订, GB/T 9704 §7.4): it follows the 版记 on
	// a new sheet, its first line reads the 发文字号 followed by 附件 and its
	// number, and its pages are numbered from 1.
	BoundSeparately bool
}

// Attendance is one line of a 纪要's attendance block: Label is 出席, 请假 or 列席.
type Attendance struct {
	Label string
	Names string
}

// Document carries every GB/T 9704 element as a typed field. Empty fields are
// simply not printed.
type Document struct {
	Format         Format
	CopyNumber     string   // 份号, 6 digits
	Classification string   // 密级和保密期限, e.g. 机密★5年
	Urgency        string   // 紧急程度: 特急 / 加急
	IssuerMark     string   // 发文机关标志, e.g. ××市人民政府文件
	DocNumber      string   // 发文字号 (命令: 令号 第×号; 纪要: 期号)
	Signers        []string // 签发人 (upward documents); presence makes the 版头 the upward layout
	Title          string   // 标题
	To             string   // 主送机关, without the trailing colon
	Body           []Paragraph
	AttachmentNote []string // 附件说明: attachment names in order
	Issuer         string   // 发文机关署名
	Date           string   // 成文日期, e.g. 2024年1月5日
	Sealed         bool     // 加盖印章: the sealed layout of §7.3.5.1 leaves the seal's place
	SignerTitle    string   // 命令: 签发人职务 and name shown beside the signature seal
	Note           string   // 附注
	Attendance     []Attendance
	Attachments    []Attachment
	Cc             string // 抄送机关, without the trailing full stop
	PrintIssuer    string // 印发机关
	PrintDate      string // 印发日期, without 印发
}

var (
	docNumberRE = regexp.MustCompile(`^\p{Han}[\p{Han}\p{N}]*〔(\d{4})〕([1-9]\d*)号$`)
	orderNoRE   = regexp.MustCompile(`^第[1-9]\d*号$`)
	dateRE      = regexp.MustCompile(`^(\d{4})年([1-9]|1[0-2])月([1-9]|[12]\d|3[01])日$`)
	copyNoRE    = regexp.MustCompile(`^\d{6}$`)
)

// checkDocNumber validates a 发文字号 for the format.
func checkDocNumber(f Format, s string) error {
	switch f {
	case FormatOrder:
		if !orderNoRE.MatchString(s) && !docNumberRE.MatchString(s) {
			return fmt.Errorf("令号格式不正确：%q，应为“第×号”", s)
		}
	case FormatMinutes:
		// The 期号 of a 纪要 is set by the organ (第×期, 〔2024〕×号…).
	default:
		if !docNumberRE.MatchString(s) {
			return fmt.Errorf("发文字号格式不正确：%q，应为“机关代字〔年份〕序号号”，如“×政发〔2024〕5号”（年份用六角括号〔〕，序号不编虚位、不加“第”）", s)
		}
	}
	return nil
}

// checkDate validates a 成文日期 or 印发日期 (Arabic numerals, full year, no padding).
func checkDate(s string) error {
	m := dateRE.FindStringSubmatch(s)
	if m == nil {
		return fmt.Errorf("日期格式不正确：%q，应为“2024年1月5日”（阿拉伯数字，年份写全，月日不编虚位）", s)
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		days[2] = 29
	}
	if d > days[mo] {
		return fmt.Errorf("日期不存在：%q", s)
	}
	return nil
}

// Bounds on what one typesetting may take, so that its time and memory are
// bounded whatever the input (issue 11: a 50,000-character title once took
// 153 s, since a title's lines are balanced against each other and its cost
// grows faster than its length; 1,600 characters take 0.2 s, 200 take 0.03 s).
// They sit above the document package's field limits (标题 200, 正文 200,000
// characters), so a document that may be saved may be printed; a source
// file given to `shuniu layout` meets them too.
const (
	MaxTitle = 200     // characters of the 标题
	MaxChars = 500_000 // characters of the whole document: 正文, attachments, lists
	MaxPages = 2_000   // pages of one typesetting (a 200,000-character 正文 takes about 330)
)

// ErrTooManyPages is the refusal of a document that would pass MaxPages.
var ErrTooManyPages = errors.New("排版页数超过上限")

// Validate checks the elements whose form GB/T 9704 fixes, and the bounds.
// The messages are for clerks, in Chinese.
func (d *Document) Validate() error {
	if err := d.checkSize(); err != nil {
		return err
	}
	if strings.TrimSpace(d.Title) == "" {
		return fmt.Errorf("缺少标题")
	}
	if d.CopyNumber != "" && !copyNoRE.MatchString(d.CopyNumber) {
		return fmt.Errorf("份号应为6位阿拉伯数字：%q", d.CopyNumber)
	}
	if d.DocNumber != "" {
		if err := checkDocNumber(d.Format, d.DocNumber); err != nil {
			return err
		}
	}
	if d.Date != "" {
		if err := checkDate(d.Date); err != nil {
			return fmt.Errorf("成文日期：%w", err)
		}
	}
	if d.PrintDate != "" {
		if err := checkDate(d.PrintDate); err != nil {
			return fmt.Errorf("印发日期：%w", err)
		}
	}
	for i, p := range d.Body {
		if p.Level < 0 || p.Level > 4 {
			return fmt.Errorf("第%d段的层级 %d 超出 0–4", i+1, p.Level)
		}
		if p.Table != nil {
			if err := p.Table.Validate(); err != nil {
				return fmt.Errorf("第%d段：%w", i+1, err)
			}
		}
	}
	return nil
}

var headingREs = [5]*regexp.Regexp{
	1: regexp.MustCompile(`^[一二三四五六七八九十百]+、`),
	2: regexp.MustCompile(`^（[一二三四五六七八九十百]+）`),
	3: regexp.MustCompile(`^\d+[.．]`),
	4: regexp.MustCompile(`^（\d+）`),
}

// HeadingLevel recognises a heading by its numbering: 一、 （一） 1. （1）.
func HeadingLevel(text string) int {
	for lvl := 1; lvl <= 4; lvl++ {
		if headingREs[lvl].MatchString(text) {
			return lvl
		}
	}
	return 0
}

// checkSize refuses a document over MaxTitle or MaxChars before any work.
func (d *Document) checkSize() error {
	if err := textlimit.Text("title", "标题", MaxTitle, d.Title); err != nil {
		return err
	}
	bytes := 0
	d.eachText(func(s string) { bytes += len(s) })
	if bytes <= MaxChars { // bytes bound the characters
		return nil
	}
	chars := 0
	d.eachText(func(s string) { chars += utf8.RuneCountInString(s) })
	return textlimit.Count("document", "排版的文字", MaxChars, chars, "字")
}

// eachText calls f with every text the document prints.
func (d *Document) eachText(f func(string)) {
	for _, s := range []string{d.CopyNumber, d.Classification, d.Urgency, d.IssuerMark, d.DocNumber, d.Title, d.To,
		d.Issuer, d.Date, d.SignerTitle, d.Note, d.Cc, d.PrintIssuer, d.PrintDate} {
		f(s)
	}
	for _, s := range d.Signers {
		f(s)
	}
	for _, s := range d.AttachmentNote {
		f(s)
	}
	for _, p := range d.Body {
		f(p.Text)
		p.Table.eachText(f)
	}
	for _, a := range d.Attendance {
		f(a.Label)
		f(a.Names)
	}
	for _, a := range d.Attachments {
		f(a.Title)
		for _, p := range a.Body {
			f(p.Text)
		}
	}
}
