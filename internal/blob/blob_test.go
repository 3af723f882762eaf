package blob

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/document"
)

func TestPutOpenServe(t *testing.T) {
	dir := t.TempDir()
	pol := document.DefaultAttachmentPolicy()
	pol.MaxBytes = 1 << 10
	s, err := New(dir, pol)
	if err != nil {
		t.Fatal(err)
	}
	pdf := []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n")
	sum := sha256.Sum256(pdf)
	want := hex.EncodeToString(sum[:])
	tests := []struct {
		name, file string
		data       []byte
		err        string
	}{
		{"pdf", "通知.pdf", pdf, ""},
		{"same again", "副本.pdf", pdf, ""},
		{"html renamed pdf", "x.pdf", []byte("<html><script>alert(1)</script></html>"), "与扩展名不符"},
		{"too big", "big.txt", bytes.Repeat([]byte("a"), 2000), "超过大小限制"},
		{"empty", "e.txt", nil, "空文件"},
		{"svg", "a.svg", []byte("<svg/>"), "不允许"},
		{"path", "../a.pdf", pdf, "不允许的字符"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj, err := s.Put(tt.file, bytes.NewReader(tt.data))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if obj.SHA256 != want || obj.Size != int64(len(pdf)) || obj.MediaType != "application/pdf" {
				t.Fatalf("object %+v", obj)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "files", want[:2], want)); err != nil {
		t.Fatal(err)
	}
	// No temp files are left behind by refusals.
	left, _ := filepath.Glob(filepath.Join(dir, "files", ".upload-*"))
	if len(left) != 0 {
		t.Errorf("temp files left: %v", left)
	}
	for _, tt := range []struct{ media, disp, ctype string }{
		{"application/pdf", "inline", "application/pdf"},
		{"text/html; charset=utf-8", "attachment", "application/octet-stream"},
	} {
		rec := httptest.NewRecorder()
		if err := s.Serve(rec, httptest.NewRequest("GET", "/", nil), want, "通知.pdf", tt.media); err != nil {
			t.Fatal(err)
		}
		h := rec.Header()
		if !strings.HasPrefix(h.Get("Content-Disposition"), tt.disp) || h.Get("Content-Type") != tt.ctype || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: headers %v", tt.media, h)
		}
		if !strings.Contains(h.Get("Content-Disposition"), "filename*=utf-8''") || rec.Body.Len() != len(pdf) {
			t.Errorf("%s: disposition %q, %d bytes", tt.media, h.Get("Content-Disposition"), rec.Body.Len())
		}
	}
	if _, err := s.Open(strings.Repeat("0", 64)); err != ErrNotFound {
		t.Errorf("missing: %v", err)
	}
	if _, err := s.Open("../../etc/passwd"); err == nil {
		t.Error("bad address opened")
	}
	if _, err := New("", pol); err == nil {
		t.Error("empty data dir accepted")
	}
}

// FuzzPut: any name and content either is refused or is stored under its
// own SHA-256 inside the store's directory.
func FuzzPut(f *testing.F) {
	dir := f.TempDir()
	s, err := New(dir, document.DefaultAttachmentPolicy())
	if err != nil {
		f.Fatal(err)
	}
	f.Add("a.pdf", []byte("%PDF-1.7"))
	f.Add("../x.txt", []byte("hello"))
	f.Add("说明.txt", []byte("你好"))
	f.Add(".htaccess", []byte("<html>"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		obj, err := s.Put(name, bytes.NewReader(data))
		if err != nil {
			return
		}
		sum := sha256.Sum256(data)
		if obj.SHA256 != hex.EncodeToString(sum[:]) {
			t.Fatalf("address %s", obj.SHA256)
		}
		got, err := os.ReadFile(filepath.Join(dir, "files", obj.SHA256[:2], obj.SHA256))
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("stored content differs: %v", err)
		}
	})
}

// TestVerify: a stored file checks as its hash until its content changes.
func TestVerify(t *testing.T) {
	dir := t.TempDir()
	s, err := New(dir, document.DefaultAttachmentPolicy())
	if err != nil {
		t.Fatal(err)
	}
	obj, err := s.Put("a.txt", strings.NewReader("附件内容"))
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Verify(obj.SHA256); !ok || err != nil {
		t.Fatalf("fresh file: %v %v", ok, err)
	}
	p := filepath.Join(dir, "files", obj.SHA256[:2], obj.SHA256)
	if err := os.WriteFile(p, []byte("改过的内容"), 0o600); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Verify(obj.SHA256); ok || err != nil {
		t.Fatalf("changed file: %v %v", ok, err)
	}
	os.Remove(p)
	if _, err := s.Verify(obj.SHA256); err != ErrNotFound {
		t.Fatalf("missing file: %v", err)
	}
}
