package meeting

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// 会议材料: each 议题's material comes in versions, as .docx, .pdf, .txt or
// .ofd. A classified meeting takes PDF only: every copy read is stamped with
// the reader's name and time, and PDF is the format that can carry the
// stamp on every page without being rewritten.

// Limits of one agenda item's material.
const (
	MaxMaterialVersions = 50  // versions of one 议题's material
	MaxMaterialName     = 200 // a file's name
	// MaxMaterialXML bounds what is read of a .docx's document.xml: a file
	// packed small may unpack large (a zip bomb).
	MaxMaterialXML = 16 << 20
)

// MaterialExts are the file types a material may have.
var MaterialExts = []string{".docx", ".pdf", ".txt", ".ofd"}

// CheckMaterialName checks a material file's name for the meeting: one of
// MaterialExts, and PDF in a classified meeting.
func (m *Meeting) CheckMaterialName(name string) error {
	if err := textlimit.Text("name", "材料文件名", MaxMaterialName, name); err != nil {
		return err
	}
	ext := strings.ToLower(path.Ext(name))
	if !slices.Contains(MaterialExts, ext) {
		return refuse("会议材料只能是 .docx、.pdf、.txt 或 .ofd 文件")
	}
	if m.Level > org.Unclassified && ext != ".pdf" {
		return refuse("%s会议的材料请以 PDF 报送：每份下载的材料都要加上查阅人的水印", m.Level.Label())
	}
	return nil
}

// Item returns the agenda item with the sequence number.
func (m *Meeting) Item(seq int) (*AgendaItem, bool) {
	i := slices.IndexFunc(m.Agenda, func(x AgendaItem) bool { return x.Seq == seq })
	if i < 0 {
		return nil, false
	}
	return &m.Agenda[i], true
}

// Version returns the material's version v.
func (a AgendaItem) Version(v int) (Material, bool) {
	for _, mat := range a.Materials {
		if mat.Version == v {
			return mat, true
		}
	}
	return Material{}, false
}

// Latest is the material's newest version.
func (a AgendaItem) Latest() (Material, bool) {
	if len(a.Materials) == 0 {
		return Material{}, false
	}
	return a.Materials[len(a.Materials)-1], true
}

// LateVersion reports whether a version came in after the item's due time.
func (a AgendaItem) LateVersion(mat Material) bool {
	return !a.Due.IsZero() && mat.At.After(a.Due)
}

// Textual reports whether the material's text can be read for proofreading.
func (mat Material) Textual() bool {
	ext := strings.ToLower(path.Ext(mat.Name))
	return ext == ".txt" || ext == ".docx"
}

// State is where a meeting stands at now, as the list and the page show
// it: a noticed meeting whose time has come is under way, then held.
func (m *Meeting) State(now time.Time) string {
	switch {
	case m.Status == Cancelled:
		return Cancelled.Label()
	case now.Before(m.Start):
		return m.Status.Label()
	case m.Status == Noticed && now.Before(m.End):
		return "进行中"
	case m.Status == Noticed:
		return "已召开"
	}
	return "已过期（未发通知）"
}

// ListOrder orders meetings for a list at now: those still to come or under
// way first, soonest first, then those past, latest first.
func ListOrder(ms []Meeting, now time.Time) {
	slices.SortStableFunc(ms, func(a, b Meeting) int {
		pa, pb := !now.Before(a.End), !now.Before(b.End)
		switch {
		case pa != pb && pa:
			return 1
		case pa != pb:
			return -1
		case pa:
			return b.Start.Compare(a.Start)
		}
		return a.Start.Compare(b.Start)
	})
}

// ErrNoText is a material whose text cannot be read (not .txt or .docx).
var ErrNoText = errors.New("只能校对 .txt 和 .docx 材料")

// MaterialText reads a text material's words for the proofreader: a .txt
// in UTF-8 or UTF-16 (with its byte-order mark), or a .docx's paragraphs,
// one a line. At most maxRunes runes are returned; truncated says so.
func MaterialText(name string, data []byte, maxRunes int) (text string, truncated bool, err error) {
	switch strings.ToLower(path.Ext(name)) {
	case ".txt":
		text, err = plainText(data)
	case ".docx":
		text, err = docxText(data)
	default:
		return "", false, ErrNoText
	}
	if err != nil {
		return "", false, err
	}
	if maxRunes > 0 && utf8.RuneCountInString(text) > maxRunes {
		n := 0
		for i := range text {
			if n == maxRunes {
				return text[:i], true, nil
			}
			n++
		}
	}
	return text, false, nil
}

func plainText(b []byte) (string, error) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		le := b[0] == 0xFF
		b = b[2:]
		u := make([]uint16, len(b)/2)
		for i := range u {
			if le {
				u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
			} else {
				u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
			}
		}
		return string(utf16.Decode(u)), nil
	}
	if !utf8.Valid(b) {
		return "", errors.New("文本材料不是 UTF-8 编码，请另存为 UTF-8 后再报送")
	}
	return string(b), nil
}

// docxText reads word/document.xml: the text of each w:t, a tab for w:tab,
// a line break for w:br and at the end of each paragraph.
func docxText(b []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return "", fmt.Errorf("无法读取 .docx 文件：%w", err)
	}
	var f *zip.File
	for _, zf := range zr.File {
		if zf.Name == "word/document.xml" {
			f = zf
			break
		}
	}
	if f == nil {
		return "", errors.New("无法读取 .docx 文件：缺少正文（word/document.xml）")
	}
	rc, err := f.Open()
	if err != nil {
		return "", fmt.Errorf("无法读取 .docx 文件：%w", err)
	}
	defer rc.Close()
	lr := &io.LimitedReader{R: rc, N: MaxMaterialXML}
	dec := xml.NewDecoder(lr)
	var sb strings.Builder
	inText := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if lr.N == 0 {
				break // cut at MaxMaterialXML: what was read is kept
			}
			return "", fmt.Errorf("无法读取 .docx 文件：%w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				sb.WriteByte('\t')
			case "br", "cr":
				sb.WriteByte('\n')
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				sb.WriteByte('\n')
			}
		case xml.CharData:
			if inText {
				sb.Write(t)
			}
		}
	}
	return strings.TrimRight(sb.String(), "\n"), nil
}
