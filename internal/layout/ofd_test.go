package layout

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/shuniu-oa/shuniu/internal/layout/truetype"
)

// xmlNode is a generic element tree for structural checks.
type xmlNode struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Children []xmlNode  `xml:",any"`
	Text     string     `xml:",chardata"`
}

func (n *xmlNode) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n *xmlNode) walk(f func(*xmlNode)) {
	f(n)
	for i := range n.Children {
		n.Children[i].walk(f)
	}
}

func (n *xmlNode) child(local string) *xmlNode {
	for i := range n.Children {
		if n.Children[i].XMLName.Local == local {
			return &n.Children[i]
		}
	}
	return nil
}

func readZip(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return files
}

func parseXML(t *testing.T, name string, b []byte) *xmlNode {
	t.Helper()
	var n xmlNode
	if err := xml.Unmarshal(b, &n); err != nil {
		t.Fatalf("%s is not well-formed XML: %v", name, err)
	}
	return &n
}

// TestOFDStructure checks the package against the structural rules of
// GB/T 33190-2016: the entry file and its DocBody/DocInfo/DocRoot, the
// document's CommonData (MaxUnitID, PageArea, PublicRes) and page list,
// unique object IDs within MaxUnitID, fonts declared and embedded, every
// TextObject with Boundary, Font and Size, and DeltaX matching its text.
func TestOFDStructure(t *testing.T) {
	r := testRenderer(t)
	b, err := r.RenderOFD(context.Background(), loadSource(t, "notice.txt"), Options{Watermark: "张三 2024-01-05"})
	if err != nil {
		t.Fatal(err)
	}
	files := readZip(t, b)
	root := parseXML(t, "OFD.xml", files["OFD.xml"])
	if root.XMLName.Space != ofdNS || root.XMLName.Local != "OFD" || root.attr("Version") != "1.0" || root.attr("DocType") != "OFD" {
		t.Fatalf("OFD.xml root %v %v", root.XMLName, root.Attrs)
	}
	body := root.child("DocBody")
	if body == nil || body.child("DocInfo") == nil || body.child("DocRoot") == nil {
		t.Fatal("DocBody needs DocInfo and DocRoot")
	}
	if id := body.child("DocInfo").child("DocID"); id == nil || len(strings.TrimSpace(id.Text)) != 32 {
		t.Error("DocInfo needs a 32-hex DocID")
	}
	docPath := strings.TrimSpace(body.child("DocRoot").Text)
	doc := parseXML(t, docPath, files[docPath])
	base := path.Dir(docPath)
	cd := doc.child("CommonData")
	if cd == nil || cd.child("MaxUnitID") == nil || cd.child("PageArea") == nil || cd.child("PageArea").child("PhysicalBox") == nil {
		t.Fatal("CommonData needs MaxUnitID and PageArea/PhysicalBox")
	}
	if got := strings.TrimSpace(cd.child("PageArea").child("PhysicalBox").Text); got != "0 0 210 297" {
		t.Errorf("PhysicalBox %q, want A4 in mm", got)
	}
	maxID, _ := strconv.Atoi(strings.TrimSpace(cd.child("MaxUnitID").Text))
	ids := map[string]bool{}
	checkID := func(where string, n *xmlNode) {
		id := n.attr("ID")
		v, err := strconv.Atoi(id)
		if err != nil || v < 1 || v > maxID {
			t.Errorf("%s: ID %q not in 1..MaxUnitID(%d)", where, id, maxID)
		}
		if ids[id] {
			t.Errorf("%s: duplicate ID %s", where, id)
		}
		ids[id] = true
	}
	resPath := path.Join(base, strings.TrimSpace(cd.child("PublicRes").Text))
	res := parseXML(t, resPath, files[resPath])
	fonts := map[string]bool{}
	res.walk(func(n *xmlNode) {
		if n.XMLName.Local != "Font" {
			return
		}
		checkID("Font", n)
		fonts[n.attr("ID")] = true
		ff := path.Join(base, res.attr("BaseLoc"), strings.TrimSpace(n.child("FontFile").Text))
		data, ok := files[ff]
		if !ok {
			t.Errorf("font file %s missing", ff)
			return
		}
		if _, err := truetype.Parse(data); err != nil {
			t.Errorf("embedded font %s: %v", ff, err)
		}
	})
	if len(fonts) < 4 {
		t.Errorf("%d fonts declared, want the faces used", len(fonts))
	}
	pages := doc.child("Pages")
	if pages == nil || len(pages.Children) < 4 {
		t.Fatal("Pages missing or too short")
	}
	texts, measured := 0, 0
	for pi, pg := range pages.Children {
		checkID("Page", &pg)
		loc := path.Join(base, pg.attr("BaseLoc"))
		content := parseXML(t, loc, files[loc])
		content.walk(func(n *xmlNode) {
			switch n.XMLName.Local {
			case "Layer", "PathObject":
				checkID(n.XMLName.Local, n)
				if sc := n.child("StrokeColor"); pi == 0 && sc != nil && sc.attr("Value") == "255 0 0" {
					b := strings.Fields(n.attr("Boundary"))
					x, _ := strconv.ParseFloat(b[0], 64)
					w, _ := strconv.ParseFloat(b[2], 64)
					near(t, "OFD separator left", x, MarginLeft)
					near(t, "OFD separator width", w, BlockWidth)
					measured++
				}
			case "TextObject":
				checkID("TextObject", n)
				texts++
				if len(strings.Fields(n.attr("Boundary"))) != 4 {
					t.Errorf("TextObject %s: Boundary %q", n.attr("ID"), n.attr("Boundary"))
				}
				if !fonts[n.attr("Font")] {
					t.Errorf("TextObject %s refers to undeclared font %q", n.attr("ID"), n.attr("Font"))
				}
				if s, err := strconv.ParseFloat(n.attr("Size"), 64); err != nil || s <= 0 {
					t.Errorf("TextObject %s: Size %q", n.attr("ID"), n.attr("Size"))
				}
				tc := n.child("TextCode")
				if tc == nil {
					t.Errorf("TextObject %s has no TextCode", n.attr("ID"))
					return
				}
				if d := tc.attr("DeltaX"); d != "" && len(strings.Fields(d)) != utf8.RuneCountInString(tc.Text)-1 {
					t.Errorf("TextCode %q has %d DeltaX values", tc.Text, len(strings.Fields(d)))
				}
				if pi == 0 && tc.Text == "000123" {
					// The same geometry as the PDF: 份号 on line 1 of the 版心.
					b := strings.Fields(n.attr("Boundary"))
					x, _ := strconv.ParseFloat(b[0], 64)
					y, _ := strconv.ParseFloat(b[1], 64)
					near(t, "OFD 份号 left", x, MarginLeft)
					near(t, "OFD 份号 top", y, emTop(0, Size3))
					measured++
				}
			}
		})
	}
	if texts < 100 {
		t.Errorf("only %d TextObjects", texts)
	}
	if measured != 2 {
		t.Errorf("found %d of the 份号 and the red separator in the OFD, want both", measured)
	}
}

// TestDOCXStructure checks the parts a word processor needs and the page setup.
func TestDOCXStructure(t *testing.T) {
	r := testRenderer(t)
	b, err := r.RenderDOCX(context.Background(), loadSource(t, "notice.txt"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	files := readZip(t, b)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/settings.xml", "word/footer1.xml", "word/footer2.xml", "word/_rels/document.xml.rels", "docProps/core.xml"} {
		if _, ok := files[name]; !ok {
			t.Errorf("missing part %s", name)
			continue
		}
		parseXML(t, name, files[name])
	}
	doc := string(files["word/document.xml"])
	for _, want := range []string{
		`<w:pgSz w:w="11906" w:h="16838"/>`,
		`w:top="2098"`, `w:left="1587"`, `w:bottom="1984"`, `w:right="1474"`,
		`w:linePitch="579"`,
		`w:color="FF0000"`,
		`枢政发〔2024〕5号`, `<w:pageBreakBefore/>`, `2024年1月6日印发`,
		`枢纽市人民政府关于</w:t><w:br/>`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
	if !strings.Contains(string(files["word/styles.xml"]), `<w:spacing w:val="-5"/>`) {
		t.Error("styles.xml lacks the character spacing that fits 28 characters a line")
	}
	if !strings.Contains(string(files["word/settings.xml"]), "evenAndOddHeaders") {
		t.Error("odd and even footers are not enabled")
	}
	if !strings.Contains(string(files["word/footer1.xml"]), `w:jc w:val="right"`) || !strings.Contains(string(files["word/footer2.xml"]), `w:jc w:val="left"`) {
		t.Error("page numbers are not outside-aligned")
	}
}

// TestDOCXInLibreOffice opens the DOCX in LibreOffice, when it is installed
// (it is not part of scripts/setup-fonts.sh: it is large), and checks that
// the body keeps 28 characters a line.
func TestDOCXInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice not installed (apt-get install libreoffice-writer-nogui to run this check)")
	}
	needTool(t, "pdftotext")
	b, err := testRenderer(t).RenderDOCX(context.Background(), loadSource(t, "notice.txt"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "n.docx"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", "pdf", "--outdir", dir, filepath.Join(dir, "n.docx"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v: %s", err, out)
	}
	out, err := exec.Command("pdftotext", "-f", "2", "-l", "2", filepath.Join(dir, "n.pdf"), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	full := 0
	for _, l := range strings.Split(string(out), "\n") {
		cells := 0.0 // full-width characters count 1, half-width ½
		for _, r := range l {
			switch {
			case r == ' ':
			case r < 0x80:
				cells += 0.5
			default:
				cells++
			}
		}
		if cells == CharsPerLine {
			full++
		} else if cells > CharsPerLine {
			t.Errorf("line of %.1f characters: %q", cells, l)
		}
	}
	if full < 3 {
		t.Errorf("only %d lines of 28 characters on page 2:\n%s", full, out)
	}
}
