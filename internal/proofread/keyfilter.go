package proofread

// keyFilter is a one-hash bit filter over integer keys: it answers "surely
// absent" for most keys a big map does not hold, from 2 MB that stay in the
// cache, where the map lookup would miss it. The scorer asks the word maps
// for many more absent keys than present ones.
type keyFilter []uint64

const keyFilterBits = 24

func newKeyFilter() keyFilter { return make(keyFilter, 1<<keyFilterBits/64) }

func keyFilterSlot(k uint64) uint64 { return (k * 0x9E3779B97F4A7C15) >> (64 - keyFilterBits) }

func (f keyFilter) add(k uint64) {
	h := keyFilterSlot(k)
	f[h>>6] |= 1 << (h & 63)
}

// mayHave is false only for keys never added.
func (f keyFilter) mayHave(k uint64) bool {
	h := keyFilterSlot(k)
	return f[h>>6]&(1<<(h&63)) != 0
}
