package seal

import (
	"encoding/asn1"
	"errors"
	"fmt"
	"time"

	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
)

// The electronic seal data of GB/T 38540-2020 (安全电子签章密码技术规范),
// version 4, as far as it can be followed without a seal-making system and a
// hardware key. Field names follow the standard's ASN.1 (as ofdrw's
// org.ofdrw.gm.ses.v4 and other public implementations spell it):
//
//	SES_Signature ::= SEQUENCE { toSign TBS_Sign, cert OCTET STRING,
//	    signatureAlgID OBJECT IDENTIFIER, signature BIT STRING,
//	    timeStamp [0] EXPLICIT BIT STRING OPTIONAL }
//	TBS_Sign ::= SEQUENCE { version INTEGER, eseal SESeal,
//	    timeInfo GeneralizedTime, dataHash BIT STRING, propertyInfo IA5String,
//	    extDatas [0] EXPLICIT ExtensionDatas OPTIONAL }
//	SESeal ::= SEQUENCE { eSealInfo SES_SealInfo, cert OCTET STRING,
//	    signAlgID OBJECT IDENTIFIER, signedValue BIT STRING }
//	SES_SealInfo ::= SEQUENCE { header SES_Header, esID IA5String,
//	    property SES_ESPropertyInfo, picture SES_ESPictrueInfo,
//	    extDatas ExtensionDatas OPTIONAL }
//
// What differs from a certified deployment: the seal (SESeal) is signed by
// the seal's own key, as no 电子印章制作系统 with its own certificate is in
// the loop, and the certificates are self-signed (see docs/security.md).

const sesVersion = 4

var (
	oidSM2WithSM3 = asn1.ObjectIdentifier{1, 2, 156, 10197, 1, 501}
)

type sesHeader struct {
	ID      string `asn1:"ia5"`
	Version int
	Vid     string `asn1:"ia5"`
}

type sesPropertyInfo struct {
	Type         int
	Name         string `asn1:"utf8"`
	CertListType int
	CertList     [][]byte  // certs: SEQUENCE OF OCTET STRING
	CreateDate   time.Time `asn1:"generalized"`
	ValidStart   time.Time `asn1:"generalized"`
	ValidEnd     time.Time `asn1:"generalized"`
}

type sesPicture struct {
	Type   string `asn1:"ia5"`
	Data   []byte
	Width  int // mm
	Height int // mm
}

type sesSealInfo struct {
	Header   sesHeader
	EsID     string `asn1:"ia5"`
	Property sesPropertyInfo
	Picture  sesPicture
}

type seSeal struct {
	ESealInfo   asn1.RawValue
	Cert        []byte
	SignAlgID   asn1.ObjectIdentifier
	SignedValue asn1.BitString
}

// sealTBS is what the seal's maker signs: the seal information, the maker's
// certificate and the algorithm.
type sealTBS struct {
	ESealInfo asn1.RawValue
	Cert      []byte
	SignAlgID asn1.ObjectIdentifier
}

type tbsSign struct {
	Version      int
	ESeal        asn1.RawValue
	TimeInfo     time.Time `asn1:"generalized"`
	DataHash     asn1.BitString
	PropertyInfo string `asn1:"ia5"`
}

type sesSignature struct {
	ToSign         asn1.RawValue
	Cert           []byte
	SignatureAlgID asn1.ObjectIdentifier
	Signature      asn1.BitString
}

// sesSealType is SES_ESPropertyInfo.type: 1 for an organ's seal (单位印章).
const sesSealType = 1

// buildESeal makes the SESeal of s, signed with key (the seal's own).
func buildESeal(s *Seal, key *gmcrypto.PrivateKey, widthMM, heightMM int) ([]byte, error) {
	info := sesSealInfo{
		Header: sesHeader{ID: "ES", Version: sesVersion, Vid: "Shuniu"},
		EsID:   s.ID,
		Property: sesPropertyInfo{
			Type: sesSealType, Name: s.Name, CertListType: 1, CertList: [][]byte{s.Cert},
			CreateDate: s.Created.UTC().Truncate(time.Second), ValidStart: s.ValidFrom.UTC(), ValidEnd: s.ValidUntil.UTC(),
		},
		Picture: sesPicture{Type: "PNG", Data: s.Image, Width: widthMM, Height: heightMM},
	}
	infoDER, err := asn1.Marshal(info)
	if err != nil {
		return nil, fmt.Errorf("编码印章信息：%w", err)
	}
	tbs, err := asn1.Marshal(sealTBS{ESealInfo: asn1.RawValue{FullBytes: infoDER}, Cert: s.Cert, SignAlgID: oidSM2WithSM3})
	if err != nil {
		return nil, err
	}
	sig, err := key.Sign(tbs, nil)
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(seSeal{ESealInfo: asn1.RawValue{FullBytes: infoDER}, Cert: s.Cert, SignAlgID: oidSM2WithSM3,
		SignedValue: asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)}})
}

// buildSESSignature signs data (the OFD's Signature.xml) with the seal.
func buildSESSignature(eseal []byte, cert []byte, key *gmcrypto.PrivateKey, at time.Time, data []byte, propertyInfo string) ([]byte, error) {
	h := gmcrypto.SM3(data)
	tbs, err := asn1.Marshal(tbsSign{Version: sesVersion, ESeal: asn1.RawValue{FullBytes: eseal}, TimeInfo: at.UTC().Truncate(time.Second),
		DataHash: asn1.BitString{Bytes: h[:], BitLength: 8 * len(h)}, PropertyInfo: propertyInfo})
	if err != nil {
		return nil, fmt.Errorf("编码签章信息：%w", err)
	}
	sig, err := key.Sign(tbs, nil)
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(sesSignature{ToSign: asn1.RawValue{FullBytes: tbs}, Cert: cert, SignatureAlgID: oidSM2WithSM3,
		Signature: asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)}})
}

// sesFound is what a checked SES_Signature says.
type sesFound struct {
	cert     *gmcrypto.Certificate
	sealName string
	esID     string
	at       time.Time
}

// checkSESSignature verifies an SES_Signature over data at propertyInfo:
// the signer's signature over TBS_Sign, the data hash, the seal's own
// signature, and that the signer's certificate is one the seal lists.
func checkSESSignature(der, data []byte, propertyInfo string) (sesFound, error) {
	var ss sesSignature
	if rest, err := asn1.Unmarshal(der, &ss); err != nil || len(rest) > 0 {
		return sesFound{}, errors.New("签章数据（SES_Signature）无法解析")
	}
	if !ss.SignatureAlgID.Equal(oidSM2WithSM3) {
		return sesFound{}, fmt.Errorf("不支持的签名算法 %v（应为 SM2 1.2.156.10197.1.501）", ss.SignatureAlgID)
	}
	cert, err := gmcrypto.ParseCertificate(ss.Cert)
	if err != nil {
		return sesFound{}, err
	}
	if !cert.Key.Verify(ss.ToSign.FullBytes, ss.Signature.Bytes, nil) {
		return sesFound{}, errors.New("签章签名验证失败")
	}
	var tbs tbsSign
	if rest, err := asn1.Unmarshal(ss.ToSign.FullBytes, &tbs); err != nil || len(rest) > 0 {
		return sesFound{}, errors.New("签章信息（TBS_Sign）无法解析")
	}
	h := gmcrypto.SM3(data)
	if string(tbs.DataHash.Bytes) != string(h[:]) {
		return sesFound{}, errors.New("签名文件（Signature.xml）已被改动")
	}
	if tbs.PropertyInfo != propertyInfo {
		return sesFound{}, fmt.Errorf("签章指向 %s，而不是 %s", tbs.PropertyInfo, propertyInfo)
	}
	var es seSeal
	if rest, err := asn1.Unmarshal(tbs.ESeal.FullBytes, &es); err != nil || len(rest) > 0 {
		return sesFound{}, errors.New("电子印章数据（SESeal）无法解析")
	}
	maker, err := gmcrypto.ParseCertificate(es.Cert)
	if err != nil {
		return sesFound{}, err
	}
	sealTBSDER, err := asn1.Marshal(sealTBS{ESealInfo: es.ESealInfo, Cert: es.Cert, SignAlgID: es.SignAlgID})
	if err != nil {
		return sesFound{}, err
	}
	if !maker.Key.Verify(sealTBSDER, es.SignedValue.Bytes, nil) {
		return sesFound{}, errors.New("电子印章本身的签名验证失败")
	}
	var info sesSealInfo
	if rest, err := asn1.Unmarshal(es.ESealInfo.FullBytes, &info); err != nil || len(rest) > 0 {
		return sesFound{}, errors.New("印章信息（SES_SealInfo）无法解析")
	}
	listed := false
	for _, c := range info.Property.CertList {
		if lc, err := gmcrypto.ParseCertificate(c); err == nil && lc.Key.Equal(cert.Key) {
			listed = true
		}
	}
	if !listed {
		return sesFound{}, errors.New("签章人的证书不在该印章的授权证书列表中")
	}
	if tbs.TimeInfo.Before(cert.NotBefore) || tbs.TimeInfo.After(cert.NotAfter) {
		return sesFound{}, errors.New("签章时间不在证书有效期内")
	}
	return sesFound{cert: cert, sealName: info.Property.Name, esID: info.EsID, at: tbs.TimeInfo}, nil
}
