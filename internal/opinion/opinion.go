// Package opinion signs a leader's opinion (签发意见, 拟办意见, 批示) with the
// person's SM2 key and verifies it (验签): the signature covers the document,
// its version, the step and task, who acted, when, the outcome and the words,
// so that an opinion altered in the database afterwards fails verification.
//
// Each person's key is made on the server at their first signed opinion and
// kept only wrapped (SM4-GCM) under the master key outside the database,
// bound to the person. The package is pure; the cryptography is gmcrypto's.
package opinion

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
)

// Opinion is what a signature covers.
type Opinion struct {
	DocID      string
	Version    int // the document's version the opinion was given on
	TaskID     int
	Step       string // the step's key, e.g. sign_off, instruct
	PersonID   string // who acted
	OnBehalfOf string // the leader acted for under a delegation, if any
	At         time.Time
	Outcome    string
	Comment    string
}

// Message is the byte string signed: a label and every field, each
// length-prefixed, the time in microseconds UTC.
func (o Opinion) Message() []byte {
	b := []byte("shuniu/opinion/1")
	for _, f := range []string{o.DocID, strconv.Itoa(o.Version), strconv.Itoa(o.TaskID), o.Step, o.PersonID, o.OnBehalfOf,
		strconv.FormatInt(o.At.UTC().UnixMicro(), 10), o.Outcome, o.Comment} {
		b = binary.BigEndian.AppendUint32(b, uint32(len(f)))
		b = append(b, f...)
	}
	return b
}

// Signature is a signed opinion as stored beside the route's task.
type Signature struct {
	DocID       string
	TaskID      int
	PersonID    string
	Version     int
	Fingerprint string // SM3 of the signer's public key
	Sig         []byte // SM2 (DER r,s) over Opinion.Message
	At          time.Time
}

// PersonKey is a person's signing key as stored: the public key in clear,
// the private key wrapped under the master key named by MasterKeyID.
type PersonKey struct {
	PersonID    string
	Public      []byte // uncompressed SM2 point
	WrappedKey  []byte
	MasterKeyID string
	Fingerprint string
	Created     time.Time
}

func keyAAD(personID string) []byte { return []byte("shuniu person key\x00" + personID) }

// NewPersonKey makes a person's SM2 key pair, the private key wrapped under
// master and bound to the person.
func NewPersonKey(personID string, master *gmcrypto.MasterKey, now time.Time) (PersonKey, error) {
	if master == nil {
		return PersonKey{}, errors.New("没有主密钥，不能保管签名私钥")
	}
	k, err := gmcrypto.GenerateKey(nil)
	if err != nil {
		return PersonKey{}, err
	}
	der, err := k.MarshalPKCS8()
	if err != nil {
		return PersonKey{}, err
	}
	wrapped, err := master.Wrap(der, keyAAD(personID))
	if err != nil {
		return PersonKey{}, err
	}
	return PersonKey{PersonID: personID, Public: k.Public().Bytes(), WrappedKey: wrapped, MasterKeyID: master.ID(),
		Fingerprint: k.Public().Fingerprint(), Created: now}, nil
}

// Sign unwraps the person's key with master and signs o.
func (pk PersonKey) Sign(o Opinion, master *gmcrypto.MasterKey) (Signature, error) {
	if master == nil || pk.MasterKeyID != master.ID() {
		return Signature{}, errors.New("签名私钥由另一主密钥保管，无法签名")
	}
	if o.PersonID != pk.PersonID {
		return Signature{}, errors.New("签名私钥不属于办理人")
	}
	der, err := master.Unwrap(pk.WrappedKey, keyAAD(pk.PersonID))
	if err != nil {
		return Signature{}, fmt.Errorf("签名私钥无法解开：%w", err)
	}
	k, err := gmcrypto.ParsePKCS8(der)
	if err != nil {
		return Signature{}, err
	}
	sig, err := k.Sign(o.Message(), nil)
	if err != nil {
		return Signature{}, err
	}
	return Signature{DocID: o.DocID, TaskID: o.TaskID, PersonID: o.PersonID, Version: o.Version, Fingerprint: pk.Fingerprint, Sig: sig, At: o.At}, nil
}

// Status is what the record shows of an opinion's signature.
type Status string

// The statuses.
const (
	Verified Status = "已验签"
	Failed   Status = "验签失败"
)

// Verify checks s over o with the person's public key: Verified, or Failed
// with the reason.
func Verify(o Opinion, s Signature, public []byte) (Status, string) {
	pub, err := gmcrypto.PublicKeyFromBytes(public)
	switch {
	case err != nil:
		return Failed, "签名公钥无效"
	case pub.Fingerprint() != s.Fingerprint:
		return Failed, "签名所用的密钥不是办理人的"
	case s.PersonID != o.PersonID || s.TaskID != o.TaskID || s.DocID != o.DocID:
		return Failed, "签名不属于这条意见"
	}
	o.Version = s.Version
	if !pub.Verify(o.Message(), s.Sig, nil) {
		return Failed, "意见、办理人或时间与签名不符（记录被改动）"
	}
	return Verified, ""
}
