package duty

import "testing"

// BenchmarkGenerate: a quarter (92 days, 国庆 in it) every day, with pools
// of 10 leaders and 30 staff.
func BenchmarkGenerate(b *testing.B) {
	c, err := defaultCal()
	if err != nil {
		b.Fatal(err)
	}
	rot := Rotation{Mode: EveryDay, Leaders: pool("L", 10), Staff: pool("S", 30)}
	for b.Loop() {
		if _, err := Generate(c, "2026-09-01", "2026-12-01", rot); err != nil {
			b.Fatal(err)
		}
	}
}
