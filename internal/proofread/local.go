package proofread

import "github.com/shuniu-oa/shuniu/internal/proofread/charlm"

// localKnows reports whether the text around [s, e) was written so in one
// of the deployment's issued documents (Config.Local): some run of four
// characters (more when the change is longer, at most charlm.CountsOrder)
// that holds [s, e) was seen there. An office's own names and phrases
// (智汇坊, 三清三拆) are thus never questioned once a document using them
// has been signed off; a typo seldom repeats four characters of signed
// text.
func (c *Checker) localKnows(rs []rune, s, e int) bool {
	if c.local == nil || c.local.Len() == 0 {
		return false
	}
	l := max(localWindow, e-s+1)
	if l > charlm.CountsOrder || l > len(rs) {
		return false
	}
	var buf [charlm.CountsOrder]rune
	for a := max(0, e-l); a <= s && a+l <= len(rs); a++ {
		w := buf[:0]
		for _, r := range rs[a : a+l] {
			w = append(w, charlm.Norm(r))
		}
		if c.local.Count(w) > 0 {
			return true
		}
	}
	return false
}

// localWindow is the run of characters around a candidate that, seen in
// an issued document, protects it.
const localWindow = 4
