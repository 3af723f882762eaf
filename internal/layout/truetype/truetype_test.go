package truetype

import (
	"encoding/binary"
	"errors"
	"testing"
)

func TestParseRejects(t *testing.T) {
	otto := append([]byte("OTTO"), make([]byte, 8)...)
	for name, tc := range map[string]struct {
		data []byte
		is   error
	}{
		"short": {data: []byte{0, 1}},
		"cff":   {data: otto, is: ErrNotTrueType},
		"ttc":   {data: append([]byte("ttcf"), make([]byte, 8)...)},
		"junk":  {data: []byte("not a font at all")},
		"empty directory": {data: func() []byte {
			b := make([]byte, 12)
			binary.BigEndian.PutUint32(b, 0x00010000)
			return b
		}()},
	} {
		_, err := Parse(tc.data)
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
		if tc.is != nil && !errors.Is(err, tc.is) {
			t.Errorf("%s: err = %v, want %v", name, err, tc.is)
		}
	}
}

func TestCmapFormat4RoundTrip(t *testing.T) {
	used := map[rune]uint16{'公': 10, '文': 11, 'A': 3, '〔': 200}
	c := cmapFormat4(used)
	f := &Font{NumGlyphs: 300, cmap: map[rune]uint16{}}
	if err := f.cmap4(c[12:]); err != nil {
		t.Fatal(err)
	}
	for r, g := range used {
		if got, ok := f.GlyphIndex(r); !ok || got != g {
			t.Errorf("%c → %d, want %d", r, got, g)
		}
	}
	if len(f.cmap) != len(used) {
		t.Errorf("%d mappings, want %d", len(f.cmap), len(used))
	}
}

// FuzzParse: a font file from a deployment's configuration must never crash
// the renderer.
func FuzzParse(f *testing.F) {
	f.Add([]byte("\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00head\x00\x00\x00\x00\x00\x00\x00\x1c\x00\x00\x00\x36"))
	f.Add([]byte("OTTO"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fn, err := Parse(data)
		if err != nil {
			return
		}
		for r := rune(0); r < 0x80; r++ {
			if g, ok := fn.GlyphIndex(r); ok {
				fn.Advance(g)
			}
		}
		fn.Subset(map[rune]uint16{})
		fn.Subset(map[rune]uint16{'A': 1, 'B': 2})
	})
}

func TestCompositeComponents(t *testing.T) {
	// A composite glyph header (numberOfContours −1, bbox) and two
	// components: glyph 7 with byte offsets and more to come, then glyph 9
	// with word offsets and a scale.
	d := []byte{0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0,
		0x00, 0x20, 0, 7, 1, 2,
		0x00, 0x09, 0, 9, 0, 1, 0, 2, 0x40, 0}
	if got := components(d); len(got) != 2 || got[0] != 7 || got[1] != 9 {
		t.Fatalf("components = %v", got)
	}
	rewriteComponents(d, map[uint16]uint16{7: 1, 9: 2})
	if got := components(d); got[0] != 1 || got[1] != 2 {
		t.Errorf("after renumbering: %v", got)
	}
	if components([]byte{0, 1, 0, 0, 0, 0, 0, 0, 0, 0}) != nil {
		t.Error("a simple glyph has no components")
	}
}
