package main

import (
	"math"
	"testing"
)

// rect returns a bitmap with the pixels x0 ≤ x < x1, y0 ≤ y < y1 on.
func rect(x0, y0, x1, y1 int) Bitmap {
	var b Bitmap
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			b.Set(x, y)
		}
	}
	return b
}

func or(bs ...Bitmap) Bitmap {
	var o Bitmap
	for _, b := range bs {
		for y := range o.Rows {
			o.Rows[y] |= b.Rows[y]
		}
	}
	return o
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestDilate(t *testing.T) {
	var b Bitmap
	b.Set(10, 10)
	if n := b.Dilate().Count(); n != 9 {
		t.Errorf("dilated pixel has %d pixels, want 9", n)
	}
	b = Bitmap{}
	b.Set(0, 0)
	b.Set(Size-1, Size-1)
	if n := b.Dilate().Count(); n != 8 {
		t.Errorf("dilated corners have %d pixels, want 8 (clipped at the edges)", n)
	}
}

func TestSimilarities(t *testing.T) {
	bar := NewGlyph(rect(10, 10, 38, 13)) // a horizontal stroke, 3 px thick
	same := Compare(bar, NewGlyph(rect(10, 10, 38, 13)))
	for _, m := range Measures {
		if s := m.F(same); !near(s, 1) {
			t.Errorf("%s of a glyph with itself = %v, want 1", m.Name, s)
		}
	}
	far := Compare(bar, NewGlyph(rect(10, 30, 38, 33)))
	for _, m := range Measures {
		if s := m.F(far); s != 0 {
			t.Errorf("%s of strokes 17 px apart = %v, want 0", m.Name, s)
		}
	}
	// One pixel lower: plain IoU drops to 1/2, the tolerant measures forgive it.
	shifted := Compare(bar, NewGlyph(rect(10, 11, 38, 14)))
	if s := shifted.IoU(); !near(s, 0.5) {
		t.Errorf("IoU shifted by one = %v, want 0.5", s)
	}
	if s := shifted.Tol1(); !near(s, 1) {
		t.Errorf("Tol1 shifted by one = %v, want 1", s)
	}
	if s := shifted.Chamfer(); s <= shifted.IoU() || s >= 1 {
		t.Errorf("Chamfer shifted by one = %v, want between IoU and 1", s)
	}
	// A shared component plus a small extra stroke scores above two
	// unrelated shapes of the same ink.
	frame := rect(8, 8, 40, 11)
	a := NewGlyph(or(frame, rect(8, 8, 11, 40), rect(20, 20, 30, 23)))
	b := NewGlyph(or(frame, rect(8, 8, 11, 40), rect(20, 20, 23, 30)))
	c := NewGlyph(or(rect(30, 20, 33, 46), rect(14, 36, 46, 39), rect(14, 14, 24, 17)))
	for _, m := range Measures {
		if ab, ac := m.F(Compare(a, b)), m.F(Compare(a, c)); ab <= ac {
			t.Errorf("%s: look-alikes %v ≤ unrelated %v", m.Name, ab, ac)
		}
	}
	// Symmetric.
	if x, y := Compare(a, c).Chamfer(), Compare(c, a).Chamfer(); !near(x, y) {
		t.Errorf("Chamfer not symmetric: %v vs %v", x, y)
	}
}

func TestThin(t *testing.T) {
	thin := rect(10, 20, 40, 25).Thin() // a 5-px-thick bar
	if n := thin.Count(); n < 20 || n > 32 {
		t.Errorf("thinned bar has %d pixels, want about its length (30)", n)
	}
	for x := 0; x < Size; x++ {
		k := 0
		for y := 0; y < Size; y++ {
			if thin.Get(x, y) {
				k++
			}
		}
		if k > 1 {
			t.Fatalf("thinned bar is %d px thick at column %d", k, x)
		}
	}
	if n := rect(10, 10, 11, 40).Thin().Count(); n != 30 {
		t.Errorf("a one-pixel line thinned has %d pixels, want 30", n)
	}
}

func TestCut(t *testing.T) {
	b := or(rect(5, 5, 20, 40), rect(23, 5, 42, 40)) // a gap at columns 20–22
	cols, _ := projections(&b)
	if c := Cut(cols, 5, 42); c < 20 || c > 22 {
		t.Errorf("cut at %d, want in the gap 20..22", c)
	}
}

func TestTopListAndMerged(t *testing.T) {
	var tl topList
	for j, s := range []float32{0.1, 0.9, 0.5, 0.7, 0.3} {
		tl.add(3, entry{int32(j), s})
	}
	got := tl.sorted()
	if len(got) != 3 || got[0].j != 1 || got[1].j != 3 || got[2].j != 2 {
		t.Fatalf("top 3 = %v, want indexes 1, 3, 2", got)
	}
	chars := []rune("甲乙丙丁")
	whole := make([]topList, 4)
	comp := make([]topList, 4)
	whole[0].add(8, entry{1, 0.50}) // 0.04 above 0.46
	whole[0].add(8, entry{2, 0.40}) // below
	comp[0].add(8, entry{3, 0.80})  // 0.14 above 0.66
	comp[0].add(8, entry{2, 0.60})  // below
	tab := merged(chars, whole, 0.46, comp, 0.66, 8)
	if s := string(tab['甲']); s != "丁乙" {
		t.Errorf("甲 → %q, want 丁乙 (larger margin first)", s)
	}
	if s := string(merged(chars, whole, 0.46, comp, 0.66, 1)['甲']); s != "丁" {
		t.Errorf("甲 with max 1 → %q, want 丁", s)
	}
}
