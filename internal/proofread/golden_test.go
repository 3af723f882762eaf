package proofread

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/proofread/charlm"
)

var goldenUpdate = flag.Bool("golden-update", false, "rewrite testdata/golden.txt.gz from the current checker")

// goldenFile holds the findings of the checker on a fixed text set. Speed
// work must leave them as they are; a change meant to alter findings
// rewrites it (-golden-update) and shows its evaluation in docs/perf.md.
const goldenFile = "testdata/golden.txt.gz"

// TestGolden checks that the findings on a fixed text set are those
// recorded: every line of testdata/bench.txt (ECSpell odw and law sources,
// nearly all with real slips) checked alone at 标准, the first 800 lines at
// 严格 and with a deployment's own layer and names, and the first 10,000
// characters as one text. The typo check's decisions rest on float sums,
// which Go may fuse differently on other architectures, so the record is
// for amd64; it needs fcitx5's trigram model (scripts/setup.sh installs it).
func TestGolden(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("the golden findings are recorded on amd64")
	}
	if testing.Short() {
		t.Skip("checks 380 KB of text")
	}
	c := checker(t)
	if c.NgramModelPath() == "" || c.lm.char == nil {
		t.Skip("needs the trigram model and the shipped character model")
	}
	got := goldenFindings(t, c)
	if *goldenUpdate {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write([]byte(got))
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenFile, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(goldenFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	want, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if got == string(want) {
		return
	}
	gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	n := 0
	for i := 0; i < max(len(gl), len(wl)) && n < 20; i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, g, w)
			n++
		}
	}
	t.Fatalf("the findings differ from %s (%d and %d lines)", goldenFile, len(gl), len(wl))
}

// goldenFindings checks the golden text set and writes the findings one
// input a line.
func goldenFindings(t *testing.T, c *Checker) string {
	t.Helper()
	raw, err := os.ReadFile("testdata/bench.txt")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(raw), "\n"), "\n")
	strict, err := c.With(Config{Sensitivity: SensitivityStrict})
	if err != nil {
		t.Fatal(err)
	}
	// A deployment's own text (every 25th line) and names, so that the
	// adapted character model is checked too.
	local := charlm.NewCounts()
	for i := 0; i < len(lines); i += 25 {
		local.AddParagraph(lines[i])
	}
	own, err := c.With(Config{Local: local, Names: []string{"申志慧", "综合科", "乌兰察布"}})
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	w := bufio.NewWriter(&sb)
	put := func(tag string, i int, fs []Finding) {
		fmt.Fprintf(w, "%s %d:", tag, i)
		for _, f := range fs {
			fmt.Fprintf(w, " [%d %d %s %s %q %q]", f.Start, f.End, f.Rule, f.Severity, f.Suggestion, f.Message)
		}
		w.WriteByte('\n')
	}
	for i, l := range lines {
		put("std", i, c.Check(l))
	}
	for i, l := range lines[:800] {
		put("strict", i, strict.Check(l))
		put("own", i, own.Check(l))
	}
	put("whole", 0, c.Check(string([]rune(string(raw))[:10_000])))
	w.Flush()
	return sb.String()
}
