package seal

import (
	"errors"
	"math"
	"time"

	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
	"github.com/shuniu-oa/shuniu/internal/layout"
)

// Signer presses seals on a document: it implements layout.Sealer with the
// seals' keys unwrapped in memory for the one rendering.
type Signer struct {
	seals []Seal
	keys  []*gmcrypto.PrivateKey
	at    time.Time
	// esealSizeMM is the seal's size written into the OFD's seal picture.
	esealSizeMM int
}

// NewSigner unwraps the keys of seals (in issuer order) with master for a
// sealing at time at. Every seal must be in force at that time.
func NewSigner(seals []Seal, master *gmcrypto.MasterKey, at time.Time) (*Signer, error) {
	if len(seals) == 0 {
		return nil, errors.New("没有选择印章")
	}
	s := &Signer{seals: seals, at: at, esealSizeMM: int(math.Round(layout.SealSize))}
	for i := range seals {
		if !seals[i].Active(at) {
			return nil, errors.New("印章“" + seals[i].Name + "”已停用或不在有效期内")
		}
		k, err := seals[i].Key(master)
		if err != nil {
			return nil, err
		}
		s.keys = append(s.keys, k)
	}
	return s, nil
}

var _ layout.Sealer = (*Signer)(nil)

// Stamps implements layout.Sealer.
func (s *Signer) Stamps() []layout.Stamp {
	out := make([]layout.Stamp, len(s.seals))
	for i, x := range s.seals {
		out[i] = layout.Stamp{Organ: x.Organ, Name: x.Name, Image: x.Image}
	}
	return out
}

// SigningTime implements layout.Sealer.
func (s *Signer) SigningTime() time.Time { return s.at }

// SignPDF implements layout.Sealer: one CMS SignerInfo per seal.
func (s *Signer) SignPDF(content []byte) ([]byte, error) {
	signers := make([]gmcrypto.CMSSigner, len(s.seals))
	for i := range s.seals {
		signers[i] = gmcrypto.CMSSigner{Key: s.keys[i], Cert: s.seals[i].Cert}
	}
	return gmcrypto.SignDetached(content, signers)
}

// SignOFD implements layout.Sealer: the SES_Signature of seal i.
func (s *Signer) SignOFD(i int, signatureXML []byte, propertyInfo string) ([]byte, error) {
	if i < 0 || i >= len(s.seals) {
		return nil, errors.New("印章序号超出范围")
	}
	eseal, err := buildESeal(&s.seals[i], s.keys[i], s.esealSizeMM, s.esealSizeMM)
	if err != nil {
		return nil, err
	}
	return buildSESSignature(eseal, s.seals[i].Cert, s.keys[i], s.at, signatureXML, propertyInfo)
}
