package proofread

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"unicode/utf8"
)

// This file reads a word n-gram language model in KenLM's binary format
// (version 5, "trie with quantization and array-compressed pointers", the
// form fcitx5's libime ships as zh_CN.lm). It was written for this project
// after reading how KenLM's public source lays the file out (no code
// copied); the layout, in file order:
//
//	header   magic, sanity values, order, model type, counts per order
//	vocab    number of words, then the 64-bit MurmurHash64A of every word,
//	         sorted; a word's ID is 1 + its position (0 is <unk>)
//	quant    3 bytes (version, prob bits, backoff bits), padding to 8, then
//	         per middle order a prob and a backoff table of float32 centres,
//	         and one prob table for the longest order
//	unigrams (count+2) records of float32 log10 prob, float32 backoff and a
//	         uint64 index of the first child in the next order
//	middles  per order 2..N-1: a pointer-compression header (version, bits),
//	         a table of uint64 offsets, then bit-packed records:
//	         word ID, backoff code, prob code, low bits of the child index
//	longest  bit-packed records: word ID, prob code
//	words    the vocabulary strings, NUL-terminated, starting with <unk>
//
// N-grams are stored reversed: the path to "a b c" is c, then b, then a, so
// that the probability of a word and its backoff are found by walking the
// context backwards from it.

const kenlmMagic = "mmap lm http://kheafield.com/code format version 5\n\x00"

// kenlmQuantArrayTrie is KenLM's model type number for a trie with
// quantization and array-compressed pointers.
const kenlmQuantArrayTrie = 5

// wordID is a word's index in the n-gram model's vocabulary; 0 is unknown.
type wordID = uint32

// kenlmTrie is a loaded KenLM trie; it is read-only and holds the whole
// file in memory.
type kenlmTrie struct {
	data     []byte
	order    int
	counts   []uint64
	unigrams int // byte offset of the unigram records
	probBins [][]float32
	boBins   [][]float32
	middles  []bitPackedLevel
	longest  bitPackedLevel
}

// bitPackedLevel is one order above the unigrams.
type bitPackedLevel struct {
	base       int // byte offset of the records
	wordBits   uint
	wordMask   uint64
	quantBits  uint // backoff then prob codes (prob only for the longest)
	boBits     uint
	probBits   uint
	inlineBits uint // low bits of the child index kept in the record
	totalBits  uint
	offsets    []uint64 // pointer compression: first record whose child index has high part j
	entries    uint64
}

func align8(n int) int { return (n + 7) &^ 7 }

var errKenLMFormat = errors.New("not a KenLM binary model this reader understands")

// parseKenLM reads a KenLM binary model and returns it with its
// vocabulary as packed keys (see packWord).
func parseKenLM(data []byte) (*kenlmTrie, flatTable, error) {
	le := binary.LittleEndian
	magicLen := align8(len(kenlmMagic) + 1)
	sanity := magicLen + 3*4 + 3*4 + 8 // floats 0, 1, -0.5; word index 1, max, padding; uint64 1
	if len(data) < sanity+20 || !bytes.HasPrefix(data, []byte(kenlmMagic)) {
		return nil, flatTable{}, errKenLMFormat
	}
	if math.Float32frombits(le.Uint32(data[magicLen+4:])) != 1 || le.Uint64(data[magicLen+24:]) != 1 {
		return nil, flatTable{}, fmt.Errorf("%w: byte order or word size differ", errKenLMFormat)
	}
	p := sanity
	order := int(data[p])
	modelType := le.Uint32(data[p+8:])
	hasVocab := data[p+12] != 0
	if order < 2 || order > 6 || modelType != kenlmQuantArrayTrie || !hasVocab {
		return nil, flatTable{}, fmt.Errorf("%w: order %d, model type %d, vocabulary %v", errKenLMFormat, order, modelType, hasVocab)
	}
	p += 20
	if len(data) < p+8*order {
		return nil, flatTable{}, errKenLMFormat
	}
	m := &kenlmTrie{data: data, order: order, counts: make([]uint64, order)}
	for i := range order {
		m.counts[i] = le.Uint64(data[p+8*i:])
	}
	p = align8(p + 8*order)

	// Vocabulary hashes.
	nv := m.counts[0]
	if nv == 0 || nv > 1<<26 || uint64(len(data)) < uint64(p)+8+8*nv {
		return nil, flatTable{}, fmt.Errorf("%w: vocabulary of %d words", errKenLMFormat, nv)
	}
	stored := le.Uint64(data[p:])
	if stored > nv {
		return nil, flatTable{}, errKenLMFormat
	}
	hashes := make([]uint64, stored)
	for i := range hashes {
		hashes[i] = le.Uint64(data[p+8+8*i:])
	}
	p += 8 + 8*int(nv)

	// Quantisation tables.
	if len(data) < p+8 || data[p] != 2 {
		return nil, flatTable{}, fmt.Errorf("%w: quantisation header", errKenLMFormat)
	}
	probBits, boBits := uint(data[p+1]), uint(data[p+2])
	if probBits == 0 || probBits > 25 || boBits == 0 || boBits > 25 {
		return nil, flatTable{}, errKenLMFormat
	}
	q := p + 8
	readTable := func(n uint) ([]float32, error) {
		cnt := 1 << n
		if len(data) < q+4*cnt {
			return nil, errKenLMFormat
		}
		t := make([]float32, cnt)
		for i := range t {
			t[i] = math.Float32frombits(le.Uint32(data[q+4*i:]))
		}
		q += 4 * cnt
		return t, nil
	}
	for range order - 2 {
		pt, err := readTable(probBits)
		if err != nil {
			return nil, flatTable{}, err
		}
		bt, err := readTable(boBits)
		if err != nil {
			return nil, flatTable{}, err
		}
		m.probBins = append(m.probBins, pt)
		m.boBins = append(m.boBins, bt)
	}
	lt, err := readTable(probBits)
	if err != nil {
		return nil, flatTable{}, err
	}
	m.probBins = append(m.probBins, lt)
	p += (order-2)*(4<<probBits+4<<boBits) + 4<<probBits + 8

	// Unigrams.
	m.unigrams = p
	p += int(nv+2) * 16
	if len(data) < p {
		return nil, flatTable{}, errKenLMFormat
	}

	// Middle orders.
	wordBits := uint(bits.Len64(nv))
	for o := 2; o < order; o++ {
		entries, maxNext := m.counts[o-1], m.counts[o]
		if len(data) < p+2 || data[p] != 0 {
			return nil, flatTable{}, fmt.Errorf("%w: pointer compression header", errKenLMFormat)
		}
		configured := uint(data[p+1])
		required := uint(bits.Len64(maxNext))
		chop := chopBits(entries+1, maxNext, required, configured)
		arrayCount := int(maxNext>>(required-chop)) + 1
		start := align8(p) + 8
		size := 8*(1+arrayCount) + 7
		if len(data) < start+8*arrayCount || len(data) < p+size {
			return nil, flatTable{}, errKenLMFormat
		}
		lv := bitPackedLevel{wordBits: wordBits, wordMask: 1<<wordBits - 1, boBits: boBits, probBits: probBits,
			quantBits: boBits + probBits, inlineBits: required - chop, entries: entries}
		lv.offsets = make([]uint64, arrayCount)
		for i := range lv.offsets {
			lv.offsets[i] = le.Uint64(data[start+8*i:])
		}
		lv.totalBits = lv.wordBits + lv.quantBits + lv.inlineBits
		p += size
		lv.base = p
		p += int(((1+entries)*uint64(lv.totalBits)+7)/8) + 8
		if len(data) < p {
			return nil, flatTable{}, errKenLMFormat
		}
		m.middles = append(m.middles, lv)
	}
	lc := m.counts[order-1]
	m.longest = bitPackedLevel{base: p, wordBits: wordBits, wordMask: 1<<wordBits - 1, probBits: probBits,
		quantBits: probBits, totalBits: wordBits + probBits, entries: lc}
	p += int(((1+lc)*uint64(m.longest.totalBits)+7)/8) + 8
	if len(data) < p+6 || string(data[p:p+6]) != "<unk>\x00" {
		return nil, flatTable{}, fmt.Errorf("%w: vocabulary strings not where expected", errKenLMFormat)
	}

	// Words: map each string to its ID through its hash. Only words of up
	// to maxLMWordRunes BMP runes are kept, packed into integers (longer
	// ones are rare and the lattice never asks for them).
	keys := newFlatTable(int(nv)) // grown if need be
	matched := 0
	rest := data[p+6:]
	for len(rest) > 0 {
		i := bytes.IndexByte(rest, 0)
		if i < 0 {
			break
		}
		w := rest[:i]
		rest = rest[i+1:]
		k, ok := slices.BinarySearch(hashes, murmurHash64A(w, 0))
		if !ok {
			continue
		}
		matched++
		key, ok := packWord(w)
		if !ok {
			continue
		}
		addKey(&keys, key, wordID(k+1))
	}
	if matched != int(stored) {
		return nil, flatTable{}, fmt.Errorf("%w: %d of %d words match their hashes (a truncated file?)", errKenLMFormat, matched, stored)
	}
	return m, keys, nil
}

// addKey files a word's packed key (its ID in a) and marks its prefixes
// with lmPrefixBit.
func addKey(keys *flatTable, key uint64, id wordID) {
	a, _, _ := keys.get(key)
	keys.put(key, int32(uint32(a)&lmPrefixBit|id), 0)
	for key >>= 16; key != 0; key >>= 16 {
		a, _, _ := keys.get(key)
		keys.put(key, int32(uint32(a)|lmPrefixBit), 0)
	}
}

// packWord packs a word of 1–maxLMWordRunes BMP runes into an integer,
// 16 bits a rune; Han characters are never 0, so lengths do not collide.
func packWord(w []byte) (uint64, bool) {
	var k uint64
	n := 0
	for len(w) > 0 {
		r, size := utf8.DecodeRune(w)
		if r <= 0 || r > 0xFFFF || n == maxLMWordRunes {
			return 0, false
		}
		k = k<<16 | uint64(r)
		n++
		w = w[size:]
	}
	return k, n > 0
}

// chopBits is how many high bits of a child index the pointer compression
// keeps in its offset table: the number that minimises table size minus
// the bits saved in the records, up to the configured maximum.
func chopBits(maxOffset, maxNext uint64, required, configured uint) uint {
	best, lowest := uint(0), int64(math.MaxInt64)
	for chop := uint(0); chop <= min(required, configured); chop++ {
		change := int64(maxNext>>(required-chop))*64 - int64(maxOffset)*int64(chop)
		if change < lowest {
			lowest, best = change, chop
		}
	}
	return best
}

// murmurHash64A is Austin Appleby's public-domain 64-bit hash, which KenLM
// uses for its vocabulary.
func murmurHash64A(key []byte, seed uint64) uint64 {
	const mul, r = 0xc6a4a7935bd1e995, 47
	h := seed ^ uint64(len(key))*mul
	for len(key) >= 8 {
		k := binary.LittleEndian.Uint64(key)
		k *= mul
		k ^= k >> r
		k *= mul
		h ^= k
		h *= mul
		key = key[8:]
	}
	if n := len(key); n > 0 {
		for i := n - 1; i >= 0; i-- {
			h ^= uint64(key[i]) << (8 * i)
		}
		h *= mul
	}
	h ^= h >> r
	h *= mul
	h ^= h >> r
	return h
}

// readBits reads n ≤ 57 bits at bit offset off from the level's base.
func (m *kenlmTrie) readBits(base int, off uint64, n uint) uint64 {
	b := base + int(off>>3)
	var v uint64
	if b >= len(m.data) {
		return 0 // only a damaged file points here
	}
	if b+8 <= len(m.data) {
		v = binary.LittleEndian.Uint64(m.data[b:])
	} else {
		var buf [8]byte
		copy(buf[:], m.data[b:])
		v = binary.LittleEndian.Uint64(buf[:])
	}
	return (v >> (off & 7)) & (1<<n - 1)
}

// unigram returns a word's log10 probability, backoff and child range.
func (m *kenlmTrie) unigram(w wordID) (prob, backoff float32, begin, end uint64) {
	o := m.unigrams + int(w)*16
	d := m.data
	prob = math.Float32frombits(binary.LittleEndian.Uint32(d[o:]))
	backoff = math.Float32frombits(binary.LittleEndian.Uint32(d[o+4:]))
	begin = binary.LittleEndian.Uint64(d[o+8:])
	end = binary.LittleEndian.Uint64(d[o+24:])
	return
}

// find looks for word w among the records [begin, end) of a level, which
// are sorted by word ID.
func (m *kenlmTrie) find(lv *bitPackedLevel, begin, end uint64, w wordID) (uint64, bool) {
	if end > lv.entries {
		end = lv.entries
	}
	lo, hi := begin, end
	for lo < hi {
		mid := lo + (hi-lo)/2
		k := m.readBits(lv.base, mid*uint64(lv.totalBits), lv.wordBits)
		switch {
		case k == uint64(w):
			return mid, true
		case k < uint64(w):
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return 0, false
}

// middle reads record i of a middle level: prob, backoff and child range.
func (m *kenlmTrie) middle(o int, i uint64) (prob, backoff float32, begin, end uint64) {
	lv := &m.middles[o]
	at := i*uint64(lv.totalBits) + uint64(lv.wordBits)
	backoff = m.boBins[o][m.readBits(lv.base, at, lv.boBits)]
	prob = m.probBins[o][m.readBits(lv.base, at+uint64(lv.boBits), lv.probBits)]
	at += uint64(lv.quantBits)
	high := func(idx uint64) uint64 {
		j, _ := slices.BinarySearch(lv.offsets, idx+1) // first offset > idx
		return uint64(j - 1)
	}
	begin = high(i)<<lv.inlineBits | m.readBits(lv.base, at, lv.inlineBits)
	end = high(i+1)<<lv.inlineBits | m.readBits(lv.base, at+uint64(lv.totalBits), lv.inlineBits)
	return
}

// longestProb reads record i of the longest order.
func (m *kenlmTrie) longestProb(i uint64) float32 {
	lv := &m.longest
	return m.probBins[len(m.probBins)-1][m.readBits(lv.base, i*uint64(lv.totalBits)+uint64(lv.wordBits), lv.probBits)]
}

// logProb returns log10 p(w | ctx) with Katz-style backoff; ctx is oldest
// first and only its last order-1 words are used.
func (m *kenlmTrie) logProb(ctx []wordID, w wordID) float32 {
	if len(ctx) > m.order-1 {
		ctx = ctx[len(ctx)-(m.order-1):]
	}
	prob, _, begin, end := m.unigram(w)
	// Walk the context backwards from w as far as the n-grams exist.
	matched := 0
	for d := 1; d <= len(ctx); d++ {
		c := ctx[len(ctx)-d]
		var lv *bitPackedLevel
		if d < m.order-1 {
			lv = &m.middles[d-1]
		} else {
			lv = &m.longest
		}
		i, ok := m.find(lv, begin, end, c)
		if !ok {
			break
		}
		matched = d
		if d < m.order-1 {
			prob, _, begin, end = m.middle(d-1, i)
		} else {
			prob = m.longestProb(i)
		}
	}
	// Add the backoffs of the contexts longer than the matched n-gram.
	for d := matched + 1; d <= len(ctx); d++ {
		prob += m.backoff(ctx[len(ctx)-d:])
	}
	return prob
}

// bigram reports whether the model holds the bigram "a b".
func (m *kenlmTrie) bigram(a, b wordID) bool {
	if a == 0 || b == 0 || m.order < 2 {
		return false
	}
	_, _, begin, end := m.unigram(b)
	lv := &m.longest
	if m.order > 2 {
		lv = &m.middles[0]
	}
	_, ok := m.find(lv, begin, end, a)
	return ok
}

// backoff returns the backoff weight of the n-gram ctx (oldest first), 0
// if it is not in the model.
func (m *kenlmTrie) backoff(ctx []wordID) float32 {
	last := ctx[len(ctx)-1]
	_, bo, begin, end := m.unigram(last)
	for d := 2; d <= len(ctx); d++ {
		i, ok := m.find(&m.middles[d-2], begin, end, ctx[len(ctx)-d])
		if !ok {
			return 0
		}
		_, bo, begin, end = m.middle(d-2, i)
	}
	return bo
}
