// Package textextract reads the text of an attachment so that search can
// find it: plain text (UTF-8, or GB18030 as Chinese Windows writes it),
// .docx and .ofd (both zip archives of XML, read here in pure Go), and .pdf
// through poppler's pdftotext when it is installed (scripts/setup.sh
// installs it), under a time limit. Every reader bounds what it reads and
// returns, so a hostile file costs at most those bounds; a file it cannot
// read yields no text and an error saying why, never a panic.
package textextract

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// MaxRunes bounds the text returned for one file.
const MaxRunes = 200_000

// maxXML bounds what is decompressed of one archive member, and maxMembers
// how many members are read, against zip bombs.
const (
	maxXML     = 32 << 20
	maxMembers = 2000
)

// PDFTimeout bounds one pdftotext run.
const PDFTimeout = 20 * time.Second

// ErrUnsupported: the file's kind has no reader (an image, a spreadsheet…).
var ErrUnsupported = errors.New("不支持提取该类文件的文字")

// ErrNoPDFTool: pdftotext is not installed, so a PDF's text is not read.
var ErrNoPDFTool = errors.New("未安装 pdftotext（poppler-utils），PDF 文字未提取")

// Supported reports whether Text reads files of this name.
func Supported(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".txt", ".docx", ".ofd", ".pdf":
		return true
	}
	return false
}

// Text reads the text of a file by its name's extension.
func Text(ctx context.Context, name string, data []byte) (string, error) {
	var s string
	var err error
	switch strings.ToLower(path.Ext(name)) {
	case ".txt":
		s = Plain(data)
	case ".docx":
		s, err = Docx(data)
	case ".ofd":
		s, err = OFD(data)
	case ".pdf":
		s, err = PDF(ctx, data)
	default:
		return "", ErrUnsupported
	}
	return clip(s), err
}

// Plain is a text file's text: UTF-8 as it is (without a byte order mark),
// anything else read as GB18030.
func Plain(data []byte) string {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return clip(string(data))
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return clip(strings.ToValidUTF8(string(data), ""))
	}
	return clip(string(out))
}

// clip bounds s to MaxRunes and drops what is not valid UTF-8 or a NUL.
func clip(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.ReplaceAll(s, "\x00", "")
	if utf8.RuneCountInString(s) > MaxRunes {
		s = string([]rune(s)[:MaxRunes])
	}
	return s
}

func openZip(data []byte) (*zip.Reader, error) {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("不是有效的压缩包: %w", err)
	}
	if len(z.File) > maxMembers {
		return nil, fmt.Errorf("压缩包内文件过多（%d 个）", len(z.File))
	}
	return z, nil
}

// member reads one archive member by name (case as stored), bounded.
func member(z *zip.Reader, name string) ([]byte, error) {
	name = strings.TrimPrefix(name, "/")
	for _, f := range z.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				return nil, err
			}
			defer rc.Close()
			b, err := io.ReadAll(io.LimitReader(rc, maxXML+1))
			if err != nil {
				return nil, err
			}
			if len(b) > maxXML {
				return nil, fmt.Errorf("%s 过大", name)
			}
			return b, nil
		}
	}
	return nil, fmt.Errorf("缺少 %s", name)
}

// xmlText walks an XML document: text inside an element named text (local
// name) is kept; an element named in breaks starts a new line after it, one
// in tabs stands for a tab. Output stops at MaxRunes.
func xmlText(b []byte, text string, breaks, tabs []string) (string, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var out strings.Builder
	depth := 0 // inside text elements
	for out.Len() < MaxRunes*4 {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return out.String(), fmt.Errorf("XML 无法读取: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case t.Name.Local == text:
				depth++
			case slices.Contains(tabs, t.Name.Local):
				out.WriteByte('\t')
			}
		case xml.EndElement:
			switch {
			case t.Name.Local == text && depth > 0:
				depth--
			case slices.Contains(breaks, t.Name.Local):
				out.WriteByte('\n')
			}
		case xml.CharData:
			if depth > 0 {
				out.Write(t)
			}
		}
	}
	return out.String(), nil
}

// Docx is a Word (OOXML) document's text: the body's paragraphs, then its
// footnotes, one paragraph a line.
func Docx(data []byte) (string, error) {
	z, err := openZip(data)
	if err != nil {
		return "", err
	}
	b, err := member(z, "word/document.xml")
	if err != nil {
		return "", err
	}
	s, err := xmlText(b, "t", []string{"p", "tr"}, []string{"tab"})
	if err != nil {
		return s, err
	}
	if fn, err := member(z, "word/footnotes.xml"); err == nil {
		t, _ := xmlText(fn, "t", []string{"p"}, []string{"tab"})
		s += t
	}
	return s, nil
}

// OFD is an OFD (GB/T 33190) document's text: the pages of each document in
// the order its Document.xml lists them, the TextCode of each page's
// content, one text object a line.
func OFD(data []byte) (string, error) {
	z, err := openZip(data)
	if err != nil {
		return "", err
	}
	root, err := member(z, "OFD.xml")
	if err != nil {
		return "", err
	}
	var ofd struct {
		Bodies []struct {
			DocRoot string `xml:"DocRoot"`
		} `xml:"DocBody"`
	}
	if err := xml.Unmarshal(root, &ofd); err != nil {
		return "", fmt.Errorf("OFD.xml 无法读取: %w", err)
	}
	var out strings.Builder
	for _, body := range ofd.Bodies {
		docPath := cleanPath("", body.DocRoot)
		doc, err := member(z, docPath)
		if err != nil {
			return out.String(), err
		}
		var d struct {
			Pages []struct {
				BaseLoc string `xml:"BaseLoc,attr"`
			} `xml:"Pages>Page"`
		}
		if err := xml.Unmarshal(doc, &d); err != nil {
			return out.String(), fmt.Errorf("%s 无法读取: %w", docPath, err)
		}
		for _, p := range d.Pages {
			page, err := member(z, cleanPath(path.Dir(docPath), p.BaseLoc))
			if err != nil {
				continue // a page without content has no text
			}
			s, err := xmlText(page, "TextCode", []string{"TextObject"}, nil)
			out.WriteString(s)
			if err != nil {
				return out.String(), err
			}
			if out.Len() > MaxRunes*4 {
				return out.String(), nil
			}
		}
	}
	return out.String(), nil
}

// cleanPath resolves an OFD location: absolute from the package root, or
// relative to dir.
func cleanPath(dir, loc string) string {
	loc = strings.ReplaceAll(strings.TrimSpace(loc), `\`, "/")
	if strings.HasPrefix(loc, "/") {
		return strings.TrimPrefix(path.Clean(loc), "/")
	}
	return strings.TrimPrefix(path.Clean(path.Join("/", dir, loc)), "/")
}

// PDF is a PDF's text by pdftotext, given at most PDFTimeout; without the
// tool it is ErrNoPDFTool and no text.
func PDF(ctx context.Context, data []byte) (string, error) {
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		return "", ErrNoPDFTool
	}
	ctx, cancel := context.WithTimeout(ctx, PDFTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, tool, "-q", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(data)
	var out limitedBuffer
	out.max = MaxRunes * 4
	cmd.Stdout = &out
	err = cmd.Run()
	if ctx.Err() != nil {
		return "", fmt.Errorf("PDF 文字提取超时（%s）", PDFTimeout)
	}
	if err != nil && out.Len() == 0 {
		return "", fmt.Errorf("PDF 无法读取: %w", err)
	}
	return out.String(), nil
}

// limitedBuffer keeps the first max bytes written and drops the rest.
type limitedBuffer struct {
	bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
