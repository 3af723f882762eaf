package audit

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
)

// The algorithms a link of the chain is made with. Each entry records its
// own, with the ID of the key, so that a later algorithm (SM3-HMAC, the 国密
// issue) or a new key can start at any entry while the older entries keep
// verifying under theirs.
const (
	// AlgLegacy is the unkeyed SHA-256 of the chains made before they were
	// keyed (migration 0017). Only entries before the first keyed one may
	// use it.
	AlgLegacy = ""
	// AlgHMACSHA256 is HMAC-SHA256 (RFC 2104) under a key kept outside the
	// database.
	AlgHMACSHA256 = "hmac-sha256"
	// AlgHMACSM3 is HMAC (RFC 2104) over SM3 (GB/T 32905), the 国密 choice
	// (docs/security.md, "Towards SM3-HMAC"): the same secret, another hash.
	AlgHMACSM3 = "hmac-sm3"
)

// Algs are the keyed algorithms, in the order a configuration names them.
func Algs() []string { return []string{AlgHMACSHA256, AlgHMACSM3} }

// KeyBytes is the length of a generated key: 256 bits, HMAC-SHA256's block
// strength and what SM3-HMAC will take unchanged.
const KeyBytes = 32

// unprotectedID names the key whose bytes are public.
const unprotectedID = "unprotected"

// Key is the secret the chain's links and the checkpoints are computed with.
// All servers sharing one database hold the same key.
type Key struct {
	alg    string
	id     string
	secret []byte
	newH   func() hash.Hash
	pool   sync.Pool // of keyed MACs: Reset restores the keyed state without rehashing the key
}

// NewKey makes a key for alg from secret (at least KeyBytes long).
func NewKey(alg string, secret []byte) (*Key, error) {
	if len(secret) < KeyBytes {
		return nil, fmt.Errorf("审计密钥太短：%d 字节，至少 %d 字节", len(secret), KeyBytes)
	}
	k := &Key{alg: alg, secret: append([]byte(nil), secret...)}
	switch alg {
	case AlgHMACSHA256:
		k.newH = sha256.New
	case AlgHMACSM3:
		k.newH = gmcrypto.NewSM3
	default:
		return nil, fmt.Errorf("不支持的审计算法 %q", alg)
	}
	m := hmac.New(k.newH, k.secret)
	m.Write([]byte("shuniu/audit-key-id/1"))
	k.id = hex.EncodeToString(m.Sum(nil)[:8])
	return k, nil
}

// UnprotectedKey is the key a store uses when it is given none: for tests and
// tools that never face an insider. Its bytes are in this source file, so it
// protects nothing; its ID says so in every entry made with it.
func UnprotectedKey() *Key {
	return &Key{alg: AlgHMACSHA256, id: unprotectedID, secret: []byte("shuniu: this audit key protects nothing"), newH: sha256.New}
}

// WithAlg is the same secret used with alg: what a chain switching from
// HMAC-SHA256 to SM3-HMAC (or back) is made with, and what its verifier
// holds for the entries made before the switch. The key's ID depends on the
// algorithm, so each entry still names the one it was made with.
func (k *Key) WithAlg(alg string) (*Key, error) {
	if alg == k.alg {
		return k, nil
	}
	if k.id == unprotectedID || strings.HasPrefix(k.id, unprotectedID+"-") {
		if alg == AlgHMACSHA256 {
			return UnprotectedKey(), nil
		}
		u, err := NewKey(alg, k.secret)
		if err != nil {
			return nil, err
		}
		u.id = unprotectedID + "-" + alg
		return u, nil
	}
	return NewKey(alg, k.secret)
}

// Family is the key under every algorithm: a verifier given them checks
// entries made before and after a switch of algorithm with one secret.
func (k *Key) Family() []*Key {
	out := []*Key{k}
	for _, alg := range Algs() {
		if alg != k.alg {
			if o, err := k.WithAlg(alg); err == nil {
				out = append(out, o)
			}
		}
	}
	return out
}

// ID names the key without revealing it (a MAC of a fixed label under it).
func (k *Key) ID() string { return k.id }

// Alg is the algorithm the key is used with.
func (k *Key) Alg() string { return k.alg }

// Unprotected reports whether this is UnprotectedKey.
func (k *Key) Unprotected() bool { return k.id == unprotectedID }

// mac computes the MAC of msg, which starts with a label that keeps
// entries and checkpoints apart (see message).
func (k *Key) mac(msg []byte) string {
	m, _ := k.pool.Get().(hash.Hash)
	if m == nil {
		m = hmac.New(k.newH, k.secret)
	} else {
		m.Reset()
	}
	m.Write(msg)
	var sum [64]byte
	out := hex.EncodeToString(m.Sum(sum[:0]))
	k.pool.Put(m)
	return out
}

// message is a serialisation being built: a label, a sequence number, then
// fields, each with its length in front, so that no two different sequences
// of fields serialise alike.
type message struct{ b []byte }

var messages = sync.Pool{New: func() any { return &message{b: make([]byte, 0, 512)} }}

// newMessage starts a message (label "" for the legacy hash, which had none).
func newMessage(label string, seq int64) *message {
	m := messages.Get().(*message)
	m.b = m.b[:0]
	if label != "" {
		m.field(label)
	}
	m.b = binary.BigEndian.AppendUint64(m.b, uint64(seq))
	return m
}

func (m *message) field(f string) {
	m.b = binary.BigEndian.AppendUint64(m.b, uint64(len(f)))
	m.b = append(m.b, f...)
}

func (m *message) free() {
	if cap(m.b) <= 1<<16 { // an entry with a huge detail does not pin its buffer
		messages.Put(m)
	}
}

// ParseKey reads a key written as hexadecimal (what GenerateKeyFile writes and
// what a KMS or secret manager hands over); surrounding space is ignored.
func ParseKey(text []byte) (*Key, error) {
	s := strings.TrimSpace(string(text))
	secret, err := hex.DecodeString(s)
	if err != nil {
		return nil, errors.New("审计密钥应为十六进制（64 个字符，256 位）")
	}
	return NewKey(AlgHMACSHA256, secret)
}

// ReadKeyFile reads a key file. A file that group or others may read or
// write is refused, as the master key's is (gmcrypto): it would give the key
// away.
func ReadKeyFile(path string) (*Key, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("审计密钥文件 %s 的权限 %04o 过宽：只能属主读写（chmod 600 %s）", path, fi.Mode().Perm(), path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k, err := ParseKey(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// GenerateKeyFile makes a new random key and writes it to path, readable by
// its owner only, in a directory only the owner may enter (made if needed).
// The file appears whole or not at all; if another process made one first,
// that one is read and returned instead.
func GenerateKeyFile(path string) (*Key, error) {
	secret := make([]byte, KeyBytes)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("审计密钥目录：%w", err)
	}
	f, err := os.CreateTemp(dir, ".audit-*.tmp") // mode 0600
	if err != nil {
		return nil, fmt.Errorf("创建审计密钥文件：%w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	_, err = f.WriteString(hex.EncodeToString(secret) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("写入审计密钥 %s: %w", path, err)
	}
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return ReadKeyFile(path)
		}
		return nil, fmt.Errorf("创建审计密钥文件：%w", err)
	}
	return NewKey(AlgHMACSHA256, secret)
}
