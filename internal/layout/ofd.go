package layout

import (
	"archive/zip"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
)

// ofdNS is the OFD namespace of GB/T 33190-2016.
const ofdNS = "http://www.ofdspec.org/2016"

// WriteOFD writes the pages as an OFD package (GB/T 33190-2016): a zip of
// OFD.xml, Doc_0/Document.xml, a public resource file with the embedded
// TrueType subsets, and one Content.xml per page. Units are millimetres.
func (fs *Fonts) WriteOFD(w io.Writer, pages []*Page, title string) error {
	return fs.writeOFD(w, pages, title, nil)
}

// WriteSealedOFD writes the pages as WriteOFD does, with one electronic seal
// per seal place as GB/T 38540 sets out: Doc_0/Signs/Signatures.xml lists a
// Signature of type Seal per stamp; each Sign_N/Signature.xml holds the SM3
// check values of every file of the package outside Doc_0/Signs (and of
// Signatures.xml), the stamp's place (StampAnnot) and the path of its
// SignedValue.dat, the sealer's SES_Signature over that Signature.xml. The
// seal's picture travels in the SES_Signature; OFD readers draw it at the
// StampAnnot's boundary.
func (fs *Fonts) WriteSealedOFD(w io.Writer, pages []*Page, title string, sealer Sealer) error {
	if sealer == nil {
		return errors.New("没有盖章者")
	}
	return fs.writeOFD(w, pages, title, sealer)
}

func (fs *Fonts) writeOFD(w io.Writer, pages []*Page, title string, sealer Sealer) error {
	var (
		stamps []Stamp
		places []placeRef
	)
	if sealer != nil {
		var err error
		if stamps, places, err = stampPlaces(pages, sealer); err != nil {
			return err
		}
	}
	used := fs.usedGlyphs(pages)
	zw := zip.NewWriter(w)
	// A fixed time keeps the package reproducible for the same input.
	stamp := time.Date(2012, 7, 1, 0, 0, 0, 0, time.UTC)
	type checked struct {
		name string
		sum  [gmcrypto.SM3Size]byte
	}
	var files []checked // what the seals' References cover, in order
	put := func(name string, data []byte) error {
		files = append(files, checked{name, gmcrypto.SM3(data)})
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		return err
	}

	id := 0
	next := func() int { id++; return id }
	var fontID [numFaces]int
	var res strings.Builder
	res.WriteString(xml.Header)
	fmt.Fprintf(&res, `<ofd:Res xmlns:ofd="%s" BaseLoc="Res"><ofd:Fonts>`, ofdNS)
	for f := Face(0); f < numFaces; f++ {
		if len(used[f]) == 0 {
			continue
		}
		fontID[f] = next()
		fn := fs.font(f)
		name := fn.PostScript
		if name == "" {
			name = fmt.Sprintf("Shuniu%d", f)
		}
		file := fmt.Sprintf("font_%d.ttf", fontID[f])
		fmt.Fprintf(&res, `<ofd:Font ID="%d" FontName="%s" FamilyName="%s"><ofd:FontFile>%s</ofd:FontFile></ofd:Font>`,
			fontID[f], xmlEsc(name), xmlEsc(f.String()), file)
		sub, _ := fn.Subset(used[f])
		if err := put("Doc_0/Res/"+file, sub); err != nil {
			return fmt.Errorf("写出 OFD：%w", err)
		}
	}
	res.WriteString(`</ofd:Fonts></ofd:Res>`)

	pageIDs := make([]int, len(pages))
	for i, p := range pages {
		pageIDs[i] = next()
		var b strings.Builder
		b.WriteString(xml.Header)
		fmt.Fprintf(&b, `<ofd:Page xmlns:ofd="%s"><ofd:Content><ofd:Layer ID="%d">`, ofdNS, next())
		for _, r := range p.Rules {
			x0, y0 := math.Min(r.X1, r.X2), math.Min(r.Y1, r.Y2)-r.Width/2
			fmt.Fprintf(&b, `<ofd:PathObject ID="%d" Boundary="%s %s %s %s" LineWidth="%s" Stroke="true" Fill="false"><ofd:StrokeColor Value="%d %d %d"/><ofd:AbbreviatedData>M %s %s L %s %s</ofd:AbbreviatedData></ofd:PathObject>`,
				next(), num(x0), num(y0), num(math.Abs(r.X2-r.X1)+0.01), num(math.Abs(r.Y2-r.Y1)+r.Width),
				num(r.Width), r.Color.R, r.Color.G, r.Color.B,
				num(r.X1-x0), num(r.Y1-y0), num(r.X2-x0), num(r.Y2-y0))
		}
		for _, t := range p.Texts {
			if len(t.Glyphs) > 0 {
				fs.ofdText(&b, &t, fontID[t.Face], next())
			}
		}
		b.WriteString(`</ofd:Layer></ofd:Content></ofd:Page>`)
		if err := put(fmt.Sprintf("Doc_0/Pages/Page_%d/Content.xml", i), []byte(b.String())); err != nil {
			return fmt.Errorf("写出 OFD：%w", err)
		}
	}
	if err := put("Doc_0/PublicRes.xml", []byte(res.String())); err != nil {
		return fmt.Errorf("写出 OFD：%w", err)
	}

	var d strings.Builder
	d.WriteString(xml.Header)
	fmt.Fprintf(&d, `<ofd:Document xmlns:ofd="%s"><ofd:CommonData><ofd:MaxUnitID>%d</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 %s %s</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData><ofd:Pages>`,
		ofdNS, id, num(PageWidth), num(PageHeight))
	for i, pid := range pageIDs {
		fmt.Fprintf(&d, `<ofd:Page ID="%d" BaseLoc="Pages/Page_%d/Content.xml"/>`, pid, i)
	}
	d.WriteString(`</ofd:Pages></ofd:Document>`)
	if err := put("Doc_0/Document.xml", []byte(d.String())); err != nil {
		return fmt.Errorf("写出 OFD：%w", err)
	}

	signs := ""
	if sealer != nil {
		signs = `<ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures>`
	}
	sum := sha1.Sum([]byte(d.String() + title))
	var o strings.Builder
	o.WriteString(xml.Header)
	fmt.Fprintf(&o, `<ofd:OFD xmlns:ofd="%s" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>%s</ofd:DocID><ofd:Title>%s</ofd:Title><ofd:Creator>Shuniu</ofd:Creator></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>%s</ofd:DocBody></ofd:OFD>`,
		ofdNS, hex.EncodeToString(sum[:16]), xmlEsc(title), signs)
	if err := put("OFD.xml", []byte(o.String())); err != nil {
		return fmt.Errorf("写出 OFD：%w", err)
	}

	if sealer != nil {
		var sl strings.Builder
		sl.WriteString(xml.Header)
		fmt.Fprintf(&sl, `<ofd:Signatures xmlns:ofd="%s"><ofd:MaxSignId>%d</ofd:MaxSignId>`, ofdNS, len(stamps))
		for i := range stamps {
			fmt.Fprintf(&sl, `<ofd:Signature ID="%d" Type="Seal" BaseLoc="/Doc_0/Signs/Sign_%d/Signature.xml"/>`, i+1, i)
		}
		sl.WriteString(`</ofd:Signatures>`)
		if err := put("Doc_0/Signs/Signatures.xml", []byte(sl.String())); err != nil {
			return fmt.Errorf("写出 OFD：%w", err)
		}
		covered := files
		at := sealer.SigningTime().UTC().Format("20060102150405Z")
		for i, ref := range places {
			p := pages[ref.page].Seals[ref.seal]
			var sx strings.Builder
			sx.WriteString(xml.Header)
			fmt.Fprintf(&sx, `<ofd:Signature xmlns:ofd="%s"><ofd:SignedInfo><ofd:Provider ProviderName="Shuniu" Company="Shuniu"/><ofd:SignatureMethod>%s</ofd:SignatureMethod><ofd:SignatureDateTime>%s</ofd:SignatureDateTime><ofd:References CheckMethod="%s">`,
				ofdNS, OIDSM2WithSM3, at, OIDSM3)
			for _, c := range covered {
				fmt.Fprintf(&sx, `<ofd:Reference FileRef="/%s"><ofd:CheckValue>%s</ofd:CheckValue></ofd:Reference>`, xmlEsc(c.name), base64.StdEncoding.EncodeToString(c.sum[:]))
			}
			fmt.Fprintf(&sx, `</ofd:References><ofd:StampAnnot ID="%d" PageRef="%d" Boundary="%s %s %s %s"/></ofd:SignedInfo><ofd:SignedValue>/Doc_0/Signs/Sign_%d/SignedValue.dat</ofd:SignedValue></ofd:Signature>`,
				i+1, pageIDs[ref.page], num(p.X), num(p.Y), num(p.W), num(p.H), i)
			path := fmt.Sprintf("Doc_0/Signs/Sign_%d/Signature.xml", i)
			sigXML := []byte(sx.String())
			value, err := sealer.SignOFD(i, sigXML, "/"+path)
			if err != nil {
				return fmt.Errorf("加盖电子印章“%s”：%w", stamps[i].Name, err)
			}
			if err := put(path, sigXML); err != nil {
				return fmt.Errorf("写出 OFD：%w", err)
			}
			if err := put(fmt.Sprintf("Doc_0/Signs/Sign_%d/SignedValue.dat", i), value); err != nil {
				return fmt.Errorf("写出 OFD：%w", err)
			}
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("写出 OFD：%w", err)
	}
	return nil
}

// The object identifiers OFD signatures name (GB/T 33190 §18, GM/T 0006).
const (
	OIDSM2WithSM3 = "1.2.156.10197.1.501"
	OIDSM3        = "1.2.156.10197.1.401"
)

// ofdText writes one text run as a TextObject whose Boundary is its em box;
// the TextCode's DeltaX keeps every glyph where the typesetter put it.
func (fs *Fonts) ofdText(b *strings.Builder, t *Text, font, id int) {
	fn := fs.font(t.Face)
	hs := t.HScale
	if hs == 0 {
		hs = 1
	}
	base := t.Size * fs.baselineRatio(t.Face)
	x0 := t.Glyphs[0].X
	last := t.Glyphs[len(t.Glyphs)-1]
	lg, _ := fn.GlyphIndex(last.R)
	width := last.X + float64(fn.Advance(lg))/float64(fn.UnitsPerEm)*t.Size*hs - x0
	var rs strings.Builder
	deltas := make([]string, 0, len(t.Glyphs))
	for i, g := range t.Glyphs {
		rs.WriteRune(g.R)
		if i > 0 {
			deltas = append(deltas, num((g.X-t.Glyphs[i-1].X)/hs))
		}
	}
	extra := ""
	boundary := fmt.Sprintf("%s %s %s %s", num(x0), num(t.Top), num(width+0.01), num(t.Size))
	switch {
	case t.Rotate != 0:
		// Rotate about the first glyph's baseline origin, inside a page-sized box.
		a := t.Rotate * math.Pi / 180
		boundary = fmt.Sprintf("0 0 %s %s", num(PageWidth), num(PageHeight))
		extra = fmt.Sprintf(` CTM="%s %s %s %s %s %s"`, num(math.Cos(a)), num(-math.Sin(a)), num(math.Sin(a)), num(math.Cos(a)), num(x0), num(t.Top+base))
		base = 0
	case hs != 1:
		extra = fmt.Sprintf(` CTM="%s 0 0 1 0 0"`, num(hs))
	}
	if t.Alpha > 0 {
		extra += fmt.Sprintf(` Alpha="%d"`, int(math.Round(t.Alpha*255)))
	}
	fmt.Fprintf(b, `<ofd:TextObject ID="%d" Boundary="%s" Font="%d" Size="%s"%s><ofd:FillColor Value="%d %d %d"/><ofd:TextCode X="0" Y="%s"`,
		id, boundary, font, num(t.Size), extra, t.Color.R, t.Color.G, t.Color.B, num(base))
	if len(deltas) > 0 {
		fmt.Fprintf(b, ` DeltaX="%s"`, strings.Join(deltas, " "))
	}
	fmt.Fprintf(b, `>%s</ofd:TextCode></ofd:TextObject>`, xmlEsc(rs.String()))
}

func xmlEsc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
