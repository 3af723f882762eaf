package proofread

import "testing"

func BenchmarkLoadModel(b *testing.B) {
	for b.Loop() {
		if _, err := loadModel(); err != nil {
			b.Fatal(err)
		}
	}
}
