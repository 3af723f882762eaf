package gmcrypto

import (
	"encoding/asn1"
	"errors"
	"fmt"
	"time"

	"github.com/emmansun/gmsm/pkcs7"
	"github.com/emmansun/gmsm/smx509"
)

// CMSSigner is one signer of a CMS signed-data message: the key and its
// certificate (DER).
type CMSSigner struct {
	Key  *PrivateKey
	Cert []byte
}

// SignDetached returns a detached CMS SignedData (GB/T 35275: SM2 signatures
// over SM3 digests, the 国密 object identifiers 1.2.156.10197.6.1.4.2.x) over
// content, with one SignerInfo per signer, each carrying its certificate and
// the signing time as a signed attribute.
func SignDetached(content []byte, signers []CMSSigner) ([]byte, error) {
	if len(signers) == 0 {
		return nil, errors.New("CMS 签名：没有签名者")
	}
	sd, err := pkcs7.NewSMSignedData(content)
	if err != nil {
		return nil, fmt.Errorf("CMS 签名：%w", err)
	}
	for _, s := range signers {
		c, err := smx509.ParseCertificate(s.Cert)
		if err != nil {
			return nil, fmt.Errorf("CMS 签名：证书：%w", err)
		}
		if err := sd.AddSigner(c, s.Key.k, pkcs7.SignerInfoConfig{}); err != nil {
			return nil, fmt.Errorf("CMS 签名：%w", err)
		}
	}
	sd.Detach()
	der, err := sd.Finish()
	if err != nil {
		return nil, fmt.Errorf("CMS 签名：%w", err)
	}
	return der, nil
}

// CMSSignature is one verified SignerInfo.
type CMSSignature struct {
	Cert *Certificate
	Time time.Time // the signed signing-time attribute; zero when absent
}

var oidSigningTime = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}

// VerifyDetached checks a detached CMS SignedData against content: every
// SignerInfo's digest must match and its signature verify under the
// certificate it names. It returns the signers. Trust in the
// certificates themselves (a chain to a recognised authority) is the caller's
// question; self-signed seal certificates are reported as such. The
// SignerInfos are a DER SET, so they come back in their encoded order, which
// need not be the order they were signed in.
func VerifyDetached(sig, content []byte) ([]CMSSignature, error) {
	p7, err := pkcs7.Parse(sig)
	if err != nil {
		return nil, fmt.Errorf("签名数据无法解析：%w", err)
	}
	if len(p7.Signers) == 0 {
		return nil, errors.New("签名数据中没有签名者")
	}
	p7.Content = content
	if err := p7.Verify(); err != nil {
		return nil, fmt.Errorf("验签失败：%w", err)
	}
	out := make([]CMSSignature, 0, len(p7.Signers))
	for _, si := range p7.Signers {
		var cert *smx509.Certificate
		for _, c := range p7.Certificates {
			if c.SerialNumber.Cmp(si.IssuerAndSerialNumber.SerialNumber) == 0 && string(c.RawIssuer) == string(si.IssuerAndSerialNumber.IssuerName.FullBytes) {
				cert = c
			}
		}
		if cert == nil {
			return nil, errors.New("签名数据缺少签名者证书")
		}
		pc, err := fromSMX509(cert)
		if err != nil {
			return nil, err
		}
		s := CMSSignature{Cert: pc}
		for _, a := range si.AuthenticatedAttributes {
			if a.Type.Equal(oidSigningTime) {
				var t time.Time
				if _, err := asn1.Unmarshal(a.Value.Bytes, &t); err == nil {
					s.Time = t
				}
			}
		}
		out = append(out, s)
	}
	return out, nil
}
