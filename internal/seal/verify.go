package seal

import (
	"archive/zip"
	"bytes"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
)

// Found is one seal or signature found on a received file.
type Found struct {
	Organ       string    // O of the certificate
	SealName    string    // the seal's name (OFD: from the seal data; PDF: CN of the certificate)
	Fingerprint string    // SM3 of the public key, to compare with the one the issuer publishes
	Time        time.Time // when it was pressed, as the file says
	SelfSigned  bool      // the certificate is the seal's own, not an authority's
}

// Report is the outcome of Verify.
type Report struct {
	Format string  // "PDF" or "OFD"
	Seals  []Found // every seal that verified
	// Intact is true when every seal verified and they cover the whole file:
	// nothing was changed after sealing.
	Intact bool
	// Problems says, in Chinese, why the file is not intact.
	Problems []string
}

func (r *Report) fail(format string, a ...any) {
	r.Intact = false
	r.Problems = append(r.Problems, fmt.Sprintf(format, a...))
}

// ErrNotSealed is reported when a file carries no electronic seal at all.
var ErrNotSealed = errors.New("文件没有电子印章")

// Verify checks a received PDF or OFD: every seal's signature, and that the
// seals cover the whole file, so that one changed byte is found. It returns
// an error only for a file it cannot read as either format.
func Verify(file []byte) (Report, error) {
	switch {
	case bytes.HasPrefix(file, []byte("%PDF-")):
		return verifyPDF(file), nil
	case bytes.HasPrefix(file, []byte("PK\x03\x04")):
		return verifyOFD(file), nil
	}
	return Report{}, errors.New("不是 PDF 或 OFD 文件")
}

var byteRangeRE = regexp.MustCompile(`/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]`)

func verifyPDF(file []byte) Report {
	r := Report{Format: "PDF", Intact: true}
	ms := byteRangeRE.FindAllSubmatchIndex(file, -1)
	if len(ms) == 0 {
		r.fail("%s", ErrNotSealed.Error())
		return r
	}
	covered := false
	for _, m := range ms {
		var br [4]int64
		for i := range br {
			br[i], _ = strconv.ParseInt(string(file[m[2+2*i]:m[3+2*i]]), 10, 64)
		}
		n := int64(len(file))
		if br[0] != 0 || br[1] <= 0 || br[2] <= br[1] || br[2]+br[3] > n || br[1] >= n || file[br[1]] != '<' || file[br[2]-1] != '>' {
			r.fail("签名的字节范围（/ByteRange）无效")
			continue
		}
		if br[2]+br[3] == n {
			covered = true
		}
		sig, err := pdfSignatureValue(file[br[1]+1 : br[2]-1])
		if err != nil {
			r.fail("%v", err)
			continue
		}
		content := make([]byte, 0, br[1]+br[3])
		content = append(append(content, file[:br[1]]...), file[br[2]:br[2]+br[3]]...)
		signers, err := gmcrypto.VerifyDetached(sig, content)
		if err != nil {
			r.fail("电子印章验证失败，文件在盖章后已被改动或签名无效（%v）", err)
			continue
		}
		for _, s := range signers {
			r.Seals = append(r.Seals, Found{Organ: s.Cert.Subject.Organ, SealName: s.Cert.Subject.Name,
				Fingerprint: s.Cert.Key.Fingerprint(), Time: s.Time, SelfSigned: s.Cert.SelfSigned})
		}
	}
	if !covered {
		r.fail("签名没有覆盖整个文件：盖章后文件被追加或改动")
	}
	return r
}

// pdfSignatureValue decodes the /Contents hex string: a DER CMS followed by
// zero padding, which must stay zero (it is outside the signed bytes).
func pdfSignatureValue(h []byte) ([]byte, error) {
	raw := make([]byte, hex.DecodedLen(len(h)))
	if _, err := hex.Decode(raw, h); err != nil {
		return nil, errors.New("签名值（/Contents）不是十六进制串：文件已被改动")
	}
	var v asn1.RawValue
	rest, err := asn1.Unmarshal(raw, &v)
	if err != nil {
		return nil, errors.New("签名值无法解析：文件已被改动")
	}
	for _, b := range rest {
		if b != 0 {
			return nil, errors.New("签名值之后的填充被改动")
		}
	}
	// Lower-case hex is what was written; a changed letter case is a change.
	if !bytes.Equal(h, []byte(hex.EncodeToString(raw))) && !bytes.Equal(h, bytes.ToUpper([]byte(hex.EncodeToString(raw)))) {
		return nil, errors.New("签名值的写法被改动")
	}
	return v.FullBytes, nil
}

// The OFD signature files (GB/T 33190 §18).
type ofdSignatures struct {
	Signatures []struct {
		ID      string `xml:"ID,attr"`
		Type    string `xml:"Type,attr"`
		BaseLoc string `xml:"BaseLoc,attr"`
	} `xml:"Signature"`
}

type ofdSignature struct {
	SignedInfo struct {
		SignatureMethod   string `xml:"SignatureMethod"`
		SignatureDateTime string `xml:"SignatureDateTime"`
		References        struct {
			CheckMethod string `xml:"CheckMethod,attr"`
			Reference   []struct {
				FileRef    string `xml:"FileRef,attr"`
				CheckValue string `xml:"CheckValue"`
			} `xml:"Reference"`
		} `xml:"References"`
	} `xml:"SignedInfo"`
	SignedValue string `xml:"SignedValue"`
}

type ofdRoot struct {
	DocBody []struct {
		Signatures string `xml:"Signatures"`
	} `xml:"DocBody"`
}

func verifyOFD(file []byte) Report {
	r := Report{Format: "OFD", Intact: true}
	zr, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		r.fail("OFD 文件包已损坏：%v", err)
		return r
	}
	if err := checkZipLayout(file, zr); err != nil {
		r.fail("OFD 文件包的结构已被改动：%v", err)
		return r
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		name := strings.TrimPrefix(f.Name, "/")
		if _, dup := files[name]; dup {
			r.fail("文件包中有重复的文件 %s", name)
			return r
		}
		rc, err := f.Open()
		if err != nil {
			r.fail("文件包中的 %s 无法读取：%v", name, err)
			return r
		}
		b, err := io.ReadAll(io.LimitReader(rc, 256<<20))
		rc.Close()
		if err != nil {
			// archive/zip checks each file's CRC-32 at its end.
			r.fail("文件包中的 %s 已损坏或被改动：%v", name, err)
			return r
		}
		files[name] = b
	}
	var root ofdRoot
	if err := xml.Unmarshal(files["OFD.xml"], &root); err != nil {
		r.fail("OFD.xml 无法解析：%v", err)
		return r
	}
	sigList := ""
	for _, b := range root.DocBody {
		sigList = strings.TrimPrefix(b.Signatures, "/")
	}
	if sigList == "" {
		r.fail("%s", ErrNotSealed.Error())
		return r
	}
	var list ofdSignatures
	if err := xml.Unmarshal(files[sigList], &list); err != nil || len(list.Signatures) == 0 {
		r.fail("签名列表 %s 无法解析或为空", sigList)
		return r
	}
	// Files that belong to the signatures themselves are not covered by
	// their References; every other file must be, by every signature.
	own := map[string]bool{}
	for _, s := range list.Signatures {
		loc := strings.TrimPrefix(s.BaseLoc, "/")
		own[loc] = true
		var sx ofdSignature
		if xml.Unmarshal(files[loc], &sx) == nil {
			own[resolve(loc, sx.SignedValue)] = true
		}
	}
	for _, s := range list.Signatures {
		loc := strings.TrimPrefix(s.BaseLoc, "/")
		data, ok := files[loc]
		if !ok {
			r.fail("签名 %s 缺少签名文件 %s", s.ID, loc)
			continue
		}
		var sx ofdSignature
		if err := xml.Unmarshal(data, &sx); err != nil {
			r.fail("签名文件 %s 无法解析：%v", loc, err)
			continue
		}
		if sx.SignedInfo.References.CheckMethod != "1.2.156.10197.1.401" {
			r.fail("签名 %s 的摘要算法 %q 不是 SM3", s.ID, sx.SignedInfo.References.CheckMethod)
			continue
		}
		refs := map[string]bool{}
		bad := false
		for _, ref := range sx.SignedInfo.References.Reference {
			name := resolve(loc, ref.FileRef)
			refs[name] = true
			content, ok := files[name]
			want, err := base64.StdEncoding.DecodeString(strings.TrimSpace(ref.CheckValue))
			sum := gmcrypto.SM3(content)
			if !ok || err != nil || !bytes.Equal(sum[:], want) {
				r.fail("文件 %s 在盖章后已被改动或缺失", name)
				bad = true
			}
		}
		var names []string
		for name := range files {
			if !own[name] && !refs[name] {
				names = append(names, name)
			}
		}
		sort.Strings(names)
		for _, name := range names {
			r.fail("文件 %s 不在印章保护范围内：盖章后被加入", name)
			bad = true
		}
		valueLoc := resolve(loc, sx.SignedValue)
		value, ok := files[valueLoc]
		if !ok {
			r.fail("签名 %s 缺少签名值 %s", s.ID, valueLoc)
			continue
		}
		found, err := checkSESSignature(value, data, "/"+loc)
		if err != nil {
			r.fail("签名 %s：%v", s.ID, err)
			continue
		}
		if bad {
			continue
		}
		r.Seals = append(r.Seals, Found{Organ: found.cert.Subject.Organ, SealName: found.sealName,
			Fingerprint: found.cert.Key.Fingerprint(), Time: found.at, SelfSigned: found.cert.SelfSigned})
	}
	return r
}

// resolve reads an OFD location: absolute from the package root, or relative
// to the directory of the file that names it.
func resolve(from, loc string) string {
	loc = strings.TrimSpace(loc)
	if strings.HasPrefix(loc, "/") {
		return path.Clean(strings.TrimPrefix(loc, "/"))
	}
	return path.Clean(path.Join(path.Dir(from), loc))
}
