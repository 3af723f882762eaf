package seal

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
	"github.com/shuniu-oa/shuniu/internal/layout"
)

var han = regexp.MustCompile(`\p{Han}`)

// FuzzCheckImage: whatever the security officer uploads as a seal image, it
// is refused in Chinese or accepted within the stated bounds.
func FuzzCheckImage(f *testing.F) {
	f.Add(SampleImage(MinImagePx))
	f.Add(SampleImage(60))
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\xff\xff\x00\x00\xff\xff\x08\x06\x00\x00\x00"))
	f.Add([]byte("\xff\xd8\xff\xe0 not a png"))
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := CheckImage(data)
		if err != nil {
			if !han.MatchString(err.Error()) {
				t.Fatalf("refusal not in Chinese: %v", err)
			}
			return
		}
		if info.Width < MinImagePx || info.Height < MinImagePx || info.Width > MaxImagePx || info.Height > MaxImagePx ||
			info.Width > 2*info.Height || info.Height > 2*info.Width || info.Inked < 0.02 || info.Inked > 0.8 {
			t.Fatalf("accepted %+v", info)
		}
	})
}

// FuzzVerify: a received file given to 验签 is either refused in Chinese or
// answered with a report; a report with problems is never intact, and an
// intact one names at least one seal. Seeds include a sealed PDF and OFD
// when the fonts are installed.
func FuzzVerify(f *testing.F) {
	f.Add([]byte("%PDF-1.7\n%%EOF\n"))
	f.Add([]byte("%PDF-1.7\n/ByteRange [0 10 20 5] /Contents <3082>\n%%EOF"))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte("hello"))
	for _, out := range []layout.Output{layout.PDF, layout.OFD} {
		if b := sealedSample(out); b != nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, file []byte) {
		rep, err := Verify(file)
		if err != nil {
			if !han.MatchString(err.Error()) {
				t.Fatalf("refusal not in Chinese: %v", err)
			}
			return
		}
		if rep.Intact && (len(rep.Problems) > 0 || len(rep.Seals) == 0) {
			t.Fatalf("intact with problems %q and %d seals", rep.Problems, len(rep.Seals))
		}
		for _, p := range rep.Problems {
			if !han.MatchString(p) {
				t.Fatalf("problem not in Chinese: %q", p)
			}
		}
	})
}

// sealedSample is the notice of the layout tests sealed as out, or nil
// without the fonts.
func sealedSample(out layout.Output) []byte {
	r, err := layout.NewRenderer(layout.FontConfig{}, nil)
	if err != nil {
		return nil
	}
	src, err := os.ReadFile(filepath.Join("..", "layout", "testdata", "notice.txt"))
	if err != nil {
		return nil
	}
	doc, err := layout.ParseSource(bytes.NewReader(src))
	if err != nil {
		return nil
	}
	master, err := gmcrypto.NewMasterKey()
	if err != nil {
		return nil
	}
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s, err := New(NewRequest{ID: "s-fuzz", UnitID: "u-fuzz", Organ: "枢纽市人民政府", Name: "枢纽市人民政府印章", Kind: KindGovernment,
		Image: SampleImage(400), CreatedBy: "p-secadmin", Now: now.Add(-time.Hour)}, master)
	if err != nil {
		return nil
	}
	signer, err := NewSigner([]Seal{s}, master, now)
	if err != nil {
		return nil
	}
	var b bytes.Buffer
	if err := r.Render(context.Background(), &b, out, doc, layout.Options{Sealer: signer}); err != nil {
		return nil
	}
	return b.Bytes()
}
