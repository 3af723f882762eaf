package web

import (
	"net/url"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/org"
)

// FuzzArchiveSettingsForm: the 归档设置 form never panics, and what it
// accepts names only units that exist with non-empty codes.
func FuzzArchiveSettingsForm(f *testing.F) {
	units := map[string]org.Unit{
		"o": {ID: "o", Name: "清澜区人民政府办公室", ShortName: "政府办", Kind: org.KindOffice},
		"s": {ID: "s", ParentID: "o", Name: "清澜区人民政府办公室秘书科", ShortName: "秘书科", Kind: org.KindSection},
		"t": {ID: "t", Name: "石桥镇党政办公室", ShortName: "党政办", Kind: org.KindOffice},
		"u": {ID: "u", ParentID: "t", Name: "石桥镇党政办公室秘书科", ShortName: "秘书科", Kind: org.KindSection},
	}
	f.Add("清澜区人民政府办公室=Z012", "秘书科=MSK", "D10", "Y")
	f.Add("政府办＝Z012\n\n党政办=Z013", "清澜区人民政府办公室秘书科=MSK", "永久", "定期30年")
	f.Add("=", "a=b=c", "", "D5")
	f.Fuzz(func(t *testing.T, fonds, codes, def, notice string) {
		s, err := settingsFromForm(url.Values{"fonds": {fonds}, "unit_codes": {codes}, "default": {def}, "outgoing.notice": {notice}}, units)
		if err != nil {
			return
		}
		for _, m := range []map[string]string{s.Fonds, s.UnitCodes} {
			for id, code := range m {
				if _, ok := units[id]; !ok || code == "" {
					t.Fatalf("accepted %q=%q", id, code)
				}
			}
		}
		if !s.Table.Default.Valid() {
			t.Fatalf("accepted default %q", s.Table.Default)
		}
	})
}
