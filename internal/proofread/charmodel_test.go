package proofread

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/proofread/charlm"
)

// A character model given in the configuration is mapped and used; a
// damaged one stops New with an error.
func TestCharModelConfig(t *testing.T) {
	b, err := charlm.NewBuilder(charlm.Options{Order: 4})
	if err != nil {
		t.Fatal(err)
	}
	b.AddLines(strings.NewReader(strings.Repeat("党的二十届三中全会对进一步全面深化改革作出部署。\n", 5)))
	var buf bytes.Buffer
	if _, err := b.Write(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "good.clm"), filepath.Join(dir, "bad.clm")
	os.WriteFile(good, buf.Bytes(), 0o644)
	os.WriteFile(bad, buf.Bytes()[:100], 0o644)
	c, err := New(Config{CharModel: good, NgramModel: NgramModelNone})
	if err != nil {
		t.Fatal(err)
	}
	if e := c.CharModelEntries(); len(e) != 4 || e[3] == 0 {
		t.Errorf("entries %v", e)
	}
	norm := normRunes([]rune("党的二十第三中全会"), nil)
	lp := make([]float32, len(norm))
	for i := range lp {
		lp[i] = float32(math.NaN())
	}
	if g, _, _ := c.lm.charGain(nil, norm, lp, 4, []rune("届"), nil); g <= 0 {
		t.Errorf("届 for 第 after 党的二十: gain %.2f", g)
	}
	if _, err := New(Config{CharModel: bad, NgramModel: NgramModelNone}); err == nil {
		t.Error("a damaged model was accepted")
	}
	if c, err := New(Config{CharModel: CharModelNone, NgramModel: NgramModelNone}); err != nil || c.CharModelEntries() != nil {
		t.Errorf("none: %v %v", err, c.CharModelEntries())
	}
}
