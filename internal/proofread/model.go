package proofread

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"

	"github.com/shuniu-oa/shuniu/internal/proofread/charlm"
)

// The language data shipped with the package; origins and licences are in
// data/*/LICENSE and docs/proofread.md.
//
//go:embed data/gse/s_1.txt.gz data/pycorrector/same_stroke.txt data/simple-csc/prone_to_confusion_dict.json data/thuocl/THUOCL_chengyu.txt data/ecspell/variant_words.txt data/macro-correct/confusion_dict.json data/shuniu/gongwen_terms.txt data/shuniu/shape_similar.txt data/gb2260/divisions.txt.gz
var dataFS embed.FS

// supplementFreq is the frequency given to the project's own 公文 terms:
// that of a common word, not of a very common one.
const supplementFreq = 300

// maxTermRunes bounds the 公文 terms the typo check protects.
const maxTermRunes = 6

// maxWordRunes bounds dictionary lookups; longer entries are rare names.
const maxWordRunes = 8

// wildKey is a word of 2–4 runes with the rune at one position blanked:
// it finds every dictionary word that differs from the text only there.
// Packed into an integer (16 bits a rune, BMP only) because the index has
// over half a million entries and integer keys load much faster.
type wildKey uint64

const wildBlank = 0xFFFF

// wildCand is the character a word has at the blank of a wildKey, with the
// word's frequency and log probability.
type wildCand struct {
	r  rune
	f  int32
	lp float32
}

// makeWildKey packs rs with position blank replaced by the blank marker; ok
// is false for runes outside the BMP, which the index does not hold.
func makeWildKey(rs []rune, blank int) (wildKey, bool) {
	var k uint64
	for i, r := range rs {
		v := uint64(r)
		if i == blank {
			v = wildBlank
		} else if r >= wildBlank {
			return 0, false
		}
		k = k<<16 | v
	}
	return wildKey(k), true
}

// model is the loaded language data, read-only after loadModel.
type model struct {
	// places are the administrative divisions and their short names
	// (places.go).
	places placeIndex
	// freq4 holds the dictionary's words of up to four BMP runes (packed
	// 16 bits a rune, packWord) with their frequencies, 0 marking a prefix
	// of a longer word; long the others (longer words and their prefixes,
	// words with other runes). Built straight into the flat table: a Go
	// map of 600,000 strings cost a third of the start-up and stayed for
	// the collector to scan. freqOf reads both.
	freq4 flatTable // frequency in a
	long  map[string]int32
	// freq4F and wildF filter the lookups of freq4 and wild.
	freq4F, wildF keyFilter
	pos           map[string]string
	logN          float64
	// wildT and wildC are the index of words with one character blanked
	// (wildKey): a key's candidates are wildC[a:b], most frequent first.
	wildT flatTable
	wildC []wildCand
	// chars holds, for every BMP character, what it can be confused with;
	// a dense table because the scorer asks for every candidate.
	chars []charInfo
	// conf is chars' readings packed 16 bytes a character for confusion,
	// which the scorer asks for every candidate: one read where charInfo's
	// three slices were three cache misses.
	conf []charConf
	// cfreq is each BMP character's frequency as a word (charInfo.freq),
	// dense: the segmenter asks it at every character.
	cfreq  []int32
	idioms map[string]bool
	// terms are the project's contemporary 公文 terms (gongwen_terms.txt)
	// of up to maxTermRunes runes.
	terms map[string]bool
	// misspelt are known wrong forms (the spec's list and the reviewed part
	// of macro-correct's): never treated as words, always flagged.
	misspelt map[string]string
	variants map[string]string // 异形词 variant -> recommended form
	// starts marks the first characters of misspellings and variants, so
	// that most positions need no lookup at all.
	starts []bool
	// homT and homC index the common words of 2–3 characters by their
	// toneless pinyin (homKeys): a key's words are homC[a:b], most
	// frequent first. An IME slip often replaces a whole word by another
	// of the same sound (单位 → 淡味). homDict holds the dictionary's part
	// while loading (indexHomophones, addModelHomophones).
	homT    flatTable
	homC    []homCand
	homDict homIndex
	// ngram is the word trigram model read from the system, nil if absent.
	ngram *ngramModel
	// char is the character n-gram model of official writing, nil if none.
	char *charlm.Model
	// candReadings is how many readings of a correction's character count
	// when it is compared by sound with the text's (0: all).
	candReadings int
}

type syllable struct {
	initial, final string
	tone           byte
}

// charInfo is one character's readings and confusable characters.
type charInfo struct {
	sound []uint16 // toneless syllable IDs
	tones []byte   // the tone of each reading
	fuzzy []uint16 // IDs after folding the IME fuzzy pairs (zh→z, ang→an, …)
	shape []rune   // look-alike characters
	prone []rune   // characters listed as often confused with this one
	freq  int32    // the character's frequency as a word
}

// charConf is a character's readings for confusion: toneless syllable,
// fuzzy syllable and tone of each, as in charInfo.
type charConf struct {
	sound, fuzzy [confReadings]uint16
	tones        [confReadings]byte
	n            uint8 // readings; more than confReadings: read charInfo
}

// confReadings is how many readings charConf holds; the few characters
// with more (up to 11) are read from charInfo.
const confReadings = 3

// Model loading is separated so that Checker.With can share one model.
func loadModel(ngramPath, charPath string) (*model, error) {
	// The trigram model (a 17 MB file) loads beside the embedded data.
	type ngramResult struct {
		m   *ngramModel
		err error
	}
	ngramDone := make(chan ngramResult, 1)
	go func() {
		g, err := findNgramModel(ngramPath)
		ngramDone <- ngramResult{g, err}
	}()
	// So do the place names, into their own field of m (read only after
	// placesDone).
	placesDone := make(chan error, 1)
	m := &model{
		freq4:    newFlatTable(480_000), // 487,000 keys: 2^20 slots, grown if need be
		long:     make(map[string]int32, 40_000),
		pos:      make(map[string]string, 16_000),
		chars:    make([]charInfo, 0x10000),
		starts:   make([]bool, 0x10000),
		idioms:   map[string]bool{},
		terms:    map[string]bool{},
		misspelt: map[string]string{},
		variants: map[string]string{},
	}
	go func() { placesDone <- m.loadPlaces() }()
	for _, p := range alwaysWrong {
		m.misspelt[p[0]] = p[1]
	}
	if err := m.loadIdioms(); err != nil {
		return nil, err
	}
	if err := m.loadWords(); err != nil {
		return nil, err
	}
	if err := m.loadMacroCorrect(); err != nil {
		return nil, err
	}
	if err := m.loadConfusion(); err != nil {
		return nil, err
	}
	if err := m.loadVariants(); err != nil {
		return nil, err
	}
	if err := <-placesDone; err != nil {
		return nil, err
	}
	nr := <-ngramDone
	if nr.err != nil {
		return nil, fmt.Errorf("word trigram model: %w", nr.err)
	}
	m.ngram = nr.m
	var err error
	if m.char, err = findCharModel(charPath); err != nil {
		return nil, fmt.Errorf("character model: %w", err)
	}
	if m.ngram != nil {
		// With the trigram model to judge, a correction's character is
		// compared by its common reading only (see homReadings); without
		// it, all readings found more on the dev split.
		m.candReadings = homReadings
	}
	m.freq4F, m.wildF = newKeyFilter(), newKeyFilter()
	m.freq4.each(func(k uint64, _, _ int32) { m.freq4F.add(k) })
	m.wildT.each(func(k uint64, _, _ int32) { m.wildF.add(k) })
	var adds []homAdd
	if m.ngram != nil {
		adds = m.addModelHomophones() // after freq4, which it reads
	}
	m.homT, m.homC = m.homDict.with(adds)
	m.homDict = homIndex{}
	m.conf = make([]charConf, len(m.chars))
	for r := range m.chars {
		ci, cc := &m.chars[r], &m.conf[r]
		cc.n = uint8(min(len(ci.sound), confReadings+1))
		for i := range min(len(ci.sound), confReadings) {
			cc.sound[i], cc.fuzzy[i], cc.tones[i] = ci.sound[i], ci.fuzzy[i], ci.tones[i]
		}
	}
	var b [4]byte
	for r := range m.chars {
		if utf8.ValidRune(rune(r)) {
			m.chars[r].freq, _ = m.freqOf(string(b[:utf8.EncodeRune(b[:], rune(r))]))
		}
	}
	m.cfreq = make([]int32, len(m.chars))
	for r := range m.chars {
		m.cfreq[r] = m.chars[r].freq
	}
	for _, list := range []map[string]string{m.misspelt, m.variants} {
		for w := range list {
			if r, _ := utf8.DecodeRuneInString(w); r < 0x10000 {
				m.starts[r] = true
			}
		}
	}
	return m, nil
}

func (m *model) loadIdioms() error {
	b, err := dataFS.ReadFile("data/thuocl/THUOCL_chengyu.txt")
	if err != nil {
		return err
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) >= 1 {
			m.idioms[f[0]] = true
		}
	}
	return nil
}

type entry struct {
	word string
	rs   []rune
	n    int32
	tag  string
}

func (m *model) loadWords() error {
	f, err := dataFS.Open("data/gse/s_1.txt.gz")
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return fmt.Errorf("s_1.txt.gz: %w", err)
	}
	// Words added to the dictionary: THUOCL's idioms and the project's
	// contemporary 公文 terms, each with the frequency it gets if the
	// dictionary lacks it. The dictionary has no duplicate entries, so only
	// these need a membership test.
	extra := map[string]int32{}
	for w := range m.idioms {
		extra[w] = 20
	}
	b, err := dataFS.ReadFile("data/shuniu/gongwen_terms.txt")
	if err != nil {
		return err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if w := strings.TrimSpace(line); w != "" && !strings.HasPrefix(w, "#") {
			extra[w] = supplementFreq
			if n := utf8.RuneCountInString(w); n >= 2 && n <= maxTermRunes {
				m.terms[w] = true
			}
		}
	}
	entries := make([]entry, 0, 360_000)
	var total int64
	// The words are substrings of one copy of the file and their runes
	// slices of one array (a Han character is three bytes, so a third of
	// the file's length holds them all): two allocations instead of two a
	// word, 350,000 words.
	all := string(raw)
	runes := make([]rune, 0, len(raw)/3+16)
	tags := map[string]string{}
	for off := 0; len(raw) > 0; {
		line := raw
		lineOff := off
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			line, raw = raw[:i], raw[i+1:]
			off += i + 1
		} else {
			raw = nil
		}
		sp := bytes.IndexByte(line, ' ')
		if sp <= 0 {
			continue
		}
		rest := line[sp+1:]
		sp2 := bytes.IndexByte(rest, ' ')
		fs, tag := rest, []byte(nil)
		if sp2 >= 0 {
			fs, tag = rest[:sp2], rest[sp2+1:]
		}
		n, err := strconv.Atoi(string(fs))
		if err != nil || n <= 0 {
			continue
		}
		word := all[lineOff : lineOff+sp]
		if _, bad := m.misspelt[word]; bad {
			continue
		}
		from := len(runes)
		for _, r := range word {
			runes = append(runes, r)
		}
		rs := runes[from:len(runes):len(runes)]
		if len(rs) > maxWordRunes || !allHan(rs) {
			runes = runes[:from]
			continue
		}
		delete(extra, word)
		e := entry{word: word, rs: rs, n: int32(n)}
		if len(rs) <= 2 {
			t, ok := tags[string(tag)]
			if !ok {
				t = string(tag)
				tags[t] = t
			}
			e.tag = t
		}
		entries = append(entries, e)
		total += int64(n)
	}
	// In a fixed order: the word lists sort by frequency only, and these
	// words (the idioms at 20, the 公文 terms at 300) tie with others, so
	// map order made the order of tied candidates differ between runs.
	for _, w := range slices.Sorted(maps.Keys(extra)) {
		n := extra[w]
		rs := []rune(w)
		if _, bad := m.misspelt[w]; bad || len(rs) > maxWordRunes || !allHan(rs) {
			continue
		}
		entries = append(entries, entry{word: w, rs: rs, n: n})
		total += int64(n)
	}
	m.logN = math.Log(float64(total))
	// The word map and the candidate index are independent: build them on
	// two cores to keep start-up under a second.
	done := make(chan struct{})
	go func() {
		defer close(done)
		m.indexWild(entries)
		m.loadPinyin(entries)
		m.indexHomophones(entries)
	}()
	for _, e := range entries {
		m.addWord(e.word, e.n)
		if e.tag != "" {
			m.pos[e.word] = e.tag
		}
	}
	<-done
	return nil
}

// indexWild builds the index of words with one character blanked (wildT,
// wildC) straight into its flat arrays: the keys counted, each given its
// place, then filled in the dictionary's order and sorted by frequency —
// the lists a map of 80,000 growing slices made before, in the same order.
func (m *model) indexWild(entries []entry) {
	each := func(f func(k uint64, c wildCand)) {
		for _, e := range entries {
			if e.n < minCandidateFreq || len(e.rs) < 2 || len(e.rs) > 4 {
				continue
			}
			for p := range e.rs {
				if k, ok := makeWildKey(e.rs, p); ok {
					f(uint64(k), wildCand{r: e.rs[p], f: e.n, lp: float32(math.Log(float64(e.n)) - m.logN)})
				}
			}
		}
	}
	t := newFlatTable(80_000) // 81,000 keys: 2^18 slots, grown if need be
	n := 0
	each(func(k uint64, _ wildCand) {
		a, _, _ := t.get(k)
		t.put(k, a+1, 0)
		n++
	})
	// a: where a key's candidates start; b: where the next one goes.
	at := int32(0)
	for i := range t.slots {
		if s := &t.slots[i]; s.k != 0 {
			s.a, s.b, at = at, at, at+s.a
		}
	}
	m.wildC = make([]wildCand, n)
	each(func(k uint64, c wildCand) {
		a, b, _ := t.get(k)
		m.wildC[b] = c
		t.put(k, a, b+1)
	})
	for _, s := range t.slots {
		if s.k != 0 {
			slices.SortFunc(m.wildC[s.a:s.b], func(a, b wildCand) int { return int(b.f - a.f) })
		}
	}
	m.wildT = t
}

func (m *model) addWord(word string, n int32) {
	m.setFreq(word, n)
	// Prefixes let the segmenter stop early.
	for i := len(word) - 1; i > 0; i-- {
		if !isRuneBoundary(word, i) {
			continue
		}
		if _, ok := m.freqOf(word[:i]); ok {
			break // shorter prefixes were added with it
		}
		m.setFreq(word[:i], 0)
	}
}

// setFreq files w's frequency (0: a prefix) in freq4 or long.
func (m *model) setFreq(w string, f int32) {
	if k, ok := packString(w); ok {
		m.freq4.put(k, f, 0)
		return
	}
	m.long[w] = f
}

// freqOf is w's frequency, 0 for a prefix of a longer word; ok is false
// when w is neither word nor prefix.
func (m *model) freqOf(w string) (int32, bool) {
	if k, ok := packString(w); ok {
		f, _, ok := m.freq4.get(k)
		return f, ok
	}
	f, ok := m.long[w]
	return f, ok
}

// packString is packWord for a string, without converting it.
func packString(w string) (uint64, bool) {
	var k uint64
	n := 0
	for _, r := range w {
		if r <= 0 || r > 0xFFFF || n == maxLMWordRunes {
			return 0, false
		}
		k = k<<16 | uint64(r)
		n++
	}
	return k, n > 0
}

// packFail marks a key that cannot be packed (see freq4).
const packFail = ^uint64(0)

// freqRunes is the frequency of the word rs (0 for none or a prefix).
func (m *model) freqRunes(rs []rune) int32 {
	if len(rs) <= 4 {
		var k uint64
		for _, r := range rs {
			if r <= 0 || r > 0xFFFF {
				return m.long[string(rs)]
			}
			k = k<<16 | uint64(r)
		}
		f, _, _ := m.freq4.get(k)
		return f
	}
	return m.long[string(rs)]
}

// freqWord is freqRunes for a word given as a string.
func (m *model) freqWord(w string) int32 {
	if k, ok := packWord([]byte(w)); ok {
		f, _, _ := m.freq4.get(k)
		return f
	}
	return m.long[w]
}

func isRuneBoundary(s string, i int) bool { return i == 0 || i == len(s) || s[i]&0xC0 != 0x80 }

func allHan(rs []rune) bool {
	for _, r := range rs {
		if !isHan(r) {
			return false
		}
	}
	return len(rs) > 0
}

// loadMacroCorrect takes the pairs of macro-correct's list whose correction
// is itself a known word or idiom and whose wrong form is not a common word:
// the list is noisy (see the data README), so only this reviewed part ships
// as "known misspelling".
func (m *model) loadMacroCorrect() error {
	b, err := dataFS.ReadFile("data/macro-correct/confusion_dict.json")
	if err != nil {
		return err
	}
	var pairs map[string]string
	if err := json.Unmarshal(b, &pairs); err != nil {
		return fmt.Errorf("confusion_dict.json: %w", err)
	}
	for wrong, right := range pairs {
		wr, rr := []rune(wrong), []rune(right)
		if len(wr) != len(rr) || len(wr) < 2 || !allHan(wr) || !allHan(rr) {
			continue
		}
		rf, _ := m.freqOf(right)
		if rf < 50 && !m.idioms[right] {
			continue
		}
		if wf, _ := m.freqOf(wrong); wf > 0 && wf*50 > rf {
			continue
		}
		if _, ok := m.misspelt[wrong]; !ok {
			m.misspelt[wrong] = right
			m.setFreq(wrong, 0) // no longer a word; still a prefix
		}
	}
	return nil
}

// loadPinyin reads the readings of every character the dictionary uses.
func (m *model) loadPinyin(entries []entry) {
	args := pinyin.NewArgs()
	args.Style = pinyin.Tone3
	args.Heteronym = true
	ids := map[string]uint16{}
	id := func(s string) uint16 {
		v, ok := ids[s]
		if !ok {
			v = uint16(len(ids) + 1)
			ids[s] = v
		}
		return v
	}
	done := make([]bool, 0x10000)
	for _, e := range entries {
		for _, r := range e.rs {
			if r >= 0x10000 || done[r] {
				continue
			}
			done[r] = true
			ci := &m.chars[r]
			for _, p := range pinyin.SinglePinyin(r, args) {
				sy := splitSyllable(p)
				ci.sound = append(ci.sound, id(sy.initial+sy.final))
				ci.tones = append(ci.tones, sy.tone)
				ci.fuzzy = append(ci.fuzzy, id("~"+fuzzyInitial[sy.initial]+"|"+foldFinal(sy.final)))
			}
		}
	}
}

// The fuzzy-pinyin pairs of the common IMEs (模糊音), folded to one form:
// z/zh, c/ch, s/sh, n/l, l/r, f/h; an/ang, en/eng, in/ing, ian/iang,
// uan/uang. Wider tables (j/q/x/z, l/d/t, …) made the language model
// propose far-fetched corrections.
var (
	fuzzyInitial = map[string]string{"zh": "z", "ch": "c", "sh": "s", "l": "n", "r": "n", "h": "f"}
	fuzzyFinal   = map[string]string{"ang": "an", "eng": "en", "ing": "in", "iang": "ian", "uang": "uan"}
)

func init() {
	for _, in := range initials {
		if _, ok := fuzzyInitial[in]; !ok {
			fuzzyInitial[in] = in
		}
	}
	fuzzyInitial[""] = ""
}

func foldFinal(f string) string {
	if v, ok := fuzzyFinal[f]; ok {
		return v
	}
	return f
}

// loadShapeTable adds the look-alikes of the project's 形近字表 (made from
// glyph shapes by ./shapegen), both ways: a slip can go either way.
func (m *model) loadShapeTable() error {
	b, err := dataFS.ReadFile("data/shuniu/shape_similar.txt")
	if err != nil {
		return err
	}
	add := func(a, c rune) {
		if a == c || a >= 0x10000 || slices.Contains(m.chars[a].shape, c) {
			return
		}
		m.chars[a].shape = append(m.chars[a].shape, c)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		ch, list, ok := strings.Cut(line, "\t")
		a, n := utf8.DecodeRuneInString(ch)
		if !ok || n != len(ch) || a >= 0x10000 {
			continue
		}
		for _, c := range list {
			if c < 0x10000 {
				add(a, c)
				add(c, a)
			}
		}
	}
	return nil
}

func (m *model) loadConfusion() error {
	b, err := dataFS.ReadFile("data/pycorrector/same_stroke.txt")
	if err != nil {
		return err
	}
	for _, line := range strings.Split(string(b), "\n") {
		var group []rune
		for _, f := range strings.Fields(line) {
			if rs := []rune(f); len(rs) == 1 {
				group = append(group, rs[0])
			}
		}
		for _, a := range group {
			for _, c := range group {
				if a != c && a < 0x10000 {
					m.chars[a].shape = append(m.chars[a].shape, c)
				}
			}
		}
	}
	if err := m.loadShapeTable(); err != nil {
		return err
	}
	var prone map[string][]string
	if err := readJSON("data/simple-csc/prone_to_confusion_dict.json", &prone); err != nil {
		return err
	}
	for a, list := range prone {
		for _, c := range list {
			ar, cr := []rune(a), []rune(c)
			if len(ar) == 1 && len(cr) == 1 && ar[0] < 0x10000 {
				m.chars[ar[0]].prone = append(m.chars[ar[0]].prone, cr[0])
			}
		}
	}
	return nil
}

func readJSON(name string, v any) error {
	b, err := dataFS.ReadFile(name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

var initials = []string{"zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r", "z", "c", "s", "y", "w"}

func splitSyllable(p string) syllable {
	var s syllable
	if n := len(p); n > 0 && p[n-1] >= '1' && p[n-1] <= '5' {
		s.tone = p[n-1]
		p = p[:n-1]
	}
	for _, in := range initials {
		if strings.HasPrefix(p, in) {
			s.initial, s.final = in, p[len(in):]
			return s
		}
	}
	s.final = p
	return s
}

func (m *model) loadVariants() error {
	b, err := dataFS.ReadFile("data/ecspell/variant_words.txt")
	if err != nil {
		return err
	}
	for _, line := range strings.Split(string(b), "\n") {
		right, wrong, ok := strings.Cut(strings.TrimSpace(line), "-")
		if ok && right != "" && wrong != "" {
			m.variants[wrong] = right
		}
	}
	return nil
}

// Candidate kinds, cheapest first; each has its own cost in the scorer.
const (
	confNone = iota
	confSameSound
	confSameSoundOtherTone
	confListed // a known confusable pair (的/地/得, 已/己, …)
	confNearSound
	confShape
)

// confusion says how a and c are confusable, if at all.
func (m *model) confusion(a, c rune) int {
	if a >= 0x10000 || c >= 0x10000 {
		return confNone
	}
	ca, cc := &m.conf[a], &m.conf[c]
	if ca.n > confReadings || cc.n > confReadings {
		return m.confusionAll(a, c)
	}
	// As confusionAll, from the packed readings.
	best := confNone
	nc := int(cc.n)
	if m.candReadings > 0 && nc > m.candReadings {
		nc = m.candReadings
	}
	for i := range int(ca.n) {
		x := ca.sound[i]
		for j := range nc {
			y := cc.sound[j]
			switch {
			case x == y && ca.tones[i] == cc.tones[j]:
				return confSameSound
			case x == y:
				best = confSameSoundOtherTone
			case best == confNone && ca.fuzzy[i] == cc.fuzzy[j]:
				best = confNearSound
			}
		}
	}
	return m.confusionRest(a, c, best)
}

// confusionAll is confusion read from charInfo, for characters of more
// readings than charConf holds.
func (m *model) confusionAll(a, c rune) int {
	ia, ic := &m.chars[a], &m.chars[c]
	best := confNone
	cs := ic.sound
	if m.candReadings > 0 && len(cs) > m.candReadings {
		cs = cs[:m.candReadings]
	}
	for i, x := range ia.sound {
		for j, y := range cs {
			switch {
			case x == y && ia.tones[i] == ic.tones[j]:
				return confSameSound
			case x == y:
				best = confSameSoundOtherTone
			case best == confNone && ia.fuzzy[i] == ic.fuzzy[j]:
				best = confNearSound
			}
		}
	}
	return m.confusionRest(a, c, best)
}

// confusionRest finishes confusion and confusionAll from the best relation
// of sound found: a listed confusable outranks all but the other tone, a
// look-alike counts only when no sound relates the two.
func (m *model) confusionRest(a, c rune, best int) int {
	if best == confSameSoundOtherTone {
		return best
	}
	ia := &m.chars[a]
	for _, r := range ia.prone {
		if r == c {
			return confListed
		}
	}
	if best != confNone {
		return best
	}
	for _, r := range ia.shape {
		if r == c {
			return confShape
		}
	}
	return confNone
}

// logProb is the unigram log probability of a dictionary word, or of a
// single character that is not in the dictionary.
func (m *model) logProb(w string, runes int) (float64, bool) {
	f, _ := m.freqOf(w)
	if f > 0 {
		return math.Log(float64(f)) - m.logN, true
	}
	if runes == 1 {
		return -m.logN - 2, true // unseen character: rarer than any entry
	}
	return 0, false
}

// addModelHomophones puts into the homophone index the words of 2–3
// characters that the dictionary has but rates below homMinFreq while the
// trigram model, trained on newer text, rates them at least that common
// (the dictionary gives 拐卖 34, 售后 27 and 征收 3); such a word enters
// with the model's probability. (Doing the same for the one-character
// index, below minCandidateFreq, gained nothing on the dev split.)
func (m *model) addModelHomophones() []homAdd {
	g := m.ngram
	var adds []homAdd
	var rs []rune
	g.keys.each(func(key uint64, v, _ int32) {
		id := uint32(v) &^ lmPrefixBit
		if id == 0 {
			return
		}
		rs = rs[:0]
		for k := key; k != 0; k >>= 16 {
			rs = append(rs, rune(k&0xFFFF))
		}
		if len(rs) < 2 || len(rs) > 3 {
			return
		}
		slices.Reverse(rs)
		if f := m.freqRunes(rs); f <= 0 || f >= homMinFreq {
			return // unknown to the segmenter (or a known misspelling), or indexed already
		}
		lp := float64(g.logProb(nil, id)) * ln10 // natural log of its probability in the model
		if lp < math.Log(homMinFreq)-m.logN {
			return
		}
		c := homCand{word: string(rs), lp: float32(lp)}
		var keys [8]uint64
		for _, k := range keys[:m.homKeys(rs, keys[:], homReadings)] {
			adds = append(adds, homAdd{k, c})
		}
	})
	return adds
}

// homAdd is a word the trigram model adds to the homophone index under key k.
type homAdd struct {
	k uint64
	c homCand
}

// homIndex is the dictionary's homophone index while loading: a key's
// words are c[a:b] of t, most frequent first.
type homIndex struct {
	t flatTable
	c []homCand
}

// with is the index with the trigram model's words added: a key that
// gets some has its words sorted by probability, ties by the word (the
// model's words come in table order), so that every start-up builds the
// same lists; the other keys keep the dictionary's order.
func (x homIndex) with(adds []homAdd) (flatTable, []homCand) {
	extra := newFlatTable(len(adds))
	for _, a := range adds {
		n, _, _ := extra.get(a.k)
		extra.put(a.k, n+1, 0)
	}
	t := newFlatTable(x.t.n + extra.n)
	c := make([]homCand, 0, len(x.c)+len(adds))
	x.t.each(func(k uint64, a, b int32) {
		n, _, _ := extra.get(k)
		t.put(k, int32(len(c)), int32(len(c))+b-a+n)
		c = append(c, x.c[a:b]...)
		c = c[:len(c)+int(n)] // room for the model's words
	})
	extra.each(func(k uint64, n, _ int32) {
		if _, _, ok := t.get(k); !ok {
			t.put(k, int32(len(c)), int32(len(c))+n)
			c = c[:len(c)+int(n)]
		}
	})
	// The model's words go at the end of their key's list, from the back.
	for _, a := range adds {
		n, _, _ := extra.get(a.k)
		_, b, _ := t.get(a.k)
		c[b-n] = a.c
		extra.put(a.k, n-1, 0)
	}
	extra.each(func(k uint64, _, _ int32) {
		lo, hi, _ := t.get(k)
		slices.SortStableFunc(c[lo:hi], func(a, b homCand) int {
			return cmp.Or(cmp.Compare(b.lp, a.lp), strings.Compare(a.word, b.word))
		})
	})
	return t, c
}

// homReadings is how many readings of each character of a word index it
// in the homophone index: the first, the common one. Rarer readings (度
// zhái, 省 xiǎn) made false homophones (之债 → 制度).
const homReadings = 1

// homMinFreq: only words at least this common are proposed as the word a
// homophone slip replaced.
const homMinFreq = 50

// homCand is a word in the homophone index.
type homCand struct {
	word string
	lp   float32
}

// homKeys writes the keys of the combinations of the readings of rs (2–3
// BMP runes), at most maxReadings readings of each rune (0: all), into
// keys and returns how many; 0 if a rune has no reading.
func (m *model) homKeys(rs []rune, keys []uint64, maxReadings int) int {
	n := 0
	var ids [3][]uint16
	for i, r := range rs {
		if r >= 0x10000 || len(m.chars[r].sound) == 0 {
			return 0
		}
		ids[i] = m.chars[r].sound
		if maxReadings > 0 && len(ids[i]) > maxReadings {
			ids[i] = ids[i][:maxReadings]
		}
	}
	l := uint64(len(rs)) << 48
	for ai, a := range ids[0] {
		if slices.Contains(ids[0][:ai], a) {
			continue
		}
		for bi, b := range ids[1] {
			if slices.Contains(ids[1][:bi], b) {
				continue
			}
			if len(rs) == 2 {
				if n < len(keys) {
					keys[n] = l | uint64(a)<<16 | uint64(b)
					n++
				}
				continue
			}
			for ci, c := range ids[2] {
				if slices.Contains(ids[2][:ci], c) || n == len(keys) {
					continue
				}
				keys[n] = l | uint64(a)<<32 | uint64(b)<<16 | uint64(c)
				n++
			}
		}
	}
	return n
}

// indexHomophones builds the homophone index; it runs after loadPinyin.
// Like indexWild, it is built straight into flat arrays: the keys
// counted, given their places, filled in the dictionary's order and each
// key's words sorted by frequency as a map of slices had them.
func (m *model) indexHomophones(entries []entry) {
	type hf struct {
		c homCand
		f int32
	}
	each := func(f func(k uint64, c hf)) {
		for _, e := range entries {
			if e.n < homMinFreq || len(e.rs) < 2 || len(e.rs) > 3 {
				continue
			}
			c := hf{homCand{word: e.word, lp: float32(math.Log(float64(e.n)) - m.logN)}, e.n}
			var keys [8]uint64
			for _, k := range keys[:m.homKeys(e.rs, keys[:], homReadings)] {
				f(k, c) // the keys of one word are distinct
			}
		}
	}
	t := newFlatTable(64_000)
	n := 0
	each(func(k uint64, _ hf) {
		a, _, _ := t.get(k)
		t.put(k, a+1, 0)
		n++
	})
	at := int32(0)
	for i := range t.slots {
		if s := &t.slots[i]; s.k != 0 {
			s.a, s.b, at = at, at, at+s.a
		}
	}
	tmp := make([]hf, n)
	each(func(k uint64, c hf) {
		a, b, _ := t.get(k)
		tmp[b] = c
		t.put(k, a, b+1)
	})
	c := make([]homCand, n)
	for _, s := range t.slots {
		if s.k != 0 {
			list := tmp[s.a:s.b]
			slices.SortFunc(list, func(a, b hf) int { return int(b.f - a.f) })
			for i, x := range list {
				c[int(s.a)+i] = x.c
			}
		}
	}
	m.homDict = homIndex{t, c}
}
