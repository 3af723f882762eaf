package main

import (
	"fmt"
	"image"
	"image/draw"
	"math"
	"os"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// Face renders characters of one font into Bitmaps.
type Face struct {
	Name string
	font *sfnt.Font
	buf  sfnt.Buffer
	ras  *vector.Rasterizer
	img  *image.Alpha
}

// OpenFace parses a TrueType or OpenType font file.
func OpenFace(path string) (*Face, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := sfnt.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &Face{
		Name: path,
		font: f,
		ras:  vector.NewRasterizer(Size, Size),
		img:  image.NewAlpha(image.Rect(0, 0, Size, Size)),
	}, nil
}

// Norm says how a glyph is placed in the bitmap.
type Norm int

const (
	// NormEm keeps the glyph's size in the em square (ppem Size-4) and centres
	// its ink box, so a small 口 stays small beside a full-size 囗.
	NormEm Norm = iota
	// NormBox scales the ink box uniformly to fill the bitmap less a margin, then
	// centres it.
	NormBox
)

// outline is a glyph's outline at ppem Size-4 and its control box.
type outline struct {
	segs                   sfnt.Segments
	minX, minY, maxX, maxY float64
}

// load returns r's outline; ok is false when the font lacks r or its glyph is empty.
func (f *Face) load(r rune) (o outline, ok bool, err error) {
	idx, err := f.font.GlyphIndex(&f.buf, r)
	if err != nil || idx == 0 {
		return o, false, err
	}
	const ppem = Size - 4
	segs, err := f.font.LoadGlyph(&f.buf, idx, fixed.I(ppem), nil)
	if err != nil {
		return o, false, err
	}
	o.segs = append(sfnt.Segments(nil), segs...)
	o.minX, o.minY = math.Inf(1), math.Inf(1)
	o.maxX, o.maxY = math.Inf(-1), math.Inf(-1)
	for _, s := range segs {
		n := 1
		switch s.Op {
		case sfnt.SegmentOpQuadTo:
			n = 2
		case sfnt.SegmentOpCubeTo:
			n = 3
		}
		for _, p := range s.Args[:n] {
			x, y := fx(p.X), fx(p.Y)
			o.minX, o.maxX = math.Min(o.minX, x), math.Max(o.maxX, x)
			o.minY, o.maxY = math.Min(o.minY, y), math.Max(o.maxY, y)
		}
	}
	if len(segs) == 0 || o.maxX <= o.minX && o.maxY <= o.minY {
		return o, false, nil
	}
	return o, true, nil
}

// Render draws r centred in a bitmap; ok is false when the font lacks r or its
// glyph is empty.
func (f *Face) Render(r rune, norm Norm) (bm Bitmap, ok bool, err error) {
	o, ok, err := f.load(r)
	if !ok {
		return bm, ok, err
	}
	scale := 1.0
	if norm == NormBox {
		const margin = 2
		scale = float64(Size-2*margin) / math.Max(o.maxX-o.minX, o.maxY-o.minY)
	}
	cx, cy := (o.minX+o.maxX)/2, (o.minY+o.maxY)/2
	return f.draw(o, cx, cy, scale, scale), true, nil
}

// draw rasterises o with (cx, cy) at the bitmap's centre, scaled by sx and sy.
func (f *Face) draw(o outline, cx, cy, sx, sy float64) Bitmap {
	tr := func(p fixed.Point26_6) (float32, float32) {
		return float32((fx(p.X)-cx)*sx + Size/2), float32((fx(p.Y)-cy)*sy + Size/2)
	}
	f.ras.Reset(Size, Size)
	for i, s := range o.segs {
		switch s.Op {
		case sfnt.SegmentOpMoveTo:
			if i > 0 {
				f.ras.ClosePath() // the rasterizer does not close a contour by itself
			}
			f.ras.MoveTo(tr(s.Args[0]))
		case sfnt.SegmentOpLineTo:
			f.ras.LineTo(tr(s.Args[0]))
		case sfnt.SegmentOpQuadTo:
			x1, y1 := tr(s.Args[0])
			x2, y2 := tr(s.Args[1])
			f.ras.QuadTo(x1, y1, x2, y2)
		case sfnt.SegmentOpCubeTo:
			x1, y1 := tr(s.Args[0])
			x2, y2 := tr(s.Args[1])
			x3, y3 := tr(s.Args[2])
			f.ras.CubeTo(x1, y1, x2, y2, x3, y3)
		}
	}
	f.ras.ClosePath()
	draw.Draw(f.img, f.img.Bounds(), image.Transparent, image.Point{}, draw.Src)
	f.ras.Draw(f.img, f.img.Bounds(), image.Opaque, image.Point{})
	var bm Bitmap
	for y := 0; y < Size; y++ {
		for x := 0; x < Size; x++ {
			if f.img.Pix[y*f.img.Stride+x] >= 128 {
				bm.Set(x, y)
			}
		}
	}
	return bm
}

// stretch draws the part of o inside the rectangle [x0,x1]×[y0,y1] (outline
// coordinates) stretched to fill the bitmap less a margin; what lies outside
// falls off the bitmap.
func (f *Face) stretch(o outline, x0, y0, x1, y1 float64) Bitmap {
	const margin = 2
	w, h := math.Max(x1-x0, 1), math.Max(y1-y0, 1)
	return f.draw(o, (x0+x1)/2, (y0+y1)/2, float64(Size-2*margin)/w, float64(Size-2*margin)/h)
}

// Parts renders r for component matching, thinned to centre lines: whole is
// its ink box stretched to the bitmap; parts are its left, right, top and bottom parts, each stretched
// to the bitmap, cut where the glyph has least ink between 30% and 70% of its
// width (height). ok is false when the font lacks r.
func (f *Face) Parts(r rune) (whole Bitmap, parts [4]Bitmap, ok bool, err error) {
	o, ok, err := f.load(r)
	if !ok {
		return whole, parts, ok, err
	}
	cx, cy := (o.minX+o.maxX)/2, (o.minY+o.maxY)/2
	em := f.draw(o, cx, cy, 1, 1)
	// Bitmap column x shows outline x' = x + 0.5 - Size/2 + cx; likewise rows.
	cols, rows := projections(&em)
	toX := func(c int) float64 { return float64(c) + 0.5 - Size/2 + cx }
	toY := func(r int) float64 { return float64(r) + 0.5 - Size/2 + cy }
	b0x, b1x := int(math.Floor(o.minX-cx+Size/2)), int(math.Ceil(o.maxX-cx+Size/2))
	b0y, b1y := int(math.Floor(o.minY-cy+Size/2)), int(math.Ceil(o.maxY-cy+Size/2))
	sx := toX(Cut(cols, b0x, b1x))
	sy := toY(Cut(rows, b0y, b1y))
	whole = f.stretch(o, o.minX, o.minY, o.maxX, o.maxY).Thin()
	parts[0] = f.stretch(o, o.minX, o.minY, sx, o.maxY).Thin()
	parts[1] = f.stretch(o, sx, o.minY, o.maxX, o.maxY).Thin()
	parts[2] = f.stretch(o, o.minX, o.minY, o.maxX, sy).Thin()
	parts[3] = f.stretch(o, o.minX, sy, o.maxX, o.maxY).Thin()
	return whole, parts, true, nil
}

func fx(v fixed.Int26_6) float64 { return float64(v) / 64 }
