package gmcrypto

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/emmansun/gmsm/sm4"
)

// SM4KeySize is the size of an SM4 key in bytes.
const SM4KeySize = 16

// gcmNonceSize is the standard 96-bit GCM nonce; random nonces are safe for
// far more messages than a key here will ever seal.
const gcmNonceSize = 12

// SealSM4GCM encrypts and authenticates plaintext with SM4 in GCM mode (GB/T
// 32907 block cipher, NIST SP 800-38D mode, as RFC 8998 uses it). aad is
// authenticated but not encrypted: bind the ciphertext to what it belongs to
// (a row's ID) so that it cannot be moved to another. The result is the
// random nonce followed by the ciphertext and the 16-byte tag.
func SealSM4GCM(key, plaintext, aad []byte) ([]byte, error) {
	aead, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, gcmNonceSize, gcmNonceSize+len(plaintext)+aead.Overhead())
	if _, err := rand.Read(out); err != nil {
		return nil, fmt.Errorf("SM4-GCM 随机数：%w", err)
	}
	return aead.Seal(out, out[:gcmNonceSize], plaintext, aad), nil
}

// ErrDecrypt is returned when a ciphertext fails authentication: wrong key,
// wrong associated data, or changed bytes.
var ErrDecrypt = errors.New("SM4-GCM 解密失败：密钥不符或数据已被改动")

// OpenSM4GCM reverses SealSM4GCM.
func OpenSM4GCM(key, sealed, aad []byte) ([]byte, error) {
	aead, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	if len(sealed) < gcmNonceSize+aead.Overhead() {
		return nil, ErrDecrypt
	}
	pt, err := aead.Open(nil, sealed[:gcmNonceSize], sealed[gcmNonceSize:], aad)
	if err != nil {
		return nil, ErrDecrypt
	}
	return pt, nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	b, err := sm4.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("SM4 密钥：%w", err)
	}
	aead, err := cipher.NewGCM(b)
	if err != nil {
		return nil, fmt.Errorf("SM4-GCM：%w", err)
	}
	return aead, nil
}

// MasterKey is the SM4 key that wraps the keys stored in the database (seal
// private keys now; attachment and backup keys later). It lives outside the
// database — a file readable only by the service account, or a file a
// deployment mounts from its key management — so a copy of the database alone
// opens nothing.
type MasterKey struct{ k [SM4KeySize]byte }

// NewMasterKey makes a random master key.
func NewMasterKey() (*MasterKey, error) {
	var m MasterKey
	if _, err := rand.Read(m.k[:]); err != nil {
		return nil, fmt.Errorf("生成主密钥：%w", err)
	}
	return &m, nil
}

// MasterKeyFromHex reads a key written as 32 hex digits.
func MasterKeyFromHex(s string) (*MasterKey, error) {
	b, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != SM4KeySize {
		return nil, errors.New("主密钥应为 32 位十六进制数字（128 位 SM4 密钥）")
	}
	var m MasterKey
	copy(m.k[:], b)
	return &m, nil
}

// ID names the key without revealing it: the first 8 bytes of SM3 over it,
// in hex. Stored beside every wrapped key, so that opening under another
// master key says so instead of failing obscurely.
func (m *MasterKey) ID() string {
	sum := SM3(append([]byte("shuniu master key id\x00"), m.k[:]...))
	return hex.EncodeToString(sum[:8])
}

// Wrap encrypts a key (or any short secret) under the master key, bound to aad.
func (m *MasterKey) Wrap(secret, aad []byte) ([]byte, error) { return SealSM4GCM(m.k[:], secret, aad) }

// Unwrap reverses Wrap.
func (m *MasterKey) Unwrap(wrapped, aad []byte) ([]byte, error) {
	return OpenSM4GCM(m.k[:], wrapped, aad)
}

// LoadMasterKey reads the master key file at path. The file holds 32 hex
// digits; it must not be readable by group or others.
func LoadMasterKey(path string) (*MasterKey, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("主密钥文件：%w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("主密钥文件 %s 的权限为 %v，其他用户可读；请执行 chmod 600 %s", path, fi.Mode().Perm(), path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("主密钥文件：%w", err)
	}
	m, err := MasterKeyFromHex(string(b))
	if err != nil {
		return nil, fmt.Errorf("主密钥文件 %s：%w", path, err)
	}
	return m, nil
}

// LoadOrCreateMasterKey reads the key at path, or — when there is no file —
// makes one and writes it with mode 0600 (its directory 0700). The file is
// written aside and linked into place, so two servers starting at once on a
// shared directory end up with the same, complete key.
func LoadOrCreateMasterKey(path string) (*MasterKey, error) {
	m, err := LoadMasterKey(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return m, err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("主密钥目录：%w", err)
	}
	m, err = NewMasterKey()
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, ".master-*.tmp")
	if err != nil {
		return nil, fmt.Errorf("创建主密钥文件：%w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	_, err = f.WriteString(hex.EncodeToString(m.k[:]) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("写主密钥文件：%w", err)
	}
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return LoadMasterKey(path)
		}
		return nil, fmt.Errorf("创建主密钥文件：%w", err)
	}
	return m, nil
}
