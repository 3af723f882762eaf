// Package gmcrypto is Shuniu's one door to the national (国密) algorithms: SM2
// signatures with the GB/T 32918 user ID and Z value, SM3 digests, SM4-GCM
// encryption, SM2 key serialisation, seal certificates and SM2/SM3 CMS
// signed data (GB/T 35275). It writes none of the algorithms: they come from
// github.com/emmansun/gmsm. Other packages use these functions and types and
// never import gmsm themselves, so a deployment that must use a certified
// 密码模块 (a signing server or a UKey) replaces the implementations here.
//
// The package is pure apart from MasterKey's file functions.
package gmcrypto

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/smx509"
)

// DefaultUID is the signer's distinguishing identifier that GB/T 35276
// (GM/T 0009) fixes when the parties have agreed on no other: the 16 ASCII
// bytes "1234567812345678". Every signature Shuniu makes and checks uses it,
// as the CMS of GB/T 35275 and the seals of GB/T 38540 expect.
var DefaultUID = []byte("1234567812345678")

// SM3Size is the length of an SM3 digest in bytes.
const SM3Size = sm3.Size

// SM3 returns the SM3 digest of data (GB/T 32905).
func SM3(data []byte) [SM3Size]byte { return sm3.Sum(data) }

// NewSM3 returns a streaming SM3 hash.
func NewSM3() hash.Hash { return sm3.New() }

// PrivateKey is an SM2 signing key.
type PrivateKey struct{ k *sm2.PrivateKey }

// PublicKey is an SM2 public key.
type PublicKey struct{ k *ecdsa.PublicKey }

// GenerateKey makes a new SM2 key pair from rand (crypto/rand.Reader when nil).
func GenerateKey(r io.Reader) (*PrivateKey, error) {
	if r == nil {
		r = rand.Reader
	}
	k, err := sm2.GenerateKey(r)
	if err != nil {
		return nil, fmt.Errorf("生成 SM2 密钥：%w", err)
	}
	return &PrivateKey{k: k}, nil
}

// PrivateKeyFromBytes makes a key from its 32-byte big-endian scalar (for
// known-answer tests and imports).
func PrivateKeyFromBytes(d []byte) (*PrivateKey, error) {
	k, err := sm2.NewPrivateKey(d)
	if err != nil {
		return nil, fmt.Errorf("SM2 私钥无效：%w", err)
	}
	return &PrivateKey{k: k}, nil
}

// PublicKeyFromBytes reads an uncompressed point 04‖X‖Y.
func PublicKeyFromBytes(b []byte) (*PublicKey, error) {
	k, err := sm2.NewPublicKey(b)
	if err != nil {
		return nil, fmt.Errorf("SM2 公钥无效：%w", err)
	}
	return &PublicKey{k: k}, nil
}

// Public returns the key's public half.
func (k *PrivateKey) Public() *PublicKey { return &PublicKey{k: &k.k.PublicKey} }

// Sign signs msg with the Z value of uid (DefaultUID when nil) as GB/T 32918.2
// sets out: e = SM3(Z‖M). The signature is the DER SEQUENCE of r and s
// (GB/T 35276). SM2 signing is randomised: two signatures of one message differ.
func (k *PrivateKey) Sign(msg, uid []byte) ([]byte, error) {
	if uid == nil {
		uid = DefaultUID
	}
	sig, err := k.k.Sign(rand.Reader, msg, sm2.NewSM2SignerOption(true, uid))
	if err != nil {
		return nil, fmt.Errorf("SM2 签名：%w", err)
	}
	return sig, nil
}

// Verify reports whether sig (DER r,s) is k's signature of msg under uid
// (DefaultUID when nil).
func (p *PublicKey) Verify(msg, sig, uid []byte) bool {
	if uid == nil {
		uid = DefaultUID
	}
	return sm2.VerifyASN1WithSM2(p.k, uid, msg, sig)
}

// Z returns Z = SM3(ENTL‖ID‖a‖b‖xG‖yG‖xA‖yA) of GB/T 32918.2 §5.5 for uid
// (DefaultUID when nil).
func (p *PublicKey) Z(uid []byte) []byte {
	if uid == nil {
		uid = DefaultUID
	}
	z, err := sm2.CalculateZA(p.k, uid)
	if err != nil {
		// Only an identifier longer than 8191 bytes fails; ours are constants.
		return nil
	}
	return z
}

// Bytes returns the uncompressed point 04‖X‖Y.
func (p *PublicKey) Bytes() []byte {
	// The SubjectPublicKeyInfo's BIT STRING holds exactly that point (and
	// ecdsa's X and Y are deprecated for direct use).
	der, err := smx509.MarshalPKIXPublicKey(p.k)
	if err != nil {
		return nil
	}
	var spki struct {
		Algo pkix.AlgorithmIdentifier
		Key  asn1.BitString
	}
	if _, err := asn1.Unmarshal(der, &spki); err != nil {
		return nil
	}
	return spki.Key.Bytes
}

// Equal reports whether p and q are the same key.
func (p *PublicKey) Equal(q *PublicKey) bool { return q != nil && p.k.Equal(q.k) }

// Fingerprint is the SM3 digest of the key's SubjectPublicKeyInfo, in hex
// groups of four, the form shown to people who compare keys by eye.
func (p *PublicKey) Fingerprint() string {
	der, err := smx509.MarshalPKIXPublicKey(p.k)
	if err != nil {
		return ""
	}
	sum := sm3.Sum(der)
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	var b strings.Builder
	for i := 0; i < len(h); i += 4 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+4])
	}
	return b.String()
}

// PEM block types.
const (
	pemPrivatePKCS8 = "PRIVATE KEY"
	pemPrivateSEC1  = "EC PRIVATE KEY"
	pemPublic       = "PUBLIC KEY"
)

// MarshalPKCS8 returns the key as PKCS#8 DER (with the SM2 curve OID
// 1.2.156.10197.1.301).
func (k *PrivateKey) MarshalPKCS8() ([]byte, error) {
	der, err := smx509.MarshalPKCS8PrivateKey(k.k)
	if err != nil {
		return nil, fmt.Errorf("编码 SM2 私钥：%w", err)
	}
	return der, nil
}

// PEM returns the key as a PKCS#8 PEM block ("PRIVATE KEY").
func (k *PrivateKey) PEM() ([]byte, error) {
	der, err := k.MarshalPKCS8()
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemPrivatePKCS8, Bytes: der}), nil
}

// SEC1PEM returns the key as an SEC 1 PEM block ("EC PRIVATE KEY"), the form
// some 国密 tools (GmSSL, Tongsuo) write.
func (k *PrivateKey) SEC1PEM() ([]byte, error) {
	der, err := smx509.MarshalSM2PrivateKey(k.k)
	if err != nil {
		return nil, fmt.Errorf("编码 SM2 私钥：%w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemPrivateSEC1, Bytes: der}), nil
}

// ParsePKCS8 reads a PKCS#8 DER SM2 private key.
func ParsePKCS8(der []byte) (*PrivateKey, error) {
	key, err := smx509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("读取 SM2 私钥：%w", err)
	}
	k, ok := key.(*sm2.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("读取 SM2 私钥：不是 SM2 密钥（%T）", key)
	}
	return &PrivateKey{k: k}, nil
}

// ParsePrivateKeyPEM reads an SM2 private key from a PKCS#8 ("PRIVATE KEY")
// or SEC 1 ("EC PRIVATE KEY") PEM block.
func ParsePrivateKeyPEM(data []byte) (*PrivateKey, error) {
	b, _ := pem.Decode(data)
	if b == nil {
		return nil, errors.New("读取 SM2 私钥：不是 PEM 格式")
	}
	switch b.Type {
	case pemPrivatePKCS8:
		return ParsePKCS8(b.Bytes)
	case pemPrivateSEC1:
		k, err := smx509.ParseSM2PrivateKey(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("读取 SM2 私钥：%w", err)
		}
		return &PrivateKey{k: k}, nil
	}
	return nil, fmt.Errorf("读取 SM2 私钥：不支持的 PEM 类型 %q", b.Type)
}

// PEM returns the public key as a SubjectPublicKeyInfo PEM block.
func (p *PublicKey) PEM() ([]byte, error) {
	der, err := smx509.MarshalPKIXPublicKey(p.k)
	if err != nil {
		return nil, fmt.Errorf("编码 SM2 公钥：%w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemPublic, Bytes: der}), nil
}

// ParsePublicKeyPEM reads an SM2 public key from a "PUBLIC KEY" PEM block.
func ParsePublicKeyPEM(data []byte) (*PublicKey, error) {
	b, _ := pem.Decode(data)
	if b == nil || b.Type != pemPublic {
		return nil, errors.New("读取 SM2 公钥：不是 PUBLIC KEY PEM")
	}
	key, err := smx509.ParsePKIXPublicKey(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("读取 SM2 公钥：%w", err)
	}
	k, ok := key.(*ecdsa.PublicKey)
	if !ok || k.Curve != sm2.P256() {
		return nil, errors.New("读取 SM2 公钥：不是 SM2 公钥")
	}
	return &PublicKey{k: k}, nil
}
