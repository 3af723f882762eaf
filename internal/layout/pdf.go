package layout

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
)

// usedGlyphs collects, per face, the characters placed on the pages and
// their glyph ids.
func (fs *Fonts) usedGlyphs(pages []*Page) [numFaces]map[rune]uint16 {
	var used [numFaces]map[rune]uint16
	for _, p := range pages {
		for _, t := range p.Texts {
			if used[t.Face] == nil {
				used[t.Face] = map[rune]uint16{}
			}
			m := used[t.Face]
			for _, g := range t.Glyphs {
				if _, ok := m[g.R]; ok {
					continue
				}
				if id, ok := fs.font(t.Face).GlyphIndex(g.R); ok {
					m[g.R] = id
				}
			}
		}
	}
	return used
}

// pdfWriter numbers objects and records their offsets for the xref table.
type pdfWriter struct {
	w       *bufio.Writer
	n       int64
	offsets []int64
	err     error
	zbuf    bytes.Buffer
	zw      *zlib.Writer // reused for every stream: a deflate state is large
}

func (pw *pdfWriter) Write(b []byte) (int, error) {
	if pw.err != nil {
		return 0, pw.err
	}
	n, err := pw.w.Write(b)
	pw.n += int64(n)
	pw.err = err
	return n, err
}

func (pw *pdfWriter) printf(format string, a ...any) { fmt.Fprintf(pw, format, a...) }

// begin starts object id (ids are allocated in advance, 1-based).
func (pw *pdfWriter) begin(id int) {
	for len(pw.offsets) < id {
		pw.offsets = append(pw.offsets, 0)
	}
	pw.offsets[id-1] = pw.n
	pw.printf("%d 0 obj\n", id)
}

func (pw *pdfWriter) stream(id int, dict string, data []byte, compress bool) {
	if compress {
		pw.zbuf.Reset()
		if pw.zw == nil {
			pw.zw, _ = zlib.NewWriterLevel(&pw.zbuf, zlib.BestSpeed)
		} else {
			pw.zw.Reset(&pw.zbuf)
		}
		pw.zw.Write(data)
		pw.zw.Close()
		data = pw.zbuf.Bytes()
		dict += " /Filter /FlateDecode"
	}
	pw.begin(id)
	pw.printf("<< %s /Length %d >>\nstream\n", dict, len(data))
	pw.Write(data)
	pw.printf("\nendstream\nendobj\n")
}

func num(f float64) string {
	s := strconv.FormatFloat(f, 'f', 3, 64)
	for len(s) > 1 && s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	s = trimDot(s)
	if s == "-0" {
		return "0"
	}
	return s
}

func trimDot(s string) string {
	if len(s) > 0 && s[len(s)-1] == '.' {
		return s[:len(s)-1]
	}
	return s
}

func pt(mm float64) float64 { return mm / ptMM }

func pdfString(s string) string {
	var b bytes.Buffer
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}

// baselineRatio is where the baseline sits in the em box, from its top, so
// that the em box spans the font's ascent to descent.
func (fs *Fonts) baselineRatio(f Face) float64 {
	fn := fs.font(f)
	if fn.Ascent-fn.Descent <= 0 {
		return 0.88
	}
	return float64(fn.Ascent) / float64(fn.Ascent-fn.Descent)
}

// WritePDF writes the pages as a PDF 1.7 file with the fonts embedded as
// TrueType subsets (CIDFontType2, Identity-H, with a ToUnicode map so the
// text can be searched and extracted).
func (fs *Fonts) WritePDF(w io.Writer, pages []*Page, title string) error {
	return fs.writePDF(w, pages, title, nil)
}

// WriteSealedPDF writes the pages as WritePDF does, with each stamp's image
// over its seal place and one signature field whose value is the sealer's
// CMS signature (SubFilter adbe.pkcs7.detached) over the whole file except
// that value (/ByteRange).
func (fs *Fonts) WriteSealedPDF(w io.Writer, pages []*Page, title string, sealer Sealer) error {
	if sealer == nil {
		return errors.New("没有盖章者")
	}
	return fs.writePDF(w, pages, title, sealer)
}

// pdfSigReserve is the room kept for the CMS signature, in bytes, beyond
// pdfSigPerStamp for each signer (an SM2 signer with its certificate takes
// under 1 KiB).
const (
	pdfSigReserve  = 4096
	pdfSigPerStamp = 3072
)

func (fs *Fonts) writePDF(w io.Writer, pages []*Page, title string, sealer Sealer) error {
	var (
		stamps []Stamp
		images []*sealImage
	)
	if sealer != nil {
		var err error
		if stamps, _, err = stampPlaces(pages, sealer); err != nil {
			return err
		}
		for _, s := range stamps {
			im, err := decodeStamp(s)
			if err != nil {
				return err
			}
			images = append(images, im)
		}
	}
	used := fs.usedGlyphs(pages)
	out := w
	var sealed bytes.Buffer
	if sealer != nil {
		// The signature covers the finished file: write it whole, then
		// fill in the byte range and the signature.
		out = &sealed
	}
	pw := &pdfWriter{w: bufio.NewWriterSize(out, 64<<10)}
	pw.printf("%%PDF-1.7\n%%\xe2\xe3\xcf\xd3\n")

	// Object ids: 1 catalog, 2 page tree, 3 info, 4 graphics state, then 5
	// per used face, then 2 per page, then (sealed) 2 per stamp image and
	// the signature value and its field.
	next := 5
	var fontID [numFaces]int
	for f := Face(0); f < numFaces; f++ {
		if len(used[f]) > 0 {
			fontID[f] = next
			next += 5
		}
	}
	pageID := make([]int, len(pages))
	for i := range pages {
		pageID[i] = next
		next += 2
	}
	imageID := make([]int, len(images))
	for i := range images {
		imageID[i] = next
		next += 2
	}
	sigID, fieldID, fieldPage := next, next+1, -1
	if sealer != nil {
		for i, p := range pages {
			if len(p.Seals) > 0 {
				fieldPage = i
				break
			}
		}
	}

	pw.begin(1)
	if sealer != nil {
		pw.printf("<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [%d 0 R] /SigFlags 3 >> >>\nendobj\n", fieldID)
	} else {
		pw.printf("<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
	}
	pw.begin(2)
	pw.printf("<< /Type /Pages /Count %d /Kids [", len(pages))
	for _, id := range pageID {
		pw.printf(" %d 0 R", id)
	}
	pw.printf(" ] >>\nendobj\n")
	pw.begin(3)
	pw.printf("<< /Producer (Shuniu) /Title %s >>\nendobj\n", pdfString(title))
	pw.begin(4)
	pw.printf("<< /Type /ExtGState /ca 0.25 /CA 0.25 >>\nendobj\n")

	var resFonts bytes.Buffer
	var remap [numFaces]map[uint16]uint16
	for f := Face(0); f < numFaces; f++ {
		if fontID[f] == 0 {
			continue
		}
		fmt.Fprintf(&resFonts, " /F%d %d 0 R", f, fontID[f])
		remap[f] = fs.writePDFFont(pw, f, fontID[f], used[f])
	}
	var resImages bytes.Buffer
	for i, im := range images {
		fmt.Fprintf(&resImages, " /Seal%d %d 0 R", i, imageID[i])
		pw.begin(imageID[i])
		pw.printf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 /SMask %d 0 R /Filter /FlateDecode /Length %d >>\nstream\n", im.w, im.h, imageID[i]+1, len(im.rgb))
		pw.Write(im.rgb)
		pw.printf("\nendstream\nendobj\n")
		pw.begin(imageID[i] + 1)
		pw.printf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n", im.w, im.h, len(im.alpha))
		pw.Write(im.alpha)
		pw.printf("\nendstream\nendobj\n")
	}
	res := fmt.Sprintf("<< /Font <<%s >> /ExtGState << /GS1 4 0 R >> >>", resFonts.String())
	if len(images) > 0 {
		// Multiply: the text under a seal shows through its ink, as on paper.
		res = fmt.Sprintf("<< /Font <<%s >> /ExtGState << /GS1 4 0 R /GSM << /Type /ExtGState /BM /Multiply >> >> /XObject <<%s >> >>", resFonts.String(), resImages.String())
	}

	var content bytes.Buffer
	stamp := 0
	for i, p := range pages {
		content.Reset()
		fs.pageContent(&content, p, &remap)
		if sealer != nil {
			// The seals go over the text (红章压字), as ink does.
			for _, place := range p.Seals {
				im := images[stamp]
				x, y, bw, bh := fitBox(place, im.w, im.h)
				fmt.Fprintf(&content, "q /GSM gs %s 0 0 %s %s %s cm /Seal%d Do Q\n", num(pt(bw)), num(pt(bh)), num(pt(x)), num(pt(p.Height-y-bh)), stamp)
				stamp++
			}
		}
		annots := ""
		if i == fieldPage {
			annots = fmt.Sprintf(" /Annots [%d 0 R]", fieldID)
		}
		pw.begin(pageID[i])
		pw.printf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] /Resources %s /Contents %d 0 R%s >>\nendobj\n",
			num(pt(p.Width)), num(pt(p.Height)), res, pageID[i]+1, annots)
		pw.stream(pageID[i]+1, "", content.Bytes(), true)
	}

	var byteRangeAt, contentsAt, contentsEnd int64
	if sealer != nil {
		names := make([]string, len(stamps))
		for i, s := range stamps {
			names[i] = s.Name
		}
		reserve := pdfSigReserve + pdfSigPerStamp*len(stamps)
		pw.begin(sigID)
		pw.printf("<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /Name %s /Reason %s /M (%s) /ByteRange ",
			pdfString(strings.Join(names, "、")), pdfString("电子印章"), pdfDate(sealer.SigningTime()))
		byteRangeAt = pw.n
		pw.printf("[0 0000000000 0000000000 0000000000] /Contents ")
		contentsAt = pw.n
		pw.printf("<%s>", strings.Repeat("0", 2*reserve))
		contentsEnd = pw.n
		pw.printf(" >>\nendobj\n")
		// The field and its widget in one dictionary; the widget has no
		// area, as the seals are drawn in the page content.
		pw.begin(fieldID)
		pw.printf("<< /Type /Annot /Subtype /Widget /FT /Sig /T %s /V %d 0 R /F 132 /Rect [0 0 0 0] /P %d 0 R >>\nendobj\n",
			pdfString("电子印章"), sigID, pageID[fieldPage])
	}

	xref := pw.n
	pw.printf("xref\n0 %d\n0000000000 65535 f \n", len(pw.offsets)+1)
	for _, o := range pw.offsets {
		pw.printf("%010d 00000 n \n", o)
	}
	pw.printf("trailer\n<< /Size %d /Root 1 0 R /Info 3 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(pw.offsets)+1, xref)
	if pw.err != nil {
		return fmt.Errorf("写出 PDF：%w", pw.err)
	}
	if err := pw.w.Flush(); err != nil {
		return fmt.Errorf("写出 PDF：%w", err)
	}
	if sealer == nil {
		return nil
	}

	file := sealed.Bytes()
	br := fmt.Sprintf("[0 %010d %010d %010d]", contentsAt, contentsEnd, int64(len(file))-contentsEnd)
	copy(file[byteRangeAt:], br)
	signed := make([]byte, 0, int64(len(file))-(contentsEnd-contentsAt))
	signed = append(append(signed, file[:contentsAt]...), file[contentsEnd:]...)
	sig, err := sealer.SignPDF(signed)
	if err != nil {
		return fmt.Errorf("加盖电子印章：%w", err)
	}
	if 2*len(sig) > int(contentsEnd-contentsAt)-2 {
		return fmt.Errorf("加盖电子印章：签名（%d 字节）超出预留空间", len(sig))
	}
	hex.Encode(file[contentsAt+1:], sig)
	if _, err := w.Write(file); err != nil {
		return fmt.Errorf("写出 PDF：%w", err)
	}
	return nil
}

// writePDFFont embeds the subset of face f and returns the map from the
// font's glyph ids to the subset's, which are the CIDs in the content.
func (fs *Fonts) writePDFFont(pw *pdfWriter, f Face, id int, used map[rune]uint16) map[uint16]uint16 {
	fn := fs.font(f)
	sub, remap := fn.Subset(used)
	upm := float64(fn.UnitsPerEm)
	scale := func(v int) float64 { return math.Round(float64(v) * 1000 / upm) }
	name := fmt.Sprintf("SHUN%c%c+%s", 'A'+rune(f), 'A', fn.PostScript)
	if fn.PostScript == "" {
		name = fmt.Sprintf("SHUN%c%c+Shuniu%d", 'A'+rune(f), 'A', f)
	}
	gids := make([]int, 0, len(used))
	uni := map[uint16]rune{}
	for r, g := range used {
		if _, dup := uni[g]; !dup {
			gids = append(gids, int(g))
		}
		if old, ok := uni[g]; !ok || r < old {
			uni[g] = r
		}
	}
	sort.Ints(gids)

	pw.begin(id)
	pw.printf("<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>\nendobj\n", name, id+1, id+4)

	var wa bytes.Buffer
	for _, g := range gids {
		fmt.Fprintf(&wa, "%d [%s] ", remap[uint16(g)], num(scale(fn.Advance(uint16(g)))))
	}
	pw.begin(id + 1)
	pw.printf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 1000 /W [%s] /CIDToGIDMap /Identity >>\nendobj\n", name, id+2, wa.String())

	asc, desc := fn.Ascent, fn.Descent
	if asc-desc > 0 {
		// Normalise so that ascent − descent is one em: text extraction then
		// reports the em box.
		total := float64(asc - desc)
		asc, desc = int(math.Round(float64(asc)/total*upm)), int(math.Round(float64(desc)/total*upm))
	}
	pw.begin(id + 2)
	pw.printf("<< /Type /FontDescriptor /FontName /%s /Flags 4 /FontBBox [%s %s %s %s] /ItalicAngle 0 /Ascent %s /Descent %s /CapHeight %s /StemV 80 /FontFile2 %d 0 R >>\nendobj\n",
		name, num(scale(fn.BBox[0])), num(scale(fn.BBox[1])), num(scale(fn.BBox[2])), num(scale(fn.BBox[3])),
		num(scale(asc)), num(scale(desc)), num(scale(fn.CapHeight)), id+3)
	pw.stream(id+3, fmt.Sprintf("/Length1 %d", len(sub)), sub, true)

	var cm bytes.Buffer
	cm.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for i := 0; i < len(gids); i += 100 {
		chunk := gids[i:min(i+100, len(gids))]
		fmt.Fprintf(&cm, "%d beginbfchar\n", len(chunk))
		for _, g := range chunk {
			fmt.Fprintf(&cm, "<%04X> <", remap[uint16(g)])
			for _, u := range utf16.Encode([]rune{uni[uint16(g)]}) {
				fmt.Fprintf(&cm, "%04X", u)
			}
			cm.WriteString(">\n")
		}
		cm.WriteString("endbfchar\n")
	}
	cm.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	pw.stream(id+4, "", cm.Bytes(), true)
	return remap
}

func colorOp(c Color) string {
	return fmt.Sprintf("%s %s %s", num(float64(c.R)/255), num(float64(c.G)/255), num(float64(c.B)/255))
}

func (fs *Fonts) pageContent(b *bytes.Buffer, p *Page, remap *[numFaces]map[uint16]uint16) {
	H := p.Height
	for _, r := range p.Rules {
		fmt.Fprintf(b, "%s RG %s w 0 J %s %s m %s %s l S\n", colorOp(r.Color), num(pt(r.Width)),
			num(pt(r.X1)), num(pt(H-r.Y1)), num(pt(r.X2)), num(pt(H-r.Y2)))
	}
	for i := range p.Texts {
		t := &p.Texts[i]
		if len(t.Glyphs) == 0 {
			continue
		}
		fn := fs.font(t.Face)
		hs := t.HScale
		if hs == 0 {
			hs = 1
		}
		size := pt(t.Size)
		// Horizontal scaling (Tz) is graphics state and outlives ET: a
		// compressed run is wrapped in q…Q so the runs after it are not.
		saved := t.Alpha > 0 || hs != 1
		if saved {
			b.WriteString("q ")
		}
		if t.Alpha > 0 {
			b.WriteString("/GS1 gs\n")
		}
		fmt.Fprintf(b, "BT %s rg /F%d %s Tf ", colorOp(t.Color), t.Face, num(size))
		if hs != 1 {
			fmt.Fprintf(b, "%s Tz ", num(hs*100))
		}
		x0 := pt(t.Glyphs[0].X)
		y0 := pt(H - t.Top - t.Size*fs.baselineRatio(t.Face))
		if t.Rotate != 0 {
			a := t.Rotate * math.Pi / 180
			fmt.Fprintf(b, "%s %s %s %s %s %s Tm [", num(math.Cos(a)), num(math.Sin(a)), num(-math.Sin(a)), num(math.Cos(a)), num(x0), num(y0))
		} else {
			fmt.Fprintf(b, "1 0 0 1 %s %s Tm [", num(x0), num(y0))
		}
		upm := float64(fn.UnitsPerEm)
		b.WriteByte('<')
		for j, g := range t.Glyphs {
			id, _ := fn.GlyphIndex(g.R)
			fmt.Fprintf(b, "%04X", remap[t.Face][id])
			if j+1 < len(t.Glyphs) {
				adv := float64(fn.Advance(id)) / upm * t.Size * hs
				gap := t.Glyphs[j+1].X - (g.X + adv)
				if math.Abs(gap) > 1e-4 {
					fmt.Fprintf(b, "> %s <", num(-gap*1000/(t.Size*hs)))
				}
			}
		}
		b.WriteString(">] TJ ET\n")
		if saved {
			b.WriteString("Q\n")
		}
	}
}
