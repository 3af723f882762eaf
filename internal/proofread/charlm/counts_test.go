package charlm

import (
	"bytes"
	"testing"
)

func norm(s string) []rune {
	var out []rune
	for _, r := range s {
		out = append(out, Norm(r))
	}
	return out
}

func TestCounts(t *testing.T) {
	c := NewCounts()
	c.AddParagraph("推进智汇坊建设")
	c.AddParagraph("智汇坊 建设，2027年")
	c.AddParagraph("  ")
	for _, tc := range []struct {
		gram string
		want uint32
	}{
		{"智", 2}, {"智汇坊", 2}, {"汇坊建设", 2}, {"推进智汇坊", 1}, {"坊建设，", 1}, {"设，0", 1}, {"设，2", 1},
		{"慧", 0}, {"智慧坊", 0}, {"推进智汇坊建", 0}, {"", 0},
	} {
		if got := c.Count(norm(tc.gram)); got != tc.want {
			t.Errorf("Count(%q) = %d, want %d", tc.gram, got, tc.want)
		}
	}
	if c.Chars() != 7+11 {
		t.Errorf("chars %d", c.Chars())
	}
	// The longest context seen, of at least two characters.
	for _, tc := range []struct {
		ctx, w  string
		ch, chw uint32
		k       int
	}{
		{"推进智汇", "坊", 1, 1, 4}, // the longest context seen wins
		{"清澜智汇", "坊", 2, 2, 2},
		{"清澜区", "坊", 0, 0, 0},
		{"汇", "坊", 0, 0, 0},
	} {
		ch, chw, k := c.Context(norm(tc.ctx), Norm([]rune(tc.w)[0]), 2)
		if ch != tc.ch || chw != tc.chw || k != tc.k {
			t.Errorf("Context(%s, %s) = %d %d %d, want %d %d %d", tc.ctx, tc.w, ch, chw, k, tc.ch, tc.chw, tc.k)
		}
	}

	// Stored and read back bit for bit; merged counts add up.
	b, err := c.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	d, err := UnmarshalCounts(b)
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := d.MarshalBinary()
	if !bytes.Equal(b, b2) || d.Len() != c.Len() || d.Chars() != c.Chars() {
		t.Fatal("counts changed when stored and read")
	}
	m := Merge(c, nil, d)
	if m.Count(norm("智汇坊")) != 4 || m.Chars() != 2*c.Chars() || m.Len() != c.Len() {
		t.Errorf("merge: %d %d %d", m.Count(norm("智汇坊")), m.Chars(), m.Len())
	}
	// Past the bound, the n-grams seen once go, the longest first.
	p := Merge(c)
	p.prune(c.Len() - 1)
	if p.Count(norm("智汇坊")) != 2 || p.Len() != c.Len()-1 || p.Count(norm("智汇坊建设")) != 2 {
		t.Errorf("prune: %d entries", p.Len())
	}

	// Damaged bytes are refused, never read half.
	for _, bad := range [][]byte{nil, []byte("SNCNT01"), []byte("XXXXXXX\n\x01\x01"), b[:len(b)-1], append(append([]byte{}, b...), 0),
		append([]byte(countsMagic), 0, 0xff, 0xff, 0xff, 0xff, 0x0f)} {
		if _, err := UnmarshalCounts(bad); err == nil {
			t.Errorf("damaged counts %q read", bad)
		}
	}
}

// FuzzUnmarshalCounts: stored counts come from the database; damaged ones
// are refused, never a panic, and what is read reads back the same.
func FuzzUnmarshalCounts(f *testing.F) {
	c := NewCounts()
	c.AddParagraph("全面推进清澜区“智汇坊”建设工作。")
	b, _ := c.MarshalBinary()
	f.Add(b)
	f.Add([]byte(countsMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := UnmarshalCounts(b)
		if err != nil {
			return
		}
		out, err := c.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		d, err := UnmarshalCounts(out)
		if err != nil || d.Len() != c.Len() || d.Chars() != c.Chars() {
			t.Fatalf("read back: %v", err)
		}
	})
}
