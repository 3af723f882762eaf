// Package charlm is a character n-gram language model of official Chinese:
// built from plain text (Build), smoothed with interpolated modified
// Kneser–Ney, pruned by count, quantized to a byte per probability and
// written as one flat file that is read in place (Open, FromBytes): no
// parsing and no copying at start-up, so a model embedded in the binary or
// mapped from disk is ready at once.
//
// Keys are 64-bit hashes of the n-grams (characters hashed right to left,
// so that the suffixes of an n-gram are hashed on the way), bucketed by
// their top bits and stored as 32-bit fingerprints; a lookup costs two
// reads. There is no vocabulary: a character the model never saw simply
// has no unigram and gets Model.Unknown.
package charlm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Sentinel characters: the start and end of a paragraph.
const (
	BOS rune = 0x02
	EOS rune = 0x03
)

// Norm maps a character to the class the model counts it as: digits are
// one character, Latin letters another, half-width punctuation its
// full-width form. The builder and every query use it.
func Norm(r rune) rune {
	switch {
	case r >= '0' && r <= '9', r >= '０' && r <= '９':
		return '0'
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= 'ａ' && r <= 'ｚ', r >= 'Ａ' && r <= 'Ｚ':
		return 'A'
	}
	switch r {
	case ',':
		return '，'
	case ';':
		return '；'
	case ':':
		return '：'
	case '?':
		return '？'
	case '!':
		return '！'
	case '(':
		return '（'
	case ')':
		return '）'
	}
	return r
}

// mix is the step of the n-gram hash: the hash of w·rest is mix(hash of
// rest … ) taken right to left, seeded per order by the length.
func mix(h uint64, r rune) uint64 {
	h ^= uint64(uint32(r)) + 0x9E3779B97F4A7C15 + h<<6 + h>>2
	h *= 0xBF58476D1CE4E5B9
	h ^= h >> 31
	h *= 0x94D049BB133111EB
	h ^= h >> 29
	return h
}

const hashSeed = 0x243F6A8885A308D3

// hashRev hashes the n-gram whose characters are rs read from the last to
// the first.
func hashRev(rs []rune) uint64 {
	h := uint64(hashSeed)
	for i := len(rs) - 1; i >= 0; i-- {
		h = mix(h, rs[i])
	}
	return h
}

// File layout (little-endian, sections 8-byte aligned), format 2:
//
//	magic    [8]byte  "SNCLM02\n"
//	order    uint32
//	unknown  float32  log10 probability of a character never seen
//	then per order k = 1..order a table header:
//	  n          uint64  entries
//	  bucketBits uint32
//	  pad        uint32
//	  offsets, records, 0, 0  uint64 byte offsets into the file
//	  qProb [256]float32, qBo [256]float32  quantization centres (log10)
//	then the sections: offsets [2^bucketBits+1]uint32 and records [n], each
//	fingerprint uint32, prob uint8 and (but for the highest order) backoff
//	uint8 side by side, so that a lookup that finds its n-gram reads one
//	place for all three (format 1 kept them in three arrays: a cache miss
//	each on a 53 MB model).
//
// Format 1 ("SNCLM01\n": the sections offsets, fps [n]uint32, probs [n]uint8,
// backoffs [n]uint8) is still read; Rewrite turns it into format 2.
const (
	magic   = "SNCLM02\n"
	magicV1 = "SNCLM01\n"
)

const tableHeaderSize = 8 + 4 + 4 + 4*8 + 256*4*2

// MaxOrder bounds the order a model may have.
const MaxOrder = 8

type table struct {
	n          uint64
	bucketBits uint32
	offsets    []byte
	// Format 2: recs holds the records of rsize bytes (fingerprint, prob,
	// backoff); format 1 (rsize 0): fps, probs and bos.
	recs  []byte
	rsize uint32
	fps   []byte
	probs []byte
	bos   []byte
	qProb [256]float32
	qBo   [256]float32
}

// fp is the fingerprint of entry i.
func (t *table) fp(i uint32) uint32 {
	if t.rsize != 0 {
		return binary.LittleEndian.Uint32(t.recs[i*t.rsize:])
	}
	return binary.LittleEndian.Uint32(t.fps[i*4:])
}

// prob is the log10 probability of entry i.
func (t *table) prob(i int) float32 {
	if t.rsize != 0 {
		return t.qProb[t.recs[uint32(i)*t.rsize+4]]
	}
	return t.qProb[t.probs[i]]
}

// bo is the backoff weight (log10) of entry i.
func (t *table) bo(i int) float32 {
	if t.rsize != 0 {
		return t.qBo[t.recs[uint32(i)*t.rsize+5]]
	}
	return t.qBo[t.bos[i]]
}

// find returns the index of hash h in t, -1 if absent.
func (t *table) find(h uint64) int {
	if t.n == 0 {
		return -1
	}
	b := h >> (64 - t.bucketBits)
	fp := uint32(h << t.bucketBits >> 32)
	lo := binary.LittleEndian.Uint32(t.offsets[b*4:])
	hi := binary.LittleEndian.Uint32(t.offsets[b*4+4:])
	for lo < hi {
		mid := (lo + hi) / 2
		v := t.fp(mid)
		switch {
		case v == fp:
			return int(mid)
		case v < fp:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return -1
}

// Model is a loaded model; it only reads its bytes and is safe for
// concurrent use.
type Model struct {
	order   int
	unknown float32
	tables  []table
	data    []byte
	closer  func() error
}

// Order is the model's n-gram order.
func (m *Model) Order() int { return m.order }

// Unknown is the log10 probability of a character the model never saw.
func (m *Model) Unknown() float32 { return m.unknown }

// Size is the size of the model's file in bytes.
func (m *Model) Size() int { return len(m.data) }

// Close releases a model opened from a file; the model must not be used
// afterwards.
func (m *Model) Close() error {
	if m.closer == nil {
		return nil
	}
	c := m.closer
	m.closer = nil
	return c()
}

// Entries is the number of n-grams of each order.
func (m *Model) Entries() []uint64 {
	out := make([]uint64, m.order)
	for i := range m.tables {
		out[i] = m.tables[i].n
	}
	return out
}

var errFormat = errors.New("不是树纽字符语言模型文件")

// FromBytes reads a model in place from data, which must stay unchanged
// while the model is used.
func FromBytes(data []byte) (*Model, error) {
	if len(data) < 16 || string(data[:8]) != magic && string(data[:8]) != magicV1 {
		return nil, errFormat
	}
	v1 := string(data[:8]) == magicV1
	m := &Model{data: data}
	m.order = int(binary.LittleEndian.Uint32(data[8:]))
	m.unknown = math.Float32frombits(binary.LittleEndian.Uint32(data[12:]))
	if m.order < 1 || m.order > MaxOrder {
		return nil, fmt.Errorf("%w: 阶数 %d", errFormat, m.order)
	}
	if len(data) < 16+m.order*tableHeaderSize {
		return nil, fmt.Errorf("%w: 文件不完整", errFormat)
	}
	m.tables = make([]table, m.order)
	section := func(off, size uint64) ([]byte, error) {
		if off > uint64(len(data)) || size > uint64(len(data))-off {
			return nil, fmt.Errorf("%w: 文件不完整", errFormat)
		}
		return data[off : off+size], nil
	}
	for k := range m.tables {
		h := data[16+k*tableHeaderSize:]
		t := &m.tables[k]
		t.n = binary.LittleEndian.Uint64(h)
		t.bucketBits = binary.LittleEndian.Uint32(h[8:])
		if t.bucketBits > 31 || t.n > 1<<32-1 {
			return nil, fmt.Errorf("%w: 第 %d 阶表头有误", errFormat, k+1)
		}
		var offs [4]uint64
		for i := range offs {
			offs[i] = binary.LittleEndian.Uint64(h[16+8*i:])
		}
		var err error
		if t.offsets, err = section(offs[0], (uint64(1)<<t.bucketBits+1)*4); err != nil {
			return nil, err
		}
		switch {
		case !v1:
			t.rsize = 6
			if k == m.order-1 {
				t.rsize = 5
			}
			if t.recs, err = section(offs[1], t.n*uint64(t.rsize)); err != nil {
				return nil, err
			}
		default:
			if t.fps, err = section(offs[1], t.n*4); err != nil {
				return nil, err
			}
			if t.probs, err = section(offs[2], t.n); err != nil {
				return nil, err
			}
			if k < m.order-1 {
				if t.bos, err = section(offs[3], t.n); err != nil {
					return nil, err
				}
			}
		}
		q := h[48:]
		for i := range 256 {
			t.qProb[i] = math.Float32frombits(binary.LittleEndian.Uint32(q[4*i:]))
			t.qBo[i] = math.Float32frombits(binary.LittleEndian.Uint32(q[1024+4*i:]))
		}
		// The bucket offsets must rise and end at n, or a lookup could
		// read past the fingerprints.
		if t.n > 0 {
			last := binary.LittleEndian.Uint32(t.offsets[len(t.offsets)-4:])
			if uint64(last) != t.n || binary.LittleEndian.Uint32(t.offsets) != 0 {
				return nil, fmt.Errorf("%w: 第 %d 阶索引有误", errFormat, k+1)
			}
		}
	}
	if err := m.checkOffsets(); err != nil {
		return nil, err
	}
	return m, nil
}

// checkOffsets verifies that every bucket's offsets rise, so that no
// lookup reads out of bounds on a damaged file. It reads the offsets once
// (a few MB), which is cheap next to a parse.
func (m *Model) checkOffsets() error {
	for k := range m.tables {
		t := &m.tables[k]
		if t.n == 0 {
			continue
		}
		prev := uint32(0)
		for i := 0; i < len(t.offsets); i += 4 {
			v := binary.LittleEndian.Uint32(t.offsets[i:])
			if v < prev || uint64(v) > t.n {
				return fmt.Errorf("%w: 第 %d 阶索引有误", errFormat, k+1)
			}
			prev = v
		}
	}
	return nil
}

// LogProb is log10 p(w | ctx) where ctx holds the characters before w
// (only the last Order()-1 count), all already passed through Norm.
//
// It is the model's hot path, and on a model of 53 MB each table read is
// a cache miss. So the hashes of every n-gram ending in w and of every
// context are computed first and their buckets' bounds read in one go
// (independent loads the processor overlaps), then the buckets searched;
// the result is that of the plain walk (logProbWalk): the longest n-gram
// found with all its suffixes found, plus the backoffs of the longer
// contexts up to the first one missing.
func (m *Model) LogProb(ctx []rune, w rune) float32 {
	if len(ctx) > m.order-1 {
		ctx = ctx[len(ctx)-(m.order-1):]
	}
	n := len(ctx)
	var gh, ch [MaxOrder]uint64 // n-grams w·(k chars before); contexts of k+1 chars
	var glo, ghi, clo, chi [MaxOrder]uint32
	h := mix(hashSeed, w)
	gh[0] = h
	c := uint64(hashSeed)
	for k := 1; k <= n; k++ {
		r := ctx[n-k]
		h = mix(h, r)
		c = mix(c, r)
		gh[k], ch[k-1] = h, c
	}
	for k := 0; k <= n; k++ {
		glo[k], ghi[k] = m.tables[k].bucket(gh[k])
		if k < n {
			clo[k], chi[k] = m.tables[k].bucket(ch[k])
		}
	}
	i := m.tables[0].search(gh[0], glo[0], ghi[0])
	var p float32
	matched := 0
	if i < 0 {
		p = m.unknown
	} else {
		p = m.tables[0].prob(i)
		for k := 1; k <= n; k++ {
			t := &m.tables[k]
			i := t.search(gh[k], glo[k], ghi[k])
			if i < 0 {
				break
			}
			p = t.prob(i)
			matched++
		}
	}
	// The backoffs of the contexts longer than matched (a context of a
	// kept n-gram is kept too, see backoff), up to the first one missing.
	var bo float32
	for l := matched + 1; l <= n; l++ {
		t := &m.tables[l-1]
		i := t.search(ch[l-1], clo[l-1], chi[l-1])
		if i < 0 {
			break
		}
		bo += t.bo(i)
	}
	return p + bo
}

// LogProbs sets out[i-from] to LogProb(rs[max(0, i-(Order()-1)):i], rs[i])
// for every i in [from, to), with the same result, at about half the
// table reads: the context of i's n-gram of k+1 characters is the n-gram
// of k characters ending at i−1, the same hash in the same table, so the
// backoffs i needs were mostly looked up for i−1 already. rs must be
// through Norm.
func (m *Model) LogProbs(rs []rune, from, to int, out []float32) {
	// prev[k]: the entry of the n-gram ending at i−1 with k characters of
	// context, -1 absent, -2 not looked up.
	var prev, cur [MaxOrder]int
	for k := range prev {
		prev[k] = -2
	}
	for i := from; i < to; i++ {
		ctx := rs[max(0, i-(m.order-1)):i]
		n := len(ctx)
		var gh [MaxOrder]uint64
		var glo, ghi [MaxOrder]uint32
		h := mix(hashSeed, rs[i])
		gh[0] = h
		for k := 1; k <= n; k++ {
			h = mix(h, ctx[n-k])
			gh[k] = h
		}
		for k := 0; k <= n; k++ {
			glo[k], ghi[k] = m.tables[k].bucket(gh[k])
		}
		for k := range cur {
			cur[k] = -2
		}
		var p float32
		matched := 0
		j := m.tables[0].search(gh[0], glo[0], ghi[0])
		cur[0] = j
		if j < 0 {
			p = m.unknown
		} else {
			p = m.tables[0].prob(j)
			for k := 1; k <= n; k++ {
				t := &m.tables[k]
				j := t.search(gh[k], glo[k], ghi[k])
				cur[k] = j
				if j < 0 {
					break
				}
				p = t.prob(j)
				matched++
			}
		}
		var bo float32
		for l := matched + 1; l <= n; l++ {
			t := &m.tables[l-1]
			j := -2
			if i > from {
				j = prev[l-1]
			}
			if j == -2 {
				c := uint64(hashSeed)
				for d := 1; d <= l; d++ {
					c = mix(c, ctx[n-d])
				}
				lo, hi := t.bucket(c)
				j = t.search(c, lo, hi)
			}
			if j < 0 {
				break
			}
			bo += t.bo(j)
		}
		out[i-from] = p + bo
		prev = cur
	}
}

// bucket is the range of entries of t where hash h would be.
func (t *table) bucket(h uint64) (lo, hi uint32) {
	if t.n == 0 {
		return 0, 0
	}
	b := h >> (64 - t.bucketBits)
	return binary.LittleEndian.Uint32(t.offsets[b*4:]), binary.LittleEndian.Uint32(t.offsets[b*4+4:])
}

// search finds hash h among t's entries lo…hi (its bucket), -1 if absent.
func (t *table) search(h uint64, lo, hi uint32) int {
	fp := uint32(h << t.bucketBits >> 32)
	for lo < hi {
		mid := (lo + hi) / 2
		v := t.fp(mid)
		switch {
		case v == fp:
			return int(mid)
		case v < fp:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return -1
}

// logProbWalk is LogProb as a plain walk from the unigram up, one table
// read after another (the reference the tests compare LogProb with).
func (m *Model) logProbWalk(ctx []rune, w rune) float32 {
	if len(ctx) > m.order-1 {
		ctx = ctx[len(ctx)-(m.order-1):]
	}
	// The longest n-gram ending in w that the model has.
	h := mix(hashSeed, w)
	i := m.tables[0].find(h)
	if i < 0 {
		return m.unknown + m.backoff(ctx, 0)
	}
	p := m.tables[0].prob(i)
	matched := 0 // characters of ctx in the matched n-gram
	for j := len(ctx) - 1; j >= 0; j-- {
		h = mix(h, ctx[j])
		t := &m.tables[len(ctx)-j]
		i := t.find(h)
		if i < 0 {
			break
		}
		p = t.prob(i)
		matched++
	}
	return p + m.backoff(ctx, matched)
}

// backoff sums the backoff weights of the contexts of ctx longer than
// matched characters (ctx's suffixes of length matched+1 … len(ctx)).
func (m *Model) backoff(ctx []rune, matched int) float32 {
	var s float32
	h := uint64(hashSeed)
	for j := len(ctx) - 1; j >= 0; j-- {
		h = mix(h, ctx[j])
		l := len(ctx) - j // length of this context
		if l <= matched {
			// In the model: the context of a kept n-gram is counted at
			// least as often, and the builder's minimum counts do not
			// fall with the order, so it is kept too. Not looked up.
			continue
		}
		t := &m.tables[l-1]
		i := t.find(h)
		if i < 0 {
			// A context the model lacks has no longer context either
			// (the pruning keeps suffixes of what it keeps).
			break
		}
		s += t.bo(i)
	}
	return s
}

// Score is the log10 probability of rs[from:to] given what precedes it in
// rs (at most Order()-1 characters), the characters already passed through
// Norm.
func (m *Model) Score(rs []rune, from, to int) float64 {
	var s float64
	for i := from; i < to; i++ {
		lo := max(0, i-(m.order-1))
		s += float64(m.LogProb(rs[lo:i], rs[i]))
	}
	return s
}
