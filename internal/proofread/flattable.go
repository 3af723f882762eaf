package proofread

import "math/bits"

// flatTable maps packed integer keys (words of up to four BMP runes, 16
// bits a rune; never 0) to two int32 values in one open-addressing array:
// a lookup hashes once and reads one 16-byte slot, mostly one cache line,
// where a Go map walks its group's control word and then the slot. The
// scorer's hottest lookups (the word frequencies and the index of words
// with one character blanked) go through it.
type flatTable struct {
	slots []flatSlot
	shift uint8
	n     int // keys held
}

type flatSlot struct {
	k    uint64
	a, b int32
}

// newFlatTable has room for n keys at a load of at most one half.
func newFlatTable(n int) flatTable {
	size := 1 << bits.Len(uint(2*n))
	return flatTable{slots: make([]flatSlot, size), shift: uint8(64 - bits.TrailingZeros(uint(size)))}
}

func (t *flatTable) slot(k uint64) uint64 { return (k * 0x9E3779B97F4A7C15) >> t.shift }

// put sets k's values (k must not be 0). The table doubles when it
// would be more than half full, so it may be filled without knowing the
// number of keys first.
func (t *flatTable) put(k uint64, a, b int32) {
	if len(t.slots) == 0 {
		t.grow()
	}
	mask := uint64(len(t.slots) - 1)
	for i := t.slot(k); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.k == k {
			s.a, s.b = a, b
			return
		}
		if s.k == 0 {
			if 2*(t.n+1) > len(t.slots) {
				t.grow()
				t.put(k, a, b)
				return
			}
			t.n++
			s.k, s.a, s.b = k, a, b
			return
		}
	}
}

func (t *flatTable) grow() {
	old := t.slots
	*t = newFlatTable(max(len(old)/2, 4)) // twice the slots
	for _, s := range old {
		if s.k != 0 {
			t.put(s.k, s.a, s.b)
		}
	}
}

// get returns k's values, ok false when k is absent.
func (t *flatTable) get(k uint64) (a, b int32, ok bool) {
	if len(t.slots) == 0 {
		return 0, 0, false
	}
	mask := uint64(len(t.slots) - 1)
	for i := t.slot(k); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.k == k {
			return s.a, s.b, true
		}
		if s.k == 0 {
			return 0, 0, false
		}
	}
}

// each calls f for every key and its values, in slot order.
func (t *flatTable) each(f func(k uint64, a, b int32)) {
	for _, s := range t.slots {
		if s.k != 0 {
			f(s.k, s.a, s.b)
		}
	}
}
