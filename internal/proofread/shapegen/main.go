// Command shapegen builds the proofreader's table of visually similar
// characters (形近字), internal/proofread/data/shuniu/shape_similar.txt, from
// the glyph shapes of two faces, FandolSong and FandolHei.
//
//	go run ./internal/proofread/shapegen -out internal/proofread/data/shuniu/shape_similar.txt
//
// Each candidate character is rasterised in both faces into a 48×48 bitmap
// (its ink box centred, size kept as in the em square), every pair of
// characters is compared in each face and the two faces' similarities are
// combined; each character keeps its most similar characters above a
// threshold. -sweep prints the validation figures for every measure,
// combination and a range of thresholds instead of writing the table;
// -same-stroke and -ecspell name the validation data.
//
// It needs the fonts installed by scripts/setup-fonts.sh and is not run by the
// tests.
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

func main() {
	log.SetFlags(0)
	home, _ := os.UserHomeDir()
	fontDir := os.Getenv("SHUNIU_FONT_DIR")
	if fontDir == "" {
		fontDir = filepath.Join(home, ".cache", "shuniu", "fonts")
	}
	var (
		out         = flag.String("out", "", "write the table to this file")
		fonts       = flag.String("fonts", fontDir, "directory with FandolSong-Regular.ttf and FandolHei-Regular.ttf")
		dict        = flag.String("dict", "internal/proofread/data/gse/s_1.txt.gz", "gse frequency dictionary (gzip; lines `word freq pos`)")
		minFreq     = flag.Int("minfreq", 50, "take single-character entries with at least this frequency")
		minWordFreq = flag.Int("minwordfreq", 200, "also take characters whose dictionary words' frequencies sum to at least this (0: off)")
		measure     = flag.String("measure", "iou", "similarity: iou, tol1, tol2 or chamfer")
		combine     = flag.String("combine", "mean", "how the two faces' similarities combine: mean, min, song or hei")
		threshold   = flag.Float64("threshold", 0.46, "keep pairs with whole-glyph similarity at least this")
		compThresh  = flag.Float64("component", 0.66, "also keep pairs where the simpler glyph matches a part of the other at least this well (above 1: off)")
		maxList     = flag.Int("max", 8, "at most this many similar characters per character")
		normFlag    = flag.String("norm", "em", "glyph placement: em (keep the em-square size) or box (scale the ink box to fill)")
		sweep       = flag.Bool("sweep", false, "print validation figures for every measure, combination and threshold; write nothing")
		sameStroke  = flag.String("same-stroke", "", "validation (a): pycorrector same_stroke.txt")
		ecspell     = flag.String("ecspell", "", "validation (b): directory with ECSpell law_train.tsv and med_train.tsv")
		misses      = flag.Int("misses", 0, "with -ecspell, print this many of the most frequent error pairs the table misses")
		show        = flag.String("show", "", "print these characters' bitmaps in both faces and their similarities, then stop")
	)
	flag.Parse()
	if *out == "" && !*sweep && *show == "" {
		log.Fatal("shapegen: give -out FILE or -sweep")
	}
	norm := NormEm
	switch *normFlag {
	case "em":
	case "box":
		norm = NormBox
	default:
		log.Fatalf("shapegen: -norm %q: want em or box", *normFlag)
	}

	if *show != "" {
		if err := showChars(os.Stdout, *fonts, []rune(*show), norm); err != nil {
			log.Fatal(err)
		}
		return
	}
	chars, err := loadChars(*dict, *minFreq, *minWordFreq)
	if err != nil {
		log.Fatal(err)
	}
	faces, err := openFaces(*fonts)
	if err != nil {
		log.Fatal(err)
	}
	var kept []rune
	glyphs := make([][]*Glyph, len(faces)) // [face][char]
	var missing []rune
	parts := make([]partGlyphs, len(faces))
	for _, r := range chars {
		gs := make([]*Glyph, len(faces))
		ws := make([]*Glyph, len(faces))
		ps := make([][4]*Glyph, len(faces))
		ok := true
		for i, f := range faces {
			bm, has, err := f.Render(r, norm)
			if err != nil {
				log.Fatalf("shapegen: %c: %v", r, err)
			}
			if !has {
				ok = false
				break
			}
			gs[i] = NewGlyph(bm)
			w, p, _, err := f.Parts(r)
			if err != nil {
				log.Fatalf("shapegen: %c: %v", r, err)
			}
			ws[i] = NewGlyph(w)
			for k := range p {
				ps[i][k] = NewGlyph(p[k])
			}
		}
		if !ok {
			missing = append(missing, r)
			continue
		}
		kept = append(kept, r)
		for i := range faces {
			glyphs[i] = append(glyphs[i], gs[i])
			parts[i].whole = append(parts[i].whole, ws[i])
			parts[i].parts = append(parts[i].parts, ps[i])
		}
	}
	log.Printf("shapegen: %d characters, %d rendered in both faces, %d missing %s", len(chars), len(kept), len(missing), string(missing))

	variants := allVariants()
	if !*sweep {
		v, ok := findVariant(variants, *measure, *combine)
		if !ok {
			log.Fatalf("shapegen: unknown -measure %q or -combine %q", *measure, *combine)
		}
		variants = []variant{v}
	}
	tops := neighbours(glyphs, variants, topK(*maxList))
	var comp []topList
	if *compThresh <= 1 || *sweep {
		comp = componentNeighbours(glyphs[0], parts, *maxList)
	}

	var val *validation
	if *sameStroke != "" || *ecspell != "" {
		val, err = loadValidation(*sameStroke, *ecspell)
		if err != nil {
			log.Fatal(err)
		}
		val.inSet = map[rune]bool{}
		for _, r := range kept {
			val.inSet[r] = true
		}
	}

	if *sweep {
		if val == nil {
			log.Fatal("shapegen: -sweep needs -same-stroke or -ecspell")
		}
		val.printCeiling(os.Stdout)
		for vi, v := range variants {
			for t := 0.40; t < 0.991; t += 0.02 {
				for tc := 0.60; tc < 1.011; tc += 0.02 {
					tab := merged(kept, tops[vi], t, comp, tc, *maxList)
					fmt.Printf("%-8s %-5s t=%.2f c=%.2f  %s\n", v.measure, v.combine, t, tc, val.evaluate(tab, len(kept)))
				}
			}
		}
		return
	}

	tab := merged(kept, tops[0], *threshold, comp, *compThresh, *maxList)
	if val != nil {
		val.printCeiling(os.Stderr)
		log.Printf("shapegen: %s", val.evaluate(tab, len(kept)))
		if *misses > 0 {
			val.misses(os.Stderr, tab, *misses)
		}
	}
	cmd := fmt.Sprintf("go run ./internal/proofread/shapegen -out %s -measure %s -combine %s -threshold %.2f -component %.2f -max %d -norm %s -minfreq %d -minwordfreq %d",
		filepath.ToSlash(*out), *measure, *combine, *threshold, *compThresh, *maxList, *normFlag, *minFreq, *minWordFreq)
	if err := writeTable(*out, cmd, kept, tab); err != nil {
		log.Fatal(err)
	}
}

// loadChars returns the CJK unified ideographs (BMP) of the dictionary that
// are single-character entries with frequency ≥ minFreq, or whose words'
// frequencies sum to ≥ minWordFreq (the dictionary gives many common characters,
// such as 国 and 家, a tiny frequency as words of their own), in code point order.
func loadChars(path string, minFreq, minWordFreq int) ([]rune, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	single := map[rune]int{}
	inWords := map[rune]int{}
	sc := bufio.NewScanner(z)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		freq, err := strconv.Atoi(fields[1])
		if err != nil {
			continue
		}
		rs := []rune(fields[0])
		if len(rs) == 1 && isHan(rs[0]) {
			single[rs[0]] = max(single[rs[0]], freq)
		}
		seen := map[rune]bool{}
		for _, r := range rs {
			if isHan(r) && !seen[r] {
				seen[r] = true
				inWords[r] += freq
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	set := map[rune]bool{}
	for r, n := range single {
		if n >= minFreq {
			set[r] = true
		}
	}
	if minWordFreq > 0 {
		for r, n := range inWords {
			if n >= minWordFreq {
				set[r] = true
			}
		}
	}
	var rs []rune
	for r := range set {
		rs = append(rs, r)
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i] < rs[j] })
	return rs, nil
}

// isHan reports whether r is a CJK unified ideograph of the BMP (the basic
// block or extension A).
func isHan(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF
}

func writeTable(path, cmd string, chars []rune, tab map[rune][]rune) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# 形近字表, made by `%s` from the glyphs of FandolSong-Regular and FandolHei-Regular (GPL, scripts/setup-fonts.sh) rasterised at %d×%d; only derived similarity facts, no glyph data. Line: char<TAB>similar chars, most similar first; characters with none are left out. See internal/proofread/data/shuniu/README.md.\n", cmd, Size, Size)
	for _, r := range chars {
		if len(tab[r]) == 0 {
			continue
		}
		fmt.Fprintf(&b, "%c\t%s\n", r, string(tab[r]))
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

var faceFiles = []string{"FandolSong-Regular.ttf", "FandolHei-Regular.ttf"}

func openFaces(dir string) ([]*Face, error) {
	var faces []*Face
	for _, name := range faceFiles {
		f, err := OpenFace(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("shapegen: %v (run scripts/setup-fonts.sh)", err)
		}
		faces = append(faces, f)
	}
	return faces, nil
}

// showChars prints the bitmaps of rs in each face, side by side, and the
// similarities of each pair.
func showChars(w io.Writer, dir string, rs []rune, norm Norm) error {
	faces, err := openFaces(dir)
	if err != nil {
		return err
	}
	gs := make([][]*Glyph, len(faces))
	pg := make([]partGlyphs, len(faces))
	for fi, f := range faces {
		var show []*Glyph
		for _, r := range rs {
			bm, ok, err := f.Render(r, norm)
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("%s lacks %c", faceFiles[fi], r)
			}
			gs[fi] = append(gs[fi], NewGlyph(bm))
			whole, parts, _, _ := f.Parts(r)
			pg[fi].whole = append(pg[fi].whole, NewGlyph(whole))
			var ps [4]*Glyph
			for k := range parts {
				ps[k] = NewGlyph(parts[k])
			}
			pg[fi].parts = append(pg[fi].parts, ps)
		}
		show = append(show, gs[fi]...)
		show = append(show, pg[fi].parts[0][:]...)
		for y := 0; y < Size; y++ {
			var line strings.Builder
			for _, g := range show {
				for x := 0; x < Size; x++ {
					if g.B.Get(x, y) {
						line.WriteByte('#')
					} else {
						line.WriteByte('.')
					}
				}
				line.WriteString("  ")
			}
			fmt.Fprintln(w, line.String())
		}
		fmt.Fprintln(w)
	}
	for i := range rs {
		for j := i + 1; j < len(rs); j++ {
			fmt.Fprintf(w, "%c%c", rs[i], rs[j])
			for _, m := range Measures {
				fmt.Fprintf(w, "  %s", m.Name)
				for fi := range faces {
					fmt.Fprintf(w, " %.3f", m.F(Compare(gs[fi][i], gs[fi][j])))
				}
			}
			tops := componentNeighbours([]*Glyph{gs[0][i], gs[0][j]}, []partGlyphs{
				{[]*Glyph{pg[0].whole[i], pg[0].whole[j]}, [][4]*Glyph{pg[0].parts[i], pg[0].parts[j]}},
				{[]*Glyph{pg[1].whole[i], pg[1].whole[j]}, [][4]*Glyph{pg[1].parts[i], pg[1].parts[j]}},
			}, 1)
			fmt.Fprintf(w, "  component %.3f", tops[0].e[0].s)
			fmt.Fprintln(w)
		}
	}
	return nil
}
