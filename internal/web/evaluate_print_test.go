package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/web"
)

// rasterPages renders a PDF to greyscale images with pdftoppm at dpi.
func rasterPages(t *testing.T, pdf []byte, dpi int) []image.Image {
	t.Helper()
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("pdftoppm not installed (poppler-utils)")
		}
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", fmt.Sprint(dpi), "-gray", "-png", in, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "p-*.png"))
	sort.Strings(names)
	var out []image.Image
	for _, n := range names {
		f, err := os.Open(n)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, img)
	}
	return out
}

// TestEvalNotice: the 考核通报 of a year's 镇街 scoreboard, on both stores,
// comes from the scoreboard's button as a GB/T 9704 PDF of the office: the
// title, the ranking table with the towns in rank order, the 计分办法 under
// it and the 落款; every page is A4 with ink only in the 版心 (37 mm from the
// top, 28 mm from the left, 156 × 225 mm) and the page numbers under it.
// The OFD is a package with its main part; a bad period is refused in
// Chinese.
func TestEvalNotice(t *testing.T) {
	c := &clock{}
	storetest.ForEach(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler)}, func(t *testing.T, s *store.Store) {
		c.t = time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)
		d := demo.NewDistrict(c.now())
		if err := demo.Seed(context.Background(), s, d); err != nil {
			t.Fatal(err)
		}
		h, err := web.New(s, web.Options{Version: "test", Logger: slog.New(slog.DiscardHandler), Renderer: renderer(t)})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(h.Handler())
		t.Cleanup(ts.Close)
		e := &env{t: t, srv: ts, web: h, store: s, clock: c, d: d}
		cl := e.client()
		cl.login("wenmi", demo.Password)
		q := "period=2026&class=towns"
		if _, body, _ := cl.get("/evaluate?" + q); !strings.Contains(body, `href="/evaluate/notice.pdf?class=towns&amp;period=2026"`) {
			t.Fatalf("the scoreboard has no 通报 button: %s", alert(body))
		}
		_, raw, _ := cl.fetch("/api/v1/evaluate/board?" + q)
		var board struct {
			Board struct {
				Rows []struct{ Name string } `json:"rows"`
			} `json:"board"`
		}
		if err := json.Unmarshal(raw, &board); err != nil || len(board.Board.Rows) < 2 {
			t.Fatalf("board: %v %d rows", err, len(board.Board.Rows))
		}

		code, pdf, hd := cl.fetch("/evaluate/notice.pdf?" + q)
		if code != http.StatusOK || hd.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Fatalf("notice.pdf: %d %s %s", code, hd.Get("Content-Type"), alert(string(pdf)))
		}
		text := pdfText(t, pdf)
		for _, want := range []string{"清澜区人民政府办公室", "关于2026年度镇街考核结果的通报", "各镇人民政府、街道办事处：", "一、先进单位", "二、考核排名",
			"2026年镇街考核得分", "名次", "单位", "总分", "三、计分办法", "收文签收及时率=", "2026年11月30日"} {
			if !strings.Contains(text, want) {
				t.Errorf("the 通报 lacks %q", want)
			}
		}
		// The table lists the towns in rank order, after its header and
		// before the 计分办法.
		at := strings.Index(text, "总分")
		end := strings.Index(text, "三、计分办法")
		if at < 0 || end < at {
			t.Fatalf("no table before the method: %s", text)
		}
		table := text[at:end]
		pos := 0
		for i, r := range board.Board.Rows {
			j := strings.Index(table[pos:], fmt.Sprintf("%d%s", i+1, r.Name))
			if j < 0 {
				// Tied units share a rank: the name alone, still in order.
				j = strings.Index(table[pos:], r.Name)
			}
			if j < 0 {
				t.Fatalf("row %d (%s) missing or out of order in the table: %s", i+1, r.Name, table)
			}
			pos += j + len(r.Name)
		}

		// A4 pages, ink only in the 版心 and the page-number band under it.
		const dpi = 50
		mm := func(px int) float64 { return float64(px) * 25.4 / dpi }
		pages := rasterPages(t, pdf, dpi)
		if len(pages) == 0 {
			t.Fatal("no pages")
		}
		for n, img := range pages {
			b := img.Bounds()
			if w, h := mm(b.Dx()), mm(b.Dy()); w < 209 || w > 211 || h < 296 || h > 298 {
				t.Fatalf("page %d is %.1f × %.1f mm, want A4", n+1, w, h)
			}
			minX, minY, maxX, maxY := b.Max.X, b.Max.Y, 0, 0
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					if r, _, _, _ := img.At(x, y).RGBA(); r < 0x8000 {
						if mm(y) > 37+225+1 { // the page number, 7 mm under the 版心
							if mm(y) > 37+225+7+8 {
								t.Errorf("page %d: ink at %.1f mm from the top, below the page number", n+1, mm(y))
							}
							continue
						}
						minX, minY, maxX, maxY = min(minX, x), min(minY, y), max(maxX, x), max(maxY, y)
					}
				}
			}
			const tol = 1.5
			if mm(minX) < 28-tol || mm(maxX+1) > 28+156+tol || mm(minY) < 37-tol || mm(maxY+1) > 37+225+tol {
				t.Errorf("page %d: ink from (%.1f, %.1f) to (%.1f, %.1f) mm, outside the 版心 (28–184, 37–262)", n+1, mm(minX), mm(minY), mm(maxX+1), mm(maxY+1))
			}
			if n == 0 && (mm(minX) > 28+tol || mm(maxX+1) < 184-tol) {
				t.Errorf("page 1: the table does not span the 版心: %.1f–%.1f mm", mm(minX), mm(maxX+1))
			}
		}

		code, ofd, hd := cl.fetch("/evaluate/notice.ofd?" + q)
		if code != http.StatusOK || hd.Get("Content-Type") != "application/ofd" {
			t.Fatalf("notice.ofd: %d %s", code, hd.Get("Content-Type"))
		}
		zr, err := zip.NewReader(bytes.NewReader(ofd), int64(len(ofd)))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range zr.File {
			found = found || f.Name == "OFD.xml"
		}
		if !found {
			t.Error("the OFD lacks OFD.xml")
		}
		if code, body, _ := cl.get("/evaluate/notice.pdf?period=2026-13&class=towns"); code != http.StatusBadRequest || !strings.Contains(body, "无法识别") {
			t.Errorf("bad period: %d %s", code, alert(body))
		}
	})
}
