package web_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/shuniu-oa/shuniu/internal/proofread"
)

// FuzzProofreadAPIRequest: whatever JSON a client sends to POST
// /api/v1/proofread — any levels, doc types, parts, "not an error" keys —
// reading it as the handler does and proofreading it never panics, and
// every finding lies within the text or the part it names.
func FuzzProofreadAPIRequest(f *testing.F) {
	for _, s := range []string{
		`{"text":"各单位己经完成了部署,其它工作要抓紧。"}`,
		`{"document":{"doc_type":"请示","doc_number":"清政发[2024]第05号","title":"关于申请经费的请示报告。","to":"区财政局、区发改局",` +
			`"body":[{"text":"一、总体要求","level":1},{"text":"（一)压实责任","level":-3},{"text":"(1)细化","level":99}],` +
			`"attachments":"附件:1、方案。","issuer":"清澜区人民政府","date":"2024-1-5","cc":"抄送：市委","ignore":["term/W01/其它","///"]}}`,
		`{"document":{"doc_type":"不存在的文种","body":[{"text":"","level":2147483647}]}}`,
		`{"document":{}}`, `{"text":""}`, `{"text":"\ud800"}`, `[]`, `{"text":1}`,
	} {
		f.Add([]byte(s))
	}
	c, err := sharedChecker()
	if err != nil {
		f.Fatal(err)
	}
	within := func(t *testing.T, what, text string, fs proofread.Finding) {
		n := utf8.RuneCountInString(text)
		if fs.Start < 0 || fs.End > n || fs.Start > fs.End || string([]rune(text)[fs.Start:fs.End]) != fs.Text {
			t.Fatalf("%s: finding %+v outside %q", what, fs, text)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var in struct {
			Text     *string             `json:"text"`
			Document *proofread.Document `json:"document"`
		}
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if dec.Decode(&in) != nil || (in.Text == nil) == (in.Document == nil) {
			return // answered 400
		}
		if in.Text != nil {
			for _, fs := range c.Check(*in.Text) {
				within(t, "text", *in.Text, fs)
			}
			return
		}
		d := *in.Document
		for _, df := range c.CheckDocument(d) {
			var part string
			switch df.Part {
			case proofread.PartDocNumber:
				part = d.DocNumber
			case proofread.PartTitle:
				part = d.Title
			case proofread.PartTo:
				part = d.To
			case proofread.PartBody:
				if df.Index < 0 || df.Index >= len(d.Body) {
					t.Fatalf("finding on paragraph %d of %d", df.Index, len(d.Body))
				}
				part = d.Body[df.Index].Text
			case proofread.PartAttachments:
				part = d.Attachments
			case proofread.PartIssuer:
				part = d.Issuer
			case proofread.PartDate:
				part = d.Date
			case proofread.PartCC:
				part = d.CC
			default:
				t.Fatalf("finding on an unknown part %q", df.Part)
			}
			within(t, string(df.Part), part, df.Finding)
		}
	})
}
