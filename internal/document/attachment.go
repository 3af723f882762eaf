package document

import (
	"encoding/hex"
	"fmt"
	"path"
	"strings"
	"unicode"
)

// AttachmentPolicy is what may be attached: a size limit and an allow-list
// of file types (by extension and by the type sniffed from the content).
type AttachmentPolicy struct {
	MaxBytes int64 `json:"max_bytes"`
	// Allowed maps a lower-case extension (".pdf") to the media types its
	// content may be sniffed as.
	Allowed map[string][]string `json:"allowed"`
}

// DefaultAttachmentPolicy allows the formats an office exchanges: PDF, OFD,
// Word/WPS, Excel/ET, images and plain text; 50 MiB each.
func DefaultAttachmentPolicy() AttachmentPolicy {
	zip := "application/zip" // OOXML and OFD are ZIP containers
	ole := "application/octet-stream"
	return AttachmentPolicy{
		MaxBytes: 50 << 20,
		Allowed: map[string][]string{
			".pdf":  {"application/pdf"},
			".ofd":  {zip},
			".docx": {zip},
			".xlsx": {zip},
			".wps":  {ole},
			".doc":  {ole},
			".xls":  {ole},
			".et":   {ole},
			".jpg":  {"image/jpeg"},
			".jpeg": {"image/jpeg"},
			".png":  {"image/png"},
			".txt":  {"text/plain; charset=utf-8", "text/plain; charset=utf-16le", "text/plain; charset=utf-16be"},
		},
	}
}

// Check decides whether an upload may be stored. sniffed is the media type
// detected from the content (e.g. by http.DetectContentType in the web
// layer); a file whose content does not match its extension is refused.
func (p AttachmentPolicy) Check(name string, size int64, sniffed string) error {
	if err := ValidAttachmentName(name); err != nil {
		return err
	}
	if size <= 0 {
		return fmt.Errorf("附件“%s”是空文件", name)
	}
	if p.MaxBytes > 0 && size > p.MaxBytes {
		return fmt.Errorf("附件“%s”超过大小限制（%d MB）", name, p.MaxBytes>>20)
	}
	ext := strings.ToLower(path.Ext(name))
	types, ok := p.Allowed[ext]
	if !ok {
		return fmt.Errorf("不允许上传“%s”类型的附件", ext)
	}
	for _, t := range types {
		if strings.EqualFold(t, sniffed) {
			return nil
		}
	}
	return fmt.Errorf("附件“%s”的内容（%s）与扩展名不符", name, sniffed)
}

// ValidAttachmentName refuses names that could escape a directory or hide
// their type: path separators, control characters, leading dots.
func ValidAttachmentName(name string) error {
	if strings.TrimSpace(name) == "" || len(name) > 255 {
		return fmt.Errorf("附件名称为空或过长")
	}
	if strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
		return fmt.Errorf("附件名称“%s”含有不允许的字符", name)
	}
	for _, r := range name {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return fmt.Errorf("附件名称含有控制字符")
		}
	}
	return nil
}

// ValidSHA256 checks a content address: 64 lower-case hex digits.
func ValidSHA256(s string) error {
	if b, err := hex.DecodeString(s); err != nil || len(b) != 32 || strings.ToLower(s) != s {
		return fmt.Errorf("附件摘要“%s”不是有效的 SHA-256", s)
	}
	return nil
}

// ServeInline reports whether a stored attachment may be shown inline in the
// browser. Only PDF and raster images are; everything else (HTML, SVG,
// scripts, office files) is sent as a download, so no attachment can run in
// the application's origin.
func ServeInline(mediaType string) bool {
	switch strings.ToLower(strings.TrimSpace(strings.Split(mediaType, ";")[0])) {
	case "application/pdf", "image/png", "image/jpeg":
		return true
	}
	return false
}

// RecipientKind says whether a unit receives as 主送 or 抄送.
type RecipientKind string

const (
	ToRecipient RecipientKind = "to"
	CCRecipient RecipientKind = "cc"
)

// Recipient is one unit on a document's distribution list.
type Recipient struct {
	Name string        `json:"name"`
	Kind RecipientKind `json:"kind"`
}

// Distribution is the list 分发 sends to: every 主送 then every 抄送, each
// organ once (a 主送 organ also listed in 抄送 receives as 主送). The web layer
// maps the names to units and creates their incoming items.
func Distribution(d Document) []Recipient {
	seen := map[string]bool{}
	var out []Recipient
	add := func(names []string, k RecipientKind) {
		for _, n := range names {
			n = strings.TrimSpace(n)
			if n == "" || seen[n] {
				continue
			}
			seen[n] = true
			out = append(out, Recipient{Name: n, Kind: k})
		}
	}
	add(d.To, ToRecipient)
	add(d.CC, CCRecipient)
	return out
}
