package charlm

import (
	"bytes"
	"context"
	"flag"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

const sample = `国务院关于加强地方政府性债务管理的意见
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
为加强地方政府性债务管理，促进国民经济持续健康发展，根据党的十八届三中全会精神，现提出以下意见。
坚持党的领导，深化改革，防范化解隐性债务风险。
党的二十届三中全会对进一步全面深化改革作出部署。
各地区各部门要认真贯彻落实，确保各项任务落到实处。
已经完成的任务要巩固，尚未完成的任务要抓紧。
地方政府债务管理已纳入法治轨道。`

func buildSample(t *testing.T, opt Options) (*Model, []byte) {
	t.Helper()
	b, err := NewBuilder(opt)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := b.AddLines(strings.NewReader(sample)); err != nil {
			t.Fatal(err)
		}
	}
	b.AddParagraph("政府工作报告：2025年GDP增长5%")
	var buf bytes.Buffer
	if _, err := b.Write(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	m, err := FromBytes(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return m, buf.Bytes()
}

// The distribution after any context sums to one over the characters the
// model knows, the paragraph end and the unknown character, pruned or not.
func TestSumsToOne(t *testing.T) {
	counts := map[rune]uint32{EOS: 100}
	for _, r := range strings.Repeat(sample, 3) + "政府工作报告：0年A增长%" {
		if r != '\n' {
			counts[Norm(r)]++
		}
	}
	for _, opt := range []Options{
		{Order: 3},
		{Order: 5, MinCount: []uint32{1, 1, 2, 3, 3}},
		{Order: 4, MinCount: []uint32{2, 2, 4}},
	} {
		m, _ := buildSample(t, opt)
		for _, ctx := range []string{"", "\x02", "\x02国务", "政府", "债务管理", "已经", "陌生的字", "党的二十"} {
			c := []rune(ctx)
			sum := math.Pow(10, float64(m.LogProb(c, 0x4E00-1))) // an unknown character stands for all of them
			for r, n := range counts {
				if len(opt.MinCount) > 0 && n < opt.MinCount[0] {
					continue // unknown
				}
				sum += math.Pow(10, float64(m.LogProb(c, r)))
			}
			if math.Abs(sum-1) > 0.02 {
				t.Errorf("order %d min %v: after %q the probabilities sum to %.4f", opt.Order, opt.MinCount, ctx, sum)
			}
		}
	}
}

// The model prefers the text it was built from to a slip in it, and knows
// the set phrases.
func TestPrefersSeenText(t *testing.T) {
	m, _ := buildSample(t, Options{Order: 5})
	for _, c := range [][2]string{
		{"党的二十届三中全会", "党的二十第三中全会"},
		{"防范化解隐性债务风险", "防范化解隐性银行风险"},
		{"已经完成的任务", "己经完成的任务"},
	} {
		a, b := []rune(c[0]), []rune(c[1])
		if sa, sb := m.Score(a, 0, len(a)), m.Score(b, 0, len(b)); sa <= sb {
			t.Errorf("%s scores %.2f, %s %.2f", c[0], sa, c[1], sb)
		}
	}
}

// The same text and options give the same bytes; a file maps and reads
// the same as the bytes; a damaged file is refused.
func TestFileRoundTrip(t *testing.T) {
	opt := Options{Order: 4, MinCount: []uint32{1, 1, 2, 2}}
	m1, b1 := buildSample(t, opt)
	_, b2 := buildSample(t, opt)
	if !bytes.Equal(b1, b2) {
		t.Fatal("two builds differ")
	}
	p := filepath.Join(t.TempDir(), "m.clm")
	if err := os.WriteFile(p, b1, 0o644); err != nil {
		t.Fatal(err)
	}
	m2, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer m2.Close()
	rs := []rune("各地区各部门要认真贯彻落实")
	if a, b := m1.Score(rs, 0, len(rs)), m2.Score(rs, 0, len(rs)); a != b {
		t.Fatalf("mapped %v, in memory %v", b, a)
	}
	for _, bad := range [][]byte{b1[:len(b1)/2], b1[:20], append([]byte("XXXXXXXX"), b1[8:]...)} {
		if _, err := FromBytes(bad); err == nil {
			t.Errorf("a damaged file of %d bytes was accepted", len(bad))
		}
	}
	if _, err := NewBuilder(Options{Order: 1}); err == nil {
		t.Error("order 1 accepted")
	}
}

// The lines a build holds out are exactly those HeldOut picks from the raw
// lines, and none of them reaches the builder.
func TestHeldOutLines(t *testing.T) {
	p := filepath.Join(t.TempDir(), "c.txt")
	var lines []string
	for i := range 2000 {
		lines = append(lines, "第"+strings.Repeat("条", i%7)+"规定的事项"+string(rune(0x4E00+i)))
	}
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	built := map[string]bool{}
	if err := ReadCorpusFile(p, 50, func(s string) { built[s] = true }, nil); err != nil {
		t.Fatal(err)
	}
	held := 0
	if err := ReadRawLines(p, func(s string) {
		if HeldOut(s, 50) {
			held++
			if built[s] {
				t.Errorf("held-out line %q was counted", s)
			}
		} else if !built[s] {
			t.Errorf("line %q lost", s)
		}
	}, nil); err != nil {
		t.Fatal(err)
	}
	if held < 20 || held > 70 {
		t.Errorf("%d of 2000 lines held out at 1 in 50", held)
	}
}

// rewriteFlag converts a model file to the current format:
//
//	go test ./internal/proofread/charlm -run TestRewrite -rewrite IN,OUT
var rewriteFlag = flag.String("rewrite", "", "IN,OUT: write model IN in the current format to OUT")

// Rewriting a model of the current format gives the same bytes; with
// -rewrite it converts a file, and checks that the converted model gives
// the same probabilities.
func TestRewrite(t *testing.T) {
	_, data := buildSample(t, Options{Order: 5, MinCount: []uint32{1, 1, 2, 3, 3}})
	m, err := FromBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := Rewrite(&buf, m); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), data) {
		t.Errorf("rewritten: %d bytes differ from the built %d", buf.Len(), len(data))
	}
	if *rewriteFlag == "" {
		return
	}
	in, out, _ := strings.Cut(*rewriteFlag, ",")
	old, err := Open(in)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	buf.Reset()
	if _, err := Rewrite(&buf, old); err != nil {
		t.Fatal(err)
	}
	nm, err := FromBytes(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	rs := []rune(strings.Repeat(sample, 2))
	for i := range rs {
		r := Norm(rs[i])
		ctx := rs[max(0, i-4):i]
		for j := range ctx {
			ctx[j] = Norm(ctx[j])
		}
		if a, b, w := old.LogProb(ctx, r), nm.LogProb(ctx, r), nm.logProbWalk(ctx, r); a != b || a != w {
			t.Fatalf("at %d: %v and %v (walk) against %v", i, b, w, a)
		}
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s: %d bytes", out, buf.Len())
}

// benchModel is the model BenchmarkLogProb reads (the shipped one if empty).
var benchModel = flag.String("lm", "", "model file for BenchmarkLogProb")

// BenchmarkLogProb looks up every character of the bench text in its
// context, and the same with every fifth character replaced (the lookups
// of a candidate correction, mostly unseen n-grams).
func BenchmarkLogProb(b *testing.B) {
	path := *benchModel
	if path == "" {
		path = "../data/shuniu/official.lm"
	}
	m, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	raw, err := os.ReadFile("../testdata/bench.txt")
	if err != nil {
		b.Fatal(err)
	}
	rs := []rune(string(raw))
	for i := range rs {
		rs[i] = Norm(rs[i])
	}
	alt := slices.Clone(rs)
	for i := 0; i < len(alt); i += 5 {
		alt[i] = rs[(i*7919)%len(rs)]
	}
	b.SetBytes(int64(len(raw)))
	b.ResetTimer()
	cpu := func() time.Duration {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			b.Fatal(err)
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := cpu()
	defer func() { b.ReportMetric(float64(cpu()-start)/float64(b.N)/1e6, "cpu-ms/op") }()
	var s float32
	for b.Loop() {
		for _, t := range [][]rune{rs, alt} {
			for i := range t {
				s += m.LogProb(t[max(0, i-4):i], t[i])
			}
		}
	}
	_ = s
}

// LogProb, which reads all the tables' buckets first, gives exactly what
// the plain walk gives, in every context of the sample and of slips made
// in it.
func TestLogProbWalk(t *testing.T) {
	m, _ := buildSample(t, Options{Order: 5, MinCount: []uint32{1, 1, 2, 3, 3}})
	rs := []rune(sample)
	for i := range rs {
		rs[i] = Norm(rs[i])
	}
	for _, text := range [][]rune{rs, append([]rune("陌生的字"), rs[:20]...)} {
		alt := slices.Clone(text)
		for i := 0; i < len(alt); i += 3 {
			alt[i] = text[(i*31)%len(text)]
		}
		for _, tx := range [][]rune{text, alt} {
			for i := range tx {
				for k := 0; k <= min(i, 6); k++ {
					ctx := tx[i-k : i]
					if a, b := m.LogProb(ctx, tx[i]), m.logProbWalk(ctx, tx[i]); a != b {
						t.Errorf("%q + %q: %v, walk %v", string(ctx), string(tx[i]), a, b)
					}
				}
			}
			// LogProbs over every stretch gives what LogProb gives.
			out := make([]float32, len(tx))
			for from := 0; from < min(len(tx), 9); from++ {
				for to := from; to <= len(tx); to += 1 + to%5 {
					m.LogProbs(tx, from, to, out)
					for i := from; i < to; i++ {
						if want := m.LogProb(tx[max(0, i-4):i], tx[i]); out[i-from] != want {
							t.Fatalf("LogProbs %d…%d at %d: %v, LogProb %v", from, to, i, out[i-from], want)
						}
					}
				}
			}
		}
	}
}
