package layout

import (
	"archive/zip"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
)

// Font names a DOCX asks the word processor for. A DOCX carries names, not
// files: WPS and Word use the office's installed (licensed) faces.
const (
	docxFang = "仿宋_GB2312"
	docxXBS  = "方正小标宋简体"
	docxHei  = "黑体"
	docxKai  = "楷体_GB2312"
	docxSong = "宋体"
)

// OOXML page setup of GB/T 9704 in twentieths of a point (twips).
const (
	twipsPerMM    = 1440 / 25.4
	docxLinePitch = 579 // 225 mm / 22 lines ≈ 28.95 pt
	// docxCharSpacing condenses 16 pt characters by 0.25 pt (in twentieths of a
	// point) so that 28 fit in 156 mm (442.2 pt / 15.75 pt = 28.08). A
	// character grid (docGrid linesAndChars) would say the same to Word, but
	// LibreOffice reads its charSpace differently; plain spacing works in all.
	docxCharSpacing = -5
)

func twips(mm float64) int { return int(mm*twipsPerMM + 0.5) }

// docx accumulates the body of word/document.xml.
type docx struct{ b strings.Builder }

type dRun struct {
	text  string
	font  string
	size  int // half-points
	color string
	tabs  int // tab characters before the text
}

type dPara struct {
	align       string // left, center, right, both
	firstChars  int    // first-line indent in hundredths of a character
	leftChars   int
	rightChars  int
	hangChars   int
	before      int // lines before, in hundredths of a line
	pageBefore  bool
	borderBelow string // "red" for the 版头 separator
	borderTop   int    // eighths of a point; 0 none
	borderBot   int
	centreTabs  []int // centred tab stops, twips from the left margin
	runs        []dRun
}

func (d *docx) para(p dPara) {
	b := &d.b
	b.WriteString("<w:p><w:pPr>")
	if p.pageBefore {
		b.WriteString(`<w:pageBreakBefore/>`)
	}
	if p.borderBelow != "" || p.borderTop > 0 || p.borderBot > 0 {
		b.WriteString("<w:pBdr>")
		if p.borderTop > 0 {
			fmt.Fprintf(b, `<w:top w:val="single" w:sz="%d" w:space="1" w:color="000000"/>`, p.borderTop)
		}
		if p.borderBelow != "" {
			b.WriteString(`<w:bottom w:val="single" w:sz="12" w:space="11" w:color="FF0000"/>`)
		} else if p.borderBot > 0 {
			fmt.Fprintf(b, `<w:bottom w:val="single" w:sz="%d" w:space="1" w:color="000000"/>`, p.borderBot)
		}
		b.WriteString("</w:pBdr>")
	}
	if p.before > 0 {
		fmt.Fprintf(b, `<w:spacing w:beforeLines="%d"/>`, p.before)
	}
	if p.firstChars != 0 || p.leftChars != 0 || p.rightChars != 0 || p.hangChars != 0 {
		b.WriteString("<w:ind")
		if p.leftChars != 0 {
			fmt.Fprintf(b, ` w:leftChars="%d" w:left="%d"`, p.leftChars, p.leftChars*320/100)
		}
		if p.rightChars != 0 {
			fmt.Fprintf(b, ` w:rightChars="%d" w:right="%d"`, p.rightChars, p.rightChars*320/100)
		}
		if p.firstChars != 0 {
			fmt.Fprintf(b, ` w:firstLineChars="%d" w:firstLine="%d"`, p.firstChars, p.firstChars*320/100)
		}
		if p.hangChars != 0 {
			fmt.Fprintf(b, ` w:hangingChars="%d" w:hanging="%d"`, p.hangChars, p.hangChars*320/100)
		}
		b.WriteString("/>")
	}
	if len(p.centreTabs) > 0 {
		b.WriteString("<w:tabs>")
		for _, t := range p.centreTabs {
			fmt.Fprintf(b, `<w:tab w:val="center" w:pos="%d"/>`, t)
		}
		b.WriteString("</w:tabs>")
	}
	if p.align != "" {
		fmt.Fprintf(b, `<w:jc w:val="%s"/>`, p.align)
	}
	b.WriteString("</w:pPr>")
	for _, r := range p.runs {
		for range r.tabs {
			b.WriteString("<w:r><w:tab/></w:r>")
		}
		b.WriteString("<w:r><w:rPr>")
		if r.font != "" {
			fmt.Fprintf(b, `<w:rFonts w:ascii="%[1]s" w:hAnsi="%[1]s" w:eastAsia="%[1]s" w:cs="%[1]s"/>`, r.font)
		}
		if r.color != "" {
			fmt.Fprintf(b, `<w:color w:val="%s"/>`, r.color)
		}
		if r.size != 0 {
			fmt.Fprintf(b, `<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, r.size, r.size)
		}
		b.WriteString(`</w:rPr><w:t xml:space="preserve">`)
		for i, part := range strings.Split(r.text, "\n") {
			if i > 0 {
				b.WriteString(`</w:t><w:br/><w:t xml:space="preserve">`)
			}
			b.WriteString(xmlEsc(part))
		}
		b.WriteString("</w:t></w:r>")
	}
	b.WriteString("</w:p>")
}

func (d *docx) blank() { d.para(dPara{}) }

func (d *docx) bodyParas(ps []Paragraph) {
	for _, p := range ps {
		if p.Table != nil {
			d.table(p.Table)
			continue
		}
		var runs []dRun
		for _, sp := range headingSpans(p) {
			f := ""
			switch sp.face {
			case FaceHei:
				f = docxHei
			case FaceKai:
				f = docxKai
			}
			runs = append(runs, dRun{text: sp.text, font: f})
		}
		d.para(dPara{align: "both", firstChars: 200, runs: runs})
	}
}

// WriteDOCX writes doc as an editable DOCX with the GB/T 9704 page setup
// (A4, margins 37/35/28/26 mm, a 22-line grid, 3号仿宋 body), styles for the
// title and heading levels, the red separator, and outside-aligned page
// numbers on odd and even pages. The 版记 follows the text rather than being
// pinned to the foot of the last even page: word processors reflow, so the
// clerk places it when editing.
func (fs *Fonts) WriteDOCX(w io.Writer, doc *Document, opts Options) error {
	if err := doc.Validate(); err != nil {
		return err
	}
	d := &docx{}
	copyNo, err := copyNumber(doc, opts)
	if err != nil {
		return err
	}
	if copyNo != "" {
		d.para(dPara{runs: []dRun{{text: copyNo}}})
	}
	if doc.Classification != "" {
		d.para(dPara{runs: []dRun{{text: doc.Classification, font: docxHei}}})
	}
	if doc.Urgency != "" {
		d.para(dPara{runs: []dRun{{text: doc.Urgency, font: docxHei}}})
	}
	if doc.IssuerMark != "" {
		d.para(dPara{align: "center", before: 100, runs: []dRun{{text: doc.IssuerMark, font: docxXBS, size: 84, color: "FF0000"}}})
		d.blank()
	}
	switch {
	case len(doc.Signers) > 0 && doc.Format != FormatOrder:
		runs := []dRun{{text: doc.DocNumber + "\u3000\u3000\u3000\u3000"}, {text: "签发人："}}
		runs = append(runs, dRun{text: strings.Join(doc.Signers, "\u3000"), font: docxKai})
		d.para(dPara{align: "center", borderBelow: "red", runs: runs})
	case doc.DocNumber != "":
		p := dPara{align: "center", runs: []dRun{{text: doc.DocNumber}}}
		if doc.Format != FormatOrder {
			p.borderBelow = "red"
		}
		d.para(p)
	}
	d.blank()
	if doc.Format != FormatOrder {
		d.blank()
		d.para(dPara{align: "center", runs: []dRun{{text: fs.titleLines(doc.Title), font: docxXBS, size: 44}}})
		d.blank()
	}
	if doc.To != "" {
		d.para(dPara{runs: []dRun{{text: doc.To + "："}}})
	}
	d.bodyParas(doc.Body)
	if len(doc.AttachmentNote) > 0 {
		d.blank()
		for i, n := range doc.AttachmentNote {
			label := "附件："
			if i > 0 {
				label = "\u3000\u3000\u3000"
			}
			num := ""
			if len(doc.AttachmentNote) > 1 {
				num = fmt.Sprintf("%d.", i+1)
			}
			d.para(dPara{firstChars: 200, runs: []dRun{{text: label + num + n}}})
		}
	}
	for _, a := range doc.Attendance {
		d.para(dPara{firstChars: 200, runs: []dRun{{text: a.Label + "：", font: docxHei}, {text: a.Names}}})
	}
	signer := doc.Issuer
	if doc.Format == FormatOrder && doc.SignerTitle != "" {
		signer = doc.SignerTitle
	}
	if signer != "" || doc.Date != "" {
		d.blank()
		if doc.Sealed || doc.Format == FormatOrder {
			d.blank()
		}
		right := 200
		if doc.Sealed || doc.Format == FormatOrder {
			right = 400
		}
		if names := issuers(signer); doc.Sealed && doc.Format != FormatOrder && len(names) > 1 {
			fs.docxSealedRows(d, names, doc.Date)
		} else {
			for _, n := range names {
				d.para(dPara{align: "right", rightChars: right, runs: []dRun{{text: n}}})
			}
		}
		if doc.Date != "" {
			d.para(dPara{align: "right", rightChars: right, runs: []dRun{{text: doc.Date}}})
		}
	}
	if n := strings.TrimSpace(doc.Note); n != "" {
		if !strings.HasPrefix(n, "（") {
			n = "（" + n + "）"
		}
		d.para(dPara{firstChars: 200, runs: []dRun{{text: n}}})
	}
	attachment := func(i int, a Attachment) {
		runs := []dRun{{text: attachmentLabel(i, len(doc.Attachments)), font: docxHei}}
		if a.BoundSeparately && doc.DocNumber != "" {
			runs = append([]dRun{{text: doc.DocNumber}}, runs...)
		}
		d.para(dPara{pageBefore: true, runs: runs})
		d.blank()
		d.para(dPara{align: "center", runs: []dRun{{text: fs.titleLines(a.Title), font: docxXBS, size: 44}}})
		d.blank()
		d.bodyParas(a.Body)
	}
	for i, a := range doc.Attachments {
		if !a.BoundSeparately {
			attachment(i, a)
		}
	}
	if doc.Format != FormatLetter && (doc.Cc != "" || doc.PrintIssuer != "" || doc.PrintDate != "") {
		d.blank()
		if doc.Cc != "" {
			d.para(dPara{leftChars: 100, rightChars: 100, hangChars: 300, borderTop: 8, borderBot: 4,
				runs: []dRun{{text: "抄送：" + doc.Cc + "。", size: 28}}})
		}
		runs := []dRun{{text: doc.PrintIssuer, size: 28}}
		if doc.PrintDate != "" {
			runs = append(runs, dRun{text: "\t" + doc.PrintDate + "印发", size: 28})
		}
		top := 0
		if doc.Cc == "" {
			top = 8
		}
		d.b.WriteString("")
		d.para(dPara{leftChars: 100, rightChars: 100, borderTop: top, borderBot: 8, runs: runs})
	} else if doc.Cc != "" {
		d.blank()
		d.para(dPara{leftChars: 100, hangChars: 300, runs: []dRun{{text: "抄送：" + doc.Cc + "。", size: 28}}})
	}
	// Attachments bound separately follow the 版记 (their own page numbers
	// would need a section of their own; the word processor numbers on).
	for i, a := range doc.Attachments {
		if a.BoundSeparately {
			attachment(i, a)
		}
	}
	return writeDocxPackage(w, doc.Title, d.b.String())
}

// docxSealedRows sets a joint sealed document's 署名 in the PDF's rows and
// columns: one paragraph a row, each name on a centred tab stop, rows four
// blank lines apart so the word processor leaves room for the seals.
func (fs *Fonts) docxSealedRows(d *docx, names []string, date string) {
	ts := &typesetter{fs: fs}
	iw := 0.0
	for _, n := range names {
		iw = math.Max(iw, ts.gridWidth(FaceFang, n))
	}
	dw := ts.gridWidth(FaceFang, date)
	perRow, rows, colX := sealColumns(len(names), iw, blockR-4*CharPitch-dw/2)
	tabs := make([]int, perRow)
	for c := range tabs {
		tabs[c] = twips(colX(c) - MarginLeft)
	}
	for r := 0; r < rows; r++ {
		if r > 0 {
			for range sealRowLines - 1 {
				d.blank()
			}
		}
		row := names[r*perRow : min((r+1)*perRow, len(names))]
		var runs []dRun
		for i, n := range row {
			skip := 1
			if i == 0 {
				skip = perRow - len(row) + 1 // a short last row keeps to the right
			}
			runs = append(runs, dRun{text: n, tabs: skip})
		}
		d.para(dPara{align: "left", centreTabs: tabs, runs: runs})
	}
}

// titleLines breaks a title as the PDF does, so that the word processor shows
// the same balanced lines.
func (fs *Fonts) titleLines(title string) string {
	ts := &typesetter{fs: fs}
	ls := lineSpec{size: Size2, width: BlockWidth}
	us := ts.units([]span{{FaceXiaoBiaoSong, title}}, ls)
	lines := breakUnits(us, ls)
	if len(lines) > 1 {
		lines = balanceTitle(us, len(lines))
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		for _, u := range l {
			out[i] += string(u.runes)
		}
	}
	return strings.Join(out, "\n")
}

func writeDocxPackage(w io.Writer, title, body string) error {
	const wNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	footer := func(align string, indent string) string {
		return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
			`<w:ftr ` + wNS + `><w:p><w:pPr><w:jc w:val="` + align + `"/>` + indent + `</w:pPr>` +
			`<w:r><w:rPr><w:rFonts w:ascii="` + docxSong + `" w:hAnsi="` + docxSong + `" w:eastAsia="` + docxSong + `"/><w:sz w:val="28"/></w:rPr><w:t xml:space="preserve">— </w:t></w:r>` +
			`<w:r><w:rPr><w:rFonts w:ascii="` + docxSong + `" w:hAnsi="` + docxSong + `"/><w:sz w:val="28"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r>` +
			`<w:r><w:rPr><w:sz w:val="28"/></w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
			`<w:r><w:rPr><w:sz w:val="28"/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r>` +
			`<w:r><w:rPr><w:sz w:val="28"/></w:rPr><w:t>1</w:t></w:r>` +
			`<w:r><w:rPr><w:sz w:val="28"/></w:rPr><w:fldChar w:fldCharType="end"/></w:r>` +
			`<w:r><w:rPr><w:rFonts w:ascii="` + docxSong + `" w:hAnsi="` + docxSong + `" w:eastAsia="` + docxSong + `"/><w:sz w:val="28"/></w:rPr><w:t xml:space="preserve"> —</w:t></w:r>` +
			`</w:p></w:ftr>`
	}
	sect := fmt.Sprintf(`<w:sectPr><w:footerReference w:type="default" r:id="rIdFtrOdd"/><w:footerReference w:type="even" r:id="rIdFtrEven"/>`+
		`<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="851" w:footer="%d" w:gutter="0"/>`+
		`<w:docGrid w:type="lines" w:linePitch="%d"/></w:sectPr>`,
		twips(MarginTop), twips(PageWidth-MarginLeft-BlockWidth), twips(PageHeight-MarginTop-BlockHeight), twips(MarginLeft),
		twips(PageHeight-(blockB+7+Size4)), docxLinePitch)
	files := []struct{ name, data string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`},
		{"docProps/core.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>` + xmlEsc(title) + `</dc:title><dc:creator>Shuniu</dc:creator></cp:coreProperties>`},
		{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rIdFtrOdd" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/><Relationship Id="rIdFtrEven" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/></Relationships>`},
		{"word/settings.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings ` + wNS + `><w:evenAndOddHeaders/><w:defaultTabStop w:val="640"/><w:characterSpacingControl w:val="compressPunctuation"/></w:settings>`},
		{"word/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles ` + wNS + `><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="` + docxFang + `" w:hAnsi="` + docxFang + `" w:eastAsia="` + docxFang + `" w:cs="` + docxFang + `"/><w:spacing w:val="` + fmt.Sprint(docxCharSpacing) + `"/><w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/><w:snapToGrid w:val="1"/><w:spacing w:line="` + fmt.Sprint(docxLinePitch) + `" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>` +
			`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
			`<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:rFonts w:ascii="` + docxXBS + `" w:hAnsi="` + docxXBS + `" w:eastAsia="` + docxXBS + `"/><w:sz w:val="44"/></w:rPr></w:style>` +
			`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:ascii="` + docxHei + `" w:hAnsi="` + docxHei + `" w:eastAsia="` + docxHei + `"/></w:rPr></w:style>` +
			`<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:rFonts w:ascii="` + docxKai + `" w:hAnsi="` + docxKai + `" w:eastAsia="` + docxKai + `"/></w:rPr></w:style>` +
			`</w:styles>`},
		{"word/footer1.xml", footer("right", `<w:ind w:rightChars="100" w:right="280"/>`)},
		{"word/footer2.xml", footer("left", `<w:ind w:leftChars="100" w:left="280"/>`)},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document ` + wNS + `><w:body>` + body + sect + `</w:body></w:document>`},
	}
	zw := zip.NewWriter(w)
	stamp := time.Date(2012, 7, 1, 0, 0, 0, 0, time.UTC)
	for _, f := range files {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return fmt.Errorf("写出 DOCX：%w", err)
		}
		if _, err := io.WriteString(fw, f.data); err != nil {
			return fmt.Errorf("写出 DOCX：%w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("写出 DOCX：%w", err)
	}
	return nil
}
