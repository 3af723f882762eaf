// Package blob is the content-addressed file store for attachments and scans:
// each file lives once under <data-dir>/files/ab/abcdef… named by its SHA-256,
// written atomically (temp file, fsync, rename), checked against the
// attachment policy (size, type allow-list, content sniffed) before it is kept.
package blob

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
)

// ErrNotFound is returned for a content address with no file.
var ErrNotFound = errors.New("文件不存在")

// Store keeps files under one directory.
type Store struct {
	dir    string
	policy document.AttachmentPolicy
	// master opens encrypted files and makes new ones (nil: a server with no
	// master key, which can neither).
	master *gmcrypto.MasterKey
	// encrypt makes Put encrypt what it stores (Encrypting).
	encrypt bool
}

// Object describes a stored file.
type Object struct {
	SHA256    string `json:"sha256"`
	Size      int64  `json:"size"`
	MediaType string `json:"media_type"`
}

// New returns the file store under dataDir/files. An empty dataDir is
// refused: files must never land in the working directory by accident.
func New(dataDir string, policy document.AttachmentPolicy) (*Store, error) {
	if dataDir == "" {
		return nil, errors.New("未配置数据目录，不能保存附件")
	}
	dir := filepath.Join(dataDir, "files")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("file store: %w", err)
	}
	return &Store{dir: dir, policy: policy}, nil
}

// WithMasterKey returns the store that opens encrypted files with m and
// encrypts new files under it when asked (Encrypting).
func (s *Store) WithMasterKey(m *gmcrypto.MasterKey) *Store {
	c := *s
	c.master = m
	return &c
}

// Encrypting returns the store whose Put encrypts when on is true: files of
// a 秘密 or 机密 document are written encrypted, never in clear first. A
// store without a master key writes in clear (a server without one keeps
// every file in clear, as it signs nothing); the documents stay queued for
// encryption (store.FileCryptQueue) until a server with the key converts
// them.
func (s *Store) Encrypting(on bool) *Store {
	c := *s
	c.encrypt = on && s.master != nil
	return &c
}

// Policy is the attachment policy in force.
func (s *Store) Policy() document.AttachmentPolicy { return s.policy }

func (s *Store) path(sum string) (string, error) {
	if err := document.ValidSHA256(sum); err != nil {
		return "", err
	}
	return filepath.Join(s.dir, sum[:2], sum), nil
}

// Put reads a file, checks it against the policy under the given name, and
// stores it under its SHA-256. Reading stops one byte past the size limit, so
// an oversized upload is never held in full.
//
// On an Encrypting store the file is first inspected (which needs a
// seekable reader), then written as an SM4-GCM envelope under a new data
// key bound to its address: its plaintext never reaches the store's disk. A
// file already stored in clear (the same content in another document) is
// replaced by its encrypted form.
func (s *Store) Put(name string, r io.Reader) (Object, error) {
	if err := document.ValidAttachmentName(name); err != nil {
		return Object{}, err
	}
	if s.encrypt {
		return s.putEncrypted(name, r)
	}
	tmp, err := os.CreateTemp(s.dir, ".upload-*")
	if err != nil {
		return Object{}, fmt.Errorf("file store: %w", err)
	}
	kept := false
	defer func() {
		if !kept {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	var head sniffBuffer
	src := r
	if s.policy.MaxBytes > 0 {
		src = io.LimitReader(r, s.policy.MaxBytes+1)
	}
	n, err := io.Copy(io.MultiWriter(tmp, h, &head), src)
	if err != nil {
		return Object{}, fmt.Errorf("读取上传文件失败：%w", err)
	}
	sniffed := http.DetectContentType(head.b)
	if err := s.policy.Check(name, n, sniffed); err != nil {
		return Object{}, err
	}
	obj := Object{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n, MediaType: sniffed}
	if err := tmp.Sync(); err != nil {
		return Object{}, fmt.Errorf("file store: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return Object{}, fmt.Errorf("file store: %w", err)
	}
	final, _ := s.path(obj.SHA256)
	if _, err := os.Stat(final); err == nil {
		os.Remove(tmp.Name())
		kept = true
		return obj, nil
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
		return Object{}, fmt.Errorf("file store: %w", err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return Object{}, fmt.Errorf("file store: %w", err)
	}
	kept = true
	// The rename is durable only once its directory is synced.
	if d, err := os.Open(filepath.Dir(final)); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return obj, nil
}

// Inspect reads a file as Put would — its SHA-256, size and sniffed type,
// checked against the policy — and stores nothing: an operation can be
// decided with the files' addresses before any file is kept (a refused
// operation then leaves no file behind).
func (s *Store) Inspect(name string, r io.Reader) (Object, error) {
	if err := document.ValidAttachmentName(name); err != nil {
		return Object{}, err
	}
	h := sha256.New()
	var head sniffBuffer
	src := r
	if s.policy.MaxBytes > 0 {
		src = io.LimitReader(r, s.policy.MaxBytes+1)
	}
	n, err := io.Copy(io.MultiWriter(h, &head), src)
	if err != nil {
		return Object{}, fmt.Errorf("读取上传文件失败：%w", err)
	}
	sniffed := http.DetectContentType(head.b)
	if err := s.policy.Check(name, n, sniffed); err != nil {
		return Object{}, err
	}
	return Object{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n, MediaType: sniffed}, nil
}

// Open opens a stored file for reading, decrypting an encrypted one as it
// is read (after the caller's access check: the store knows no persons).
func (s *Store) Open(sum string) (*Reader, error) {
	p, err := s.path(sum)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	br := bufio.NewReader(f)
	head, _ := br.Peek(len(gmcrypto.EnvelopeMagic))
	if !gmcrypto.IsEnvelope(head) {
		return &Reader{Reader: br, f: f, size: st.Size()}, nil
	}
	h, err := gmcrypto.ReadEnvelopeHeader(br)
	if err == nil {
		var pr io.Reader
		if pr, err = h.Open(br, s.master, []byte(sum)); err == nil {
			size := h.PlainSize(st.Size())
			if size < 0 {
				err = gmcrypto.ErrEnvelope
			} else {
				return &Reader{Reader: pr, f: f, size: size, encrypted: true}, nil
			}
		}
	}
	f.Close()
	return nil, fmt.Errorf("文件 %s…：%w", sum[:12], err)
}

// Reader is an open stored file: its plaintext, whether or not it is
// encrypted on disk.
type Reader struct {
	io.Reader
	f         *os.File
	size      int64
	encrypted bool
}

// Size is the file's plaintext size.
func (r *Reader) Size() int64 { return r.size }

// Encrypted reports whether the file is encrypted at rest.
func (r *Reader) Encrypted() bool { return r.encrypted }

// Close closes the file.
func (r *Reader) Close() error { return r.f.Close() }

// Serve sends a stored file. PDF and raster images may be shown inline; all
// else (HTML, SVG, office files) is a download, and the browser is told not
// to guess the type, so no file can run as a page of the application.
func (s *Store) Serve(w http.ResponseWriter, r *http.Request, sum, name, mediaType string) error {
	f, err := s.Open(sum)
	if err != nil {
		return err
	}
	defer f.Close()
	h := w.Header()
	disposition := "attachment"
	if document.ServeInline(mediaType) {
		disposition = "inline"
		h.Set("Content-Type", mediaType)
	} else {
		h.Set("Content-Type", "application/octet-stream")
	}
	// FormatMediaType writes a non-ASCII name as RFC 2231 filename*=utf-8''….
	cd := mime.FormatMediaType(disposition, map[string]string{"filename": name})
	if cd == "" {
		cd = disposition + "; filename*=utf-8''" + url.PathEscape(name)
	}
	h.Set("Content-Disposition", cd)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.FormatInt(f.Size(), 10))
	if r.Method == http.MethodHead {
		return nil
	}
	_, err = io.Copy(w, f)
	return err
}

// sniffBuffer keeps the first 512 bytes, all that content sniffing reads.
type sniffBuffer struct{ b []byte }

func (s *sniffBuffer) Write(p []byte) (int, error) {
	if room := 512 - len(s.b); room > 0 {
		s.b = append(s.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// Verify reads a stored file again and reports whether its content still has
// the SHA-256 it is stored under (a receiver's 校验 of what was sent).
func (s *Store) Verify(sum string) (bool, error) {
	f, err := s.Open(sum)
	if errors.Is(err, gmcrypto.ErrEnvelope) {
		return false, nil // an encrypted file changed on disk
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); errors.Is(err, gmcrypto.ErrEnvelope) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("file store: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)) == sum, nil
}

// File is one file in the store as Walk finds it. SHA256 is empty for a
// temporary file an upload left behind (".upload-*", from a crash between
// its write and its rename).
type File struct {
	Path    string
	SHA256  string
	Size    int64
	ModTime time.Time
}

// Walk calls f for every file under the store's directory, in no set order:
// content-addressed files and leftover temporary files. Other names are
// not the store's and are skipped.
func (s *Store) Walk(f func(File) error) error {
	return filepath.WalkDir(s.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		name := d.Name()
		var sum string
		switch {
		case strings.HasPrefix(name, ".upload-"):
		case document.ValidSHA256(name) == nil && filepath.Base(filepath.Dir(path)) == name[:2]:
			sum = name
		default:
			return nil
		}
		info, err := d.Info()
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil // removed meanwhile
			}
			return err
		}
		return f(File{Path: path, SHA256: sum, Size: info.Size(), ModTime: info.ModTime()})
	})
}

// Remove deletes a file Walk found. Only `shuniu gc` calls it, for a file no
// row refers to.
func (s *Store) Remove(f File) error {
	rel, err := filepath.Rel(s.dir, f.Path)
	if err != nil || strings.HasPrefix(rel, "..") || filepath.IsAbs(rel) {
		return fmt.Errorf("file store: %s is not in the store", f.Path)
	}
	if err := os.Remove(f.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("file store: %w", err)
	}
	return nil
}

// Orphans picks from files those no row refers to (refs, from
// store.BlobRefs). A file younger than minAge is left alone however it
// looks: an upload is written before the transaction that records it
// commits, so a young unreferenced file may be one that is about to be.
// young counts those left for that reason.
func Orphans(files []File, refs map[string]bool, now time.Time, minAge time.Duration) (orphans []File, young int) {
	for _, f := range files {
		if f.SHA256 != "" && refs[f.SHA256] {
			continue
		}
		if now.Sub(f.ModTime) < minAge {
			young++
			continue
		}
		orphans = append(orphans, f)
	}
	return orphans, young
}
