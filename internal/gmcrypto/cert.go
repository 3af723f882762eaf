package gmcrypto

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
)

// CertSubject names the holder of a seal certificate.
type CertSubject struct {
	Organ string // the organ the seal belongs to (O)
	Name  string // the seal's name (CN), e.g. 中共××区委员会办公室印章
}

// Certificate is a parsed X.509 certificate with an SM2 key.
type Certificate struct {
	Raw        []byte
	Subject    CertSubject
	Issuer     string
	Serial     string
	NotBefore  time.Time
	NotAfter   time.Time
	Key        *PublicKey
	SelfSigned bool
	c          *smx509.Certificate
}

// NewSelfSignedCertificate makes a self-signed SM2-with-SM3 certificate for
// key, valid from notBefore to notAfter. It stands in for the certificate a
// recognised electronic-certification authority (电子认证服务机构) would issue
// to a seal: a receiver can check what was signed with it and by which key,
// but trusts the key only as far as it trusts the sender's word for it.
func NewSelfSignedCertificate(key *PrivateKey, subj CertSubject, notBefore, notAfter time.Time) ([]byte, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return nil, fmt.Errorf("证书序列号：%w", err)
	}
	name := pkix.Name{CommonName: subj.Name, Organization: []string{subj.Organ}, Country: []string{"CN"}}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               name,
		Issuer:                name,
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		BasicConstraintsValid: true,
	}
	st := smx509.Certificate(*tmpl)
	der, err := smx509.CreateCertificate(rand.Reader, &st, &st, &key.k.PublicKey, key.k)
	if err != nil {
		return nil, fmt.Errorf("生成印章证书：%w", err)
	}
	return der, nil
}

// ParseCertificate reads a DER certificate holding an SM2 key.
func ParseCertificate(der []byte) (*Certificate, error) {
	c, err := smx509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("读取证书：%w", err)
	}
	return fromSMX509(c)
}

func fromSMX509(c *smx509.Certificate) (*Certificate, error) {
	pub, ok := c.PublicKey.(*ecdsa.PublicKey)
	if !ok || pub.Curve != sm2.P256() {
		return nil, errors.New("读取证书：证书的公钥不是 SM2 公钥")
	}
	out := &Certificate{
		Raw:       c.Raw,
		Subject:   CertSubject{Name: c.Subject.CommonName},
		Issuer:    c.Issuer.CommonName,
		Serial:    fmt.Sprintf("%X", c.SerialNumber),
		NotBefore: c.NotBefore,
		NotAfter:  c.NotAfter,
		Key:       &PublicKey{k: pub},
		c:         c,
	}
	if len(c.Subject.Organization) > 0 {
		out.Subject.Organ = c.Subject.Organization[0]
	}
	out.SelfSigned = string(c.RawIssuer) == string(c.RawSubject) && c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
	return out, nil
}

// Matches reports whether the certificate is for key's public half.
func (c *Certificate) Matches(key *PrivateKey) bool { return c.Key.Equal(key.Public()) }
