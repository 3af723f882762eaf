package layout

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"image/png"
	"time"
)

// Stamp is one organ's electronic seal (电子印章) as the layout presses it:
// the image drawn in the place the layout left for that organ's seal, and
// the names a receiver's verifier reports.
type Stamp struct {
	Organ string // 机关, e.g. 枢纽市人民政府
	Name  string // the seal's name, e.g. 枢纽市人民政府印章
	Image []byte // PNG with a transparent background
}

// A Sealer seals a document electronically. The layout draws each stamp's
// image in the document's seal places (Page.Seals, in issuer order: the
// first stamp goes to the lead organ's place) and asks the sealer for the
// signatures over what it wrote; the sealer holds the keys. The seal package
// implements it; a deployment with a certified signing server or UKey
// implements it over that.
type Sealer interface {
	// Stamps are the seals in issuer order, one per seal place.
	Stamps() []Stamp
	// SigningTime is the time the seals are pressed, written into the
	// file's signature records.
	SigningTime() time.Time
	// SignPDF returns a detached CMS SignedData (GB/T 35275, SM2/SM3) over
	// content — the PDF's bytes outside its signature value — with one
	// signer per stamp.
	SignPDF(content []byte) ([]byte, error)
	// SignOFD returns the signed value of GB/T 38540 (an SES_Signature) by
	// stamp i over signatureXML, the bytes of the Signature.xml at
	// propertyInfo (its path in the package).
	SignOFD(i int, signatureXML []byte, propertyInfo string) ([]byte, error)
}

// sealImage is a stamp's image decoded for the PDF: 8-bit RGB samples and an
// 8-bit alpha mask, both compressed.
type sealImage struct {
	w, h       int
	rgb, alpha []byte
}

func decodeStamp(s Stamp) (*sealImage, error) {
	img, err := png.Decode(bytes.NewReader(s.Image))
	if err != nil {
		return nil, fmt.Errorf("印章“%s”的图像无法读取：%w", s.Name, err)
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w == 0 || h == 0 {
		return nil, fmt.Errorf("印章“%s”的图像是空的", s.Name)
	}
	rgb := make([]byte, 0, 3*w*h)
	alpha := make([]byte, 0, w*h)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			if a > 0 { // un-premultiply
				r, g, bl = r*0xffff/a, g*0xffff/a, bl*0xffff/a
			}
			rgb = append(rgb, byte(r>>8), byte(g>>8), byte(bl>>8))
			alpha = append(alpha, byte(a>>8))
		}
	}
	return &sealImage{w: w, h: h, rgb: deflate(rgb), alpha: deflate(alpha)}, nil
}

func deflate(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&buf, zlib.BestCompression)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// fitBox centres a w×h image in the place, as large as fits, keeping its
// proportions; the result is in millimetres.
func fitBox(p SealPlace, w, h int) (x, y, bw, bh float64) {
	scale := min(p.W/float64(w), p.H/float64(h))
	bw, bh = float64(w)*scale, float64(h)*scale
	return p.X + (p.W-bw)/2, p.Y + (p.H-bh)/2, bw, bh
}

// stampPlaces checks that the sealer has one stamp for each seal place and
// returns the places in order with their page index.
func stampPlaces(pages []*Page, sealer Sealer) ([]Stamp, []placeRef, error) {
	stamps := sealer.Stamps()
	var places []placeRef
	for i, p := range pages {
		for j := range p.Seals {
			places = append(places, placeRef{page: i, seal: j})
		}
	}
	if len(places) == 0 {
		return nil, nil, errors.New("文件没有印章位置：加盖电子印章需使用加盖印章的版式（印章：加盖）")
	}
	if len(stamps) != len(places) {
		return nil, nil, fmt.Errorf("印章数量（%d）与文件的用印位置数量（%d）不符：联合行文每个署名机关各用一枚印章", len(stamps), len(places))
	}
	return stamps, places, nil
}

type placeRef struct{ page, seal int }

// pdfDate formats t as a PDF date string (D:YYYYMMDDHHmmSS+hh'mm').
func pdfDate(t time.Time) string {
	_, off := t.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("D:%s%c%02d'%02d'", t.Format("20060102150405"), sign, off/3600, off%3600/60)
}

// SealSize is the diameter, in millimetres, of the round seal the sealed
// layout leaves room for (four lines, about 41 mm).
const SealSize = sealSize
