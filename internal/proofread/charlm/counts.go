package charlm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"unicode"
)

// Counts are the raw counts of the character n-grams (orders 1 to
// CountsOrder) of a small body of text: a deployment's own issued
// documents, the adaptive layer the proofreader lays over the shipped model
// (see package proofread, Config.Local). Keys are the same 64-bit hashes as
// the model's, with the order in the top three bits, so no text is kept.
//
// A Counts is built with Add and AddParagraph, then read by any number of
// goroutines; Merge makes a new one.
type Counts struct {
	m     map[uint64]uint32
	chars int64 // characters counted (without BOS and EOS)
}

// CountsOrder is the longest n-gram a Counts holds.
const CountsOrder = 5

// MaxCountsEntries bounds a Counts: past it, Merge drops the n-grams seen
// once, longest first, so a large deployment's layer stays near 50 MB in
// memory.
const MaxCountsEntries = 2 << 20

// NewCounts returns an empty Counts.
func NewCounts() *Counts { return &Counts{m: map[uint64]uint32{}} }

// countKey is the key of the n-gram with hash h of k characters.
func countKey(h uint64, k int) uint64 { return h&^(7<<61) | uint64(k)<<61 }

// AddParagraph counts one paragraph: BOS, its characters through Norm
// (whitespace and control characters dropped), EOS, as the model is built.
func (c *Counts) AddParagraph(s string) {
	var buf [256]rune
	rs := append(buf[:0], BOS)
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == 0xFEFF || r == unicode.ReplacementChar {
			continue
		}
		rs = append(rs, Norm(r))
	}
	if len(rs) < 2 {
		return
	}
	c.chars += int64(len(rs) - 1)
	rs = append(rs, EOS)
	// Every n-gram ending at i, hashed right to left as the model does.
	for i := range rs {
		h := uint64(hashSeed)
		for k := 1; k <= CountsOrder && i-k+1 >= 0; k++ {
			h = mix(h, rs[i-k+1])
			key := countKey(h, k)
			if v := c.m[key]; v < 1<<32-1 {
				c.m[key] = v + 1
			}
		}
	}
}

// Count is how often the n-gram rs (already through Norm, 1 to
// CountsOrder characters) was seen; 0 for a nil Counts.
func (c *Counts) Count(rs []rune) uint32 {
	if c == nil || len(rs) == 0 || len(rs) > CountsOrder {
		return 0
	}
	return c.m[countKey(hashRev(rs), len(rs))]
}

// Len is the number of distinct n-grams; Chars the characters counted.
func (c *Counts) Len() int {
	if c == nil {
		return 0
	}
	return len(c.m)
}

// Chars is the number of characters counted.
func (c *Counts) Chars() int64 {
	if c == nil {
		return 0
	}
	return c.chars
}

// Merge returns a new Counts with the counts of all of cs (nil ones are
// skipped), pruned to MaxCountsEntries.
func Merge(cs ...*Counts) *Counts {
	n := 0
	for _, c := range cs {
		n += c.Len()
	}
	out := &Counts{m: make(map[uint64]uint32, n)}
	for _, c := range cs {
		if c == nil {
			continue
		}
		out.chars += c.chars
		for k, v := range c.m {
			s := uint64(out.m[k]) + uint64(v)
			out.m[k] = uint32(min(s, 1<<32-1))
		}
	}
	out.prune(MaxCountsEntries)
	return out
}

// prune drops n-grams seen once, longest first, until at most max remain.
func (c *Counts) prune(max int) {
	for k := CountsOrder; k >= 2 && len(c.m) > max; k-- {
		for key, v := range c.m {
			if v == 1 && int(key>>61) == k {
				delete(c.m, key)
				if len(c.m) <= max {
					return
				}
			}
		}
	}
}

const countsMagic = "SNCNT01\n"

// MarshalBinary writes the counts compactly: the magic, the characters
// counted, the number of entries, then the keys in increasing order as
// differences and the counts, all as uvarints. The same counts always give
// the same bytes.
func (c *Counts) MarshalBinary() ([]byte, error) {
	keys := make([]uint64, 0, c.Len())
	if c != nil {
		for k := range c.m {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := make([]byte, 0, len(countsMagic)+20+len(keys)*8)
	out = append(out, countsMagic...)
	out = binary.AppendUvarint(out, uint64(c.Chars()))
	out = binary.AppendUvarint(out, uint64(len(keys)))
	prev := uint64(0)
	for _, k := range keys {
		out = binary.AppendUvarint(out, k-prev)
		out = binary.AppendUvarint(out, uint64(c.m[k]))
		prev = k
	}
	return out, nil
}

// errCounts says stored counts are damaged.
var errCounts = errors.New("charlm: damaged counts")

// UnmarshalCounts reads what MarshalBinary wrote.
func UnmarshalCounts(b []byte) (*Counts, error) {
	if len(b) < len(countsMagic) || string(b[:len(countsMagic)]) != countsMagic {
		return nil, fmt.Errorf("%w: not a counts file", errCounts)
	}
	b = b[len(countsMagic):]
	next := func() (uint64, error) {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return 0, fmt.Errorf("%w: truncated", errCounts)
		}
		b = b[n:]
		return v, nil
	}
	chars, err := next()
	if err != nil {
		return nil, err
	}
	n, err := next()
	if err != nil {
		return nil, err
	}
	// Every entry takes at least two bytes: a larger n is a lie.
	if n > uint64(len(b))/2 || chars > 1<<62 {
		return nil, fmt.Errorf("%w: %d entries in %d bytes", errCounts, n, len(b))
	}
	c := &Counts{m: make(map[uint64]uint32, n), chars: int64(chars)}
	key := uint64(0)
	for i := uint64(0); i < n; i++ {
		d, err := next()
		if err != nil {
			return nil, err
		}
		v, err := next()
		if err != nil {
			return nil, err
		}
		if i > 0 && d == 0 || key+d < key || v == 0 || v > 1<<32-1 {
			return nil, fmt.Errorf("%w: entry %d", errCounts, i)
		}
		key += d
		c.m[key] = uint32(v)
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("%w: %d bytes after the entries", errCounts, len(b))
	}
	return c, nil
}

// Context looks up, for the character w after ctx (both through Norm), the
// longest context of at least minCtx and at most CountsOrder-1 characters
// that was seen: its count, the count of it followed by w, and its length
// (0 when none was seen). Nothing is allocated.
func (c *Counts) Context(ctx []rune, w rune, minCtx int) (ch, chw uint32, k int) {
	if c == nil || len(c.m) == 0 {
		return 0, 0, 0
	}
	hw, h := mix(hashSeed, w), uint64(hashSeed)
	for l := 1; l <= CountsOrder-1 && l <= len(ctx); l++ {
		r := ctx[len(ctx)-l]
		hw, h = mix(hw, r), mix(h, r)
		if l < minCtx {
			continue
		}
		n := c.m[countKey(h, l)]
		if n == 0 {
			break // a longer context contains this one: not seen either
		}
		ch, chw, k = n, c.m[countKey(hw, l+1)], l
	}
	return ch, chw, k
}
