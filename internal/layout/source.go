package layout

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// SourceError is a problem in a plain-text source, with its 1-based line.
type SourceError struct {
	Line int
	Msg  string
}

func (e *SourceError) Error() string { return fmt.Sprintf("第%d行：%s", e.Line, e.Msg) }

// MaxSourceBytes bounds a source file; a 公文 is never this long.
const MaxSourceBytes = 4 << 20

// ParseSource reads the plain-text source format of `shuniu layout`:
// header lines "要素名：值" (full-width or ASCII colon), a blank line, then the
// body with one paragraph per line. Headings are recognised by their
// numbering. A body line "#附件 标题" starts an attachment on a new page;
// "#另订附件 标题" one that is bound separately (GB/T 9704 §7.4).
func ParseSource(r io.Reader) (*Document, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSourceBytes+1))
	if err != nil {
		return nil, fmt.Errorf("读取源文件：%w", err)
	}
	if len(data) > MaxSourceBytes {
		return nil, &SourceError{Line: 1, Msg: "源文件超过 4 MB"}
	}
	if !utf8.Valid(data) {
		return nil, &SourceError{Line: firstInvalidLine(data), Msg: "不是 UTF-8 编码的文本"}
	}
	text := strings.TrimPrefix(string(data), "\uFEFF")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 0, 64<<10), MaxSourceBytes+1)

	d := &Document{}
	seen := map[string]int{}
	titleLine := 0
	line := 0
	inBody := false
	var cur *Attachment
	for sc.Scan() {
		line++
		raw := strings.TrimRight(sc.Text(), " \t\u3000")
		if !inBody {
			if strings.TrimSpace(raw) == "" {
				if len(seen) > 0 {
					inBody = true
				}
				continue
			}
			key, val, ok := splitHeader(raw)
			if !ok {
				return nil, &SourceError{line, fmt.Sprintf("头部应为“要素名：值”，正文前需空一行：%q", clip(raw))}
			}
			if prev, dup := seen[key]; dup {
				return nil, &SourceError{line, fmt.Sprintf("要素“%s”重复（第%d行已给出）", key, prev)}
			}
			seen[key] = line
			if key == "标题" {
				titleLine = line
			}
			if err := setHeader(d, key, val); err != nil {
				return nil, &SourceError{line, err.Error()}
			}
			continue
		}
		p := strings.TrimLeft(raw, " \t\u3000")
		if p == "" {
			continue
		}
		if marker, rest, ok := attachmentLine(p); ok {
			d.Attachments = append(d.Attachments, Attachment{Title: strings.TrimSpace(rest), BoundSeparately: marker == "#另订附件"})
			cur = &d.Attachments[len(d.Attachments)-1]
			if cur.Title == "" {
				return nil, &SourceError{line, fmt.Sprintf("“%s”后应写附件标题", marker)}
			}
			continue
		}
		para := Paragraph{Level: HeadingLevel(p), Text: p}
		if cur != nil {
			cur.Body = append(cur.Body, para)
		} else {
			d.Body = append(d.Body, para)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("读取源文件：%w", err)
	}
	if titleLine == 0 {
		return nil, &SourceError{Line: max(line, 1), Msg: "缺少“标题：”"}
	}
	if len(d.Body) == 0 {
		return nil, &SourceError{Line: max(line, 1), Msg: "缺少正文（头部之后空一行再写正文）"}
	}
	if (d.Format == FormatFile || d.Format == FormatLetter) && d.DocNumber == "" && len(d.Signers) > 0 {
		return nil, &SourceError{Line: seen["签发人"], Msg: "有签发人（上行文）时必须给出发文字号"}
	}
	if d.DocNumber != "" {
		if err := checkDocNumber(d.Format, d.DocNumber); err != nil {
			return nil, &SourceError{seen["发文字号"], err.Error()}
		}
	}
	if len(d.AttachmentNote) > 0 && len(d.Attachments) > 0 && len(d.Attachments) != len(d.AttachmentNote) {
		return nil, &SourceError{seen["附件说明"], fmt.Sprintf("附件说明列出%d个附件，正文后有%d个“#附件”", len(d.AttachmentNote), len(d.Attachments))}
	}
	return d, nil
}

// attachmentLine recognises "#附件 标题" and "#另订附件 标题" (an attachment
// bound separately from the body).
func attachmentLine(p string) (marker, rest string, ok bool) {
	for _, m := range []string{"#附件", "#另订附件"} {
		if rest, ok := strings.CutPrefix(p, m); ok {
			return m, rest, true
		}
	}
	return "", "", false
}

func firstInvalidLine(b []byte) int {
	line := 1
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		b = b[n:]
	}
	return line
}

func clip(s string) string {
	if utf8.RuneCountInString(s) > 30 {
		return string([]rune(s)[:30]) + "…"
	}
	return s
}

func splitHeader(s string) (key, val string, ok bool) {
	i := strings.IndexAny(s, "：:")
	if i <= 0 {
		return "", "", false
	}
	key = strings.TrimSpace(s[:i])
	_, n := utf8.DecodeRuneInString(s[i:])
	val = strings.TrimSpace(strings.Trim(s[i+n:], "\u3000"))
	return key, val, key != ""
}

// headerKeys are the element names accepted in a source header. 出席/请假/列席
// belong to the 纪要 format, 签发人职务 to the 命令 format, 印章 chooses the
// sealed or unsealed signature layout.
var headerKeys = []string{"份号", "密级和保密期限", "紧急程度", "发文机关标志", "发文字号", "签发人", "标题",
	"主送机关", "附件说明", "发文机关署名", "成文日期", "附注", "抄送机关", "印发机关", "印发日期", "格式",
	"印章", "签发人职务", "出席", "请假", "列席"}

func setHeader(d *Document, key, val string) error {
	if val == "" {
		return fmt.Errorf("要素“%s”没有值", key)
	}
	switch key {
	case "份号":
		if !copyNoRE.MatchString(val) {
			return fmt.Errorf("份号应为6位阿拉伯数字，如“000123”：%q", val)
		}
		d.CopyNumber = val
	case "密级和保密期限", "密级":
		if !strings.HasPrefix(val, "绝密") && !strings.HasPrefix(val, "机密") && !strings.HasPrefix(val, "秘密") {
			return fmt.Errorf("密级应为绝密、机密或秘密（可加“★期限”）：%q", val)
		}
		d.Classification = val
	case "紧急程度":
		switch val {
		case "特急", "加急", "特提", "平急":
		default:
			return fmt.Errorf("紧急程度应为特急或加急：%q", val)
		}
		d.Urgency = val
	case "发文机关标志":
		d.IssuerMark = val
	case "发文字号":
		d.DocNumber = val // checked once the format is known
	case "签发人":
		d.Signers = append(d.Signers, strings.FieldsFunc(val, func(r rune) bool { return r == '、' || r == '，' || r == ',' || r == ' ' || r == '\u3000' })...)
	case "标题":
		d.Title = val
	case "主送机关":
		d.To = strings.TrimRight(val, "：:")
	case "附件说明":
		for _, n := range strings.FieldsFunc(val, func(r rune) bool { return r == '；' || r == ';' }) {
			n = strings.TrimSpace(n)
			n = strings.TrimLeft(n, "0123456789.．、")
			if n != "" {
				d.AttachmentNote = append(d.AttachmentNote, n)
			}
		}
	case "发文机关署名":
		d.Issuer = val
	case "成文日期":
		if err := checkDate(val); err != nil {
			return fmt.Errorf("成文日期：%w", err)
		}
		d.Date = val
	case "附注":
		d.Note = val
	case "抄送机关":
		d.Cc = strings.TrimRight(val, "。.")
	case "印发机关":
		d.PrintIssuer = val
	case "印发日期":
		v := strings.TrimSuffix(val, "印发")
		if err := checkDate(v); err != nil {
			return fmt.Errorf("印发日期：%w", err)
		}
		d.PrintDate = v
	case "格式":
		f, ok := ParseFormat(val)
		if !ok {
			return fmt.Errorf("格式应为文件、信函、命令或纪要：%q", val)
		}
		d.Format = f
	case "印章":
		switch val {
		case "加盖", "有", "是":
			d.Sealed = true
		case "不加盖", "无", "否":
			d.Sealed = false
		default:
			return fmt.Errorf("印章应为“加盖”或“不加盖”：%q", val)
		}
	case "签发人职务":
		d.SignerTitle = val
	case "出席", "请假", "列席":
		d.Attendance = append(d.Attendance, Attendance{Label: key, Names: val})
	default:
		return fmt.Errorf("未知要素“%s”，可用：%s", key, strings.Join(headerKeys, "、"))
	}
	return nil
}
