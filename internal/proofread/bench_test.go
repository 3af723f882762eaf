package proofread

import (
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time the process has used. The development machine is
// shared, so wall-clock figures swing with other people's builds; the CPU
// time per operation (reported as cpu-ms/op and cpu-MB/s) does not.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, start time.Duration, bytes int) {
	per := float64(cpuTime(b)-start) / float64(b.N)
	b.ReportMetric(per/1e6, "cpu-ms/op")
	if bytes > 0 {
		b.ReportMetric(float64(bytes)/(per/1e9)/1e6, "cpu-MB/s")
	}
}

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
	start := cpuTime(b)
	for b.Loop() {
		for _, p := range paras {
			c.Check(p)
		}
	}
	reportCPU(b, start, len(text))
}

// BenchmarkCheckSpeech proofreads one 10,000-character speech in one call.
func BenchmarkCheckSpeech(b *testing.B) {
	c := checker(b)
	r := []rune(benchText(b, 40_000))
	text := string(r[:10_000])
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	start := cpuTime(b)
	for b.Loop() {
		c.Check(text)
	}
	reportCPU(b, start, len(text))
}

// BenchmarkNew measures start-up: loading the language data.
func BenchmarkNew(b *testing.B) {
	start := cpuTime(b)
	for b.Loop() {
		if _, err := New(Config{}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start, 0)
}
