// Package truetype reads the parts of a TrueType (glyf-outline) font that a
// fixed-layout writer needs — metrics, the character map, glyph data — and
// writes compact subsets with a cmap, so a PDF embeds only the glyphs it uses
// and an OFD reader can still map text through the cmap.
//
// A Font is immutable after Parse and safe for concurrent use.
package truetype

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
)

// Font is a parsed TrueType font.
type Font struct {
	data       []byte
	tables     map[string][]byte
	UnitsPerEm int
	Ascent     int // hhea ascender, font units
	Descent    int // hhea descender, font units (negative)
	CapHeight  int
	BBox       [4]int // xMin, yMin, xMax, yMax
	NumGlyphs  int
	PostScript string
	advances   []uint16
	cmap       map[rune]uint16
	locaLong   bool
}

// ErrNotTrueType reports a font whose outlines are not in a glyf table
// (for example CFF-flavoured OpenType).
var ErrNotTrueType = errors.New("truetype: not a TrueType (glyf) font")

// Parse reads a TrueType font file. It keeps a reference to data.
func Parse(data []byte) (*Font, error) {
	if len(data) < 12 {
		return nil, errors.New("truetype: file too short")
	}
	tag := string(data[0:4])
	switch tag {
	case "\x00\x01\x00\x00", "true":
	case "OTTO":
		return nil, ErrNotTrueType
	case "ttcf":
		return nil, errors.New("truetype: font collections (.ttc) are not supported; extract one face")
	default:
		return nil, fmt.Errorf("truetype: unknown sfnt version %q", tag)
	}
	n := int(binary.BigEndian.Uint16(data[4:]))
	if len(data) < 12+16*n {
		return nil, errors.New("truetype: table directory truncated")
	}
	f := &Font{data: data, tables: make(map[string][]byte, n)}
	for i := 0; i < n; i++ {
		rec := data[12+16*i:]
		t := string(rec[0:4])
		off := int(binary.BigEndian.Uint32(rec[8:]))
		ln := int(binary.BigEndian.Uint32(rec[12:]))
		if off < 0 || ln < 0 || off+ln > len(data) || off+ln < off {
			return nil, fmt.Errorf("truetype: table %q out of range", t)
		}
		f.tables[t] = data[off : off+ln]
	}
	for _, t := range []string{"head", "hhea", "maxp", "hmtx", "cmap", "loca", "glyf"} {
		if _, ok := f.tables[t]; !ok {
			if t == "glyf" || t == "loca" {
				return nil, ErrNotTrueType
			}
			return nil, fmt.Errorf("truetype: missing %q table", t)
		}
	}
	head := f.tables["head"]
	if len(head) < 54 {
		return nil, errors.New("truetype: head table too short")
	}
	f.UnitsPerEm = int(binary.BigEndian.Uint16(head[18:]))
	if f.UnitsPerEm == 0 {
		return nil, errors.New("truetype: unitsPerEm is zero")
	}
	f.BBox = [4]int{int(int16(binary.BigEndian.Uint16(head[36:]))), int(int16(binary.BigEndian.Uint16(head[38:]))),
		int(int16(binary.BigEndian.Uint16(head[40:]))), int(int16(binary.BigEndian.Uint16(head[42:])))}
	f.locaLong = binary.BigEndian.Uint16(head[50:]) == 1
	maxp := f.tables["maxp"]
	if len(maxp) < 6 {
		return nil, errors.New("truetype: maxp table too short")
	}
	f.NumGlyphs = int(binary.BigEndian.Uint16(maxp[4:]))
	hhea := f.tables["hhea"]
	if len(hhea) < 36 {
		return nil, errors.New("truetype: hhea table too short")
	}
	f.Ascent = int(int16(binary.BigEndian.Uint16(hhea[4:])))
	f.Descent = int(int16(binary.BigEndian.Uint16(hhea[6:])))
	f.CapHeight = f.Ascent
	if os2 := f.tables["OS/2"]; len(os2) >= 90 && binary.BigEndian.Uint16(os2) >= 2 {
		f.CapHeight = int(int16(binary.BigEndian.Uint16(os2[88:])))
	}
	nh := int(binary.BigEndian.Uint16(hhea[34:]))
	hmtx := f.tables["hmtx"]
	if nh == 0 || len(hmtx) < 4*nh {
		return nil, errors.New("truetype: hmtx table too short")
	}
	f.advances = make([]uint16, f.NumGlyphs)
	for g := 0; g < f.NumGlyphs; g++ {
		i := g
		if i >= nh {
			i = nh - 1
		}
		f.advances[g] = binary.BigEndian.Uint16(hmtx[4*i:])
	}
	if err := f.parseCmap(); err != nil {
		return nil, err
	}
	if len(f.tables["loca"]) < f.locaEntrySize()*(f.NumGlyphs+1) {
		return nil, errors.New("truetype: loca table too short")
	}
	f.PostScript = f.postScriptName()
	return f, nil
}

func (f *Font) locaEntrySize() int {
	if f.locaLong {
		return 4
	}
	return 2
}

// GlyphIndex returns the glyph for r, or 0 and false when the font lacks it.
func (f *Font) GlyphIndex(r rune) (uint16, bool) {
	g, ok := f.cmap[r]
	return g, ok && g != 0
}

// Advance returns the advance width of glyph g in font units.
func (f *Font) Advance(g uint16) int {
	if int(g) >= len(f.advances) {
		return 0
	}
	return int(f.advances[g])
}

// Missing returns the distinct runes of s (in order of first appearance) that
// the font has no glyph for. Spaces and line controls are never reported.
func (f *Font) Missing(s string) []rune {
	var out []rune
	seen := map[rune]bool{}
	for _, r := range s {
		if r == ' ' || r == '\n' || r == '\t' || seen[r] {
			continue
		}
		seen[r] = true
		if _, ok := f.GlyphIndex(r); !ok {
			out = append(out, r)
		}
	}
	return out
}

func (f *Font) parseCmap() error {
	t := f.tables["cmap"]
	if len(t) < 4 {
		return errors.New("truetype: cmap too short")
	}
	n := int(binary.BigEndian.Uint16(t[2:]))
	best, bestScore := -1, 0
	for i := 0; i < n; i++ {
		if 4+8*i+8 > len(t) {
			break
		}
		pid := binary.BigEndian.Uint16(t[4+8*i:])
		eid := binary.BigEndian.Uint16(t[4+8*i+2:])
		off := int(binary.BigEndian.Uint32(t[4+8*i+4:]))
		score := 0
		switch {
		case pid == 3 && eid == 10, pid == 0 && (eid == 4 || eid == 6):
			score = 3
		case pid == 3 && eid == 1, pid == 0:
			score = 2
		}
		if score > bestScore && off < len(t) {
			best, bestScore = off, score
		}
	}
	if best < 0 {
		return errors.New("truetype: no Unicode cmap")
	}
	f.cmap = map[rune]uint16{}
	sub := t[best:]
	if len(sub) < 2 {
		return errors.New("truetype: cmap subtable truncated")
	}
	switch binary.BigEndian.Uint16(sub) {
	case 4:
		return f.cmap4(sub)
	case 12:
		return f.cmap12(sub)
	}
	return fmt.Errorf("truetype: unsupported cmap format %d", binary.BigEndian.Uint16(sub))
}

func (f *Font) cmap4(s []byte) error {
	if len(s) < 14 {
		return errors.New("truetype: cmap4 truncated")
	}
	segX2 := int(binary.BigEndian.Uint16(s[6:]))
	if len(s) < 16+4*segX2 {
		return errors.New("truetype: cmap4 truncated")
	}
	ends := s[14:]
	starts := s[16+segX2:]
	deltas := s[16+2*segX2:]
	ranges := s[16+3*segX2:]
	for i := 0; i < segX2/2; i++ {
		end := int(binary.BigEndian.Uint16(ends[2*i:]))
		start := int(binary.BigEndian.Uint16(starts[2*i:]))
		delta := binary.BigEndian.Uint16(deltas[2*i:])
		ro := int(binary.BigEndian.Uint16(ranges[2*i:]))
		if start > end {
			continue
		}
		for c := start; c <= end && c != 0xFFFF; c++ {
			var g uint16
			if ro == 0 {
				g = uint16(c) + delta
			} else {
				p := 16 + 3*segX2 + 2*i + ro + 2*(c-start)
				if p+2 > len(s) {
					continue
				}
				g = binary.BigEndian.Uint16(s[p:])
				if g != 0 {
					g += delta
				}
			}
			if g != 0 && int(g) < f.NumGlyphs {
				f.cmap[rune(c)] = g
			}
		}
	}
	return nil
}

func (f *Font) cmap12(s []byte) error {
	if len(s) < 16 {
		return errors.New("truetype: cmap12 truncated")
	}
	n := int(binary.BigEndian.Uint32(s[12:]))
	if n < 0 || len(s) < 16+12*n {
		return errors.New("truetype: cmap12 truncated")
	}
	for i := 0; i < n; i++ {
		g := s[16+12*i:]
		lo := binary.BigEndian.Uint32(g)
		hi := binary.BigEndian.Uint32(g[4:])
		gid := binary.BigEndian.Uint32(g[8:])
		if hi < lo || hi-lo > 0x10FFFF {
			continue
		}
		for c := lo; c <= hi; c++ {
			id := gid + (c - lo)
			if id != 0 && int(id) < f.NumGlyphs {
				f.cmap[rune(c)] = uint16(id)
			}
		}
	}
	return nil
}

func (f *Font) postScriptName() string {
	t := f.tables["name"]
	if len(t) < 6 {
		return ""
	}
	n := int(binary.BigEndian.Uint16(t[2:]))
	strOff := int(binary.BigEndian.Uint16(t[4:]))
	for i := 0; i < n; i++ {
		r := 6 + 12*i
		if r+12 > len(t) {
			break
		}
		pid := binary.BigEndian.Uint16(t[r:])
		nid := binary.BigEndian.Uint16(t[r+6:])
		ln := int(binary.BigEndian.Uint16(t[r+8:]))
		off := int(binary.BigEndian.Uint16(t[r+10:]))
		if nid != 6 || strOff+off+ln > len(t) {
			continue
		}
		b := t[strOff+off : strOff+off+ln]
		var out []byte
		if pid == 3 || pid == 0 {
			for j := 1; j < len(b); j += 2 {
				out = append(out, b[j])
			}
		} else {
			out = b
		}
		ok := len(out) > 0
		for _, c := range out {
			if c <= 32 || c >= 127 || c == '/' || c == '(' || c == ')' || c == '[' || c == ']' || c == '<' || c == '>' || c == '{' || c == '}' || c == '%' {
				ok = false
			}
		}
		if ok {
			return string(out)
		}
	}
	return ""
}

func (f *Font) glyphData(g uint16) []byte {
	loca, glyf := f.tables["loca"], f.tables["glyf"]
	var a, b int
	if f.locaLong {
		a = int(binary.BigEndian.Uint32(loca[4*int(g):]))
		b = int(binary.BigEndian.Uint32(loca[4*int(g)+4:]))
	} else {
		a = 2 * int(binary.BigEndian.Uint16(loca[2*int(g):]))
		b = 2 * int(binary.BigEndian.Uint16(loca[2*int(g)+2:]))
	}
	if a >= b || b > len(glyf) {
		return nil
	}
	return glyf[a:b]
}

// eachComponent calls f with the offset of each component's glyph index in
// a composite glyph's data; simple glyphs have none.
func eachComponent(d []byte, f func(at int)) {
	if len(d) < 10 || int16(binary.BigEndian.Uint16(d)) >= 0 {
		return
	}
	p := 10
	for p+4 <= len(d) {
		flags := binary.BigEndian.Uint16(d[p:])
		f(p + 2)
		p += 4
		if flags&0x0001 != 0 { // ARG_1_AND_2_ARE_WORDS
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&0x0008 != 0: // WE_HAVE_A_SCALE
			p += 2
		case flags&0x0040 != 0: // WE_HAVE_AN_X_AND_Y_SCALE
			p += 4
		case flags&0x0080 != 0: // WE_HAVE_A_TWO_BY_TWO
			p += 8
		}
		if flags&0x0020 == 0 { // MORE_COMPONENTS
			return
		}
	}
}

// components returns the glyphs a composite glyph refers to.
func components(d []byte) []uint16 {
	var out []uint16
	eachComponent(d, func(at int) { out = append(out, binary.BigEndian.Uint16(d[at:])) })
	return out
}

// Subset writes a TrueType font holding .notdef, the glyphs in used and the
// parts of composite glyphs, renumbered compactly in their original order,
// with a cmap for the runes in used. It returns the font and the map from
// original to new glyph ids.
func (f *Font) Subset(used map[rune]uint16) ([]byte, map[uint16]uint16) {
	keep := map[uint16]bool{0: true}
	var stack []uint16
	for _, g := range used {
		if int(g) < f.NumGlyphs && !keep[g] {
			keep[g] = true
			stack = append(stack, g)
		}
	}
	for len(stack) > 0 {
		g := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, c := range components(f.glyphData(g)) {
			if int(c) < f.NumGlyphs && !keep[c] {
				keep[c] = true
				stack = append(stack, c)
			}
		}
	}
	old := make([]uint16, 0, len(keep))
	for g := range keep {
		old = append(old, g)
	}
	sort.Slice(old, func(i, j int) bool { return old[i] < old[j] })
	remap := make(map[uint16]uint16, len(old))
	for i, g := range old {
		remap[g] = uint16(i)
	}
	n := len(old)

	hmtxOld := f.tables["hmtx"]
	nh := int(binary.BigEndian.Uint16(f.tables["hhea"][34:]))
	var glyf []byte
	loca := make([]byte, 4*(n+1))
	hmtx := make([]byte, 4*n)
	for i, g := range old {
		binary.BigEndian.PutUint32(loca[4*i:], uint32(len(glyf)))
		start := len(glyf)
		glyf = append(glyf, f.glyphData(g)...)
		rewriteComponents(glyf[start:], remap)
		for len(glyf)%4 != 0 {
			glyf = append(glyf, 0)
		}
		binary.BigEndian.PutUint16(hmtx[4*i:], f.advances[g])
		var lsb uint16
		if int(g) < nh {
			lsb = binary.BigEndian.Uint16(hmtxOld[4*int(g)+2:])
		} else if p := 4*nh + 2*(int(g)-nh); p+2 <= len(hmtxOld) {
			lsb = binary.BigEndian.Uint16(hmtxOld[p:])
		}
		binary.BigEndian.PutUint16(hmtx[4*i+2:], lsb)
	}
	binary.BigEndian.PutUint32(loca[4*n:], uint32(len(glyf)))

	head := append([]byte(nil), f.tables["head"]...)
	binary.BigEndian.PutUint32(head[8:], 0) // checksumAdjustment, set by writeSfnt
	binary.BigEndian.PutUint16(head[50:], 1)
	hhea := append([]byte(nil), f.tables["hhea"]...)
	binary.BigEndian.PutUint16(hhea[34:], uint16(n))
	maxp := append([]byte(nil), f.tables["maxp"]...)
	binary.BigEndian.PutUint16(maxp[4:], uint16(n))
	post := make([]byte, 32)
	binary.BigEndian.PutUint32(post, 0x00030000)
	if p := f.tables["post"]; len(p) >= 32 {
		copy(post[4:], p[4:32])
	}
	cmap := make(map[rune]uint16, len(used))
	for r, g := range used {
		if ng, ok := remap[g]; ok {
			cmap[r] = ng
		}
	}
	tables := map[string][]byte{
		"head": head, "hhea": hhea, "maxp": maxp, "hmtx": hmtx,
		"loca": loca, "glyf": glyf, "cmap": cmapFormat4(cmap), "post": post,
	}
	for _, t := range []string{"cvt ", "fpgm", "prep", "OS/2", "name"} {
		if d, ok := f.tables[t]; ok {
			tables[t] = d
		}
	}
	return writeSfnt(tables), remap
}

// rewriteComponents renumbers the glyph references of a composite glyph in place.
func rewriteComponents(d []byte, remap map[uint16]uint16) {
	eachComponent(d, func(at int) {
		binary.BigEndian.PutUint16(d[at:], remap[binary.BigEndian.Uint16(d[at:])])
	})
}

func cmapFormat4(used map[rune]uint16) []byte {
	rs := make([]rune, 0, len(used))
	for r := range used {
		if r > 0 && r < 0xFFFF {
			rs = append(rs, r)
		}
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i] < rs[j] })
	seg := len(rs) + 1
	sub := make([]byte, 16+8*seg)
	binary.BigEndian.PutUint16(sub[0:], 4)
	binary.BigEndian.PutUint16(sub[2:], uint16(len(sub)))
	binary.BigEndian.PutUint16(sub[6:], uint16(2*seg))
	sr := 1
	es := 0
	for sr*2 <= seg {
		sr *= 2
		es++
	}
	binary.BigEndian.PutUint16(sub[8:], uint16(2*sr))
	binary.BigEndian.PutUint16(sub[10:], uint16(es))
	binary.BigEndian.PutUint16(sub[12:], uint16(2*seg-2*sr))
	ends, starts, deltas := 14, 16+2*seg, 16+4*seg
	for i, r := range rs {
		binary.BigEndian.PutUint16(sub[ends+2*i:], uint16(r))
		binary.BigEndian.PutUint16(sub[starts+2*i:], uint16(r))
		binary.BigEndian.PutUint16(sub[deltas+2*i:], used[r]-uint16(r))
	}
	binary.BigEndian.PutUint16(sub[ends+2*len(rs):], 0xFFFF)
	binary.BigEndian.PutUint16(sub[starts+2*len(rs):], 0xFFFF)
	binary.BigEndian.PutUint16(sub[deltas+2*len(rs):], 1)
	out := make([]byte, 12, 12+len(sub))
	binary.BigEndian.PutUint16(out[2:], 1)
	binary.BigEndian.PutUint16(out[4:], 3)
	binary.BigEndian.PutUint16(out[6:], 1)
	binary.BigEndian.PutUint32(out[8:], 12)
	return append(out, sub...)
}

func checksum(b []byte) uint32 {
	var s uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		s += binary.BigEndian.Uint32(w[:])
	}
	return s
}

func writeSfnt(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	n := len(tags)
	out := make([]byte, 12+16*n)
	binary.BigEndian.PutUint32(out, 0x00010000)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	sr := 1
	es := 0
	for sr*2 <= n {
		sr *= 2
		es++
	}
	binary.BigEndian.PutUint16(out[6:], uint16(16*sr))
	binary.BigEndian.PutUint16(out[8:], uint16(es))
	binary.BigEndian.PutUint16(out[10:], uint16(16*n-16*sr))
	headOff := 0
	for i, t := range tags {
		d := tables[t]
		rec := out[12+16*i:]
		copy(rec, t)
		binary.BigEndian.PutUint32(rec[4:], checksum(d))
		binary.BigEndian.PutUint32(rec[8:], uint32(len(out)))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(d)))
		if t == "head" {
			headOff = len(out)
		}
		out = append(out, d...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	binary.BigEndian.PutUint32(out[headOff+8:], 0xB1B0AFBA-checksum(out))
	return out
}
