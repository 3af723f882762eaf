package layout

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden PNGs in testdata/golden")

// goldenDPI keeps the committed references small while still showing any
// move of a line or character.
const goldenDPI = 50

// rasterize renders a PDF to greyscale PNG pages with pdftoppm.
func rasterize(t *testing.T, pdf []byte) [][]byte {
	t.Helper()
	needTool(t, "pdftoppm")
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("pdftoppm", "-r", fmt.Sprint(goldenDPI), "-gray", "-png", in, filepath.Join(dir, "p"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "p-*.png"))
	sort.Strings(names)
	var pages [][]byte
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, b)
	}
	return pages
}

// goldenRefs lists the committed pages of one sample.
func goldenRefs(name string) []string {
	all, _ := filepath.Glob(filepath.Join("testdata", "golden", name+"-*.png"))
	re := regexp.MustCompile(`^` + regexp.QuoteMeta(name) + `-\d+\.png$`)
	var out []string
	for _, a := range all {
		if re.MatchString(filepath.Base(a)) {
			out = append(out, a)
		}
	}
	return out
}

// diffPixels counts the pixels whose grey level differs by more than a
// quarter of the range.
func diffPixels(a, b image.Image) (int, error) {
	if a.Bounds() != b.Bounds() {
		return -1, fmt.Errorf("size %v, want %v", a.Bounds().Size(), b.Bounds().Size())
	}
	r := a.Bounds()
	diff := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			ga, _, _, _ := a.At(x, y).RGBA()
			gb, _, _, _ := b.At(x, y).RGBA()
			d := int(ga>>8) - int(gb>>8)
			if d > 64 || d < -64 {
				diff++
			}
		}
	}
	return diff, nil
}

// TestGolden renders a sample of each format and compares the pages with the
// committed references; run with -update after an intended layout change
// and look at the new images before committing them.
func TestGolden(t *testing.T) {
	// A page passes when at most a few pixels differ by more than a quarter of
	// the grey range: anti-aliasing noise between poppler builds stays under
	// it, while moving a page number by 1 mm (2 pixels here) does not.
	const tolerance = 5
	doc := func(src string, opts Options) func(*testing.T) []byte {
		return func(t *testing.T) []byte { return renderPDF(t, loadSource(t, src+".txt"), opts) }
	}
	form := func(name string, values map[string]string, opts ...Options) func(*testing.T) []byte {
		return func(t *testing.T) []byte {
			var o Options
			if len(opts) > 0 {
				o = opts[0]
			}
			var b bytes.Buffer
			if err := testRenderer(t).RenderForm(context.Background(), &b, PDF, BuiltinForms()[name], values, o); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		}
	}
	samples := []struct {
		name string
		pdf  func(*testing.T) []byte
	}{
		{"notice", doc("notice", Options{})},
		{"letter", doc("letter", Options{})},
		{"order", doc("order", Options{})},
		{"minutes", doc("minutes", Options{})},
		{"request", doc("request", Options{})},
		{"joint", doc("joint", Options{})},
		{"joint-sealed", doc("joint-sealed", Options{})},
		{"order-joint", doc("order-joint", Options{})},
		{"separate", doc("separate", Options{})},
		{"tight", doc("tight", Options{})},
		{"notice-copy", doc("notice", Options{CopyNumber: "000007", Watermark: "李四 2024-01-08 09:30"})},
		{"form-incoming", form("incoming-sheet", map[string]string{"机关名称": "枢纽市人民政府办公室", "来文单位": "省人民政府办公厅", "收文日期": "2024年1月8日",
			"标题": "关于做好春节期间安全生产工作的通知", "领导批示": "请市住建局牵头办理，按期报结果。\n王明　1月8日"})},
		{"form-supervision", form("supervision-sheet", map[string]string{"机关名称": "枢纽市人民政府督查室", "督办编号": "2024-015",
			"督办事项": "推进老旧小区改造", "牵头单位": "市住房城乡建设局", "配合单位": "市财政局", "办结时限": "2024年6月30日"})},
		{"form-urge-watermark", form("urge-sheet", map[string]string{"机关名称": "枢纽市人民政府督查室", "催办编号": "2024-031",
			"事项": "推进老旧小区改造", "承办单位": "市住房城乡建设局", "催办次数": "2"}, Options{Watermark: "李四 2024-06-01 09:30"})},
	}
	for _, s := range samples {
		t.Run(s.name, func(t *testing.T) {
			pages := rasterize(t, s.pdf(t))
			if *update {
				old := goldenRefs(s.name)
				for _, o := range old {
					os.Remove(o)
				}
			}
			for i, got := range pages {
				ref := filepath.Join("testdata", "golden", fmt.Sprintf("%s-%d.png", s.name, i+1))
				if *update {
					if err := os.MkdirAll(filepath.Dir(ref), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(ref, got, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(ref)
				if err != nil {
					t.Fatalf("page %d: no reference %s (run go test -run TestGolden -update): %v", i+1, ref, err)
				}
				gi, err := png.Decode(bytes.NewReader(got))
				if err != nil {
					t.Fatal(err)
				}
				wi, err := png.Decode(bytes.NewReader(want))
				if err != nil {
					t.Fatal(err)
				}
				n, err := diffPixels(gi, wi)
				if err != nil || n > tolerance {
					out := filepath.Join(os.TempDir(), fmt.Sprintf("shuniu-golden-%s-%d.png", s.name, i+1))
					os.WriteFile(out, got, 0o644)
					t.Errorf("page %d differs from %s in %d pixels (%v); got image written to %s", i+1, ref, n, err, out)
				}
			}
			if !*update {
				refs := goldenRefs(s.name)
				if len(refs) != len(pages) {
					t.Errorf("%d pages rendered, %d references", len(pages), len(refs))
				}
			}
		})
	}
}
