package supervise

import (
	"testing"
	"time"
)

func TestNumberFormatAndParse(t *testing.T) {
	for _, tc := range []struct {
		n    Number
		want string
	}{
		{Number{Year: 2026, Seq: 1}, "督字〔2026〕1号"},
		{Number{Year: 2027, Seq: 128}, "督字〔2027〕128号"},
		{Number{}, ""},
	} {
		if got := tc.n.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.n, got, tc.want)
		}
		if tc.n.IsZero() {
			continue
		}
		back, err := ParseNumber(tc.want)
		if err != nil || back != tc.n {
			t.Errorf("ParseNumber(%q) = %+v, %v", tc.want, back, err)
		}
	}
	for _, bad := range []string{"", "督字〔2026〕0号", "督字[2026]1号", "督字〔26〕1号", "督字〔1900〕1号", "438CA76E", "督字〔2026〕1234567890号"} {
		if _, err := ParseNumber(bad); err == nil {
			t.Errorf("ParseNumber(%q) accepted", bad)
		}
	}
}

func TestNumberYearIsLocal(t *testing.T) {
	sh := time.FixedZone("CST", 8*3600)
	// 2026-12-31 16:30 UTC is 2027-01-01 00:30 in Beijing.
	at := time.Date(2026, 12, 31, 16, 30, 0, 0, time.UTC)
	if y := NumberYear(at, sh); y != 2027 {
		t.Fatalf("year %d, want 2027", y)
	}
	if NumberScope("a") == NumberScope("b") {
		t.Fatal("two offices share a counter")
	}
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"督字〔2026〕1号", "督字〔2026〕", "", "督字〔9999〕999999999号"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseNumber(s)
		if err != nil {
			return
		}
		if back, err := ParseNumber(n.String()); err != nil || back != n {
			t.Fatalf("%q -> %+v -> %q -> %+v, %v", s, n, n.String(), back, err)
		}
	})
}
