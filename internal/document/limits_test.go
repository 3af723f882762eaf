package document

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// TestLimits: every field takes exactly its limit and refuses one more,
// naming the field, the limit and the count.
func TestLimits(t *testing.T) {
	s := func(n int) string { return strings.Repeat("文", n) }
	list := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = "单位"
		}
		return out
	}
	for _, tc := range []struct {
		field string
		limit int
		set   func(d *Document, n int)
	}{
		{"title", MaxTitle, func(d *Document, n int) { d.Title = s(n) }},
		{"issuer_mark", MaxIssuerMark, func(d *Document, n int) { d.IssuerMark = s(n) }},
		{"copy_number", MaxCopyNumber, func(d *Document, n int) { d.CopyNumber = strings.Repeat("1", n) }},
		{"number", MaxOrganCode, func(d *Document, n int) { d.Number = &DocNumber{OrganCode: s(n), Year: 2026, Seq: 1} }},
		{"signers", MaxNames, func(d *Document, n int) { d.Signers = list(n) }},
		{"signers", MaxName, func(d *Document, n int) { d.Signers = []string{s(n)} }},
		{"to", MaxAddressees, func(d *Document, n int) { d.To = list(n) }},
		{"to", MaxName, func(d *Document, n int) { d.To = []string{"区委办", s(n)} }},
		{"body", MaxBody, func(d *Document, n int) {
			d.Body = Body{Paragraphs: []Paragraph{{Level: 1, Marker: "一、", Text: s(n/2 - 2)}, {Text: s(n - n/2)}}}
		}},
		{"body", MaxParagraphs, func(d *Document, n int) { d.Body = Body{Paragraphs: make([]Paragraph, n)} }},
		{"attachment_note", MaxAttachments, func(d *Document, n int) { d.AttachmentNote = list(n) }},
		{"attachment_note", MaxAttachmentName, func(d *Document, n int) { d.AttachmentNote = []string{s(n)} }},
		{"signatures", MaxNames, func(d *Document, n int) { d.Signatures = list(n) }},
		{"signatures", MaxName, func(d *Document, n int) { d.Signatures = []string{s(n)} }},
		{"seals", MaxName, func(d *Document, n int) { d.Seals = []string{s(n)} }},
		{"note", MaxNote, func(d *Document, n int) { d.Note = s(n) }},
		{"attachments", MaxAttachments, func(d *Document, n int) { d.Attachments = make([]Attachment, n) }},
		{"attachments", MaxAttachmentName, func(d *Document, n int) { d.Attachments = []Attachment{{Name: s(n-4) + ".pdf"}} }},
		{"cc", MaxAddressees, func(d *Document, n int) { d.CC = list(n) }},
		{"cc", MaxName, func(d *Document, n int) { d.CC = []string{s(n)} }},
		{"printed_by", MaxName, func(d *Document, n int) { d.PrintedBy = s(n) }},
	} {
		t.Run(fmt.Sprintf("%s/%d", tc.field, tc.limit), func(t *testing.T) {
			d := goodDoc(Notice)
			tc.set(&d, tc.limit)
			if err := CheckLimits(d); err != nil {
				t.Fatalf("at the limit: %v", err)
			}
			d = goodDoc(Notice)
			tc.set(&d, tc.limit+1)
			err := CheckLimits(d)
			e, ok := textlimit.As(err)
			if !ok || e.Field != tc.field || e.Max != tc.limit || e.Got != tc.limit+1 {
				t.Fatalf("one over: %v (%+v), want %s over %d", err, e, tc.field, tc.limit)
			}
			want := fmt.Sprintf("不能超过 %d %s（现有 %d %s）", tc.limit, e.Unit, tc.limit+1, e.Unit)
			if !strings.Contains(err.Error(), want) {
				t.Errorf("message %q lacks %q", err, want)
			}
			// Validate reports it as the one finding, on the field.
			fs := Validate(d, Drafting)
			if len(fs) != 1 || fs[0].Field != tc.field || fs[0].Severity != Error || fs[0].Message != err.Error() {
				t.Errorf("Validate = %+v", fs)
			}
		})
	}
}

func TestOpinionLimits(t *testing.T) {
	text := "为做好防汛工作，现将有关事项通知如下。"
	if _, err := Annotate("a", 1, text, 0, 2, "p", strings.Repeat("意", MaxOpinion), time.Time{}); err != nil {
		t.Fatal(err)
	}
	_, err := Annotate("a", 1, text, 0, 2, "p", strings.Repeat("意", MaxOpinion+1), time.Time{})
	if !errors.Is(err, textlimit.ErrTooLong) || err.Error() != "批注不能超过 5000 字（现有 5001 字）" {
		t.Fatalf("annotation: %v", err)
	}
	if NameLimit("sender", "来文单位", strings.Repeat("单", MaxName)) != nil || NameLimit("sender", "来文单位", strings.Repeat("单", MaxName+1)) == nil {
		t.Fatal("NameLimit")
	}
}
