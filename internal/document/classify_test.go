package document

import (
	"strings"
	"testing"
)

func TestReclassify(t *testing.T) {
	none := Classification{}
	conf := Classification{Level: Confidential}
	conf5 := Classification{Level: Confidential, PeriodYears: 5}
	secret10 := Classification{Level: Secret, PeriodYears: 10}
	cases := []struct {
		name     string
		from, to Classification
		basis    string
		kind     string
		refusal  string // "" when allowed
	}{
		{"classify", none, conf5, "涉及尚未公布的规划", "定密", ""},
		{"raise", conf5, secret10, "依据保密事项范围", "变更密级", ""},
		{"lower", secret10, conf, "部分内容已公开", "变更密级", ""},
		{"period only", conf, conf5, "明确保密期限", "变更密级", ""},
		{"declassify", secret10, none, "保密期限届满", "解密", ""},
		{"no change", conf5, conf5, "无", "变更密级", "没有改变"},
		{"no basis", none, conf, "  ", "定密", "请填写定密的依据"},
		{"no basis to declassify", conf, none, "", "解密", "请填写解密的依据"},
		{"basis too long", none, conf, strings.Repeat("依", MaxBasis+1), "定密", "过长"},
		{"top secret", conf, Classification{Level: TopSecret}, "上级要求", "变更密级", "绝密"},
		{"period above the ceiling", none, Classification{Level: Confidential, PeriodYears: 11}, "x", "定密", "不超过10年"},
		{"period without a level", conf, Classification{PeriodYears: 1}, "x", "解密", "不标保密期限"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if k := ClassifyKind(c.from, c.to); k != c.kind {
				t.Errorf("kind %s, want %s", k, c.kind)
			}
			err := Reclassify(c.from, c.to, c.basis)
			switch {
			case c.refusal == "" && err != nil:
				t.Errorf("refused: %v", err)
			case c.refusal != "" && (err == nil || !strings.Contains(err.Error(), c.refusal)):
				t.Errorf("err = %v, want %q", err, c.refusal)
			}
		})
	}
}
