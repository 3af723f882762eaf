package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"unicode"
)

// FuzzDutyInput: a duty API body, the absences box and a typed time are
// read into values or refused in Chinese — never a panic, never a message
// in English.
func FuzzDutyInput(f *testing.F) {
	for _, s := range []string{`{"title":"十二月","leaders":["a","b"],"staff":["c"],"seq":1,"ok":true}`, `{"matters":[["x"]]}`, `[]`, `{"a":{}}`, ``,
		`{"from":null}`, "abc 2026-12-08 2026-12-09\nxyz", "2026-12-07T21:10", "2026-12-07 08:30", "2026-12-07T21:10:00+08:00"} {
		f.Add(s)
	}
	chinese := func(t *testing.T, what string, err error) {
		if err == nil {
			return
		}
		if !strings.ContainsFunc(err.Error(), func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Fatalf("%s: %q is not said in Chinese", what, err)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := httptest.NewRequest("POST", "/api/v1/duty/rosters", strings.NewReader(s))
		vs, err := dutyInput(r)
		chinese(t, "body", err)
		if err == nil && vs == nil {
			t.Fatal("no values and no error")
		}
		away, err := parseAway(s)
		chinese(t, "away", err)
		for p, ds := range away {
			if p == "" || len(ds) == 0 {
				t.Fatalf("absence %q %v", p, ds)
			}
		}
		_, err = parseDutyTime(s)
		chinese(t, "time", err)
	})
}
