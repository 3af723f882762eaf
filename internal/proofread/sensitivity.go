package proofread

import "fmt"

// Sensitivity is how readily the statistical typo check (T03) speaks: the
// score the ranker must give a correction before it is shown. The office
// chooses it on 校对设置; the empty value is SensitivityStandard.
type Sensitivity string

const (
	// SensitivityStrict shows more corrections, a few of them wrong (严格).
	SensitivityStrict Sensitivity = "strict"
	// SensitivityStandard is the tuned default (标准).
	SensitivityStandard Sensitivity = "standard"
	// SensitivityLenient shows only the clearest corrections (宽松).
	SensitivityLenient Sensitivity = "lenient"
)

// SensitivityLevel describes one level for a settings page, with what it
// measured on ECSpell's odw (公文) pairs: strict sentence-level detection
// precision and recall and the share of correct sentences flagged, by the
// four-fold cross-validation over the dev halves of odw, law and med
// (TestTrainRanker; docs/perf.md).
type SensitivityLevel struct {
	Level       Sensitivity
	Label       string // 严格, 标准, 宽松
	Description string
	Precision   float64
	Recall      float64
	FalseAlarms float64 // share of correct sentences with a typo finding
	first, more float64 // the ranker's log-odds for the first and further corrections of a paragraph
}

// sensitivityLevels are three points of the trainer's grid; 标准 is
// defaultLMParams.
var sensitivityLevels = []SensitivityLevel{
	{Level: SensitivityStrict, Label: "严格", Description: "多提示疑似错别字，偶有误报",
		Precision: 0.890, Recall: 0.631, FalseAlarms: 0.0070, first: 0.5, more: -0.5},
	{Level: SensitivityStandard, Label: "标准", Description: "推荐：误报与漏报兼顾",
		Precision: 0.903, Recall: 0.612, FalseAlarms: 0, first: 1, more: -0.5},
	{Level: SensitivityLenient, Label: "宽松", Description: "只提示把握最大的错别字，漏报较多",
		Precision: 0.901, Recall: 0.564, FalseAlarms: 0, first: 2, more: -0.5},
}

// SensitivityLevels lists the levels, strictest first.
func SensitivityLevels() []SensitivityLevel {
	return append([]SensitivityLevel(nil), sensitivityLevels...)
}

// sensitivityParams is the decision rule for level s: nil for the default.
func sensitivityParams(s Sensitivity) (*lmParams, error) {
	if s == "" || s == SensitivityStandard {
		return nil, nil
	}
	for _, l := range sensitivityLevels {
		if l.Level == s {
			lp := defaultLMParams
			// Min as in the trainer's grid: candidates below More are
			// not kept at all.
			lp.First, lp.More, lp.Min = l.first, l.more, l.more
			return &lp, nil
		}
	}
	return nil, fmt.Errorf("未知的校对灵敏度“%s”", s)
}
