package textextract

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func zipOf(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for name, body := range files {
		f, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const docxBody = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>关于做好</w:t></w:r><w:r><w:t xml:space="preserve">汛期值守</w:t></w:r><w:r><w:t>工作的通知</w:t></w:r></w:p>
<w:p><w:r><w:t>一、</w:t></w:r><w:r><w:tab/><w:t>压实第一责任人</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>白沙镇</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
</w:body></w:document>`

func ofdOf(t testing.TB) []byte {
	return zipOf(t, map[string]string{
		"OFD.xml": `<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0"><ofd:DocBody>
			<ofd:DocInfo><ofd:Title>t</ofd:Title></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`,
		"Doc_0/Document.xml": `<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Pages>
			<ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/><ofd:Page ID="2" BaseLoc="/Doc_0/Pages/Page_1/Content.xml"/></ofd:Pages></ofd:Document>`,
		"Doc_0/Pages/Page_0/Content.xml": `<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer>
			<ofd:TextObject ID="3"><ofd:TextCode X="0" Y="10">清澜区人民政府办公室</ofd:TextCode></ofd:TextObject>
			<ofd:TextObject ID="4"><ofd:TextCode X="0" Y="20">关于防汛</ofd:TextCode><ofd:TextCode X="40" Y="20">物资储备的通知</ofd:TextCode></ofd:TextObject>
			</ofd:Layer></ofd:Content></ofd:Page>`,
		"Doc_0/Pages/Page_1/Content.xml": `<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer>
			<ofd:TextObject ID="5"><ofd:TextCode>第二页</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>`,
	})
}

// minimalPDF is a one-page PDF with a line of Helvetica text; pdftotext
// mends its cross-reference table, which is left out.
const minimalPDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 100]/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>endobj\n" +
	"4 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n" +
	"5 0 obj<</Length 44>>stream\nBT /F1 12 Tf 10 50 Td (Flood duty 2026) Tj ET\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

func TestText(t *testing.T) {
	gbk, _ := simplifiedchinese.GB18030.NewEncoder().String("防汛值守安排")
	cases := []struct {
		name string
		data []byte
		want []string
	}{
		{"a.txt", []byte("\xef\xbb\xbf通知正文：第一责任人"), []string{"通知正文：第一责任人"}},
		{"b.TXT", []byte(gbk), []string{"防汛值守安排"}},
		{"c.docx", zipOf(t, map[string]string{"word/document.xml": docxBody}), []string{"关于做好汛期值守工作的通知\n", "一、\t压实第一责任人", "白沙镇"}},
		{"d.ofd", ofdOf(t), []string{"清澜区人民政府办公室\n", "关于防汛物资储备的通知\n", "第二页"}},
	}
	for _, c := range cases {
		got, err := Text(context.Background(), c.name, c.data)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", c.name, got, w)
			}
		}
	}
	// What cannot be read says so and yields nothing harmful.
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"x.docx", []byte("not a zip")},
		{"x.docx", zipOf(t, map[string]string{"other.xml": "<a/>"})},
		{"x.ofd", zipOf(t, map[string]string{"OFD.xml": "<OFD><DocBody><DocRoot>../../etc/passwd</DocRoot></DocBody></OFD>"})},
		{"x.pdf", []byte("%PDF-1.4 broken")},
	} {
		if _, err := Text(context.Background(), c.name, c.data); err == nil {
			t.Errorf("%s %q: no error", c.name, c.data)
		}
	}
	if _, err := Text(context.Background(), "photo.jpg", []byte{0xff, 0xd8}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("jpg: %v", err)
	}
}

func TestPDF(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if _, err := PDF(context.Background(), []byte(minimalPDF)); !errors.Is(err, ErrNoPDFTool) {
			t.Fatalf("without pdftotext: %v", err)
		}
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	got, err := Text(context.Background(), "f.pdf", []byte(minimalPDF))
	if err != nil || !strings.Contains(got, "Flood duty 2026") {
		t.Fatalf("%q %v", got, err)
	}
	t.Setenv("PATH", t.TempDir())
	if _, err := PDF(context.Background(), []byte(minimalPDF)); !errors.Is(err, ErrNoPDFTool) {
		t.Fatalf("without pdftotext on the path: %v", err)
	}
}

func FuzzPlain(f *testing.F) {
	f.Add([]byte("通知"))
	f.Add([]byte{0xb7, 0xc0, 0xd1, 0xb4, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		if s := Plain(data); !utf8Valid(s) {
			t.Fatalf("invalid UTF-8 from %q", data)
		}
	})
}

func FuzzDocx(f *testing.F) {
	f.Add(zipOf(f, map[string]string{"word/document.xml": docxBody}))
	f.Add([]byte(docxBody))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, _ := Text(context.Background(), "f.docx", data)
		if !utf8Valid(s) {
			t.Fatalf("invalid UTF-8")
		}
	})
}

func FuzzDocxXML(f *testing.F) {
	f.Add(docxBody)
	f.Fuzz(func(t *testing.T, body string) {
		s, _ := Docx(zipOf(t, map[string]string{"word/document.xml": body}))
		if !utf8Valid(clip(s)) {
			t.Fatalf("invalid UTF-8")
		}
	})
}

func FuzzOFD(f *testing.F) {
	f.Add(ofdOf(f))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, _ := Text(context.Background(), "f.ofd", data)
		if !utf8Valid(s) {
			t.Fatalf("invalid UTF-8")
		}
	})
}

func FuzzOFDXML(f *testing.F) {
	f.Add(`<OFD><DocBody><DocRoot>Doc_0/Document.xml</DocRoot></DocBody></OFD>`, `<Document><Pages><Page BaseLoc="Pages/Page_0/Content.xml"/></Pages></Document>`,
		`<Page><Content><Layer><TextObject><TextCode>清澜区</TextCode></TextObject></Layer></Content></Page>`)
	f.Fuzz(func(t *testing.T, root, doc, page string) {
		s, _ := OFD(zipOf(t, map[string]string{"OFD.xml": root, "Doc_0/Document.xml": doc, "Doc_0/Pages/Page_0/Content.xml": page}))
		if !utf8Valid(clip(s)) {
			t.Fatalf("invalid UTF-8")
		}
	})
}

func FuzzPDF(f *testing.F) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		f.Skip("pdftotext (poppler-utils) is not installed")
	}
	f.Add([]byte(minimalPDF))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, _ := Text(context.Background(), "f.pdf", data)
		if !utf8Valid(s) {
			t.Fatalf("invalid UTF-8")
		}
	})
}

func utf8Valid(s string) bool {
	return strings.ToValidUTF8(s, "\uFFFD") == s && !strings.Contains(s, "\x00")
}
