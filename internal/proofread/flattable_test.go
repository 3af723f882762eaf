package proofread

import "testing"

// TestFlatTable checks the open-addressing table against a map, with keys
// that collide in their slot (the table is filled to its load limit).
func TestFlatTable(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000, 50_000, 50_001} {
		tab := newFlatTable(n)
		if n%2 == 1 {
			tab = flatTable{} // grows as it is filled
		}
		want := map[uint64][2]int32{}
		for i := range n {
			k := uint64(i)*0x10001 + 1 // packed-word-like keys, never 0
			if i%3 == 0 {
				k = uint64(i+1) << 40 // many share low bits
			}
			tab.put(k, int32(i), int32(-i))
			want[k] = [2]int32{int32(i), int32(-i)}
		}
		// Overwriting keeps one entry.
		if n > 0 {
			tab.put(1, 42, 43)
			want[1] = [2]int32{42, 43}
		}
		for k, v := range want {
			a, b, ok := tab.get(k)
			if !ok || a != v[0] || b != v[1] {
				t.Fatalf("n=%d: get(%#x) = %d, %d, %v; want %v", n, k, a, b, ok, v)
			}
		}
		for _, k := range []uint64{2, 3 << 50, 0xFFFF_FFFF_FFFF} {
			if _, ok := want[k]; ok {
				continue
			}
			if _, _, ok := tab.get(k); ok {
				t.Fatalf("n=%d: get(%#x) found an absent key", n, k)
			}
		}
		seen := 0
		tab.each(func(k uint64, a, b int32) {
			if v := want[k]; v[0] != a || v[1] != b {
				t.Fatalf("n=%d: each gave %#x = %d, %d; want %v", n, k, a, b, v)
			}
			seen++
		})
		if seen != len(want) {
			t.Fatalf("n=%d: each saw %d keys, want %d", n, seen, len(want))
		}
	}
	var empty flatTable
	if _, _, ok := empty.get(5); ok {
		t.Fatal("the zero table found a key")
	}
}
