package gmcrypto

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// RFC 8998 Appendix A.1 (SM4-GCM), as GmSSL's sm4 test quotes it ("gcm test
// vectors from rfc 8998 A.1"): checks that SM4 under the standard library's
// GCM gives the RFC's ciphertext and tag for its fixed nonce.
func TestSM4GCMKnownAnswer(t *testing.T) {
	key := unhex(t, "0123456789ABCDEFFEDCBA9876543210")
	iv := unhex(t, "00001234567800000000ABCD")
	aad := unhex(t, "FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2")
	pt := unhex(t, "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDDEEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA")
	want := unhex(t, "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"+
		"83DE3541E4C2B58177E065A9BF7B62EC")
	aead, err := newGCM(key)
	if err != nil {
		t.Fatal(err)
	}
	if got := aead.Seal(nil, iv, pt, aad); !bytes.Equal(got, want) {
		t.Fatalf("SM4-GCM = %X\nwant      %X", got, want)
	}
}

func TestSM4GCMSealOpen(t *testing.T) {
	key := bytes.Repeat([]byte{7}, SM4KeySize)
	msg := []byte("机密★10年 附件内容")
	ct, err := SealSM4GCM(key, msg, []byte("row-1"))
	if err != nil {
		t.Fatal(err)
	}
	ct2, _ := SealSM4GCM(key, msg, []byte("row-1"))
	if bytes.Equal(ct, ct2) {
		t.Fatal("two seals of one message are equal: the nonce is not random")
	}
	if pt, err := OpenSM4GCM(key, ct, []byte("row-1")); err != nil || !bytes.Equal(pt, msg) {
		t.Fatalf("open = %q, %v", pt, err)
	}
	flipped := bytes.Clone(ct)
	flipped[len(flipped)/2] ^= 1
	otherKey := bytes.Repeat([]byte{8}, SM4KeySize)
	for name, c := range map[string]struct {
		key, ct, aad []byte
	}{
		"changed byte": {key, flipped, []byte("row-1")},
		"other aad":    {key, ct, []byte("row-2")},
		"other key":    {otherKey, ct, []byte("row-1")},
		"truncated":    {key, ct[:10], []byte("row-1")},
	} {
		if _, err := OpenSM4GCM(c.key, c.ct, c.aad); !errors.Is(err, ErrDecrypt) {
			t.Errorf("%s: err = %v, want ErrDecrypt", name, err)
		}
	}
	if _, err := SealSM4GCM([]byte("short"), msg, nil); err == nil {
		t.Error("a 5-byte key was accepted")
	}
}

func TestKeyPEMRoundTrip(t *testing.T) {
	k, err := GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte("枢纽市人民政府文件")
	sig, _ := k.Sign(msg, nil)
	p8, err := k.PEM()
	if err != nil {
		t.Fatal(err)
	}
	sec1, err := k.SEC1PEM()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(p8), "BEGIN PRIVATE KEY") || !strings.Contains(string(sec1), "BEGIN EC PRIVATE KEY") {
		t.Fatalf("PEM types:\n%s\n%s", p8, sec1)
	}
	for name, data := range map[string][]byte{"pkcs8": p8, "sec1": sec1} {
		k2, err := ParsePrivateKeyPEM(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !k2.Public().Equal(k.Public()) {
			t.Errorf("%s: parsed key differs", name)
		}
		sig2, _ := k2.Sign(msg, nil)
		if !k.Public().Verify(msg, sig2, nil) {
			t.Errorf("%s: parsed key's signature does not verify", name)
		}
	}
	pub, err := k.Public().PEM()
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParsePublicKeyPEM(pub)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Verify(msg, sig, nil) {
		t.Error("parsed public key does not verify")
	}
	if p.Fingerprint() != k.Public().Fingerprint() || len(p.Fingerprint()) != 79 {
		t.Errorf("fingerprint %q", p.Fingerprint())
	}
	for _, bad := range []string{"", "not pem", string(pub)} {
		if _, err := ParsePrivateKeyPEM([]byte(bad)); err == nil {
			t.Errorf("ParsePrivateKeyPEM(%.20q) accepted", bad)
		}
	}
}

func TestMasterKeyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "keys", "master.key")
	// Servers starting together on one data directory agree on one key.
	var wg sync.WaitGroup
	keys := make([]*MasterKey, 4)
	errs := make([]error, 4)
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			keys[i], errs[i] = LoadOrCreateMasterKey(path)
		}()
	}
	wg.Wait()
	for i := range keys {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if keys[i].ID() != keys[0].ID() {
			t.Fatal("concurrent creation made two keys")
		}
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	again, err := LoadMasterKey(path)
	if err != nil || again.ID() != keys[0].ID() {
		t.Fatalf("reload: %v", err)
	}
	w, err := again.Wrap([]byte("seal key"), []byte("seal-1"))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := keys[0].Unwrap(w, []byte("seal-1")); err != nil || string(got) != "seal key" {
		t.Fatalf("unwrap: %q %v", got, err)
	}
	other, _ := NewMasterKey()
	if _, err := other.Unwrap(w, []byte("seal-1")); err == nil {
		t.Error("another master key unwrapped the key")
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadMasterKey(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("world-readable key file: err = %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bad.key"), []byte("xyz"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadMasterKey(filepath.Join(dir, "bad.key")); err == nil {
		t.Error("a malformed key file was accepted")
	}
}

func TestCMSDetached(t *testing.T) {
	now := time.Now()
	var signers []CMSSigner
	for _, organ := range []string{"中共枢纽市委员会", "枢纽市人民政府"} {
		k, _ := GenerateKey(nil)
		cert, err := NewSelfSignedCertificate(k, CertSubject{Organ: organ, Name: organ + "印章"}, now.Add(-time.Hour), now.AddDate(5, 0, 0))
		if err != nil {
			t.Fatal(err)
		}
		c, err := ParseCertificate(cert)
		if err != nil {
			t.Fatal(err)
		}
		if !c.Matches(k) || !c.SelfSigned || c.Subject.Organ != organ {
			t.Fatalf("certificate %+v", c.Subject)
		}
		signers = append(signers, CMSSigner{Key: k, Cert: cert})
	}
	content := []byte("%PDF-1.7 … the signed byte range …")
	sig, err := SignDetached(content, signers)
	if err != nil {
		t.Fatal(err)
	}
	got, err := VerifyDetached(sig, content)
	if err != nil {
		t.Fatal(err)
	}
	// SignerInfos are a DER SET: their order is the encoding's, not the call's.
	organs := map[string]bool{}
	for _, s := range got {
		organs[s.Cert.Subject.Organ] = true
	}
	if len(got) != 2 || !organs["中共枢纽市委员会"] || !organs["枢纽市人民政府"] {
		t.Fatalf("signers %+v", organs)
	}
	if got[0].Time.IsZero() || got[0].Time.Sub(now) > time.Minute || now.Sub(got[0].Time) > time.Minute {
		t.Errorf("signing time %v", got[0].Time)
	}
	changed := bytes.Clone(content)
	changed[3] ^= 0x20
	if _, err := VerifyDetached(sig, changed); err == nil {
		t.Error("changed content verified")
	}
	badSig := bytes.Clone(sig)
	badSig[len(badSig)-5] ^= 1
	if _, err := VerifyDetached(badSig, content); err == nil {
		t.Error("changed signature verified")
	}
}
