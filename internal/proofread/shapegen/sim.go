package main

import (
	"math"
	"math/bits"
)

// Size is the side of a glyph bitmap in pixels. One row fits in a uint64.
const Size = 48

// Bitmap is a Size×Size black-and-white glyph: bit x of Rows[y] is the pixel
// at column x, row y.
type Bitmap struct {
	Rows [Size]uint64
}

const rowMask = uint64(1)<<Size - 1

// Set turns the pixel at (x, y) on; coordinates outside the bitmap are ignored.
func (b *Bitmap) Set(x, y int) {
	if x < 0 || y < 0 || x >= Size || y >= Size {
		return
	}
	b.Rows[y] |= 1 << uint(x)
}

// Get reports whether the pixel at (x, y) is on.
func (b *Bitmap) Get(x, y int) bool {
	if x < 0 || y < 0 || x >= Size || y >= Size {
		return false
	}
	return b.Rows[y]>>uint(x)&1 == 1
}

// Count is the number of pixels on.
func (b Bitmap) Count() int {
	n := 0
	for _, r := range b.Rows {
		n += bits.OnesCount64(r)
	}
	return n
}

// Dilate returns b grown by one pixel in all eight directions (a 3×3 square).
func (b *Bitmap) Dilate() Bitmap {
	var h Bitmap
	for y, r := range b.Rows {
		h.Rows[y] = (r | r<<1 | r>>1) & rowMask
	}
	var d Bitmap
	for y := range d.Rows {
		v := h.Rows[y]
		if y > 0 {
			v |= h.Rows[y-1]
		}
		if y < Size-1 {
			v |= h.Rows[y+1]
		}
		d.Rows[y] = v
	}
	return d
}

// Glyph is one character's bitmap with its dilations, ready for comparison.
type Glyph struct {
	B  Bitmap // the glyph
	D1 Bitmap // grown by one pixel
	D2 Bitmap // grown by two pixels
	N  int    // pixels on in B
}

// NewGlyph prepares b for comparison.
func NewGlyph(b Bitmap) *Glyph {
	g := &Glyph{B: b, N: b.Count()}
	g.D1 = b.Dilate()
	g.D2 = g.D1.Dilate()
	return g
}

// Overlap holds the pixel counts that every similarity below is made of.
type Overlap struct {
	NA, NB int // pixels of A and of B
	I0     int // |A ∩ B|
	A1, B1 int // |A ∩ dilate₁(B)|, |B ∩ dilate₁(A)|
	A2, B2 int // the same with two-pixel dilations
}

// Compare counts the overlaps of a and b.
func Compare(a, b *Glyph) Overlap {
	o := Overlap{NA: a.N, NB: b.N}
	for y := range a.B.Rows {
		ar, br := a.B.Rows[y], b.B.Rows[y]
		o.I0 += bits.OnesCount64(ar & br)
		o.A1 += bits.OnesCount64(ar & b.D1.Rows[y])
		o.B1 += bits.OnesCount64(br & a.D1.Rows[y])
		o.A2 += bits.OnesCount64(ar & b.D2.Rows[y])
		o.B2 += bits.OnesCount64(br & a.D2.Rows[y])
	}
	return o
}

// IoU is the plain intersection over union of the two bitmaps.
func (o Overlap) IoU() float64 {
	u := o.NA + o.NB - o.I0
	if u == 0 {
		return 0
	}
	return float64(o.I0) / float64(u)
}

// Tol1 is the share of the ink of both glyphs that lies within one pixel of the
// other glyph's ink: (|A ∩ D₁B| + |B ∩ D₁A|) / (|A| + |B|). It forgives strokes
// that are a pixel thicker or shifted, as a reader does.
func (o Overlap) Tol1() float64 {
	if o.NA+o.NB == 0 {
		return 0
	}
	return float64(o.A1+o.B1) / float64(o.NA+o.NB)
}

// Tol2 is Tol1 with a two-pixel tolerance.
func (o Overlap) Tol2() float64 {
	if o.NA+o.NB == 0 {
		return 0
	}
	return float64(o.A2+o.B2) / float64(o.NA+o.NB)
}

// Chamfer is a truncated, symmetric chamfer similarity: each ink pixel scores 1
// when the other glyph has ink at the same place, 2/3 within one pixel, 1/3
// within two, 0 farther; the mean over the ink of both glyphs.
func (o Overlap) Chamfer() float64 {
	if o.NA+o.NB == 0 {
		return 0
	}
	return float64(2*o.I0+o.A1+o.B1+o.A2+o.B2) / float64(3*(o.NA+o.NB))
}

// Measure is a named similarity of two glyphs in one face.
type Measure struct {
	Name string
	F    func(Overlap) float64
}

// Measures are the similarities the generator can use.
var Measures = []Measure{
	{"iou", Overlap.IoU},
	{"tol1", Overlap.Tol1},
	{"tol2", Overlap.Tol2},
	{"chamfer", Overlap.Chamfer},
}

// projections counts the ink of each column and each row of b.
func projections(b *Bitmap) (cols, rows [Size]int) {
	for y, r := range b.Rows {
		rows[y] = bits.OnesCount64(r)
		for x := 0; x < Size; x++ {
			if r>>uint(x)&1 == 1 {
				cols[x]++
			}
		}
	}
	return cols, rows
}

// Cut picks where to split the span [lo, hi) of a projection into two parts:
// the index between 30% and 70% of the span with least ink, the one nearest
// the middle on a tie.
func Cut(proj [Size]int, lo, hi int) int {
	lo, hi = max(lo, 0), min(hi, Size)
	if hi-lo < 3 {
		return (lo + hi) / 2
	}
	mid := float64(lo+hi-1) / 2
	best, bestInk, bestDist := (lo+hi)/2, int(^uint(0)>>1), 1e9
	for i := lo + (hi-lo)*3/10; i <= lo+(hi-lo)*7/10 && i < hi; i++ {
		d := math.Abs(float64(i) - mid)
		if proj[i] < bestInk || proj[i] == bestInk && d < bestDist {
			best, bestInk, bestDist = i, proj[i], d
		}
	}
	return best
}

// Thin reduces b's strokes to one-pixel centre lines (Zhang–Suen thinning), so
// that glyphs drawn or stretched with different stroke widths compare by their
// strokes' paths.
func (b Bitmap) Thin() Bitmap {
	px := func(x, y int) int {
		if b.Get(x, y) {
			return 1
		}
		return 0
	}
	for {
		changed := false
		for step := 0; step < 2; step++ {
			var del []([2]int)
			for y := 0; y < Size; y++ {
				for x := 0; x < Size; x++ {
					if !b.Get(x, y) {
						continue
					}
					// Neighbours p2..p9 clockwise from north.
					p := [8]int{px(x, y-1), px(x+1, y-1), px(x+1, y), px(x+1, y+1), px(x, y+1), px(x-1, y+1), px(x-1, y), px(x-1, y-1)}
					n, t := 0, 0
					for i := range p {
						n += p[i]
						if p[i] == 0 && p[(i+1)%8] == 1 {
							t++
						}
					}
					if n < 2 || n > 6 || t != 1 {
						continue
					}
					if step == 0 && (p[0]*p[2]*p[4] != 0 || p[2]*p[4]*p[6] != 0) {
						continue
					}
					if step == 1 && (p[0]*p[2]*p[6] != 0 || p[0]*p[4]*p[6] != 0) {
						continue
					}
					del = append(del, [2]int{x, y})
				}
			}
			for _, d := range del {
				b.Rows[d[1]] &^= 1 << uint(d[0])
			}
			changed = changed || len(del) > 0
		}
		if !changed {
			return b
		}
	}
}
