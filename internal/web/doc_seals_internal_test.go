package web

import (
	"slices"
	"testing"
)

// FuzzSealIDsFromForm: the 加盖印章 field never yields an empty ID nor
// "none" as a seal; "none" anywhere means 不加盖印章; nothing chosen is not
// a choice.
func FuzzSealIDsFromForm(f *testing.F) {
	f.Add("none", "")
	f.Add("a1", "b2")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, a, b string) {
		ids, ok := sealIDsFromForm([]string{a, b})
		if slices.Contains(ids, "") || slices.Contains(ids, "none") {
			t.Fatalf("%q %q → %q", a, b, ids)
		}
		if !ok && len(ids) > 0 {
			t.Fatalf("%q %q: not chosen but %q", a, b, ids)
		}
		if (a == "none" || b == "none") && (!ok || len(ids) != 0) {
			t.Fatalf("%q %q: none gave %q %v", a, b, ids, ok)
		}
	})
}
