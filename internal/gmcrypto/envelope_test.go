package gmcrypto

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode"
)

func testMaster(t testing.TB, b byte) *MasterKey {
	t.Helper()
	m, err := MasterKeyFromHex(strings.Repeat(string("0123456789abcdef"[b%16]), 32))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func seal(t testing.TB, m *MasterKey, pt, bind []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := EncryptFile(&buf, bytes.NewReader(pt), m, bind); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func open(m *MasterKey, ct, bind []byte) ([]byte, error) {
	r, err := DecryptReader(bytes.NewReader(ct), m, bind)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

func TestEnvelopeRoundTrip(t *testing.T) {
	m := testMaster(t, 1)
	bind := []byte("ab12")
	for _, n := range []int{0, 1, 100, envelopeChunk - 1, envelopeChunk, envelopeChunk + 1, 3*envelopeChunk + 17} {
		pt := bytes.Repeat([]byte("机密附件"), n/12+1)[:n]
		ct := seal(t, m, pt, bind)
		if n > 16 && bytes.Contains(ct, pt[:16]) {
			t.Errorf("%d bytes: the plaintext shows in the envelope", n)
		}
		h, err := ReadEnvelopeHeader(bytes.NewReader(ct))
		if err != nil {
			t.Fatalf("%d bytes: header: %v", n, err)
		}
		if h.KeyID != m.ID() {
			t.Errorf("%d bytes: key ID %s, want %s", n, h.KeyID, m.ID())
		}
		if got := h.PlainSize(int64(len(ct))); got != int64(n) {
			t.Errorf("%d bytes: PlainSize = %d", n, got)
		}
		got, err := open(m, ct, bind)
		if err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("%d bytes: open = %d bytes, %v", n, len(got), err)
		}
	}
}

func TestEnvelopeRefusals(t *testing.T) {
	m := testMaster(t, 1)
	bind := []byte("ab12")
	pt := bytes.Repeat([]byte{'x'}, 2*envelopeChunk+5)
	ct := seal(t, m, pt, bind)
	full := envelopeChunk + gcmTagSize
	hdr := len(ct) - 2*full - (5 + gcmTagSize)
	// The first two chunks swapped; the last chunk dropped (the second then
	// claims not to be last); a chunk's tag changed.
	swapped := append(append(append([]byte{}, ct[:hdr]...), ct[hdr+full:hdr+2*full]...), ct[hdr:hdr+full]...)
	swapped = append(swapped, ct[hdr+2*full:]...)
	cases := []struct {
		name string
		m    *MasterKey
		ct   []byte
		bind []byte
		want func(error) bool
	}{
		{"no master key", nil, ct, bind, func(err error) bool { return errors.Is(err, ErrNoMasterKey) }},
		{"other master key", testMaster(t, 2), ct, bind, func(err error) bool { var w *WrongKeyError; return errors.As(err, &w) }},
		{"other address", m, ct, []byte("cd34"), func(err error) bool { return errors.Is(err, ErrEnvelope) }},
		{"truncated header", m, ct[:20], bind, func(err error) bool { return errors.Is(err, ErrEnvelope) }},
		{"last chunk dropped", m, ct[:hdr+2*full], bind, func(err error) bool { return errors.Is(err, ErrEnvelope) }},
		{"chunks swapped", m, swapped, bind, func(err error) bool { return errors.Is(err, ErrEnvelope) }},
		{"cut inside a chunk", m, ct[:len(ct)-3], bind, func(err error) bool { return errors.Is(err, ErrEnvelope) }},
		{"plain file", m, pt, bind, func(err error) bool { return errors.Is(err, ErrEnvelope) }},
	}
	for _, c := range cases {
		if _, err := open(c.m, c.ct, c.bind); !c.want(err) {
			t.Errorf("%s: err = %v", c.name, err)
		}
	}
	// Every byte of the header and samples of the body: a change fails.
	for i := 0; i < len(ct); i += 1 + i/7 {
		b := bytes.Clone(ct)
		b[i] ^= 0x40
		if got, err := open(m, b, bind); err == nil && bytes.Equal(got, pt) {
			t.Fatalf("byte %d changed and the file still opens", i)
		}
	}
}

// FuzzEnvelope: whatever a file holds, opening it ends in the plaintext of
// a real envelope or a refusal in Chinese — never a panic, never bytes
// that no one encrypted.
func FuzzEnvelope(f *testing.F) {
	m := testMaster(f, 1)
	bind := []byte("ab12")
	f.Add(seal(f, m, []byte("秘密"), bind))
	f.Add(seal(f, m, nil, bind))
	f.Add(seal(f, m, bytes.Repeat([]byte{1}, envelopeChunk+3), bind))
	f.Add([]byte(EnvelopeMagic + "\x01"))
	f.Add([]byte("%PDF-1.7"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if h, err := ReadEnvelopeHeader(bytes.NewReader(data)); err == nil {
			_ = h.PlainSize(int64(len(data)))
		}
		got, err := open(m, data, bind)
		if err != nil {
			if !strings.ContainsFunc(err.Error(), func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
				t.Fatalf("refusal not in Chinese: %v", err)
			}
			return
		}
		// Only a real envelope opens: sealing what came out again must give
		// a header with the same key ID and the same plaintext size.
		h, _ := ReadEnvelopeHeader(bytes.NewReader(data))
		if h.PlainSize(int64(len(data))) != int64(len(got)) {
			t.Fatalf("opened %d bytes from an envelope of %d", len(got), len(data))
		}
	})
}
