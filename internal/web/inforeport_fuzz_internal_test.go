package web

import (
	"net/url"
	"strings"
	"testing"
	"unicode"

	"github.com/shuniu-oa/shuniu/internal/inforeport"
)

// FuzzInfoFromForm: a report's form, a typed day and a 约稿's due time are
// read into values or refused in Chinese — never a panic, never English; a
// draft that passes its check has every field within its limit.
func FuzzInfoFromForm(f *testing.F) {
	f.Add("标题", "正文\n第二段", "economy", "normal", "非密", "2026-03-02", "2026-03-02T17:30")
	f.Add("", "", "x", "", "绝密", "2026-13-40", "明天")
	f.Add(strings.Repeat("长", 101), "b", "other", "very_urgent", "机密", "", "2026-03-02")
	chinese := func(t *testing.T, what string, err error) {
		if err != nil && !strings.ContainsFunc(err.Error(), func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Fatalf("%s: %q is not said in Chinese", what, err)
		}
	}
	f.Fuzz(func(t *testing.T, title, body, cat, urg, level, day, due string) {
		d, err := draftFrom(url.Values{"title": {title}, "body": {body}, "category": {cat}, "urgency": {urg}, "level": {level}})
		chinese(t, "level", err)
		if err == nil {
			if cerr := d.Check(); cerr == nil {
				if len([]rune(d.Title)) > inforeport.MaxTitle || len([]rune(d.Body)) > inforeport.MaxBody || !d.Category.Valid() || !d.Level.Valid() {
					t.Fatalf("accepted %+v", d)
				}
			} else {
				chinese(t, "draft", cerr)
			}
		}
		_, err = parseDay("采用日期", day)
		chinese(t, "day", err)
		_, err = parseDueTime(due)
		chinese(t, "due", err)
	})
}
