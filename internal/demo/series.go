package demo

import (
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
)

// fileTypes are the doc types issued as the organ's 文件 (…发): all but 函
// and 纪要.
func fileTypes() []document.DocType {
	var out []document.DocType
	for _, r := range document.Rules() {
		if r.Type != document.Letter && r.Type != document.Minutes {
			out = append(out, r.Type)
		}
	}
	return out
}

// buildSeries gives every organ its 发文字号 series, the way a district's
// organs number: 文件 under the 机关代字 + 发 (清政发, 清政办发), letters under
// + 函 (清政函); the leading bodies and their offices keep 纪要 apart (清政阅),
// and the government and its office send 明电 (清政明电) — a 通知 or 通报
// the clerk puts there at 编号. Departments and towns number 纪要 with
// their 文件.
func (b *builder) buildSeries() {
	for _, u := range b.d.Units {
		if u.Kind == org.KindSection || u.OrganCode == "" {
			continue
		}
		c := u.OrganCode
		add := func(suffix, name string, types ...document.DocType) {
			b.d.Series = append(b.d.Series, document.Series{OrganID: u.ID, Code: c + suffix, Name: u.ShortName + name, Types: types, Sort: len(b.d.Series) + 1})
		}
		switch u.Kind {
		case org.KindLeadingBody, org.KindOffice:
			add("发", "文件", fileTypes()...)
			add("函", "函", document.Letter)
			add("阅", "会议纪要", document.Minutes)
			if u.ShortName == "区政府" || u.ShortName == "政府办" {
				add("明电", "明传电报", document.Notice, document.Bulletin)
			}
		default:
			add("发", "文件", append(fileTypes(), document.Minutes)...)
			add("函", "函", document.Letter)
		}
	}
}
