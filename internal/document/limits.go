package document

import (
	"unicode/utf8"

	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// Limits on a document's fields, in characters (issue 11: a 50,000-character
// title was once accepted, and its PDF took 153 s). They bound what a person
// would write in the heaviest real 公文 with room to spare; anything longer
// is a mistake or an attack. The store refuses a document over them whoever
// sends it, and Validate reports them as findings for the drafter.
const (
	MaxTitle          = 200     // 标题
	MaxBody           = 200_000 // 正文, every paragraph with its marker
	MaxParagraphs     = 10_000  // 正文's paragraphs
	MaxOpinion        = 5_000   // 签发意见, 批示, 会签和办理意见, 批注
	MaxName           = 100     // a unit's or a person's name: 主送/抄送 each, 署名, 印章, 签发人, 印发机关, 来文单位
	MaxIssuerMark     = 100     // 发文机关标志 (joint issues name several organs)
	MaxOrganCode      = 20      // 机关代字 in a 发文字号
	MaxCopyNumber     = 10      // 份号
	MaxAddressees     = 500     // 主送 or 抄送 entries (a district sends to every unit)
	MaxNames          = 50      // 签发人, 署名, 印章 entries
	MaxAttachments    = 100     // 附件 and 附件说明 entries
	MaxAttachmentName = 200     // one 附件说明 entry or one file's name
	MaxNote           = 500     // 附注
	MaxQuote          = MaxBody // the quoted passage of a 批注 comes from the text itself
	MaxVersionNote    = 500     // a saved version's note
)

// CheckLimits refuses a document with a field over its limit; the error is a
// *textlimit.Error naming the field, the limit and the count.
func CheckLimits(d Document) error {
	return textlimit.First(
		textlimit.Text("title", "标题", MaxTitle, d.Title),
		textlimit.Text("issuer_mark", "发文机关标志", MaxIssuerMark, d.IssuerMark),
		textlimit.Text("copy_number", "份号", MaxCopyNumber, d.CopyNumber),
		numberLimit(d.Number),
		textlimit.List("signers", "签发人", MaxNames, MaxName, d.Signers),
		textlimit.List("to", "主送机关", MaxAddressees, MaxName, d.To),
		bodyLimit(d.Body),
		textlimit.List("attachment_note", "附件说明", MaxAttachments, MaxAttachmentName, d.AttachmentNote),
		textlimit.List("signatures", "发文机关署名", MaxNames, MaxName, d.Signatures),
		textlimit.List("seals", "印章", MaxNames, MaxName, d.Seals),
		textlimit.Text("note", "附注", MaxNote, d.Note),
		attachmentsLimit(d.Attachments),
		textlimit.List("cc", "抄送机关", MaxAddressees, MaxName, d.CC),
		textlimit.Text("printed_by", "印发机关", MaxName, d.PrintedBy),
	)
}

func numberLimit(n *DocNumber) error {
	if n == nil {
		return nil
	}
	return textlimit.Text("number", "发文字号的机关代字", MaxOrganCode, n.OrganCode)
}

func bodyLimit(b Body) error {
	if err := textlimit.Count("body", "正文段落", MaxParagraphs, len(b.Paragraphs), "段"); err != nil {
		return err
	}
	n := 0
	for _, p := range b.Paragraphs {
		n += len(p.Marker) + len(p.Text)
	}
	if n <= MaxBody { // bytes bound characters
		return nil
	}
	n = 0
	for _, p := range b.Paragraphs {
		n += utf8.RuneCountInString(p.Marker) + utf8.RuneCountInString(p.Text)
	}
	return textlimit.Count("body", "正文", MaxBody, n, "字")
}

func attachmentsLimit(as []Attachment) error {
	if err := textlimit.Count("attachments", "附件", MaxAttachments, len(as), "个"); err != nil {
		return err
	}
	for _, a := range as {
		if err := AttachmentNameLimit(a.Name); err != nil {
			return err
		}
	}
	return nil
}

// AttachmentNameLimit checks one file's name.
func AttachmentNameLimit(name string) error {
	return textlimit.Text("attachments", "附件名称", MaxAttachmentName, name)
}

// OpinionLimit checks an opinion, a 批示 or a 批注's text.
func OpinionLimit(field, label, s string) error {
	return textlimit.Text(field, label, MaxOpinion, s)
}

// NameLimit checks a unit's or a person's name given as text (来文单位).
func NameLimit(field, label, s string) error {
	return textlimit.Text(field, label, MaxName, s)
}
