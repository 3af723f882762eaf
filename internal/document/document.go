package document

import "strings"

// Attachment is a file attached to a document, stored content-addressed by the store.
type Attachment struct {
	Name      string `json:"name"`
	SHA256    string `json:"sha256,omitempty"`
	Size      int64  `json:"size,omitempty"`
	MediaType string `json:"media_type,omitempty"`
}

// Document is a 公文 with every element of GB/T 9704-2012 (条例 art. 9) as a typed field.
type Document struct {
	ID        string    `json:"id"`
	Type      DocType   `json:"type"`
	Direction Direction `json:"direction,omitempty"` // empty: the type's usual direction

	CopyNumber     string         `json:"copy_number,omitempty"`     // 份号
	Classification Classification `json:"classification"`            // 密级和保密期限
	Urgency        Urgency        `json:"urgency,omitempty"`         // 紧急程度
	IssuerMark     string         `json:"issuer_mark"`               // 发文机关标志
	Number         *DocNumber     `json:"number,omitempty"`          // 发文字号 (nil until numbered)
	Signers        []string       `json:"signers,omitempty"`         // 签发人
	Title          string         `json:"title"`                     // 标题
	To             []string       `json:"to,omitempty"`              // 主送机关
	Body           Body           `json:"body"`                      // 正文
	AttachmentNote []string       `json:"attachment_note,omitempty"` // 附件说明: the names, in order
	Signatures     []string       `json:"signatures,omitempty"`      // 发文机关署名 (joint: several)
	Date           Date           `json:"date,omitzero"`             // 成文日期
	Seals          []string       `json:"seals,omitempty"`           // 印章: whose seals are affixed
	Note           string         `json:"note,omitempty"`            // 附注
	Attachments    []Attachment   `json:"attachments,omitempty"`     // 附件
	CC             []string       `json:"cc,omitempty"`              // 抄送机关
	PrintedBy      string         `json:"printed_by,omitempty"`      // 印发机关
	PrintDate      Date           `json:"print_date,omitzero"`       // 印发日期
}

// EffectiveDirection is the document's direction, or its type's usual one.
func (d Document) EffectiveDirection() Direction {
	if d.Direction != "" {
		return d.Direction
	}
	if r, ok := RuleFor(d.Type); ok {
		return r.Direction
	}
	return ""
}

// Text is the document's comparable text for versions and 批注: title, 主送,
// 正文, 附件说明, 署名, 成文日期 and 附注, one per line.
func (d Document) Text() string {
	var lines []string
	add := func(s string) {
		if s != "" {
			lines = append(lines, s)
		}
	}
	add(d.Title)
	if len(d.To) > 0 {
		add(strings.Join(d.To, "、") + "：")
	}
	add(d.Body.String())
	for i, a := range d.AttachmentNote {
		if i == 0 {
			add("附件：" + a)
		} else {
			add(a)
		}
	}
	add(strings.Join(d.Signatures, "\n"))
	add(d.Date.String())
	add(d.Note)
	return strings.Join(lines, "\n")
}
