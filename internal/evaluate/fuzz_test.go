package evaluate

import (
	"testing"
	"time"
)

// FuzzParsePeriod: any text either is refused or reads as a period whose key
// reads back to the same period.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2026", "2026-Q3", "2026-07", "2026-13", "２０２６"} {
		f.Add(s)
	}
	loc := time.FixedZone("CST", 8*3600)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriod(s, loc)
		if err != nil {
			return
		}
		q, err := ParsePeriod(p.Key(), loc)
		if err != nil || !q.From.Equal(p.From) || !q.To.Equal(p.To) || !p.To.After(p.From) {
			t.Fatalf("%q → %+v → %q → %+v %v", s, p, p.Key(), q, err)
		}
	})
}
