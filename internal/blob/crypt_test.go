package blob

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
)

func master(t *testing.T, c string) *gmcrypto.MasterKey {
	t.Helper()
	m, err := gmcrypto.MasterKeyFromHex(strings.Repeat(c, 32))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func onDisk(t *testing.T, dir, sum string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "files", sum[:2], sum))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readAll(t *testing.T, s *Store, sum string) ([]byte, error) {
	t.Helper()
	f, err := s.Open(sum)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err == nil && int64(len(b)) != f.Size() {
		t.Fatalf("Size %d, read %d", f.Size(), len(b))
	}
	return b, err
}

func TestEncryptedAtRest(t *testing.T) {
	dir := t.TempDir()
	base, err := New(dir, document.DefaultAttachmentPolicy())
	if err != nil {
		t.Fatal(err)
	}
	s := base.WithMasterKey(master(t, "1"))
	secret := []byte("%PDF-1.7\n机密：关于某某工程的请示，正文第一段……" + strings.Repeat("内容", 40000))
	obj, err := s.Encrypting(true).Put("请示.pdf", bytes.NewReader(secret))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(secret)
	if obj.SHA256 != hex.EncodeToString(sum[:]) || obj.Size != int64(len(secret)) || obj.MediaType != "application/pdf" {
		t.Fatalf("object %+v", obj)
	}
	disk := onDisk(t, dir, obj.SHA256)
	if !gmcrypto.IsEnvelope(disk) || bytes.Contains(disk, []byte("机密：关于")) || bytes.Contains(disk, []byte("%PDF")) {
		t.Fatal("the stored bytes are the plaintext")
	}
	if got, err := readAll(t, s, obj.SHA256); err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("read back: %d bytes, %v", len(got), err)
	}
	// Served decrypted, with the plaintext's length.
	w := httptest.NewRecorder()
	if err := s.Serve(w, httptest.NewRequest("GET", "/", nil), obj.SHA256, "请示.pdf", obj.MediaType); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(w.Body.Bytes(), secret) || w.Header().Get("Content-Length") != strconv.Itoa(len(secret)) {
		t.Fatalf("served %d bytes", w.Body.Len())
	}
	if ok, err := s.Verify(obj.SHA256); !ok || err != nil {
		t.Fatalf("verify %v %v", ok, err)
	}
	// The wrong master key, or none, fails cleanly, in Chinese.
	var wrong *gmcrypto.WrongKeyError
	if _, err := readAll(t, base.WithMasterKey(master(t, "2")), obj.SHA256); !errors.As(err, &wrong) || !strings.Contains(err.Error(), "主密钥") {
		t.Fatalf("wrong key: %v", err)
	}
	if _, err := readAll(t, base, obj.SHA256); !errors.Is(err, gmcrypto.ErrNoMasterKey) {
		t.Fatalf("no key: %v", err)
	}
	// Putting the same file in clear (another, 非密 document) keeps it encrypted.
	if _, err := s.Put("副本.pdf", bytes.NewReader(secret)); err != nil {
		t.Fatal(err)
	}
	if !gmcrypto.IsEnvelope(onDisk(t, dir, obj.SHA256)) {
		t.Fatal("a clear Put replaced the envelope")
	}
	// Lowered: decrypted, checked against the address; raised again: encrypted.
	if err := s.Decrypt(obj.SHA256); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(onDisk(t, dir, obj.SHA256), secret) {
		t.Fatal("decrypted file differs")
	}
	if err := s.Encrypt(obj.SHA256); err != nil {
		t.Fatal(err)
	}
	if enc, err := s.IsEncrypted(obj.SHA256); !enc || err != nil {
		t.Fatalf("encrypted %v %v", enc, err)
	}
	if id, ok := KeyID(filepath.Join(dir, "files", obj.SHA256[:2], obj.SHA256)); !ok || id != master(t, "1").ID() {
		t.Fatalf("key ID %q %v", id, ok)
	}
	// A changed byte on disk: 校验 says 不一致, reading fails, decrypting refuses.
	p := filepath.Join(dir, "files", obj.SHA256[:2], obj.SHA256)
	b := onDisk(t, dir, obj.SHA256)
	b[len(b)-100] ^= 1
	if err := os.WriteFile(p, b, 0o640); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Verify(obj.SHA256); ok || err != nil {
		t.Fatalf("verify of a changed file: %v %v", ok, err)
	}
	if _, err := readAll(t, s, obj.SHA256); !errors.Is(err, gmcrypto.ErrEnvelope) {
		t.Fatalf("read of a changed file: %v", err)
	}
	if err := s.Decrypt(obj.SHA256); err == nil {
		t.Fatal("a changed file was decrypted")
	}
	// A file moved to another address does not open there.
	other := strings.Repeat("ab", 32)
	os.MkdirAll(filepath.Join(dir, "files", "ab"), 0o750)
	if err := os.WriteFile(filepath.Join(dir, "files", "ab", other), disk, 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := readAll(t, s, other); !errors.Is(err, gmcrypto.ErrEnvelope) {
		t.Fatalf("moved envelope: %v", err)
	}
	// Without a master key the store writes in clear rather than fail.
	plain, err := base.Encrypting(true).Put("a.txt", strings.NewReader("非密"))
	if err != nil || gmcrypto.IsEnvelope(onDisk(t, dir, plain.SHA256)) {
		t.Fatalf("no key: %v", err)
	}
}
