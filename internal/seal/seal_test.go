package seal

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
	"github.com/shuniu-oa/shuniu/internal/layout"
)

func encodePNG(img image.Image) []byte {
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

func TestCheckImage(t *testing.T) {
	opaque := image.NewNRGBA(image.Rect(0, 0, 300, 300))
	for i := range opaque.Pix {
		opaque.Pix[i] = 255
	}
	blue := image.NewNRGBA(image.Rect(0, 0, 300, 300))
	for y := 100; y < 200; y++ {
		for x := 100; x < 200; x++ {
			blue.SetNRGBA(x, y, color.NRGBA{B: 200, A: 255})
		}
	}
	empty := image.NewNRGBA(image.Rect(0, 0, 300, 300))
	cases := []struct {
		name string
		data []byte
		want string // part of the message; "" for accepted
	}{
		{"sample", SampleImage(400), ""},
		{"none", nil, "请上传"},
		{"jpeg-ish", []byte("\xff\xd8\xff\xe0 not a png"), "PNG"},
		{"too small", SampleImage(60), "像素之间"},
		{"too wide", encodePNG(image.NewNRGBA(image.Rect(0, 0, 900, 300))), "长宽比"},
		{"opaque background", encodePNG(opaque), "透明"},
		{"blue ink", encodePNG(blue), "红色"},
		{"blank", encodePNG(empty), "空白"},
		{"too large", append(SampleImage(400), make([]byte, MaxImageBytes)...), "过大"},
	}
	for _, c := range cases {
		_, err := CheckImage(c.data)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: rejected: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: err = %v, want one mentioning %q", c.name, err, c.want)
		}
	}
}

func newSeal(t *testing.T, master *gmcrypto.MasterKey, id, organ, name string, now time.Time) Seal {
	t.Helper()
	s, err := New(NewRequest{ID: id, UnitID: "u-" + id, Organ: organ, Name: name, Kind: KindGovernment,
		Image: SampleImage(400), CreatedBy: "p-secadmin", Now: now}, master)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSealKey(t *testing.T) {
	master, _ := gmcrypto.NewMasterKey()
	now := time.Now()
	a := newSeal(t, master, "s1", "枢纽市人民政府", "枢纽市人民政府印章", now)
	b := newSeal(t, master, "s2", "枢纽军分区", "枢纽军分区印章", now)
	if bytes.Contains(a.WrappedKey, a.Cert[len(a.Cert)-20:]) {
		t.Fatal("wrapped key looks like clear text")
	}
	k, err := a.Key(master)
	if err != nil {
		t.Fatal(err)
	}
	if k.Public().Fingerprint() != a.Fingerprint {
		t.Fatal("unwrapped key is not the seal's")
	}
	other, _ := gmcrypto.NewMasterKey()
	if _, err := a.Key(other); err == nil || !strings.Contains(err.Error(), "另一主密钥") {
		t.Errorf("other master: %v", err)
	}
	// A wrapped key moved to another seal's row does not open there.
	moved := b
	moved.WrappedKey = a.WrappedKey
	if _, err := moved.Key(master); err == nil {
		t.Error("a key moved to another seal was unwrapped")
	}
	if !a.Active(now) || a.Active(now.Add(Validity+time.Hour)) {
		t.Error("validity")
	}
	a.Revoked = now
	if a.Active(now.Add(time.Second)) {
		t.Error("a revoked seal is active")
	}
	for name, req := range map[string]NewRequest{
		"no name":  {ID: "x", UnitID: "u", Organ: "甲", Kind: KindOffice, Image: SampleImage(300)},
		"bad kind": {ID: "x", UnitID: "u", Organ: "甲", Name: "甲印章", Kind: "seal", Image: SampleImage(300)},
		"no image": {ID: "x", UnitID: "u", Organ: "甲", Name: "甲印章", Kind: KindOffice},
	} {
		if _, err := New(req, master); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func render(t *testing.T, src string, out layout.Output, sealer layout.Sealer) []byte {
	t.Helper()
	r, err := layout.NewRenderer(layout.FontConfig{}, nil)
	if err != nil {
		t.Fatalf("the sealing tests need the fonts (scripts/setup-fonts.sh): %v", err)
	}
	f, err := os.Open(filepath.Join("..", "layout", "testdata", src))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := layout.ParseSource(f)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := r.Render(context.Background(), &b, out, doc, layout.Options{Sealer: sealer}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestSealedDocuments seals a single and a joint document as PDF and OFD,
// verifies them, and changes one byte at a time at offsets spread over the
// whole file: every change must be caught.
func TestSealedDocuments(t *testing.T) {
	master, _ := gmcrypto.NewMasterKey()
	now := time.Date(2024, 1, 5, 10, 30, 0, 0, time.FixedZone("CST", 8*3600))
	gov := newSeal(t, master, "s-gov", "枢纽市人民政府", "枢纽市人民政府印章", now.Add(-time.Hour))
	mil := newSeal(t, master, "s-mil", "枢纽军分区", "枢纽军分区印章", now.Add(-time.Hour))
	for _, c := range []struct {
		src   string
		seals []Seal
	}{
		{"notice.txt", []Seal{gov}},
		{"joint-sealed.txt", []Seal{gov, mil}},
	} {
		signer, err := NewSigner(c.seals, master, now)
		if err != nil {
			t.Fatal(err)
		}
		for _, out := range []layout.Output{layout.PDF, layout.OFD} {
			name := c.src + "." + string(out)
			file := render(t, c.src, out, signer)
			rep, err := Verify(file)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !rep.Intact || len(rep.Seals) != len(c.seals) {
				t.Fatalf("%s: intact=%v seals=%d problems=%v", name, rep.Intact, len(rep.Seals), rep.Problems)
			}
			for _, want := range c.seals {
				ok := false
				for _, f := range rep.Seals {
					// The OFD's seal records the sealer's time; the PDF's CMS
					// records the moment the signature was computed.
					timeOK := f.Time.Equal(now)
					if out == layout.PDF {
						timeOK = time.Since(f.Time).Abs() < time.Minute
					}
					ok = ok || (f.Organ == want.Organ && f.SealName == want.Name && f.Fingerprint == want.Fingerprint && timeOK && f.SelfSigned)
				}
				if !ok {
					t.Errorf("%s: seal %s not reported: %+v", name, want.Name, rep.Seals)
				}
			}
			skip := map[int]bool{}
			if out == layout.OFD {
				skip = zipAttributeBytes(file)
			}
			for _, off := range offsets(len(file)) {
				if skip[off] {
					continue
				}
				changed := bytes.Clone(file)
				changed[off] ^= 0xff
				rep, err := Verify(changed)
				// An OFD's signatures cover its files' contents: a change to
				// compressed bytes that inflate to the same content (a code
				// length of an unused symbol in a deflate block's header)
				// changes no file, and is rightly not reported.
				if err == nil && rep.Intact && (out == layout.PDF || !sameContents(t, file, changed)) {
					t.Errorf("%s: byte %d of %d changed, still intact", name, off, len(file))
				}
			}
			appended := append(bytes.Clone(file), []byte("\n% appended\n")...)
			if rep, _ := Verify(appended); rep.Intact && out == layout.PDF {
				t.Errorf("%s: appended bytes not caught", name)
			}
			if os.Getenv("SHUNIU_SCREENSHOTS") != "" {
				os.WriteFile(filepath.Join(os.Getenv("SHUNIU_SCREENSHOTS"), "sealed-"+name), file, 0o644)
			}
		}
	}
	// A document without seal places cannot be sealed, nor a DOCX.
	signer, _ := NewSigner([]Seal{gov}, master, now)
	r, _ := layout.NewRenderer(layout.FontConfig{}, nil)
	doc := &layout.Document{Title: "关于测试的通知", Body: []layout.Paragraph{{Text: "正文。"}}, Issuer: "枢纽市人民政府", Date: "2024年1月5日"}
	if _, err := r.RenderPDF(context.Background(), doc, layout.Options{Sealer: signer}); err == nil || !strings.Contains(err.Error(), "印章位置") {
		t.Errorf("unsealed layout: %v", err)
	}
	doc.Sealed = true
	if _, err := r.RenderDOCX(context.Background(), doc, layout.Options{Sealer: signer}); err == nil {
		t.Error("a DOCX was sealed")
	}
	two, _ := NewSigner([]Seal{gov, mil}, master, now)
	if _, err := r.RenderOFD(context.Background(), doc, layout.Options{Sealer: two}); err == nil || !strings.Contains(err.Error(), "不符") {
		t.Errorf("two seals for one place: %v", err)
	}
}

// zipAttributeBytes are the bytes of an OFD package that no check covers:
// each central directory entry's creator version and internal and external
// file attributes, which have no local counterpart and carry nothing of the
// document (see checkZipLayout).
func zipAttributeBytes(file []byte) map[int]bool {
	le := binary.LittleEndian
	n := len(file)
	p := int(le.Uint32(file[n-22+16:]))
	out := map[int]bool{}
	for p < n-22 {
		for _, r := range [][2]int{{4, 6}, {36, 42}} {
			for i := r[0]; i < r[1]; i++ {
				out[p+i] = true
			}
		}
		p += 46 + int(le.Uint16(file[p+28:])) + int(le.Uint16(file[p+30:])) + int(le.Uint16(file[p+32:]))
	}
	return out
}

// sameContents reports whether two zip packages hold the same files with the
// same contents.
func sameContents(t *testing.T, a, b []byte) bool {
	read := func(data []byte) map[string]string {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return nil
		}
		out := map[string]string{}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				return nil
			}
			c, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				return nil
			}
			out[f.Name] = string(c)
		}
		return out
	}
	fa, fb := read(a), read(b)
	if fa == nil || fb == nil || len(fa) != len(fb) {
		return false
	}
	for k, v := range fa {
		if fb[k] != v {
			return false
		}
	}
	t.Logf("a changed byte left every file's content as it was")
	return true
}

// offsets spreads about 60 offsets over a file: its start and end, and every
// stretch between.
func offsets(n int) []int {
	out := []int{0, 1, 5, 9, n / 2, n - 2, n - 1}
	for i := 1; i < 53; i++ {
		out = append(out, i*n/53)
	}
	return out
}

func TestVerifyRejects(t *testing.T) {
	if _, err := Verify([]byte("hello")); err == nil {
		t.Error("a text file was read")
	}
	rep, err := Verify([]byte("%PDF-1.7\n%%EOF\n"))
	if err != nil || rep.Intact || !strings.Contains(strings.Join(rep.Problems, ""), "没有电子印章") {
		t.Errorf("unsealed PDF: %+v %v", rep, err)
	}
}

// TestSealedPDFRendersAndChecks runs qpdf's structure check on a sealed PDF
// and renders its signature page with pdftoppm (kept under
// SHUNIU_SCREENSHOTS to look at).
func TestSealedPDFRendersAndChecks(t *testing.T) {
	for _, tool := range []string{"qpdf", "pdftoppm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not found: run scripts/setup-fonts.sh", tool)
		}
	}
	master, _ := gmcrypto.NewMasterKey()
	now := time.Now()
	gov := newSeal(t, master, "s-gov", "枢纽市人民政府", "枢纽市人民政府印章", now.Add(-time.Hour))
	mil := newSeal(t, master, "s-mil", "枢纽军分区", "枢纽军分区印章", now.Add(-time.Hour))
	dir := os.Getenv("SHUNIU_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	for _, c := range []struct {
		src   string
		seals []Seal
	}{{"notice.txt", []Seal{gov}}, {"joint-sealed.txt", []Seal{gov, mil}}} {
		signer, _ := NewSigner(c.seals, master, now)
		file := render(t, c.src, layout.PDF, signer)
		pdf := filepath.Join(dir, "sealed-"+strings.TrimSuffix(c.src, ".txt")+".pdf")
		if err := os.WriteFile(pdf, file, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("qpdf", "--check", pdf).CombinedOutput(); err != nil {
			t.Errorf("qpdf --check %s: %v\n%s", c.src, err, out)
		}
		if out, err := exec.Command("pdftoppm", "-r", "60", "-png", pdf, strings.TrimSuffix(pdf, ".pdf")).CombinedOutput(); err != nil {
			t.Errorf("pdftoppm %s: %v\n%s", c.src, err, out)
		}
	}
}
