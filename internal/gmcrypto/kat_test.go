package gmcrypto

import (
	"bytes"
	"encoding/hex"
	"math/big"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm4"
)

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// GB/T 32905-2016 (SM3) Appendix A: example 1 is "abc", example 2 the
// 64-byte "abcd" × 16. The same values are in GM/T 0004-2012 and in
// draft-shen-sm3-hash-01; found quoted in nettle's SM3 test and in
// JuneAndGreen/sm-crypto test/sm3.test.js.
func TestSM3KnownAnswers(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"abc", "66c7f0f4 62eeedd9 d1f2d46b dc10e4e2 4167c487 5cf2f7a2 297da02b 8f4ba8e0"},
		{strings.Repeat("abcd", 16), "debe9ff9 2275b8a1 38604889 c18e5a4d 6fdb70e5 387e5765 293dcba3 9c0c5732"},
	} {
		got := SM3([]byte(c.in))
		if !bytes.Equal(got[:], unhex(t, c.want)) {
			t.Errorf("SM3(%q) = %x, want %s", c.in, got, c.want)
		}
		h := NewSM3()
		for i := 0; i < len(c.in); i++ { // streamed byte by byte
			h.Write([]byte{c.in[i]})
		}
		if !bytes.Equal(h.Sum(nil), got[:]) {
			t.Errorf("streamed SM3(%q) differs", c.in)
		}
	}
}

// GB/T 32907-2016 (SM4) Appendix A: key = plaintext = 0123456789abcdef
// fedcba9876543210; example 1 encrypts once, example 2 encrypts the block
// 1,000,000 times with the same key. Values found quoted in the "GBTCheck"
// tests of python gmutil ("GB/T 32097-2016 A.1" [sic]) and in a Python KAT
// table (SM4 ECB, iterations 1_000_000); gmsm's own sm4_test.go runs the same.
func TestSM4KnownAnswers(t *testing.T) {
	key := unhex(t, "01234567 89abcdef fedcba98 76543210")
	b, err := sm4.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	blk := bytes.Clone(key)
	b.Encrypt(blk, blk)
	if want := unhex(t, "681edf34 d206965e 86b3e94f 536e4246"); !bytes.Equal(blk, want) {
		t.Fatalf("SM4 example 1 = %x, want %x", blk, want)
	}
	b.Decrypt(blk, blk)
	if !bytes.Equal(blk, key) {
		t.Fatalf("SM4 decrypt of example 1 = %x", blk)
	}
	// About 0.1 s natively, tens of seconds under qemu-user: long runs only.
	if testing.Short() {
		t.Skip("the 1,000,000-round example runs without -short")
	}
	blk = bytes.Clone(key)
	for i := 0; i < 1_000_000; i++ {
		b.Encrypt(blk, blk)
	}
	if want := unhex(t, "595298c7 c6fd271f 0402f804 c33d3f66"); !bytes.Equal(blk, want) {
		t.Fatalf("SM4 example 2 = %x, want %x", blk, want)
	}
}

// GB/T 32918.5-2016 Appendix A (the same values as GM/T 0003.5-2012 Annex A):
// the signature example on the recommended curve with the default ID
// 1234567812345678, message "message digest". Found quoted in OpenSSL-derived
// test/sm2_internal_test.c ("From Annex A in both GM/T0003.5-2012 and GB/T
// 32918.5-2016") and in a Python KAT table naming GB/T 32918.2-2016 附录A
// (dA, xA, yA, ZA, e, k, r, s). SM2 signing draws a random k, so the test
// checks what is deterministic: the public key derived from dA, Z_A, and that
// the standard's own (r, s) verifies — and fails for another message, ID or
// key. A fresh signature of the message must verify too.
func TestSM2KnownAnswer(t *testing.T) {
	dA := unhex(t, "3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8")
	xA := unhex(t, "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020")
	yA := unhex(t, "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13")
	zA := unhex(t, "B2E14C5C79C6DF5B85F4FE7ED8DB7A262B9DA7E07CCB0EA9F4747B8CCDA8A4F3")
	e := unhex(t, "F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640")
	r := unhex(t, "F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3")
	s := unhex(t, "B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA")
	msg := []byte("message digest")

	key, err := PrivateKeyFromBytes(dA)
	if err != nil {
		t.Fatal(err)
	}
	pub := key.Public()
	if want := append(append([]byte{4}, xA...), yA...); !bytes.Equal(pub.Bytes(), want) {
		t.Fatalf("public key from dA = %x, want %x", pub.Bytes(), want)
	}
	if z := pub.Z(nil); !bytes.Equal(z, zA) {
		t.Fatalf("Z_A = %x, want %x", z, zA)
	}
	if got := SM3(append(bytes.Clone(zA), msg...)); !bytes.Equal(got[:], e) {
		t.Fatalf("e = SM3(Z_A‖M) = %x, want %x", got, e)
	}
	sig := derSig(r, s)
	if !pub.Verify(msg, sig, nil) {
		t.Fatal("the standard's signature does not verify")
	}
	other, _ := GenerateKey(nil)
	for name, ok := range map[string]bool{
		"other message": pub.Verify([]byte("message digesT"), sig, nil),
		"other ID":      pub.Verify(msg, sig, []byte("ALICE123@YAHOO.COM")),
		"other key":     other.Public().Verify(msg, sig, nil),
		"changed s":     pub.Verify(msg, derSig(r, unhex(t, "B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AB")), nil),
	} {
		if ok {
			t.Errorf("%s: verified, want rejected", name)
		}
	}
	fresh, err := key.Sign(msg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !pub.Verify(msg, fresh, nil) {
		t.Fatal("a fresh signature does not verify")
	}
	if bytes.Equal(fresh, sig) {
		t.Fatal("fresh signature equals the standard's: k is not random")
	}
}

// derSig encodes (r, s) as the DER SEQUENCE of GB/T 35276.
func derSig(r, s []byte) []byte {
	enc := func(b []byte) []byte {
		v := new(big.Int).SetBytes(b).Bytes()
		if v[0]&0x80 != 0 {
			v = append([]byte{0}, v...)
		}
		return append([]byte{2, byte(len(v))}, v...)
	}
	body := append(enc(r), enc(s)...)
	return append([]byte{0x30, byte(len(body))}, body...)
}
