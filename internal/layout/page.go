package layout

// The page model: what the typesetter produces and every writer (PDF, OFD,
// PNG via PDF) draws. Units are millimetres, origin at the top-left corner of
// the paper, y growing downwards.

// Color is an sRGB colour.
type Color struct{ R, G, B uint8 }

// Colours used by GB/T 9704 output. The standard fixes the red ink
// (Y80 % + M80 %), not an RGB value; templates use pure red.
var (
	Black = Color{0, 0, 0}
	Red   = Color{255, 0, 0}
	Grey  = Color{128, 128, 128}
)

// Glyph is one character placed at X, the left edge of its advance box.
type Glyph struct {
	R rune
	X float64
}

// Text is a run of glyphs of one face and size on one baseline.
type Text struct {
	Face   Face
	Size   float64 // em size, mm
	Top    float64 // top of the em box, mm from the top of the paper
	HScale float64 // horizontal scale; 0 means 1
	Rotate float64 // degrees, counter-clockwise about the first glyph's origin
	Alpha  float64 // opacity; 0 means opaque
	Color  Color
	Glyphs []Glyph
}

// String returns the characters of the run.
func (t *Text) String() string {
	rs := make([]rune, len(t.Glyphs))
	for i, g := range t.Glyphs {
		rs[i] = g.R
	}
	return string(rs)
}

// Rule is a straight stroked line.
type Rule struct {
	X1, Y1, X2, Y2 float64
	Width          float64 // stroke width, mm
	Color          Color
}

// SealPlace is the box a seal is to be pressed into: the square around an
// organ's round seal, or the rectangle of a signature seal (签名章). Writers
// do not draw it — the seal goes on the printed or electronically signed
// copy — but it records where the layout left room, for tests and for
// electronic sealing.
type SealPlace struct {
	X, Y, W, H float64 // top-left corner and size, mm
}

// Page is one side of paper.
type Page struct {
	Width, Height float64
	Number        int  // page number, 1-based; an attachment bound separately restarts at 1
	ShowNumber    bool // whether the page number is printed
	Texts         []Text
	Rules         []Rule
	Seals         []SealPlace
}

// GB/T 9704 geometry, in millimetres.
const (
	PageWidth    = 210.0
	PageHeight   = 297.0
	MarginTop    = 37.0 // 天头
	MarginLeft   = 28.0 // 订口
	BlockWidth   = 156.0
	BlockHeight  = 225.0
	LinesPerPage = 22
	CharsPerLine = 28
	LinePitch    = BlockHeight / LinesPerPage // ≈ 10.227 mm
	CharPitch    = BlockWidth / CharsPerLine  // ≈ 5.571 mm

	ptMM   = 25.4 / 72
	Size2  = 22 * ptMM // 二号
	Size3  = 16 * ptMM // 三号
	Size4  = 14 * ptMM // 四号
	blockR = MarginLeft + BlockWidth
	blockB = MarginTop + BlockHeight
)

// lineTop is the top of grid line i (0-based) of the 版心.
func lineTop(i int) float64 { return MarginTop + float64(i)*LinePitch }

// emTop centres an em box of the given size in grid line i.
func emTop(i int, size float64) float64 { return lineTop(i) + (LinePitch-size)/2 }
