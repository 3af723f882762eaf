package archive

import (
	"encoding/xml"
	"fmt"
	"path"
	"strings"
	"time"
)

// The archive package (归档信息包) of one document: its files as issued and
// received, the 处理单, the route record, and a metadata file naming the
// DA/T 22 and DA/T 46 elements and the SHA-256 and SM3 of every file, so that
// an archives system can take it in and check it.

// Roles of the files in a package, as its metadata names them.
const (
	RoleIssued     = "正式文本"
	RoleAttachment = "附件"
	RoleScan       = "扫描件"
	RoleSheet      = "处理单"
	RoleRecord     = "办理记录"
)

// PackageFile is one file of a package with its hashes.
type PackageFile struct {
	Path      string `json:"path" xml:"路径,attr"`
	Role      string `json:"role" xml:"类别,attr"`
	MediaType string `json:"media_type" xml:"格式"`
	Size      int64  `json:"size" xml:"大小"`
	SHA256    string `json:"sha256" xml:"SHA256"`
	SM3       string `json:"sm3" xml:"SM3"`
}

// Metadata describes a package: the document's elements (DA/T 46 names in
// the XML) and its files.
type Metadata struct {
	XMLName        xml.Name      `json:"-" xml:"归档信息包"`
	Standard       string        `json:"standard" xml:"依据,attr"`
	Code           string        `json:"archival_code" xml:"档号"`
	Fonds          string        `json:"fonds" xml:"全宗号"`
	Year           int           `json:"year" xml:"年度"`
	Retention      string        `json:"retention" xml:"保管期限"`
	RetentionCode  Retention     `json:"retention_code" xml:"保管期限代码"`
	Unit           string        `json:"unit" xml:"机构或问题"`
	UnitCode       string        `json:"unit_code" xml:"机构或问题代码"`
	Piece          int           `json:"piece" xml:"件号"`
	Title          string        `json:"title" xml:"题名"`
	Responsible    string        `json:"responsible" xml:"责任者"`
	DocNumber      string        `json:"doc_number,omitempty" xml:"文件编号,omitempty"`
	Date           string        `json:"date" xml:"日期"`
	Pages          int           `json:"pages,omitempty" xml:"页数,omitempty"`
	Classification string        `json:"classification,omitempty" xml:"密级,omitempty"`
	SecrecyPeriod  string        `json:"secrecy_period,omitempty" xml:"保密期限,omitempty"`
	DocType        string        `json:"doc_type" xml:"文种"`
	Urgency        string        `json:"urgency,omitempty" xml:"紧急程度,omitempty"`
	Direction      string        `json:"direction" xml:"收发类别"`
	IncomingNumber string        `json:"incoming_number,omitempty" xml:"收文编号,omitempty"`
	To             []string      `json:"to,omitempty" xml:"主送>机关,omitempty"`
	CC             []string      `json:"cc,omitempty" xml:"抄送>机关,omitempty"`
	Organ          string        `json:"organ" xml:"立档单位"`
	ArchivedBy     string        `json:"archived_by" xml:"归档人"`
	ArchivedAt     time.Time     `json:"archived_at" xml:"归档时间"`
	PackedAt       time.Time     `json:"packed_at" xml:"打包时间"`
	Files          []PackageFile `json:"files" xml:"文件组>文件"`
}

// XML writes the metadata as an XML document.
func (m Metadata) XML() ([]byte, error) {
	b, err := xml.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("archive metadata xml: %w", err)
	}
	return append([]byte(xml.Header), append(b, '\n')...), nil
}

// PackagePath is where a file goes in a package: under its role's folder,
// its name made safe (no folders, no leading dots) and, when another file
// already has it, numbered: 附件/联系表（2）.txt.
func PackagePath(role, name string, taken map[string]bool) string {
	name = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r < 0x20 {
			return '_'
		}
		return r
	}, strings.TrimSpace(name))
	name = strings.TrimLeft(name, ".")
	if name == "" {
		name = "文件"
	}
	p := role + "/" + name
	ext := path.Ext(name)
	for i := 2; taken[p]; i++ {
		p = fmt.Sprintf("%s/%s（%d）%s", role, strings.TrimSuffix(name, ext), i, ext)
	}
	taken[p] = true
	return p
}
