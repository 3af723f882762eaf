package mapfile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	want := bytes.Repeat([]byte("仿宋_GB2312 小标宋 "), 50_000)
	cases := []struct {
		name string
		data []byte
	}{
		{"large", want},
		{"one byte", []byte{7}},
		{"empty", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, c.name)
			if err := os.WriteFile(p, c.data, 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, c.data) {
				t.Fatalf("got %d bytes, want %d", len(got), len(c.data))
			}
			if len(got) == 0 {
				return
			}
			// A write changes the process's copy, never the file.
			got[0] ^= 0xff
			onDisk, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(onDisk, c.data) {
				t.Fatal("writing the mapped bytes changed the file")
			}
		})
	}
}

// A file renamed over the mapped one leaves the mapping as it was.
func TestReplacedWhileMapped(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "font.ttf")
	old := bytes.Repeat([]byte{1, 2, 3, 4}, 4096)
	if err := os.WriteFile(p, old, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p+".tmp", []byte("new"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(p+".tmp", p); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, old) {
		t.Fatal("mapping changed when the file was replaced")
	}
}

func TestMissing(t *testing.T) {
	if _, err := ReadFile(filepath.Join(t.TempDir(), "none")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want fs.ErrNotExist", err)
	}
}
