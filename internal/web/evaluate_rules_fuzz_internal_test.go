package web

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/shuniu-oa/shuniu/internal/evaluate"
)

// FuzzRuleSetForm: the new-version form is read into a version or refused
// in Chinese — never a panic, never NaN — and a version read back from its
// own form is the same version.
func FuzzRuleSetForm(f *testing.F) {
	for _, s := range [][3]string{{"2027-01-01", "15", "10"}, {"2027-13-01", "NaN", "x"}, {"", "-1", "1e400"}, {"２０２７-01-01", "１５", "0x10"}, {"2027-02-29", "Inf", " 7 "}} {
		f.Add(s[0], s[1], s[2])
	}
	loc := time.FixedZone("CST", 8*3600)
	f.Fuzz(func(t *testing.T, date, weight, num string) {
		form := ruleSetForm(evaluate.DefaultRules(time.Date(2027, 1, 1, 0, 0, 0, 0, loc)))
		form.Set("effective", date)
		form.Set("w_towns_sign_for", weight)
		form.Set("close_days", num)
		form.Set("commend_share", num)
		r, err := ruleSetFromForm(form, loc)
		if err != nil {
			if !strings.ContainsFunc(err.Error(), func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
				t.Fatalf("%q is not said in Chinese", err)
			}
			return
		}
		for _, ws := range r.Weights {
			for i, w := range ws {
				if math.IsNaN(w) || math.IsInf(w, 0) || w <= 0 {
					t.Fatalf("%s weighted %v", i, w)
				}
			}
		}
		if math.IsNaN(r.CommendShare) || math.IsInf(r.CommendShare, 0) {
			t.Fatalf("commend share %v", r.CommendShare)
		}
		_ = r.Validate() // may refuse; must not panic
		back, err := ruleSetFromForm(ruleSetForm(r), loc)
		if err != nil {
			t.Fatalf("its own form refused: %v", err)
		}
		if math.Abs(back.CommendShare-r.CommendShare) > 1e-9*math.Max(1, math.Abs(r.CommendShare)) {
			t.Fatalf("commend share %v → %v", r.CommendShare, back.CommendShare)
		}
		back.CommendShare = r.CommendShare
		if !reflect.DeepEqual(back, r) {
			t.Fatalf("%+v\n→ %+v", r, back)
		}
	})
}
