package proofread

import (
	"slices"
	"testing"
)

func TestSensitivity(t *testing.T) {
	levels := SensitivityLevels()
	if len(levels) != 3 || levels[1].Level != SensitivityStandard {
		t.Fatalf("levels %+v", levels)
	}
	// 标准 is the tuned default, and the levels get stricter in order.
	if l := levels[1]; l.first != defaultLMParams.First || l.more != defaultLMParams.More {
		t.Errorf("标准 is First %v More %v, the default First %v More %v", l.first, l.more, defaultLMParams.First, defaultLMParams.More)
	}
	for i := 1; i < len(levels); i++ {
		if levels[i].first <= levels[i-1].first || levels[i].Recall >= levels[i-1].Recall {
			t.Errorf("%s is not stricter than %s", levels[i].Label, levels[i-1].Label)
		}
	}
	base := checker(t)
	if _, err := base.With(Config{Sensitivity: "loud"}); err == nil {
		t.Error("an unknown sensitivity was accepted")
	}
	// A text with slips of every strength: each level flags at most what
	// the level before it flags.
	const text = "各级党委，党的纪律检擦委员会、党委直速事业单位，党组承担备案审查工作组体责任。坚持尽力面为、量力而行，合理引导社会预斯，通辻人人参与。"
	var prev []Finding
	for i, l := range levels {
		c, err := base.With(Config{Sensitivity: l.Level})
		if err != nil {
			t.Fatal(err)
		}
		var typos []Finding
		for _, f := range c.Check(text) {
			if f.Category == CategoryTypo {
				typos = append(typos, f)
			}
		}
		if i == 0 && len(typos) == 0 {
			t.Fatalf("严格 flags nothing in %s", text)
		}
		for _, f := range typos {
			if i > 0 && !slices.ContainsFunc(prev, func(g Finding) bool { return g.Start == f.Start && g.Suggestion == f.Suggestion }) {
				t.Errorf("%s flags %q → %q, which %s does not", l.Label, f.Text, f.Suggestion, levels[i-1].Label)
			}
		}
		t.Logf("%s: %d typo findings", l.Label, len(typos))
		prev = typos
	}
}
