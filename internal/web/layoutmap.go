package web

import (
	"strings"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/layout"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// layoutDoc maps a stored document onto the layout engine's GB/T 9704
// elements. signerTitle is the 签发人职务 and name a 命令 prints beside the
// signature seal (e.g. "区长　王明"); it is ignored for other formats.
//
// Elements that do not exist yet print blank: a draft has no 发文字号 or
// 成文日期, and a document signed off but not yet numbered has 签发人 without
// a 发文字号, which the upward 版头 cannot show — its 签发人 wait for the number.
func layoutDoc(rec store.DocRecord, signerTitle string) *layout.Document {
	d := rec.Doc
	out := &layout.Document{
		Format:         layoutFormat(d.Type),
		CopyNumber:     d.CopyNumber,
		Classification: d.Classification.String(),
		Urgency:        d.Urgency.Label(),
		IssuerMark:     d.IssuerMark,
		DocNumber:      rec.DocNumber,
		Title:          d.Title,
		To:             strings.Join(d.To, "、"),
		AttachmentNote: d.AttachmentNote,
		Issuer:         strings.Join(d.Signatures, "、"),
		Date:           d.Date.String(),
		Sealed:         len(d.Seals) > 0,
		Note:           d.Note,
		Cc:             strings.Join(d.CC, "、"),
		PrintIssuer:    d.PrintedBy,
		PrintDate:      d.PrintDate.String(),
	}
	if out.DocNumber == "" && d.Number != nil {
		out.DocNumber = d.Number.String()
	}
	if rec.Direction == store.Incoming {
		// An incoming document's 发文字号 is the sender's, kept on the document;
		// the 收文编号 is the office's own and not part of the 公文.
		out.DocNumber = ""
		if d.Number != nil {
			out.DocNumber = d.Number.String()
		}
	}
	// 签发人 appear in the 版头 of upward documents only (GB/T 9704 §7.2.5).
	if out.DocNumber != "" && d.EffectiveDirection() == document.Upward {
		out.Signers = d.Signers
	}
	if out.Format == layout.FormatOrder {
		out.SignerTitle = signerTitle
	}
	for _, p := range d.Body.Paragraphs {
		out.Body = append(out.Body, layout.Paragraph{Level: p.Level, Text: p.Marker + p.Text})
	}
	return out
}

// layoutFormat is the GB/T 9704 format a doc type is printed in: 函 in the
// 信函格式, 命令（令） and 纪要 in their own 特定格式, the rest as 文件.
func layoutFormat(t document.DocType) layout.Format {
	switch t {
	case document.Letter:
		return layout.FormatLetter
	case document.Order:
		return layout.FormatOrder
	case document.Minutes:
		return layout.FormatMinutes
	}
	return layout.FormatFile
}
