package proofread

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// customLists are the deployment's own word lists, prepared for matching.
type customLists struct {
	organs  []Replacement
	banned  []Replacement
	leaders []Leader
	// bySurname indexes leaders by the first character of their names: a
	// near-miss of a name keeps its surname (a different one is another
	// person), so only the text's positions holding a surname are compared.
	bySurname map[rune][]int
	names     [][]rune // the leaders' names
	// organIdx, bannedIdx and nameIdx find the organs' and banned phrases'
	// wrong forms and the leaders' names in one pass over a paragraph.
	organIdx, bannedIdx, nameIdx phraseIndex
	maxName                      int
	// protected are the deployment's own right forms (organ names,
	// leaders' names and titles): the typo check never questions them.
	protected [][]rune
	protIdx   phraseIndex // protected, by first character
	maxProt   int         // the longest protected word, in characters
}

// Limits on a deployment's lists: every check runs over every entry, so
// their size bounds the proofreader's time as much as the text's does. A
// district's lists are hundreds of lines.
const (
	MaxListEntries = 5_000 // organ names, banned phrases
	MaxLeaders     = 1_000
	MaxEntry       = 100     // characters of one wrong or right form, a name or a title
	MaxTitles      = 20      // titles of one leader
	MaxNames       = 100_000 // the directory's names of people and units (Config.Names)
)

func checkListLimits(cfg Config) error {
	errs := []error{
		textlimit.Count("organs", "机构名称词表", MaxListEntries, len(cfg.Organs), "行"),
		textlimit.Count("banned", "禁用词表", MaxListEntries, len(cfg.Banned), "行"),
		textlimit.Count("leaders", "领导名单", MaxLeaders, len(cfg.Leaders), "行"),
		textlimit.Count("names", "通讯录中的名称", MaxNames, len(cfg.Names), "个"),
	}
	for _, list := range [][]Replacement{cfg.Organs, cfg.Banned} {
		for _, r := range list {
			errs = append(errs, textlimit.Text("wrong", "词表中的写法", MaxEntry, r.Wrong), textlimit.Text("right", "词表中的正确写法", MaxEntry, r.Right),
				textlimit.Text("message", "词表中的说明", MaxEntry, r.Message))
		}
	}
	for _, l := range cfg.Leaders {
		errs = append(errs, textlimit.Text("leaders", "领导姓名", MaxEntry, l.Name), textlimit.List("leaders", "领导职务", MaxTitles, MaxEntry, l.Titles))
	}
	return textlimit.First(errs...)
}

func newCustomLists(cfg Config) (*customLists, error) {
	if err := checkListLimits(cfg); err != nil {
		return nil, err
	}
	cl := &customLists{bySurname: map[rune][]int{}}
	for i, r := range cfg.Organs {
		if strings.TrimSpace(r.Wrong) == "" {
			return nil, fmt.Errorf("organ name %d: empty wrong form", i+1)
		}
		cl.organs = append(cl.organs, r)
	}
	for i, r := range cfg.Banned {
		if strings.TrimSpace(r.Wrong) == "" {
			return nil, fmt.Errorf("banned phrase %d: empty phrase", i+1)
		}
		cl.banned = append(cl.banned, r)
	}
	for i, l := range cfg.Leaders {
		if utf8.RuneCountInString(l.Name) < 2 {
			return nil, fmt.Errorf("leader %d: name %q too short", i+1, l.Name)
		}
		name := []rune(l.Name)
		cl.bySurname[name[0]] = append(cl.bySurname[name[0]], len(cl.leaders))
		cl.names = append(cl.names, name)
		cl.leaders = append(cl.leaders, l)
		cl.maxName = max(cl.maxName, utf8.RuneCountInString(l.Name))
		cl.protected = append(cl.protected, []rune(l.Name))
		for _, tt := range l.Titles {
			if utf8.RuneCountInString(tt) >= 2 {
				cl.protected = append(cl.protected, []rune(tt))
			}
		}
	}
	for _, r := range cfg.Organs {
		if utf8.RuneCountInString(r.Right) >= 2 {
			cl.protected = append(cl.protected, []rune(r.Right))
		}
	}
	// The directory's names: a person's or unit's name longer than an
	// entry is no name (and is skipped rather than refused: the directory
	// is not this list's to fix).
	for _, n := range cfg.Names {
		n = strings.TrimSpace(n)
		if k := utf8.RuneCountInString(n); k >= 2 && k <= MaxEntry {
			cl.protected = append(cl.protected, []rune(n))
		}
	}
	wrongs := func(rs []Replacement) []string {
		out := make([]string, len(rs))
		for i, r := range rs {
			out[i] = r.Wrong
		}
		return out
	}
	names := make([]string, len(cl.leaders))
	for i, l := range cl.leaders {
		names[i] = l.Name
	}
	cl.organIdx, cl.bannedIdx, cl.nameIdx = newPhraseIndex(wrongs(cl.organs)), newPhraseIndex(wrongs(cl.banned)), newPhraseIndex(names)
	prot := make([]string, len(cl.protected))
	for i, w := range cl.protected {
		prot[i] = string(w)
		cl.maxProt = max(cl.maxProt, len(w))
	}
	cl.protIdx = newPhraseIndex(prot)
	return cl, nil
}

// checkCustom applies the deployment's lists (C01 organ names, C02 leaders'
// names and titles, C03 banned phrases).
func (c *Checker) checkCustom(t *text, p span, out *findings) {
	cl := c.custom
	if cl == nil {
		return
	}
	cl.organIdx.each(t, p, func(k, s, e int) {
		r := cl.organs[k]
		// A wrong form that is part of the right one (简称 inside the full
		// name) is flagged only outside the right form.
		if r.Right != "" && strings.Contains(r.Right, r.Wrong) && c.coveredBy(t, s, e, r.Right) {
			return
		}
		out.add(customFinding(s, e, "C01", r, "机构名称不规范"))
	})
	cl.bannedIdx.each(t, p, func(k, s, e int) { out.add(customFinding(s, e, "C03", cl.banned[k], "敏感或禁用词语")) })
	if len(cl.leaders) == 0 {
		return
	}
	// A name one confusable character away from a leader's name (王卫东 for
	// 王伟东) is flagged but never auto-corrected.
	for i := p.start; i < p.end; i++ {
		for _, li := range cl.bySurname[t.r[i]] {
			l, name := cl.leaders[li], cl.names[li]
			n := len(name)
			if i+n > p.end {
				continue
			}
			diff, at := 0, -1
			for k := 0; k < n && diff < 2; k++ {
				if t.r[i+k] != name[k] {
					diff++
					at = k
				}
			}
			if diff != 1 || at == 0 { // the surname differs: another person
				continue
			}
			if c.lm.confusion(name[at], t.r[i+at]) == confNone {
				continue
			}
			// Only where the text reads as this person: a title of theirs,
			// or 同志, next to the name.
			if !c.nearTitle(t, i, i+n, p, l.Titles) {
				continue
			}
			out.add(Finding{Start: i, End: i + n, Category: CategoryCustom, Severity: SeverityError, Rule: "C02",
				Message: "领导姓名疑似有误：是否为“" + l.Name + "”？", Suggestion: l.Name})
		}
	}
	// A title written with the name, before or after it (副区长王伟东,
	// 王伟东副区长), that is not among the leader's titles.
	cl.nameIdx.each(t, p, func(k, s, e int) {
		l := cl.leaders[k]
		if len(l.Titles) == 0 {
			return
		}
		before := string(t.r[max(p.start, s-10):s])
		after := string(t.r[e:min(p.end, e+10)])
		for _, found := range []string{writtenTitle(before, l.Titles, strings.HasSuffix), writtenTitle(after, l.Titles, strings.HasPrefix)} {
			if found != "" && !titleFits(found, l.Titles) {
				out.add(Finding{Start: s, End: e, Category: CategoryCustom, Severity: SeverityWarning, Rule: "C02",
					Message: "领导职务疑似有误：写作“" + found + "”，" + l.Name + "的现任职务为“" + strings.Join(l.Titles, "、") + "”"})
				return
			}
		}
	})
}

// phraseIndex finds a list's phrases in a paragraph in one pass: they are
// indexed by their first character, so each position of the text is
// compared only with the phrases that start with its character (one
// strings.Index per phrase costs the whole text per phrase). Matches of one
// phrase do not overlap, as with strings.Index from the left.
type phraseIndex struct {
	byFirst map[rune][]int
	phrases [][]rune
}

func newPhraseIndex(phrases []string) phraseIndex {
	x := phraseIndex{byFirst: map[rune][]int{}}
	for i, ph := range phrases {
		rs := []rune(ph)
		x.phrases = append(x.phrases, rs)
		if len(rs) > 0 {
			x.byFirst[rs[0]] = append(x.byFirst[rs[0]], i)
		}
	}
	return x
}

// each calls fn with the phrase's index and the rune range of every match
// in the paragraph, in the order of the text.
func (x phraseIndex) each(t *text, p span, fn func(k, s, e int)) {
	if len(x.phrases) == 0 {
		return
	}
	var last map[int]int // where each phrase's last match ended
	for i := p.start; i < p.end; i++ {
		for _, k := range x.byFirst[t.r[i]] {
			ph := x.phrases[k]
			if i+len(ph) > p.end || i < last[k] || !slices.Equal(t.r[i:i+len(ph)], ph) {
				continue
			}
			if last == nil {
				last = map[int]int{}
			}
			last[k] = i + len(ph)
			fn(k, i, i+len(ph))
		}
	}
}

// writtenTitle is the longest title (the leader's own or a generic one)
// that the text next to a name ends (before it) or starts (after it) with.
func writtenTitle(next string, titles []string, touches func(s, title string) bool) string {
	found := ""
	for _, list := range [][]string{titles, leaderTitleWords} {
		for _, title := range list {
			if len(title) > len(found) && touches(next, title) {
				found = title
			}
		}
	}
	return found
}

// titleFits reports whether a written title names one of the leader's
// titles: the title itself, or its generic end with only a qualifier left
// off (副区长 for 常务副区长, 书记 for 区委书记) — never a higher post (区长
// for 副区长: what is left off ends in 副).
func titleFits(written string, titles []string) bool {
	for _, title := range titles {
		if title == written {
			return true
		}
		if rest, ok := strings.CutSuffix(title, written); ok && !strings.HasSuffix(rest, "副") {
			return true
		}
	}
	return false
}

var leaderTitleWords = []string{"书记", "副书记", "市长", "副市长", "区长", "副区长", "县长", "副县长", "省长", "副省长", "主任", "副主任", "部长", "副部长", "局长", "副局长", "主席", "副主席", "秘书长", "镇长", "乡长"}

func (c *Checker) nearTitle(t *text, s, e int, p span, titles []string) bool {
	before := string(t.r[max(p.start, s-8):s])
	after := string(t.r[e:min(p.end, e+8)])
	if strings.HasPrefix(after, "同志") {
		return true
	}
	for _, title := range append(titles, leaderTitleWords...) {
		if strings.HasSuffix(before, title) || strings.HasPrefix(after, title) {
			return true
		}
	}
	return false
}

// coveredBy reports whether runes s:e lie inside an occurrence of whole.
func (c *Checker) coveredBy(t *text, s, e int, whole string) bool {
	w := []rune(whole)
	for st := max(0, e-len(w)); st <= s; st++ {
		if st+len(w) <= len(t.r) && string(t.r[st:st+len(w)]) == whole {
			return true
		}
	}
	return false
}

func customFinding(s, e int, rule string, r Replacement, fallback string) Finding {
	msg := r.Message
	if msg == "" {
		msg = fallback
		if r.Right != "" {
			msg += "，应为“" + r.Right + "”"
		}
	}
	sev := SeverityError
	if rule == "C03" {
		sev = SeverityWarning
	}
	return Finding{Start: s, End: e, Category: CategoryCustom, Severity: sev, Rule: rule, Message: msg, Suggestion: r.Right}
}
