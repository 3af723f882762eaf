package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// docxOf is a minimal .docx holding document.xml.
func docxOf(tb testing.TB, documentXML string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		tb.Fatal(err)
	}
	w.Write([]byte(documentXML))
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

const docxSeedXML = `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
	`<w:p><w:r><w:t>第一段。</w:t></w:r></w:p><w:p><w:r><w:t>要发号</w:t><w:tab/></w:r><w:r><w:t>司令,</w:t><w:br/></w:r></w:p></w:body></w:document>`

// FuzzProofreadArgs: whatever the arguments, parsing never panics, and what
// it accepts is one of the three formats and one input.
func FuzzProofreadArgs(f *testing.F) {
	for _, s := range []string{"--format json -", "--format=jsonl a.txt", "-f text", "--db x.db -", "--db=postgres://h/d a.txt", "--db", "--format", "a b", "- -", "--x", "", "-h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		format, path, _, err := parseProofreadArgs(strings.Fields(line))
		if err != nil {
			return
		}
		if format != "text" && format != "json" && format != "jsonl" || path == "" {
			t.Fatalf("%q accepted as format %q, path %q", line, format, path)
		}
	})
}

// FuzzDocxText: any bytes in a zip's document.xml give UTF-8 text or an
// error, never a panic.
func FuzzDocxText(f *testing.F) {
	f.Add([]byte(docxSeedXML))
	f.Add([]byte(`<w:p><w:t>&#xFFFF;</w:t>`))
	f.Add([]byte("<?xml version=\"1.0\" encoding=\"GBK\"?><w:t>\xb9\xab</w:t>"))
	f.Add([]byte("<w:t>\xff</w:t>"))
	f.Fuzz(func(t *testing.T, xml []byte) {
		text, err := docxText(docxOf(t, string(xml)))
		if err == nil && !utf8.ValidString(text) {
			t.Fatalf("not UTF-8: %q", text)
		}
	})
}

// FuzzProofreadInput drives the whole command on arbitrary standard input in
// each format: it answers 0 with well-formed output whose every finding lies
// within the text it read, or 2 with a message and nothing on stdout — never
// a panic, never another code.
func FuzzProofreadInput(f *testing.F) {
	for _, s := range []string{"", "我们要认真的做好工作,确保完成。", "第一行。\r\n要发号司令。\n\n其它", "\xef\xbb\xbf会议。", "\xb9\xab\xce\xc4",
		"PK\x03\x04garbage", "一、总体要求\n三、", "\n\n\n", "\x00\x01中文"} {
		for format := range uint8(3) {
			f.Add([]byte(s), format)
		}
	}
	f.Add(docxOf(f, docxSeedXML), uint8(1))
	f.Add(docxOf(f, docxSeedXML), uint8(2))
	if _, err := proofreadData(); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, input []byte, format uint8) {
		formatName := []string{"text", "json", "jsonl"}[format%3]
		var out, errOut bytes.Buffer
		code := dispatch(context.Background(), []string{"proofread", "--format", formatName, "-"}, bytes.NewReader(input), &out, &errOut,
			func(string) string { return "" })
		text, readErr := readProofreadInput("-", bytes.NewReader(input))
		switch {
		case readErr != nil:
			if code != 2 || errOut.Len() == 0 || out.Len() != 0 {
				t.Fatalf("bad input %q: exit %d, stdout %q, stderr %q", input, code, out.String(), errOut.String())
			}
			return
		case code != 0:
			t.Fatalf("input %q: exit %d, stderr %q", input, code, errOut.String())
		}
		if !utf8.Valid(out.Bytes()) {
			t.Fatalf("output is not UTF-8: %q", out.String())
		}
		checkFindings := func(what, text, js string, wantLine int) {
			var v struct {
				Line     *int `json:"line"`
				Findings []struct {
					Start, End int
					Text       string
				} `json:"findings"`
			}
			if err := json.Unmarshal([]byte(js), &v); err != nil || v.Findings == nil {
				t.Fatalf("%s: not a findings object (%v): %q", what, err, js)
			}
			if (v.Line != nil) != (wantLine > 0) || v.Line != nil && *v.Line != wantLine {
				t.Fatalf("%s: line %v, want %d", what, v.Line, wantLine)
			}
			rs := []rune(text)
			for _, f := range v.Findings {
				if f.Start < 0 || f.End > len(rs) || f.Start > f.End || string(rs[f.Start:f.End]) != f.Text {
					t.Fatalf("%s: finding %d–%d %q outside or not matching %q", what, f.Start, f.End, f.Text, text)
				}
			}
		}
		switch formatName {
		case "json":
			checkFindings("json", text, out.String(), 0)
		case "jsonl":
			lines := strings.Split(text, "\n")
			if lines[len(lines)-1] == "" {
				lines = lines[:len(lines)-1]
			}
			got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			if len(lines) == 0 {
				got = nil
				if out.Len() != 0 {
					t.Fatalf("output for no lines: %q", out.String())
				}
			}
			if len(got) != len(lines) {
				t.Fatalf("%d input lines, %d output lines", len(lines), len(got))
			}
			for i, l := range got {
				checkFindings("jsonl", strings.TrimSuffix(lines[i], "\r"), l, i+1)
			}
		default:
			if out.Len() == 0 {
				t.Fatal("no text output")
			}
		}
	})
}
