package document

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// Severity of a finding.
type Severity string

const (
	Error   Severity = "error"   // violates the 条例 or GB/T 9704: blocks issuing
	Warning Severity = "warning" // likely wrong; a person decides
)

// Finding is one problem, with a Chinese message for the drafter.
type Finding struct {
	Rule      string   `json:"rule"`                // e.g. T-TO, N01 (校对 rule ids where they exist)
	Field     string   `json:"field"`               // the element concerned, by JSON name
	Paragraph int      `json:"paragraph,omitempty"` // 1-based body paragraph, 0 when not about one
	Severity  Severity `json:"severity"`
	Message   string   `json:"message"`
}

// Stage says how complete a document must be.
type Stage int

const (
	// Drafting checks content and form; elements fixed later (字号, 签发人, 日期, 印发) may be missing.
	Drafting Stage = iota
	// Issuing checks everything that must be there when the document is printed and issued.
	Issuing
)

// HasErrors reports whether any finding is an error.
func HasErrors(fs []Finding) bool {
	for _, f := range fs {
		if f.Severity == Error {
			return true
		}
	}
	return false
}

// Validate checks d against the default rule of its type.
func Validate(d Document, stage Stage) []Finding {
	r, ok := RuleFor(d.Type)
	if !ok {
		return []Finding{{Rule: "T-TYPE", Field: "type", Severity: Error,
			Message: fmt.Sprintf("文种“%s”不是条例规定的15种公文之一", d.Type)}}
	}
	return ValidateWith(d, r, stage)
}

// ValidateWith checks d against rule r (an organ may adjust the table).
func ValidateWith(d Document, r TypeRule, stage Stage) []Finding {
	var out []Finding
	add := func(rule, field string, sev Severity, format string, a ...any) {
		out = append(out, Finding{Rule: rule, Field: field, Severity: sev, Message: fmt.Sprintf(format, a...)})
	}
	// A field over its limit is the one finding: the other rules are not run
	// over input no person would write (and would be slow on it).
	if err := CheckLimits(d); err != nil {
		e, _ := textlimit.As(err)
		return []Finding{{Rule: "LIMIT", Field: e.Field, Severity: Error, Message: err.Error()}}
	}
	issuing := stage == Issuing
	dir := d.EffectiveDirection()
	switch d.Direction {
	case "", Upward, Downward, Lateral, Public:
	default:
		add("T-DIR", "direction", Error, "行文方向“%s”无效，应为上行、下行、平行或公布", d.Direction)
	}

	// 份号, 密级和保密期限, 紧急程度
	if err := d.Classification.Validate(); err != nil {
		add("S-LEVEL", "classification", Error, "%v", err)
	}
	if d.Classification.Level > Unclassified && d.CopyNumber == "" && issuing {
		add("F04", "copy_number", Error, "涉密公文须标注份号")
	}
	if d.CopyNumber != "" {
		if err := ValidCopyNumber(d.CopyNumber); err != nil {
			add("F04", "copy_number", Error, "%v", err)
		}
	}
	if d.Urgency != Ordinary && d.Urgency != Urgent && d.Urgency != ExtraUrgent {
		add("F06", "urgency", Error, "紧急程度“%s”无效，应为特急或加急", d.Urgency)
	}

	// 发文机关标志, 发文字号, 签发人
	if strings.TrimSpace(d.IssuerMark) == "" {
		add("E-MARK", "issuer_mark", Error, "缺少发文机关标志")
	}
	if d.Number != nil {
		if err := d.Number.Validate(); err != nil {
			add("F02", "number", Error, "%v", err)
		} else if !d.Date.IsZero() && d.Number.Year != d.Date.Year {
			add("F03", "number", Warning, "发文字号的年份 %d 与成文日期的年份 %d 不一致", d.Number.Year, d.Date.Year)
		}
	} else if issuing && r.NumberRequired {
		add("E-NUMBER", "number", Error, "印发前须编发文字号")
	}
	if dir == Upward && issuing && len(d.Signers) == 0 {
		add("F12", "signers", Error, "上行文须标注签发人")
	}

	// 标题
	out = append(out, checkTitle(d.Title, r)...)

	// 主送机关
	n := len(d.To)
	switch {
	case n < r.ToMin:
		add("T-TO", "to", r.ToSeverity, "%s须有主送机关", r.Name)
	case r.ToMax >= 0 && n > r.ToMax && r.ToMax == 0:
		add("T-TO", "to", r.ToSeverity, "%s一般不写主送机关", r.Name)
	case r.ToMax >= 0 && n > r.ToMax:
		add("T-TO", "to", r.ToSeverity, "%s只能主送一个机关（条例第十五条），其他机关可抄送", r.Name)
	}
	if r.ToMax == 1 && r.ToSeverity == Error {
		for _, to := range d.To {
			if strings.ContainsAny(to, "、，,") {
				add("F11", "to", Error, "%s只能主送一个机关，“%s”中含有多个机关", r.Name, to)
			}
		}
	}

	// 正文
	text := d.Body.String()
	if strings.TrimSpace(text) == "" {
		add("E-BODY", "body", Error, "正文不能为空")
	}
	out = append(out, CheckNumbering(d.Body)...)
	for _, p := range r.Forbidden {
		if strings.Contains(text, p.Text) {
			out = append(out, Finding{Rule: "F13", Field: "body", Severity: p.Severity, Message: p.Message})
		}
	}
	if len(r.Closings) > 0 && strings.TrimSpace(text) != "" && !containsAny(text, r.Closings) {
		add("F15", "body", Warning, "%s的结语通常为“%s”", r.Name, r.Closings[0])
	}
	if r.OneMatter {
		// Sentences that ask for something; "妥否，请批示。" is one.
		asks := 0
		for _, sentence := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune("。！？；\n", r) }) {
			if containsAny(sentence, requestPhrases) {
				asks++
			}
		}
		if asks > 1 || containsAny(text, []string{"同时请求", "并请求", "另请"}) {
			add("F14", "body", Warning, "请示应当一文一事，正文似含多个请求事项")
		}
	}

	// 附件说明 and 附件
	if len(d.Attachments) > 0 && len(d.AttachmentNote) == 0 {
		add("F16", "attachment_note", Error, "有附件时须在正文下写附件说明")
	}
	if len(d.AttachmentNote) > 0 && len(d.Attachments) > 0 && len(d.AttachmentNote) != len(d.Attachments) {
		add("F16", "attachment_note", Error, "附件说明列了 %d 个附件，实际附件有 %d 个", len(d.AttachmentNote), len(d.Attachments))
	}
	for i, name := range d.AttachmentNote {
		if name == "" {
			continue
		}
		if last := []rune(name)[len([]rune(name))-1]; unicode.IsPunct(last) && last != '）' && last != '》' {
			add("F16", "attachment_note", Error, "附件名称“%s”后不加标点", name)
		}
		if strings.HasPrefix(name, "《") && strings.HasSuffix(name, "》") {
			add("F16", "attachment_note", Warning, "附件名称“%s”不加书名号", name)
		}
		if i < len(d.Attachments) && d.Attachments[i].Name != "" && strings.TrimSuffix(d.Attachments[i].Name, extOf(d.Attachments[i].Name)) != name {
			add("F16", "attachment_note", Warning, "附件说明中的“%s”与第 %d 个附件的名称“%s”不一致", name, i+1, d.Attachments[i].Name)
		}
	}

	// 发文机关署名, 印章
	if r.Signature && issuing && len(d.Signatures) == 0 {
		add("E-SIGN", "signatures", Error, "缺少发文机关署名")
	}
	if r.Seal == SealForbidden && len(d.Seals) > 0 {
		add("T-SEAL", "seals", Error, "%s不加盖印章", r.Name)
	}
	for _, s := range d.Seals {
		if !contains(d.Signatures, s) {
			add("T-SEAL", "seals", Error, "印章“%s”须与发文机关署名一致", s)
		}
	}
	if r.IssuerMustContain != "" && !strings.Contains(d.IssuerMark+strings.Join(d.Signatures, ""), r.IssuerMustContain) {
		add("T-ISSUER", "issuer_mark", Error, "%s只能由%s提出", r.Name, r.IssuerMustContain)
	}

	// 成文日期, 印发机关和印发日期
	if issuing && d.Date.IsZero() {
		add("E-DATE", "date", Error, "缺少成文日期")
	}
	if issuing && r.Layout != "letter" {
		if strings.TrimSpace(d.PrintedBy) == "" {
			add("F20", "printed_by", Error, "缺少印发机关")
		}
		if d.PrintDate.IsZero() {
			add("F20", "print_date", Error, "缺少印发日期")
		}
	}
	if !d.PrintDate.IsZero() && !d.Date.IsZero() && d.PrintDate.Before(d.Date) {
		add("F07", "print_date", Error, "印发日期 %s 早于成文日期 %s", d.PrintDate, d.Date)
	}
	if d.Note != "" && !(strings.HasPrefix(d.Note, "（") && strings.HasSuffix(d.Note, "）")) {
		add("F21", "note", Warning, "附注应加圆括号，如“（此件公开发布）”")
	}
	return out
}

func checkTitle(title string, r TypeRule) []Finding {
	var out []Finding
	add := func(rule string, sev Severity, format string, a ...any) {
		out = append(out, Finding{Rule: rule, Field: "title", Severity: sev, Message: fmt.Sprintf(format, a...)})
	}
	title = strings.TrimSpace(title)
	if title == "" {
		add("E-TITLE", Error, "缺少标题")
		return out
	}
	runes := []rune(title)
	if last := runes[len(runes)-1]; unicode.IsPunct(last) && last != '）' {
		add("F08", Error, "标题末尾不加标点")
		title = strings.TrimRightFunc(title, unicode.IsPunct)
	}
	names := r.TitleNames
	if len(names) == 0 {
		names = []string{r.Name}
	}
	suffix := ""
	for _, n := range names {
		if strings.HasSuffix(title, n) {
			suffix = n
			break
		}
	}
	if suffix == "" {
		add("F09", Error, "文种为%s，标题应以“%s”结尾", r.Name, r.Name)
		return out
	}
	for _, other := range append(typeNames(), "申请", "汇报") {
		if other != suffix && strings.HasSuffix(strings.TrimSuffix(title, suffix), other) {
			add("F10", Error, "标题中“%s%s”叠用文种，只能用一个文种", other, suffix)
		}
	}
	if strings.HasSuffix(title, "的"+suffix+"的"+suffix) {
		add("F10", Warning, "标题中“的%s的%s”重复，转发类标题应简化", suffix, suffix)
	}
	if r.Title == TitleAbout && !(strings.Contains(title, "关于") && strings.HasSuffix(title, "的"+suffix)) {
		add("F09", Error, "标题应为“发文机关＋关于……的＋%s”", r.Name)
	}
	return out
}

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func extOf(name string) string {
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		return name[i:]
	}
	return ""
}
