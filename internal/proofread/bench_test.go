package proofread

import (
	"os"
	"strings"
	"testing"
)

// benchText builds Chinese 公文 text from the sentences in testdata (our
// own sentences plus injected slips), repeated to the wanted size.
func benchText(b *testing.B, size int) string {
	b.Helper()
	raw, err := os.ReadFile("testdata/bench.txt")
	if err != nil {
		b.Fatal(err)
	}
	var sb strings.Builder
	for sb.Len() < size {
		sb.Write(raw)
	}
	return sb.String()
}

// BenchmarkCheck10MB proofreads about 10 MB of text with every check on;
// MB/s is the throughput on one core.
func BenchmarkCheck10MB(b *testing.B) {
	c := checker(b)
	text := benchText(b, 10<<20)
	paras := strings.Split(text, "\n")
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		for _, p := range paras {
			c.Check(p)
		}
	}
}

// BenchmarkCheckSpeech proofreads one 10,000-character speech in one call.
func BenchmarkCheckSpeech(b *testing.B) {
	c := checker(b)
	r := []rune(benchText(b, 40_000))
	text := string(r[:10_000])
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		c.Check(text)
	}
}

// BenchmarkNew measures start-up: loading the language data.
func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		if _, err := New(Config{}); err != nil {
			b.Fatal(err)
		}
	}
}
