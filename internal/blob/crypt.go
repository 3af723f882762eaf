package blob

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
)

// Encryption at rest: a file of a 秘密 or 机密 document is kept as an SM4-GCM
// envelope (gmcrypto.EncryptFile) under its own data key, wrapped by the
// master key and bound to the file's address. The address stays the SHA-256
// of the plaintext, so references, deduplication and `shuniu gc` are the
// same for both forms, and Open reads either.

// putEncrypted is Put on an Encrypting store.
func (s *Store) putEncrypted(name string, r io.Reader) (Object, error) {
	if s.master == nil {
		return Object{}, gmcrypto.ErrNoMasterKey
	}
	rs, ok := r.(io.ReadSeeker)
	if !ok {
		return Object{}, errors.New("file store: an encrypted file needs a seekable reader")
	}
	obj, err := s.Inspect(name, rs)
	if err != nil {
		return Object{}, err
	}
	if _, err := rs.Seek(0, io.SeekStart); err != nil {
		return Object{}, fmt.Errorf("file store: %w", err)
	}
	if enc, err := s.IsEncrypted(obj.SHA256); err == nil && enc {
		return obj, nil
	}
	if err := s.writeEncrypted(obj.SHA256, rs); err != nil {
		return Object{}, err
	}
	return obj, nil
}

// writeEncrypted writes r's plaintext as the envelope stored under sum,
// replacing what is there in one rename.
func (s *Store) writeEncrypted(sum string, r io.Reader) error {
	final, err := s.path(sum)
	if err != nil {
		return err
	}
	return s.replace(final, func(w io.Writer) error { return gmcrypto.EncryptFile(w, r, s.master, []byte(sum)) })
}

// replace writes a file aside with write, syncs it and renames it to final
// (readers see the old file or the new one, whole).
func (s *Store) replace(final string, write func(io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
		return fmt.Errorf("file store: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(final), ".upload-*")
	if err != nil {
		return fmt.Errorf("file store: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	bw := bufio.NewWriterSize(tmp, 64<<10)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), final)
	}
	if err != nil {
		return fmt.Errorf("file store: %w", err)
	}
	if d, err := os.Open(filepath.Dir(final)); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// IsEncrypted reports whether the file stored under sum is encrypted.
func (s *Store) IsEncrypted(sum string) (bool, error) {
	p, err := s.path(sum)
	if err != nil {
		return false, err
	}
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return false, ErrNotFound
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, len(gmcrypto.EnvelopeMagic))
	n, _ := io.ReadFull(f, head)
	return gmcrypto.IsEnvelope(head[:n]), nil
}

// Encrypt turns the file stored in clear under sum into its envelope (a
// document raised to 秘密 or 机密). An encrypted file is left as it is; a
// file whose content no longer has its address is refused, not sealed.
func (s *Store) Encrypt(sum string) error {
	if s.master == nil {
		return gmcrypto.ErrNoMasterKey
	}
	enc, err := s.IsEncrypted(sum)
	if err != nil || enc {
		return err
	}
	f, err := s.Open(sum)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if err := s.writeEncrypted(sum, io.TeeReader(f, h)); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		// The file had been changed on disk; what is sealed now is what was
		// there, and 校验 still reports it changed.
		return fmt.Errorf("file store: %s… does not match its address", sum[:12])
	}
	return nil
}

// Decrypt turns the envelope stored under sum back into the file in clear
// (no 秘密 or 机密 document refers to it any more). The plaintext is
// checked against the address before it replaces the envelope.
func (s *Store) Decrypt(sum string) error {
	enc, err := s.IsEncrypted(sum)
	if err != nil || !enc {
		return err
	}
	f, err := s.Open(sum)
	if err != nil {
		return err
	}
	defer f.Close()
	final, _ := s.path(sum)
	return s.replace(final, func(w io.Writer) error {
		h := sha256.New()
		if _, err := io.Copy(io.MultiWriter(w, h), f); err != nil {
			return err
		}
		if hex.EncodeToString(h.Sum(nil)) != sum {
			return fmt.Errorf("%s… does not match its address", sum[:12])
		}
		return nil
	})
}

// KeyID reads the master key ID an encrypted file names, for a backup to
// say which key it needs: path is a file under the store's directory.
func KeyID(path string) (string, bool) {
	f, err := os.Open(path)
	if err != nil {
		return "", false
	}
	defer f.Close()
	h, err := gmcrypto.ReadEnvelopeHeader(f)
	if err != nil {
		return "", false
	}
	return h.KeyID, true
}
