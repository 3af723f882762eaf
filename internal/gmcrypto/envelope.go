package gmcrypto

import (
	"bufio"
	"bytes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
)

// The file envelope: how a stored file is encrypted at rest (attachments,
// scans and issued texts of 秘密 and 机密 documents). Each file has its own
// random SM4 data key, wrapped under the master key and bound to what the
// file is (its content address), and kept in the file's own header — so a
// file copied into a backup, or restored, carries what opens it except the
// master key, and the header names which master key that is.
//
//	magic    8  "SNSM4GCM"
//	version  1  1
//	key ID   8  the master key's ID (MasterKey.ID, raw)
//	chunk    4  plaintext bytes per chunk, big-endian
//	wlen     2  length of the wrapped data key, big-endian
//	wrapped  wlen  the data key under the master key (SealSM4GCM)
//	chunks   each SM4-GCM(data key, nonce = counter(11) ‖ last(1), aad = header)
//
// The body is the STREAM construction: chunks are sealed with their index
// and a last-chunk flag in the nonce, so reordering, dropping or truncating
// chunks fails like a changed byte. Every chunk but the last is full; an
// empty file is one empty last chunk. Nonces may be counters because every
// file has a fresh key.

// EnvelopeMagic starts every encrypted file.
const EnvelopeMagic = "SNSM4GCM"

const (
	envelopeVersion  = 1
	envelopeChunk    = 64 << 10
	gcmTagSize       = 16
	envelopeFixedLen = len(EnvelopeMagic) + 1 + 8 + 4 + 2
	maxWrappedLen    = 256
	minChunk         = 16
	maxChunk         = 16 << 20
)

// ErrNoMasterKey is returned when an encrypted file is opened on a server
// without a master key.
var ErrNoMasterKey = errors.New("文件已加密，但本服务器未配置主密钥（--master-key）")

// ErrEnvelope is returned for an envelope that cannot be read: it is not
// one, or its header or a chunk was changed.
var ErrEnvelope = errors.New("加密文件已损坏或被改动")

// WrongKeyError is returned when a file was encrypted under another master
// key than the one given.
type WrongKeyError struct{ Want, Have string }

func (e *WrongKeyError) Error() string {
	return fmt.Sprintf("文件由主密钥 %s 加密，本服务器的主密钥为 %s：请使用原来的主密钥文件", e.Want, e.Have)
}

// IsEnvelope reports whether b (the first bytes of a file) starts an
// encrypted file.
func IsEnvelope(b []byte) bool { return bytes.HasPrefix(b, []byte(EnvelopeMagic)) }

// EnvelopeHeader is an envelope's header as read, before any key is used.
type EnvelopeHeader struct {
	KeyID   string // the master key's ID, hex
	Chunk   int
	Wrapped []byte
	raw     []byte // the header's bytes: every chunk's associated data
}

// Len is the header's length in bytes.
func (h EnvelopeHeader) Len() int { return len(h.raw) }

// PlainSize is the plaintext size of an envelope of total bytes, or -1 when
// no envelope with this header has that size.
func (h EnvelopeHeader) PlainSize(total int64) int64 {
	body := total - int64(len(h.raw))
	full := int64(h.Chunk) + gcmTagSize
	if body < gcmTagSize {
		return -1
	}
	n := (body + full - 1) / full
	last := body - (n-1)*full
	if last < gcmTagSize {
		return -1
	}
	return body - n*gcmTagSize
}

// ReadEnvelopeHeader reads and checks an envelope's header from r, leaving r
// at the first chunk.
func ReadEnvelopeHeader(r io.Reader) (EnvelopeHeader, error) {
	fixed := make([]byte, envelopeFixedLen)
	if _, err := io.ReadFull(r, fixed); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return EnvelopeHeader{}, ErrEnvelope
		}
		return EnvelopeHeader{}, fmt.Errorf("读取加密文件：%w", err)
	}
	if !IsEnvelope(fixed) || fixed[len(EnvelopeMagic)] != envelopeVersion {
		return EnvelopeHeader{}, ErrEnvelope
	}
	p := len(EnvelopeMagic) + 1
	h := EnvelopeHeader{KeyID: hex.EncodeToString(fixed[p : p+8])}
	p += 8
	h.Chunk = int(binary.BigEndian.Uint32(fixed[p:]))
	p += 4
	wlen := int(binary.BigEndian.Uint16(fixed[p:]))
	if h.Chunk < minChunk || h.Chunk > maxChunk || wlen < gcmNonceSize+gcmTagSize || wlen > maxWrappedLen {
		return EnvelopeHeader{}, ErrEnvelope
	}
	h.Wrapped = make([]byte, wlen)
	if _, err := io.ReadFull(r, h.Wrapped); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return EnvelopeHeader{}, ErrEnvelope
		}
		return EnvelopeHeader{}, fmt.Errorf("读取加密文件：%w", err)
	}
	h.raw = append(fixed, h.Wrapped...)
	return h, nil
}

func fileKeyAAD(bind []byte) []byte { return append([]byte("shuniu file key\x00"), bind...) }

func chunkNonce(i uint64, last bool) []byte {
	n := make([]byte, gcmNonceSize)
	binary.BigEndian.PutUint64(n[3:11], i)
	if last {
		n[11] = 1
	}
	return n
}

// EncryptFile writes r to w as an envelope under a new data key wrapped by
// m and bound to bind (the file's content address): a file moved to another
// address does not open.
func EncryptFile(w io.Writer, r io.Reader, m *MasterKey, bind []byte) error {
	if m == nil {
		return ErrNoMasterKey
	}
	dk := make([]byte, SM4KeySize)
	if _, err := rand.Read(dk); err != nil {
		return fmt.Errorf("生成文件密钥：%w", err)
	}
	wrapped, err := m.Wrap(dk, fileKeyAAD(bind))
	if err != nil {
		return err
	}
	id, _ := hex.DecodeString(m.ID())
	hdr := make([]byte, 0, envelopeFixedLen+len(wrapped))
	hdr = append(hdr, EnvelopeMagic...)
	hdr = append(hdr, envelopeVersion)
	hdr = append(hdr, id...)
	hdr = binary.BigEndian.AppendUint32(hdr, envelopeChunk)
	hdr = binary.BigEndian.AppendUint16(hdr, uint16(len(wrapped)))
	hdr = append(hdr, wrapped...)
	if _, err := w.Write(hdr); err != nil {
		return err
	}
	aead, err := newGCM(dk)
	if err != nil {
		return err
	}
	// Read one byte past each chunk to know whether it is the last.
	br := bufio.NewReaderSize(r, envelopeChunk+1)
	buf := make([]byte, envelopeChunk)
	out := make([]byte, 0, envelopeChunk+gcmTagSize)
	for i := uint64(0); ; i++ {
		n, err := io.ReadFull(br, buf)
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return err
		}
		last := n < len(buf)
		if !last {
			if _, perr := br.Peek(1); perr != nil {
				if !errors.Is(perr, io.EOF) {
					return perr
				}
				last = true
			}
		}
		out = aead.Seal(out[:0], chunkNonce(i, last), buf[:n], hdr)
		if _, err := w.Write(out); err != nil {
			return err
		}
		if last {
			return nil
		}
	}
}

// DecryptReader reads an envelope from r (header included) and returns the
// plaintext as a stream: each chunk is checked before any of it is given
// out, and the end is checked, so a reader that reaches io.EOF has read the
// file exactly as it was encrypted. m nil gives ErrNoMasterKey; another
// master key gives a *WrongKeyError before anything is read.
func DecryptReader(r io.Reader, m *MasterKey, bind []byte) (io.Reader, error) {
	h, err := ReadEnvelopeHeader(r)
	if err != nil {
		return nil, err
	}
	return h.Open(r, m, bind)
}

// Open unwraps the header's data key with m and returns the plaintext of
// the chunks that follow in r.
func (h EnvelopeHeader) Open(r io.Reader, m *MasterKey, bind []byte) (io.Reader, error) {
	if m == nil {
		return nil, ErrNoMasterKey
	}
	if h.KeyID != m.ID() {
		return nil, &WrongKeyError{Want: h.KeyID, Have: m.ID()}
	}
	dk, err := m.Unwrap(h.Wrapped, fileKeyAAD(bind))
	if err != nil {
		return nil, ErrEnvelope
	}
	aead, err := newGCM(dk)
	if err != nil {
		return nil, err
	}
	return &envelopeReader{r: bufio.NewReaderSize(r, h.Chunk+gcmTagSize+1), aead: aead, h: h,
		ct: make([]byte, h.Chunk+gcmTagSize)}, nil
}

type envelopeReader struct {
	r    *bufio.Reader
	aead cipher.AEAD
	h    EnvelopeHeader
	ct   []byte
	pt   []byte // plaintext of the current chunk not yet read
	i    uint64
	done bool
	err  error
}

func (e *envelopeReader) Read(p []byte) (int, error) {
	for len(e.pt) == 0 {
		if e.err != nil {
			return 0, e.err
		}
		if e.done {
			return 0, io.EOF
		}
		e.err = e.next()
	}
	n := copy(p, e.pt)
	e.pt = e.pt[n:]
	return n, nil
}

func (e *envelopeReader) next() error {
	n, err := io.ReadFull(e.r, e.ct)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("读取加密文件：%w", err)
	}
	last := n < len(e.ct)
	if !last {
		if _, perr := e.r.Peek(1); perr != nil {
			if !errors.Is(perr, io.EOF) {
				return fmt.Errorf("读取加密文件：%w", perr)
			}
			last = true
		}
	}
	if n < gcmTagSize {
		return ErrEnvelope
	}
	pt, oerr := e.aead.Open(e.ct[:0:0], chunkNonce(e.i, last), e.ct[:n], e.h.raw)
	if oerr != nil {
		return ErrEnvelope
	}
	e.i++
	e.pt, e.done = pt, last
	return nil
}
