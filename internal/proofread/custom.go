package proofread

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// customLists are the deployment's own word lists, prepared for matching.
type customLists struct {
	organs  []Replacement
	banned  []Replacement
	leaders []Leader
	maxName int
	// protected are the deployment's own right forms (organ names,
	// leaders' names and titles): the typo check never questions them.
	protected [][]rune
}

func newCustomLists(cfg Config) (*customLists, error) {
	cl := &customLists{}
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
	return cl, nil
}

// checkCustom applies the deployment's lists (C01 organ names, C02 leaders'
// names and titles, C03 banned phrases).
func (c *Checker) checkCustom(t *text, p span, out *findings) {
	cl := c.custom
	if cl == nil {
		return
	}
	para := string(t.r[p.start:p.end])
	for _, r := range cl.organs {
		if r.Right != "" && strings.Contains(r.Right, r.Wrong) {
			// The wrong form is part of the right one (简称 inside the full
			// name): only flag occurrences outside the right form.
			c.eachIndex(para, r.Wrong, p.start, func(s, e int) {
				if c.coveredBy(t, s, e, r.Right) {
					return
				}
				out.add(customFinding(s, e, "C01", r, "机构名称不规范"))
			})
			continue
		}
		c.eachIndex(para, r.Wrong, p.start, func(s, e int) { out.add(customFinding(s, e, "C01", r, "机构名称不规范")) })
	}
	for _, r := range cl.banned {
		c.eachIndex(para, r.Wrong, p.start, func(s, e int) { out.add(customFinding(s, e, "C03", r, "敏感或禁用词语")) })
	}
	if len(cl.leaders) == 0 {
		return
	}
	// A name one confusable character away from a leader's name (王卫东 for
	// 王伟东) is flagged but never auto-corrected.
	for _, l := range cl.leaders {
		name := []rune(l.Name)
		n := len(name)
		for i := p.start; i+n <= p.end; i++ {
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
		// A title written with the name, before or after it (副区长王伟东,
		// 王伟东副区长), that is not among the leader's titles.
		c.eachIndex(para, l.Name, p.start, func(s, e int) {
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
