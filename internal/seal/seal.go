// Package seal is the electronic seal (电子印章) of an organ: its registration
// (an SM2 key pair made on the server, the private key wrapped under the
// master key, a certificate naming the organ and the seal, the checked seal
// image), the sealing of issued documents (Signer, a layout.Sealer: CMS for
// PDF, GB/T 38540 SES_Signature for OFD) and the verification of a received
// PDF or OFD (Verify). The cryptography is gmcrypto's.
//
// The package is pure: keys, images and files go in as bytes.
package seal

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shuniu-oa/shuniu/internal/gmcrypto"

	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// Kind is what a seal stands for.
type Kind string

// The kinds of organ seal; each organ registers the ones it has.
const (
	KindParty      Kind = "party"      // 党委印章
	KindGovernment Kind = "government" // 政府印章
	KindOffice     Kind = "office"     // 办公室印章
	KindDepartment Kind = "department" // 部门印章
	KindOther      Kind = "other"      // 其他印章
)

// Kinds lists the kinds in the order forms offer them.
func Kinds() []Kind {
	return []Kind{KindParty, KindGovernment, KindOffice, KindDepartment, KindOther}
}

// Label is the kind's Chinese name.
func (k Kind) Label() string {
	switch k {
	case KindParty:
		return "党委印章"
	case KindGovernment:
		return "政府印章"
	case KindOffice:
		return "办公室印章"
	case KindDepartment:
		return "部门印章"
	case KindOther:
		return "其他印章"
	}
	return string(k)
}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, x := range Kinds() {
		if k == x {
			return true
		}
	}
	return false
}

// ParseKind reads a kind by its code or its Chinese name.
func ParseKind(s string) (Kind, bool) {
	s = strings.TrimSpace(s)
	for _, k := range Kinds() {
		if s == string(k) || s == k.Label() {
			return k, true
		}
	}
	return "", false
}

// Seal is a registered electronic seal as it is stored. The private key is
// never stored in clear: WrappedKey is its PKCS#8 encoding sealed with
// SM4-GCM under the master key named by MasterKeyID, bound to the seal's ID.
type Seal struct {
	ID          string
	UnitID      string // the organ's unit
	Organ       string // the organ's name when registered, as in the certificate
	Name        string // e.g. 枢纽市人民政府印章
	Kind        Kind
	Image       []byte // PNG, checked by CheckImage
	Cert        []byte // DER X.509 certificate of the seal's SM2 key
	WrappedKey  []byte
	MasterKeyID string
	Fingerprint string // SM3 of the public key (gmcrypto.PublicKey.Fingerprint)
	ValidFrom   time.Time
	ValidUntil  time.Time
	CreatedBy   string // person ID
	Created     time.Time
	Revoked     time.Time // zero while in force
}

// Active reports whether the seal may be pressed at t.
func (s *Seal) Active(t time.Time) bool {
	return s.Revoked.IsZero() && !t.Before(s.ValidFrom) && t.Before(s.ValidUntil)
}

// Validity is how long a new seal's certificate runs.
const Validity = 5 * 365 * 24 * time.Hour

// Limits on a seal's names, in characters: the name is carved round the
// seal's edge, so it is short; the organ is a unit's full name.
const (
	MaxName  = 60
	MaxOrgan = 100
)

// NewRequest is what registering a seal needs.
type NewRequest struct {
	ID        string // the new seal's ID (uid.New)
	UnitID    string
	Organ     string
	Name      string
	Kind      Kind
	Image     []byte
	CreatedBy string
	Now       time.Time
}

// New makes a seal: checks the request and the image, generates its SM2 key
// pair, a self-signed certificate (O = organ, CN = seal name) valid for
// Validity, and wraps the private key under master.
func New(req NewRequest, master *gmcrypto.MasterKey) (Seal, error) {
	req.Organ = strings.TrimSpace(req.Organ)
	req.Name = strings.TrimSpace(req.Name)
	switch {
	case req.ID == "" || req.UnitID == "":
		return Seal{}, errors.New("缺少印章标识或所属单位")
	case req.Organ == "":
		return Seal{}, errors.New("缺少机关名称")
	case req.Name == "":
		return Seal{}, errors.New("请填写印章名称，如“枢纽市人民政府印章”")
	case utf8.RuneCountInString(req.Name) > MaxName:
		return Seal{}, textlimit.Text("name", "印章名称", MaxName, req.Name)
	case utf8.RuneCountInString(req.Organ) > MaxOrgan:
		return Seal{}, textlimit.Text("organ", "机关名称", MaxOrgan, req.Organ)
	case !req.Kind.Valid():
		return Seal{}, fmt.Errorf("印章类别无效：%q", req.Kind)
	case master == nil:
		return Seal{}, errors.New("没有主密钥，不能保管印章私钥")
	}
	if _, err := CheckImage(req.Image); err != nil {
		return Seal{}, err
	}
	key, err := gmcrypto.GenerateKey(nil)
	if err != nil {
		return Seal{}, err
	}
	from := req.Now.Add(-time.Minute).UTC().Truncate(time.Second)
	until := from.Add(Validity)
	cert, err := gmcrypto.NewSelfSignedCertificate(key, gmcrypto.CertSubject{Organ: req.Organ, Name: req.Name}, from, until)
	if err != nil {
		return Seal{}, err
	}
	der, err := key.MarshalPKCS8()
	if err != nil {
		return Seal{}, err
	}
	wrapped, err := master.Wrap(der, keyAAD(req.ID))
	if err != nil {
		return Seal{}, err
	}
	return Seal{
		ID: req.ID, UnitID: req.UnitID, Organ: req.Organ, Name: req.Name, Kind: req.Kind,
		Image: req.Image, Cert: cert, WrappedKey: wrapped, MasterKeyID: master.ID(),
		Fingerprint: key.Public().Fingerprint(), ValidFrom: from, ValidUntil: until,
		CreatedBy: req.CreatedBy, Created: req.Now,
	}, nil
}

func keyAAD(id string) []byte { return []byte("shuniu seal key\x00" + id) }

// Key unwraps the seal's private key with master and checks it against the
// certificate.
func (s *Seal) Key(master *gmcrypto.MasterKey) (*gmcrypto.PrivateKey, error) {
	if master == nil {
		return nil, errors.New("没有主密钥，不能使用印章")
	}
	if s.MasterKeyID != master.ID() {
		return nil, fmt.Errorf("印章“%s”的私钥由另一主密钥（%s）保管，当前主密钥为 %s", s.Name, s.MasterKeyID, master.ID())
	}
	der, err := master.Unwrap(s.WrappedKey, keyAAD(s.ID))
	if err != nil {
		return nil, fmt.Errorf("印章“%s”的私钥无法解开：%w", s.Name, err)
	}
	key, err := gmcrypto.ParsePKCS8(der)
	if err != nil {
		return nil, err
	}
	cert, err := gmcrypto.ParseCertificate(s.Cert)
	if err != nil {
		return nil, err
	}
	if !cert.Matches(key) {
		return nil, fmt.Errorf("印章“%s”的私钥与证书不符", s.Name)
	}
	return key, nil
}
