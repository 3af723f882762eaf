package proofread

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Paragraph is one body paragraph of a structured document. Level is the
// heading level the editor assigned (1–4), or 0 for running text; the
// proofreader reads the numbering from the text itself either way.
type Paragraph struct {
	Text  string `json:"text"`
	Level int    `json:"level,omitempty"`
}

// Document is a draft as the editor holds it, part by part. Empty parts are
// not checked.
type Document struct {
	DocType     string      `json:"doc_type,omitempty"`    // 文种, e.g. 通知, 请示
	DocNumber   string      `json:"doc_number,omitempty"`  // 发文字号
	Title       string      `json:"title,omitempty"`       // 标题
	To          string      `json:"to,omitempty"`          // 主送机关
	Body        []Paragraph `json:"body,omitempty"`        // 正文
	Attachments string      `json:"attachments,omitempty"` // 附件说明, lines as written
	Issuer      string      `json:"issuer,omitempty"`      // 发文机关署名
	Date        string      `json:"date,omitempty"`        // 成文日期
	CC          string      `json:"cc,omitempty"`          // 抄送
	// Ignore holds the keys (Finding.Key) the clerks marked "not an error"
	// on this document.
	Ignore []string `json:"ignore,omitempty"`
}

// Part names the part of a Document a finding belongs to.
type Part string

const (
	PartDocNumber   Part = "doc_number"
	PartTitle       Part = "title"
	PartTo          Part = "to"
	PartBody        Part = "body"
	PartAttachments Part = "attachments"
	PartIssuer      Part = "issuer"
	PartDate        Part = "date"
	PartCC          Part = "cc"
)

// DocFinding is a finding in one part of a Document: Start and End are rune
// offsets into that part's text (for the body, into Body[Index].Text).
type DocFinding struct {
	Part  Part `json:"part"`
	Index int  `json:"index"`
	Finding
}

// docTypes are the 15 statutory document types (条例 art. 8).
var docTypes = []string{"决议", "决定", "命令", "令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复", "议案", "函", "纪要"}

// notDocTypes are titles' endings often misused as a 文种, with what to use.
var notDocTypes = map[string]string{"请示报告": "请示或报告", "申请报告": "请示", "申请": "请示", "汇报": "报告"}

// CheckDocument proofreads a structured draft. Findings come back per part,
// in document order, without those the document's Ignore list marks.
func (c *Checker) CheckDocument(doc Document) []DocFinding {
	fs, _ := c.checkDocument(context.Background(), doc) // a background context never ends
	return fs
}

// Size is the document's text in bytes, as CheckSize counts it.
func (doc Document) Size() int {
	n := len(doc.DocType) + len(doc.DocNumber) + len(doc.Title) + len(doc.To) + len(doc.Attachments) +
		len(doc.Issuer) + len(doc.Date) + len(doc.CC)
	for _, p := range doc.Body {
		n += len(p.Text)
	}
	return n
}

// CheckDocumentContext is CheckDocument for input from outside: it refuses
// more than MaxInput bytes and stops when ctx ends.
func (c *Checker) CheckDocumentContext(ctx context.Context, doc Document) ([]DocFinding, error) {
	if n := doc.Size(); n > MaxInput {
		return nil, CheckSize(n)
	}
	return c.checkDocument(ctx, doc)
}

func (c *Checker) checkDocument(ctx context.Context, doc Document) ([]DocFinding, error) {
	var all []DocFinding
	var stop error
	addPart := func(part Part, idx int, s string, extra func(t *text, out *findings)) {
		if strings.TrimSpace(s) == "" || stop != nil {
			return
		}
		t := newText(s)
		var out findings
		if stop = c.checkRunning(ctx, t, &out); stop != nil {
			return
		}
		if extra != nil {
			extra(t, &out)
		}
		for _, f := range Filter(out.finish(t, c), doc.Ignore) {
			all = append(all, DocFinding{Part: part, Index: idx, Finding: f})
		}
	}
	addPart(PartDocNumber, 0, doc.DocNumber, func(t *text, out *findings) { c.checkDocNumber(t, out) })
	addPart(PartTitle, 0, doc.Title, func(t *text, out *findings) { c.checkTitle(t, doc.DocType, out) })
	addPart(PartTo, 0, doc.To, func(t *text, out *findings) { c.checkTo(t, doc.DocType, out) })

	// The body's numbering runs across paragraphs.
	texts := make([]*text, len(doc.Body))
	outs := make([]findings, len(doc.Body))
	var items []numItem
	for i, p := range doc.Body {
		texts[i] = newText(p.Text)
		for _, sp := range texts[i].paras {
			items = append(items, numItem{t: texts[i], p: sp, out: &outs[i]})
		}
	}
	c.numberingOver(items, false)
	for i, p := range doc.Body {
		if strings.TrimSpace(p.Text) == "" {
			continue
		}
		if err := c.checkRunning(ctx, texts[i], &outs[i]); err != nil {
			return nil, err
		}
		c.checkPlaceholders(texts[i], &outs[i])
		for _, f := range Filter(outs[i].finish(texts[i], c), doc.Ignore) {
			all = append(all, DocFinding{Part: PartBody, Index: i, Finding: f})
		}
	}
	addPart(PartAttachments, 0, doc.Attachments, func(t *text, out *findings) { c.checkAttachments(t, out) })
	addPart(PartIssuer, 0, doc.Issuer, nil)
	addPart(PartDate, 0, doc.Date, func(t *text, out *findings) { c.checkDate(t, out) })
	addPart(PartCC, 0, doc.CC, func(t *text, out *findings) { c.checkCC(t, out) })
	if stop != nil {
		return nil, stop
	}
	return all, nil
}

func formatFinding(s, e int, sev Severity, rule, msg, sugg string) Finding {
	return Finding{Start: s, End: e, Category: CategoryFormat, Severity: sev, Rule: rule, Message: msg, Suggestion: sugg}
}

// reDocNumber splits a 发文字号 into organ code, bracketed year, and
// sequence: it accepts the look-alike brackets so that it can name them.
var reDocNumber = regexp.MustCompile(`^(\p{Han}[\p{Han}\p{N}]*?)([〔\[［【〖﹝〘(（])\s*(\d+)\s*([〕\]］】〗﹞〙)）])\s*(第?)\s*(\d+)\s*(号?)$`)

// checkDocNumber: F01 brackets, F02 sequence form, F03 year.
func (c *Checker) checkDocNumber(t *text, out *findings) {
	s := strings.TrimSpace(t.s)
	lead := utf8.RuneCountInString(t.s) - utf8.RuneCountInString(strings.TrimLeft(t.s, " \t\u3000"))
	m := reDocNumber.FindStringSubmatchIndex(s)
	if m == nil {
		out.add(formatFinding(0, len(t.r), SeverityError, "F01", "发文字号格式应为“机关代字〔年份〕序号号”，如“国办发〔2024〕1号”", ""))
		return
	}
	at := func(b int) int { return lead + utf8.RuneCountInString(s[:b]) }
	part := func(g int) string { return s[m[2*g]:m[2*g+1]] }
	code, open, year, cls, di, seq, hao := part(1), part(2), part(3), part(4), part(5), part(6), part(7)
	n, _ := strconv.Atoi(seq)
	fullYear := year
	if len(year) == 2 {
		fullYear = "20" + year
	}
	if open != "〔" || cls != "〕" {
		out.add(formatFinding(at(m[4]), at(m[9]), SeverityError, "F01", "发文字号的年份应使用六角括号“〔〕”", "〔"+fullYear+"〕"))
	}
	if len(year) != 4 {
		out.add(formatFinding(at(m[6]), at(m[7]), SeverityError, "F03", "发文字号的年份应写全四位", fullYear))
	}
	if (di != "" || strings.HasPrefix(seq, "0") || hao == "") && !strings.HasSuffix(code, "令") {
		out.add(formatFinding(at(m[10]), at(m[15]), SeverityError, "F02", "发文字号的序号不加“第”、不编虚位（如“1号”而非“01号”），并以“号”结尾", strconv.Itoa(n)+"号"))
	}
}

// checkTitle: F08 trailing punctuation, F09 structure, F10 two doc types.
func (c *Checker) checkTitle(t *text, docType string, out *findings) {
	r := t.r
	end := len(r)
	for end > 0 && (r[end-1] == ' ' || r[end-1] == '\u3000') {
		end--
	}
	if end == 0 {
		return
	}
	switch r[end-1] {
	case '。', '，', '；', '：', '！', '？', '、', '.', ',', ';', ':', '!', '?':
		out.add(formatFinding(end-1, end, SeverityError, "F08", "标题末尾不加标点符号", ""))
		end--
	}
	title := string(r[:end])
	for bad, good := range notDocTypes {
		if strings.HasSuffix(title, bad) {
			n := len([]rune(bad))
			out.add(formatFinding(end-n, end, SeverityWarning, "F09", "“"+bad+"”不是法定文种，应为"+good, ""))
			return
		}
	}
	endsWithType := ""
	for _, dt := range docTypes {
		if strings.HasSuffix(title, dt) && len(dt) > len(endsWithType) {
			endsWithType = dt
		}
	}
	if endsWithType == "" {
		out.add(formatFinding(0, end, SeverityWarning, "F09", "标题应以文种结尾（发文机关＋关于＋事由＋的＋文种）", ""))
		return
	}
	if docType != "" && endsWithType != docType && !(docType == "命令" && endsWithType == "令") {
		n := len([]rune(endsWithType))
		out.add(formatFinding(end-n, end, SeverityWarning, "F09", "标题的文种“"+endsWithType+"”与公文文种“"+docType+"”不一致", docType))
	}
	if strings.Contains(title, "关于") {
		for _, dt := range []string{"通知", "通报", "意见", "报告", "请示", "批复"} {
			if strings.Count(title, "的"+dt) >= 2 || (strings.Contains(title, "的"+dt+"的") && dt != endsWithType) {
				out.add(formatFinding(0, end, SeverityWarning, "F10", "标题中文种叠用，转发类标题应简化为“关于转发……的通知”", ""))
				return
			}
		}
	}
}

// checkTo: F11 主送机关 ends with a full-width colon; a 请示 has one.
func (c *Checker) checkTo(t *text, docType string, out *findings) {
	r := t.r
	end := len(r)
	for end > 0 && (r[end-1] == ' ' || r[end-1] == '\u3000' || r[end-1] == '\n' || r[end-1] == '\r') {
		end--
	}
	if end == 0 {
		return
	}
	switch last := r[end-1]; last {
	case '：':
	case ':', '，', '。', '；', '、', ',', '.', ';':
		out.add(formatFinding(end-1, end, SeverityError, "F11", "主送机关末尾应使用全角冒号“：”", "："))
	default:
		out.add(formatFinding(end, end, SeverityError, "F11", "主送机关末尾缺少全角冒号“：”", "："))
	}
	if docType == "请示" {
		for i, x := range r[:end-1] {
			if x == '、' || x == '，' || x == ',' {
				out.add(formatFinding(i, i+1, SeverityWarning, "F11", "请示原则上只主送一个上级机关", ""))
				break
			}
		}
	}
}

var (
	reDateGood = regexp.MustCompile(`^(\d{4})年(\d{1,2})月(\d{1,2})日$`)
	reDateISO  = regexp.MustCompile(`^(\d{2,4})[.\-/](\d{1,2})[.\-/](\d{1,2})日?$`)
	reDateHan  = regexp.MustCompile(`^([〇零一二三四五六七八九O○]{2,4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日$`)
)

// checkDate: F07 成文日期 form and validity.
func (c *Checker) checkDate(t *text, out *findings) {
	s := strings.TrimSpace(t.s)
	lead := len([]rune(t.s)) - len([]rune(strings.TrimLeft(t.s, " \t\u3000")))
	span := func(msg, sugg string, sev Severity) {
		out.add(formatFinding(lead, lead+len([]rune(s)), sev, "F07", msg, sugg))
	}
	norm := func(y, mo, d string) (string, bool) {
		yi, _ := strconv.Atoi(y)
		mi, _ := strconv.Atoi(mo)
		di, _ := strconv.Atoi(d)
		if yi < 100 {
			yi += 2000
		}
		tm := time.Date(yi, time.Month(mi), di, 0, 0, 0, 0, time.UTC)
		if mi < 1 || mi > 12 || di < 1 || tm.Day() != di {
			return "", false
		}
		return strconv.Itoa(yi) + "年" + strconv.Itoa(mi) + "月" + strconv.Itoa(di) + "日", true
	}
	if m := reDateGood.FindStringSubmatch(s); m != nil {
		right, ok := norm(m[1], m[2], m[3])
		switch {
		case !ok:
			span("日期不存在", "", SeverityError)
		case right != s:
			span("成文日期的月、日不编虚位（如“1月5日”）", right, SeverityError)
		}
		return
	}
	if m := reDateISO.FindStringSubmatch(s); m != nil {
		right, ok := norm(m[1], m[2], m[3])
		if ok {
			span("成文日期应写作“××××年×月×日”（阿拉伯数字，年份写全）", right, SeverityError)
		} else {
			span("日期不存在", "", SeverityError)
		}
		return
	}
	if m := reDateHan.FindStringSubmatch(s); m != nil {
		y := []rune(m[1])
		ys := ""
		for _, r := range y {
			d, ok := chineseDigit(r)
			if !ok {
				d = 0
			}
			ys += strconv.Itoa(d)
		}
		mo, _ := chineseNumber([]rune(m[2]))
		d, _ := chineseNumber([]rune(m[3]))
		right, ok := norm(ys, strconv.Itoa(mo), strconv.Itoa(d))
		if ok && len(y) == 4 {
			span("成文日期应使用阿拉伯数字（GB/T 9704-2012）", right, SeverityError)
			return
		}
	}
	span("成文日期应写作“××××年×月×日”", "", SeverityError)
}

// checkAttachments: F16 附件说明 form.
func (c *Checker) checkAttachments(t *text, out *findings) {
	var lines []span
	for _, p := range t.paras {
		if strings.TrimSpace(string(t.r[p.start:p.end])) != "" {
			lines = append(lines, p)
		}
	}
	if len(lines) == 0 {
		return
	}
	first := lines[0]
	i := first.start
	for i < first.end && (t.r[i] == ' ' || t.r[i] == '\u3000') {
		i++
	}
	head := string(t.r[i:min(first.end, i+3)])
	if !strings.HasPrefix(head, "附件") {
		out.add(formatFinding(i, first.end, SeverityError, "F16", "附件说明应以“附件：”开头", ""))
		return
	}
	j := i + 2
	// 附  件 with spaces is a layout; here the label is 附件 then a colon.
	switch t.at(j) {
	case '：':
	case ':':
		out.add(formatFinding(j, j+1, SeverityError, "F16", "“附件”后应使用全角冒号“：”", "："))
	default:
		out.add(formatFinding(i, j, SeverityError, "F16", "“附件”后应加全角冒号“：”", "附件："))
		j--
	}
	j++
	several := len(lines) > 1
	for k, ln := range lines {
		s := ln.start
		if k == 0 {
			s = j
		}
		for s < ln.end && (t.r[s] == ' ' || t.r[s] == '\u3000') {
			s++
		}
		// Sequence number: "1." for several attachments, none for one.
		d := s
		for d < ln.end && isASCIIDigit(t.r[d]) {
			d++
		}
		if d > s {
			n, _ := strconv.Atoi(string(t.r[s:d]))
			if !several {
				out.add(formatFinding(s, min(d+1, ln.end), SeverityWarning, "F16", "只有一个附件时不编序号", ""))
			} else if n != k+1 {
				out.add(formatFinding(s, d, SeverityError, "F16", "附件序号应从1起连续编排", strconv.Itoa(k+1)))
			}
			if d < ln.end && t.r[d] != '.' {
				out.add(formatFinding(d, d+1, SeverityError, "F16", "附件序号后应使用“.”", "."))
			}
		} else if several {
			out.add(formatFinding(s, s, SeverityError, "F16", "多个附件应使用阿拉伯数字序号（1. 2. …）", ""))
		}
		e := ln.end
		for e > s && (t.r[e-1] == ' ' || t.r[e-1] == '\u3000') {
			e--
		}
		if e > s {
			switch t.r[e-1] {
			case '。', '，', '；', '、', '.', ',', ';':
				out.add(formatFinding(e-1, e, SeverityError, "F16", "附件名称后不加标点符号", ""))
			}
		}
		for q := s; q < e; q++ {
			if t.r[q] == '《' {
				out.add(formatFinding(q, q+1, SeverityHint, "F16", "附件名称一般不加书名号", ""))
				break
			}
		}
	}
}

// checkCC: F18 抄送 starts with 抄送： and ends with a full stop.
func (c *Checker) checkCC(t *text, out *findings) {
	s := strings.TrimRight(t.s, " \t\r\n\u3000")
	r := []rune(s)
	if len(r) == 0 {
		return
	}
	if !strings.HasPrefix(s, "抄送") {
		out.add(formatFinding(0, min(2, len(r)), SeverityError, "F18", "版记应写作“抄送：”", "抄送"))
	} else if len(r) > 2 && r[2] != '：' {
		out.add(formatFinding(2, 3, SeverityError, "F18", "“抄送”后应使用全角冒号“：”", "："))
	}
	if r[len(r)-1] != '。' {
		out.add(formatFinding(len(r)-1, len(r), SeverityError, "F18", "抄送机关末尾应加句号“。”", ""))
	}
}

var rePlaceholder = regexp.MustCompile(`××|XX|xx|某某|＿＿|__|○○|\?\?|？？`)

// checkPlaceholders: F24 unfilled placeholders in a draft.
func (c *Checker) checkPlaceholders(t *text, out *findings) {
	for _, p := range t.paras {
		for _, m := range t.matchesIn(rePlaceholder, p) {
			out.add(formatFinding(m[0], m[1], SeverityWarning, "F24", "文稿中有未填写的占位符", ""))
		}
	}
}
