package seal

import (
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// TestLimits: a seal's name and organ take their limits and refuse one more.
func TestLimits(t *testing.T) {
	master, _ := gmcrypto.NewMasterKey()
	img := SampleImage(300)
	for _, tc := range []struct {
		field string
		limit int
		req   func(n int) NewRequest
	}{
		{"name", MaxName, func(n int) NewRequest {
			return NewRequest{ID: "x", UnitID: "u", Organ: "甲", Name: strings.Repeat("印", n), Kind: KindOffice, Image: img, Now: time.Now()}
		}},
		{"organ", MaxOrgan, func(n int) NewRequest {
			return NewRequest{ID: "x", UnitID: "u", Organ: strings.Repeat("甲", n), Name: "甲印章", Kind: KindOffice, Image: img, Now: time.Now()}
		}},
	} {
		if _, err := New(tc.req(tc.limit), master); err != nil {
			t.Errorf("%s at the limit: %v", tc.field, err)
		}
		_, err := New(tc.req(tc.limit+1), master)
		if e, ok := textlimit.As(err); !ok || e.Field != tc.field || e.Got != tc.limit+1 {
			t.Errorf("%s one over: %v", tc.field, err)
		}
	}
}
