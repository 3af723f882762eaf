package main

import "sort"

// variant is one similarity measure with one way of combining the faces.
type variant struct {
	measure, combine string
	f                func(Overlap) float64
}

var combines = []string{"mean", "min", "song", "hei"}

func allVariants() []variant {
	var vs []variant
	for _, m := range Measures {
		for _, c := range combines {
			vs = append(vs, variant{m.Name, c, m.F})
		}
	}
	return vs
}

func findVariant(vs []variant, measure, combine string) (variant, bool) {
	for _, v := range vs {
		if v.measure == measure && v.combine == combine {
			return v, true
		}
	}
	return variant{}, false
}

// score combines the per-face similarities s (Song first, then Hei).
func (v variant) score(o []Overlap) float64 {
	a, b := v.f(o[0]), v.f(o[1])
	switch v.combine {
	case "min":
		return min(a, b)
	case "song":
		return a
	case "hei":
		return b
	}
	return (a + b) / 2
}

type entry struct {
	j int32
	s float32
}

// topList keeps the k best-scoring entries seen.
type topList struct {
	e   []entry
	min float32
}

type topK int

func (t *topList) add(k int, e entry) {
	if len(t.e) == k && e.s <= t.min {
		return
	}
	if len(t.e) < k {
		t.e = append(t.e, e)
	} else {
		for i := range t.e {
			if t.e[i].s == t.min {
				t.e[i] = e
				break
			}
		}
	}
	t.min = t.e[0].s
	for _, x := range t.e {
		t.min = min(t.min, x.s)
	}
}

// sorted returns the entries best first; ties go to the lower index (code point).
func (t *topList) sorted() []entry {
	es := append([]entry(nil), t.e...)
	sort.Slice(es, func(a, b int) bool {
		if es[a].s != es[b].s {
			return es[a].s > es[b].s
		}
		return es[a].j < es[b].j
	})
	return es
}

// neighbours compares every pair of characters in every face and returns, per
// variant and character, its k most similar characters.
func neighbours(glyphs [][]*Glyph, vs []variant, k topK) [][]topList {
	n := len(glyphs[0])
	tops := make([][]topList, len(vs))
	for v := range tops {
		tops[v] = make([]topList, n)
	}
	o := make([]Overlap, len(glyphs))
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			for f := range glyphs {
				o[f] = Compare(glyphs[f][i], glyphs[f][j])
			}
			for vi, v := range vs {
				s := float32(v.score(o))
				tops[vi][i].add(int(k), entry{int32(j), s})
				tops[vi][j].add(int(k), entry{int32(i), s})
			}
		}
	}
	return tops
}

// partGlyphs are one face's glyphs prepared for component matching.
type partGlyphs struct {
	whole []*Glyph    // the ink box stretched to the bitmap
	parts [][4]*Glyph // left, right, top and bottom parts, stretched
}

// componentNeighbours scores, for every pair, how well the simpler glyph
// (less ink in the first face's em rendering) matches a part of the other —
// 又 in 权, 完 in 院, 或 in 域 — as the best part's chamfer similarity, mean over
// the faces, and returns each character's k best.
func componentNeighbours(em []*Glyph, faces []partGlyphs, k int) []topList {
	n := len(em)
	tops := make([]topList, n)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			big, small := i, j
			if em[j].N > em[i].N {
				big, small = j, i
			}
			best := 0.0
			for p := 0; p < 4; p++ {
				s := 0.0
				for _, f := range faces {
					s += Compare(f.parts[big][p], f.whole[small]).Chamfer()
				}
				best = max(best, s/float64(len(faces)))
			}
			tops[i].add(k, entry{int32(j), float32(best)})
			tops[j].add(k, entry{int32(i), float32(best)})
		}
	}
	return tops
}

// merged keeps, for each character, the neighbours whose whole-glyph score
// reaches tw or whose component score reaches tc (tc > 1: none), ranked by
// how far above its threshold the better of the two lies, at most max.
func merged(chars []rune, whole []topList, tw float64, comp []topList, tc float64, max int) map[rune][]rune {
	tab := map[rune][]rune{}
	for i := range chars {
		margin := map[int32]float64{}
		consider := func(t topList, th float64) {
			for _, e := range t.e {
				if m := float64(e.s) - th; m >= 0 {
					if old, ok := margin[e.j]; !ok || m > old {
						margin[e.j] = m
					}
				}
			}
		}
		consider(whole[i], tw)
		if comp != nil {
			consider(comp[i], tc)
		}
		js := make([]int32, 0, len(margin))
		for j := range margin {
			js = append(js, j)
		}
		sort.Slice(js, func(a, b int) bool {
			if margin[js[a]] != margin[js[b]] {
				return margin[js[a]] > margin[js[b]]
			}
			return js[a] < js[b]
		})
		for _, j := range js {
			if len(tab[chars[i]]) == max {
				break
			}
			tab[chars[i]] = append(tab[chars[i]], chars[j])
		}
	}
	return tab
}
