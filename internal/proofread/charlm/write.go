package charlm

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"io"
	"math"
	"math/bits"
	"slices"
)

// quantize maps vals to 256 centres of bins holding about equal numbers of
// values (the mean of each bin), the way KenLM quantizes; with at most 256
// distinct values each is its own centre. Values at or below floor go to
// bin 0 untouched by the binning (the paragraph start's placeholder).
func quantize(vals []float32, floor float32) (centres [256]float32, codes []uint8) {
	var s []float32
	for _, v := range vals {
		if v > floor {
			s = append(s, v)
		}
	}
	slices.Sort(s)
	var starts []float32
	if u := slices.Compact(slices.Clone(s)); len(u) <= 256 {
		starts = u
	} else {
		for b := range 256 {
			v := s[b*len(s)/256]
			if len(starts) == 0 || v > starts[len(starts)-1] {
				starts = append(starts, v)
			}
		}
	}
	// Centres: the mean of each bin's values.
	j := 0
	for b := range starts {
		var sum float64
		n := 0
		for j < len(s) && (b+1 == len(starts) || s[j] < starts[b+1]) {
			sum += float64(s[j])
			n++
			j++
		}
		if n > 0 {
			centres[b] = float32(sum / float64(n))
		}
	}
	for b := len(starts); b < 256; b++ {
		centres[b] = centres[max(0, len(starts)-1)]
	}
	codes = make([]uint8, len(vals))
	for i, v := range vals {
		if v <= floor || len(starts) == 0 {
			codes[i] = 0
			continue
		}
		k, _ := slices.BinarySearch(starts, v) // first start >= v
		if k == len(starts) || starts[k] > v {
			k--
		}
		codes[i] = uint8(max(k, 0))
	}
	return centres, codes
}

type outTable struct {
	n          uint64
	bucketBits uint32
	offsets    []uint32
	fps        []uint32
	probs      []uint8
	bos        []uint8
	qProb      [256]float32
	qBo        [256]float32
}

// buildTable hashes the kept n-grams of lv (order k) and lays them out;
// the unknown character's unigram is left out (Model.Unknown stands for
// it). Two n-grams whose bucket and fingerprint agree (about once in 2^50
// pairs) keep the first in hash order.
func buildTable(lv *level, vocab []rune, k int, load int, withBo bool) outTable {
	type ent struct {
		h uint64
		i int32
	}
	es := make([]ent, 0, len(lv.keys))
	rs := make([]rune, k)
	for i, g := range lv.keys {
		if k == 1 && g.token(0) == tokUnk {
			continue
		}
		for j := range k {
			rs[j] = vocab[g.token(j)]
		}
		es = append(es, ent{hashRev(rs), int32(i)})
	}
	slices.SortStableFunc(es, func(a, b ent) int { return cmp.Compare(a.h, b.h) })
	var t outTable
	nb := max(1, (len(es)+load-1)/load)
	t.bucketBits = uint32(bits.Len(uint(nb - 1)))
	if t.bucketBits == 0 {
		t.bucketBits = 1
	}
	// Drop entries equal in bucket and fingerprint to the one before.
	key := func(h uint64) uint64 { return h >> (32 - t.bucketBits) }
	out := es[:0]
	for _, e := range es {
		if len(out) > 0 && key(out[len(out)-1].h) == key(e.h) {
			continue
		}
		out = append(out, e)
	}
	es = out
	t.n = uint64(len(es))
	t.offsets = make([]uint32, 1<<t.bucketBits+1)
	t.fps = make([]uint32, len(es))
	lp := make([]float32, len(es))
	var bo []float32
	if withBo {
		bo = make([]float32, len(es))
	}
	for x, e := range es {
		t.offsets[(e.h>>(64-t.bucketBits))+1]++
		t.fps[x] = uint32(e.h << t.bucketBits >> 32)
		lp[x] = lv.logp[e.i]
		if withBo {
			bo[x] = lv.bo[e.i]
		}
	}
	for b := 1; b < len(t.offsets); b++ {
		t.offsets[b] += t.offsets[b-1]
	}
	t.qProb, t.probs = quantize(lp, -90)
	if withBo {
		t.qBo, t.bos = quantize(bo, float32(math.Inf(-1)))
	}
	return t
}

// writeModel lays out the tables (levels[0] is order 1) and writes them.
func writeModel(w io.Writer, levels []*level, vocab []rune, order, load int, root level, d1 [3]float64, nv float64) (int64, error) {
	_ = root
	_ = d1
	_ = nv
	// The unknown character's probability is its unigram's.
	unknown := float32(-7)
	for i, g := range levels[0].keys {
		if g.token(0) == tokUnk {
			unknown = levels[0].logp[i]
		}
	}
	tables := make([]outTable, order)
	for k := 1; k <= order; k++ {
		tables[k-1] = buildTable(levels[k-1], vocab, k, load, k < order)
	}
	return writeTables(w, unknown, tables)
}

// writeTables writes a model of format 2 (see the layout in charlm.go);
// tables[0] is order 1.
func writeTables(w io.Writer, unknown float32, tables []outTable) (int64, error) {
	order := len(tables)
	align := func(x uint64) uint64 { return (x + 7) &^ 7 }
	rsize := func(k int) uint64 {
		if k < order-1 {
			return 6
		}
		return 5
	}
	off := align(uint64(16 + order*tableHeaderSize))
	type offs struct{ o, r uint64 }
	os := make([]offs, order)
	for k := range tables {
		t := &tables[k]
		os[k].o = off
		off = align(off + uint64(len(t.offsets))*4)
		os[k].r = off
		off = align(off + t.n*rsize(k))
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	var written int64
	put := func(b []byte) {
		n, _ := bw.Write(b)
		written += int64(n)
	}
	pad := func() {
		for written%8 != 0 {
			put([]byte{0})
		}
	}
	head := make([]byte, 16)
	copy(head, magic)
	binary.LittleEndian.PutUint32(head[8:], uint32(order))
	binary.LittleEndian.PutUint32(head[12:], math.Float32bits(unknown))
	put(head)
	for k := range tables {
		t := &tables[k]
		h := make([]byte, tableHeaderSize)
		binary.LittleEndian.PutUint64(h, t.n)
		binary.LittleEndian.PutUint32(h[8:], t.bucketBits)
		for i, v := range []uint64{os[k].o, os[k].r, 0, 0} {
			binary.LittleEndian.PutUint64(h[16+8*i:], v)
		}
		for i := range 256 {
			binary.LittleEndian.PutUint32(h[48+4*i:], math.Float32bits(t.qProb[i]))
			binary.LittleEndian.PutUint32(h[48+1024+4*i:], math.Float32bits(t.qBo[i]))
		}
		put(h)
	}
	pad()
	u32 := func(vs []uint32) {
		buf := make([]byte, 4*4096)
		for len(vs) > 0 {
			n := min(len(vs), 4096)
			for i, v := range vs[:n] {
				binary.LittleEndian.PutUint32(buf[4*i:], v)
			}
			put(buf[:4*n])
			vs = vs[n:]
		}
	}
	rec := make([]byte, 0, 6*4096)
	for k := range tables {
		t := &tables[k]
		u32(t.offsets)
		pad()
		for x := range t.fps {
			rec = binary.LittleEndian.AppendUint32(rec, t.fps[x])
			rec = append(rec, t.probs[x])
			if k < order-1 {
				rec = append(rec, t.bos[x])
			}
			if len(rec) >= 6*4000 {
				put(rec)
				rec = rec[:0]
			}
		}
		put(rec)
		rec = rec[:0]
		pad()
	}
	if err := bw.Flush(); err != nil {
		return written, err
	}
	return written, nil
}

// Rewrite writes m in the current format (format 2): the same n-grams,
// buckets, fingerprints and quantized values, laid out anew. A model of
// format 1 rewritten is what Build writes now from the same corpus.
func Rewrite(w io.Writer, m *Model) (int64, error) {
	tables := make([]outTable, m.order)
	for k := range m.tables {
		t := &m.tables[k]
		o := &tables[k]
		o.n, o.bucketBits, o.qProb, o.qBo = t.n, t.bucketBits, t.qProb, t.qBo
		o.offsets = make([]uint32, len(t.offsets)/4)
		for i := range o.offsets {
			o.offsets[i] = binary.LittleEndian.Uint32(t.offsets[4*i:])
		}
		o.fps = make([]uint32, t.n)
		o.probs = make([]uint8, t.n)
		if k < m.order-1 {
			o.bos = make([]uint8, t.n)
		}
		for i := range o.fps {
			o.fps[i] = t.fp(uint32(i))
			if t.rsize != 0 {
				o.probs[i] = t.recs[uint32(i)*t.rsize+4]
				if o.bos != nil {
					o.bos[i] = t.recs[uint32(i)*t.rsize+5]
				}
			} else {
				o.probs[i] = t.probs[i]
				if o.bos != nil {
					o.bos[i] = t.bos[i]
				}
			}
		}
	}
	return writeTables(w, m.unknown, tables)
}
