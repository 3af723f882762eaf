package document

// EditOp is the kind of a run in a comparison.
type EditOp string

const (
	Equal  EditOp = "equal"
	Insert EditOp = "insert"
	Delete EditOp = "delete"
)

// Edit is one run of a redline: equal, inserted or deleted text. A and B are
// the rune offsets of the run in the old and the new text; Len its length in
// runes. A web page renders the runs in order: deletions struck through,
// insertions underlined.
type Edit struct {
	Op   EditOp `json:"op"`
	Text string `json:"text"`
	A    int    `json:"a"`
	B    int    `json:"b"`
	Len  int    `json:"len"`
}

// Diff compares two texts character by character (over runes, so a Chinese
// character is one unit) with Myers' O(ND) algorithm in linear space, and
// returns the runs, adjacent runs of one kind merged.
func Diff(oldText, newText string) []Edit {
	a, b := []rune(oldText), []rune(newText)
	var raw []rawEdit
	raw = diffRunes(a, b, raw)
	out := make([]Edit, 0, len(raw))
	ai, bi := 0, 0
	for _, r := range raw {
		if len(r.text) == 0 {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Op == r.op {
			out[n-1].Text += string(r.text)
			out[n-1].Len += len(r.text)
		} else {
			out = append(out, Edit{Op: r.op, Text: string(r.text), A: ai, B: bi, Len: len(r.text)})
		}
		switch r.op {
		case Equal:
			ai += len(r.text)
			bi += len(r.text)
		case Delete:
			ai += len(r.text)
		case Insert:
			bi += len(r.text)
		}
	}
	return out
}

type rawEdit struct {
	op   EditOp
	text []rune
}

// diffRunes appends the edits turning a into b.
func diffRunes(a, b []rune, out []rawEdit) []rawEdit {
	// Common prefix and suffix cost nothing and are most of a revised document.
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	s := 0
	for s < len(a)-p && s < len(b)-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	if p > 0 {
		out = append(out, rawEdit{Equal, a[:p]})
	}
	ma, mb := a[p:len(a)-s], b[p:len(b)-s]
	switch {
	case len(ma) == 0 && len(mb) == 0:
	case len(ma) == 0:
		out = append(out, rawEdit{Insert, mb})
	case len(mb) == 0:
		out = append(out, rawEdit{Delete, ma})
	default:
		x, y, ok := middleSnake(ma, mb)
		if !ok {
			out = append(out, rawEdit{Delete, ma}, rawEdit{Insert, mb})
		} else {
			out = diffRunes(ma[:x], mb[:y], out)
			out = diffRunes(ma[x:], mb[y:], out)
		}
	}
	if s > 0 {
		out = append(out, rawEdit{Equal, a[len(a)-s:]})
	}
	return out
}

// middleSnake finds a point (x, y) on an optimal edit path by running the
// greedy search from both ends until the paths overlap (Myers 1986, §4b).
// Both a and b are non-empty and differ in their first and last runes.
func middleSnake(a, b []rune) (int, int, bool) {
	n, m := len(a), len(b)
	maxD := (n + m + 1) / 2
	// The search never goes past costLimit rounds, so the arrays need not
	// span every diagonal of a long text.
	off := min(maxD, costLimit)
	size := 2*off + 2
	v1 := make([]int, size)
	v2 := make([]int, size)
	for i := range v1 {
		v1[i], v2[i] = -1, -1
	}
	v1[off+1], v2[off+1] = 0, 0
	delta := n - m
	odd := delta%2 != 0
	// Trim the diagonals that have run off the grid.
	k1lo, k1hi, k2lo, k2hi := 0, 0, 0, 0
	for d := 0; d < maxD; d++ {
		if d == costLimit {
			return furthest(v1, off, d, k1lo, k1hi, n, m)
		}
		for k := -d + k1lo; k <= d-k1hi; k += 2 {
			i := off + k
			var x int
			if k == -d || (k != d && v1[i-1] < v1[i+1]) {
				x = v1[i+1]
			} else {
				x = v1[i-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v1[i] = x
			switch {
			case x > n:
				k1hi += 2
			case y > m:
				k1lo += 2
			case odd:
				j := off + delta - k
				if j >= 0 && j < size && v2[j] != -1 && x >= n-v2[j] {
					return x, y, true
				}
			}
		}
		for k := -d + k2lo; k <= d-k2hi; k += 2 {
			i := off + k
			var x int
			if k == -d || (k != d && v2[i-1] < v2[i+1]) {
				x = v2[i+1]
			} else {
				x = v2[i-1] + 1
			}
			y := x - k
			for x < n && y < m && a[n-x-1] == b[m-y-1] {
				x++
				y++
			}
			v2[i] = x
			switch {
			case x > n:
				k2hi += 2
			case y > m:
				k2lo += 2
			case !odd:
				j := off + delta - k
				if j >= 0 && j < size && v1[j] != -1 {
					x1 := v1[j]
					y1 := x1 - (j - off)
					if x1 >= n-x {
						return x1, y1, true
					}
				}
			}
		}
	}
	return 0, 0, false
}

// costLimit bounds the search for one middle snake. Past it (texts that
// share little, such as a rewritten section) the search stops at the furthest
// point reached and splits there, as GNU diff does: the result is still a
// correct edit script, only perhaps not the shortest, and the cost of
// comparing two unrelated 10,000-character texts stays in milliseconds.
const costLimit = 512

// furthest returns the forward point that got furthest along the diagonal
// (largest x+y) after d-1 rounds; it is never (0, 0) because the texts differ
// in their first rune, nor (n, m).
func furthest(v1 []int, off, d, klo, khi, n, m int) (int, int, bool) {
	bx, by := -1, -1
	for k := -(d - 1) + klo; k <= d-1-khi; k += 2 {
		x := v1[off+k]
		y := x - k
		if x < 0 || x > n || y < 0 || y > m || (x == n && y == m) {
			continue
		}
		if x+y > bx+by {
			bx, by = x, y
		}
	}
	return bx, by, bx+by > 0
}

// Apply rebuilds the new text from the old one and the edits; a check that
// the edits are complete.
func Apply(oldText string, edits []Edit) string {
	a := []rune(oldText)
	var out []rune
	for _, e := range edits {
		switch e.Op {
		case Equal:
			out = append(out, a[e.A:e.A+e.Len]...)
		case Insert:
			out = append(out, []rune(e.Text)...)
		}
	}
	return string(out)
}
