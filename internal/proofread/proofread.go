// Package proofread is Shuniu's proofreader (校对): it checks a draft for wrong
// characters and words, punctuation, repetition, 公文 format, standard terms,
// number usage and a deployment's own word lists, and returns findings with
// rune ranges, a Chinese message and, where there is one, a suggestion.
//
// It is pure: no database, no HTTP. The language data is embedded (see data/
// and docs/proofread.md), except one file read at start-up when the system
// has it: fcitx5's word trigram model (Debian's libime-data-language-model,
// LGPL-2.1+), which judges the typo candidates; without it the checker
// works as before with its embedded unigram model. Build one Checker with
// New at start-up and share it: Check and CheckDocument are safe for
// concurrent use.
package proofread

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/proofread/charlm"
	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// Category is the kind of a finding. The names are part of the API and the
// CLI output.
type Category string

const (
	CategoryTypo        Category = "typo"
	CategoryPunctuation Category = "punctuation"
	CategoryRepetition  Category = "repetition"
	CategoryFormat      Category = "format"
	CategoryTerm        Category = "term"
	CategoryNumber      Category = "number"
	CategoryCustom      Category = "custom"
)

// Categories lists every category in the order the issue gives them.
func Categories() []Category {
	return []Category{CategoryTypo, CategoryPunctuation, CategoryRepetition, CategoryFormat, CategoryTerm, CategoryNumber, CategoryCustom}
}

// Severity says how sure the proofreader is that something must change.
type Severity string

const (
	SeverityError   Severity = "error"   // a standard is violated or the form is always wrong
	SeverityWarning Severity = "warning" // likely wrong; a person decides
	SeverityHint    Severity = "hint"    // a style preference
)

// Finding is one thing the proofreader flags. Start and End are rune
// (character) offsets into the checked text, End exclusive.
type Finding struct {
	Start      int      `json:"start"`
	End        int      `json:"end"`
	Category   Category `json:"category"`
	Severity   Severity `json:"severity"`
	Rule       string   `json:"rule"`
	Message    string   `json:"message"`
	Suggestion string   `json:"suggestion"`
	// Text is the flagged text, text[Start:End] in runes.
	Text string `json:"text"`
}

// Key identifies a finding independently of where it sits, so that a
// "not an error" mark survives edits elsewhere in the document: the same rule
// flagging the same text is the same finding.
func (f Finding) Key() string {
	return string(f.Category) + "/" + f.Rule + "/" + f.Text
}

// Config is a deployment's choice of rules and its own word lists.
type Config struct {
	// Disabled lists rule IDs (e.g. "P01") or whole categories (e.g.
	// "number") that this deployment switches off.
	Disabled []string
	// Organs are organ names the office wants written in one form: an
	// outdated or wrong name and its correct current form.
	Organs []Replacement
	// Leaders are the leaders' names with their current titles; a name within
	// one character of a leader's name (a homophone or look-alike) is flagged.
	Leaders []Leader
	// Banned are sensitive or banned phrases, each with an optional message
	// and replacement.
	Banned []Replacement
	// TypoThreshold overrides the unigram-model margin (natural log) a
	// correction must win by when no trigram model is loaded; 0 means the
	// tuned default. Higher is stricter.
	TypoThreshold float64
	// NgramModel is the path of a word n-gram model in KenLM's binary
	// format (fcitx5's zh_CN.lm from Debian's libime-data-language-model);
	// empty means the environment variable SHUNIU_PROOFREAD_LM or the usual
	// system locations, NgramModelNone means none. Without a model the typo
	// check uses only the embedded unigram model. Only New reads it.
	NgramModel string `json:"-"`
	// CharModel is the path of a character n-gram model built by `shuniu
	// proofread build-model` (package charlm); empty means the environment
	// variable SHUNIU_PROOFREAD_CHARLM or the model shipped with Shuniu,
	// CharModelNone means none. Only New reads it.
	CharModel string `json:"-"`
	// Sensitivity is how readily the statistical typo check speaks
	// (严格, 标准, 宽松); empty means SensitivityStandard.
	Sensitivity Sensitivity `json:",omitempty"`
	// Local is the deployment's own adaptive layer: the character n-gram
	// counts of its issued (签发) documents. Text written there is never
	// questioned (four characters around a candidate seen in an issued
	// document protect it), and the character model's probabilities lean
	// towards the office's own phrases. Nil: the shipped model alone. It is
	// not stored with the settings; the server keeps it up to date.
	Local *charlm.Counts `json:"-"`
	// Names are the deployment's own names (people and units of its
	// organisation directory): never corrected, wherever they appear.
	Names []string `json:"-"`
}

// Replacement is a wrong (or banned) form and what to write instead.
type Replacement struct {
	Wrong   string `json:"wrong"`
	Right   string `json:"right,omitempty"`
	Message string `json:"message,omitempty"`
}

// Leader is a person on the deployment's roster.
type Leader struct {
	Name   string   `json:"name"`
	Titles []string `json:"titles,omitempty"`
}

// Checker holds the loaded language data and the deployment's configuration.
// It is immutable after New and safe for concurrent use.
type Checker struct {
	cfg      Config
	disabled map[string]bool
	lm       *model
	custom   *customLists
	local    *charlm.Counts
	lmp      *lmParams // nil: the tuned defaults (tests and the evaluation set their own)
	// trace, when set (tuning only), sees every run's scored candidates,
	// with offsets into the checked text.
	trace func(props []proposal)
	// traceWide, when set (tuning only), sees the wide look's scored
	// candidates (offsets into the checked text) and their features.
	traceWide func(props []proposal, xs [][nFeatures]float64)
}

// New loads the embedded language data and prepares the deployment's lists.
func New(cfg Config) (*Checker, error) {
	m, err := loadModel(cfg.NgramModel, cfg.CharModel)
	if err != nil {
		return nil, fmt.Errorf("proofread: load language data: %w", err)
	}
	return newChecker(m, cfg)
}

// NgramModelPath is the file of the word trigram model in use, empty when
// none was found and the typo check works with the embedded unigram model
// alone (see Config.NgramModel).
func (c *Checker) NgramModelPath() string {
	if c.lm.ngram == nil {
		return ""
	}
	return c.lm.ngram.path
}

// With returns a Checker for another configuration that shares this one's
// language data, without loading it again (e.g. one per deployment).
func (c *Checker) With(cfg Config) (*Checker, error) { return newChecker(c.lm, cfg) }

func newChecker(m *model, cfg Config) (*Checker, error) {
	c := &Checker{cfg: cfg, disabled: map[string]bool{}, lm: m, local: cfg.Local}
	var err error
	for _, d := range cfg.Disabled {
		c.disabled[strings.TrimSpace(d)] = true
	}
	c.custom, err = newCustomLists(cfg)
	if textlimit.IsTooLong(err) {
		return nil, err // in Chinese for whoever keeps the lists
	}
	if err != nil {
		return nil, fmt.Errorf("proofread: %w", err)
	}
	if c.lmp, err = sensitivityParams(cfg.Sensitivity); err != nil {
		return nil, fmt.Errorf("proofread: %w", err)
	}
	return c, nil
}

// on reports whether a rule is switched on for this deployment.
func (c *Checker) on(cat Category, rule string) bool {
	return !c.disabled[rule] && !c.disabled[string(cat)]
}

// Check proofreads plain text, which may hold several paragraphs. Body
// numbering is checked across paragraphs; document parts such as the title
// or the 发文字号 are only recognised by CheckDocument.
func (c *Checker) Check(text string) []Finding {
	fs, _ := c.check(context.Background(), text) // a background context never ends
	return fs
}

// MaxInput bounds one check, in bytes (about 350,000 Chinese characters,
// above the longest document a clerk may save). The checker is linear in
// its input, but its slowest input (one character repeated) runs at about
// 0.15 MB/s, so this bounds a check to some seconds of one core.
const MaxInput = 1 << 20

// CheckSize refuses an input of n bytes over MaxInput, in Chinese.
func CheckSize(n int) error {
	return textlimit.Count("text", "校对的文字", MaxInput>>10, (n+1023)>>10, "KB")
}

// CheckContext is Check for input from outside: it refuses more than
// MaxInput bytes and stops when ctx ends (checked at every paragraph).
func (c *Checker) CheckContext(ctx context.Context, text string) ([]Finding, error) {
	if len(text) > MaxInput {
		return nil, CheckSize(len(text))
	}
	return c.check(ctx, text)
}

func (c *Checker) check(ctx context.Context, text string) ([]Finding, error) {
	t := newText(text)
	var out findings
	if err := c.checkRunning(ctx, t, &out); err != nil {
		return nil, err
	}
	c.checkNumbering(t, &out, nil)
	return out.finish(t, c), nil
}

// findings collects findings while the rules run.
type findings []Finding

func (fs *findings) add(f Finding) { *fs = append(*fs, f) }

// finish fills in the flagged text, drops switched-off rules and duplicates,
// and sorts by position.
func (fs findings) finish(t *text, c *Checker) []Finding {
	out := make([]Finding, 0, len(fs))
	for _, f := range fs {
		if !c.on(f.Category, f.Rule) {
			continue
		}
		if f.Start < 0 || f.End > len(t.r) || f.Start > f.End {
			continue // a rule bug must never yield an out-of-range finding
		}
		f.Text = string(t.r[f.Start:f.End])
		out = append(out, f)
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		if a.End != b.End {
			return a.End - b.End
		}
		return strings.Compare(a.Rule, b.Rule)
	})
	// Two rules flagging the same range with the same suggestion say the same
	// thing; keep the first (the more specific rules run first).
	out = slices.CompactFunc(out, func(a, b Finding) bool {
		return a.Start == b.Start && a.End == b.End && a.Suggestion == b.Suggestion
	})
	// A known misspelling (T01) says all there is to say about the typo
	// findings inside it.
	var known []Finding
	for _, f := range out {
		if f.Rule == "T01" {
			known = append(known, f)
		}
	}
	if len(known) == 0 {
		return out
	}
	return slices.DeleteFunc(out, func(f Finding) bool {
		if f.Category != CategoryTypo || f.Rule == "T01" {
			return false
		}
		for _, k := range known {
			if k.Start <= f.Start && f.End <= k.End {
				return true
			}
		}
		return false
	})
}

// Filter drops the findings whose Key is in ignored: the document's
// "not an error" marks.
func Filter(fs []Finding, ignored []string) []Finding {
	if len(ignored) == 0 {
		return fs
	}
	set := make(map[string]bool, len(ignored))
	for _, k := range ignored {
		set[k] = true
	}
	out := fs[:0:0]
	for _, f := range fs {
		if !set[f.Key()] {
			out = append(out, f)
		}
	}
	return out
}

// TypoEdits reads the typo findings of text as a correction: the flagged
// positions (runes, sorted, each once) and the text with every suggestion
// of the same length applied. It is how a typo check is scored against a
// corrected text (see evaluate/).
func TypoEdits(text []rune, fs []Finding) (positions []int, corrected []rune) {
	corrected = slices.Clone(text)
	for _, f := range fs {
		if f.Category != CategoryTypo || f.Start < 0 || f.End > len(text) {
			continue
		}
		if sug := []rune(f.Suggestion); len(sug) == f.End-f.Start {
			for i := range sug {
				if text[f.Start+i] != sug[i] {
					positions = append(positions, f.Start+i)
					corrected[f.Start+i] = sug[i]
				}
			}
			continue
		}
		for i := f.Start; i < f.End; i++ {
			positions = append(positions, i)
		}
	}
	slices.Sort(positions)
	return slices.Compact(positions), corrected
}
