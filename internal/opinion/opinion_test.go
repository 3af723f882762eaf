package opinion

import (
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
)

func TestSignVerify(t *testing.T) {
	master, _ := gmcrypto.NewMasterKey()
	now := time.Date(2026, 12, 7, 2, 30, 0, 123456000, time.UTC)
	pk, err := NewPersonKey("p-leader", master, now)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := NewPersonKey("p-other", master, now)
	o := Opinion{DocID: "d1", Version: 3, TaskID: 7, Step: "instruct", PersonID: "p-leader", At: now, Outcome: "approved", Comment: "请教育局牵头办理，月底前报结果。"}
	s, err := pk.Sign(o, master)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		edit   func(o *Opinion, s *Signature)
		public []byte
		want   Status
	}{
		{"as signed", func(*Opinion, *Signature) {}, pk.Public, Verified},
		{"comment changed", func(o *Opinion, _ *Signature) { o.Comment = "请教育局牵头办理。" }, pk.Public, Failed},
		{"time changed", func(o *Opinion, _ *Signature) { o.At = o.At.Add(time.Microsecond) }, pk.Public, Failed},
		{"outcome changed", func(o *Opinion, _ *Signature) { o.Outcome = "disagreed" }, pk.Public, Failed},
		{"acted for another", func(o *Opinion, _ *Signature) { o.OnBehalfOf = "p-x" }, pk.Public, Failed},
		{"step changed", func(o *Opinion, _ *Signature) { o.Step = "propose" }, pk.Public, Failed},
		{"version changed", func(_ *Opinion, s *Signature) { s.Version = 2 }, pk.Public, Failed},
		{"signature byte changed", func(_ *Opinion, s *Signature) { s.Sig[len(s.Sig)-1] ^= 1 }, pk.Public, Failed},
		{"another person's key", func(*Opinion, *Signature) {}, other.Public, Failed},
		{"moved to another task", func(o *Opinion, _ *Signature) { o.TaskID = 8 }, pk.Public, Failed},
		{"no key", func(*Opinion, *Signature) {}, nil, Failed},
	}
	for _, c := range cases {
		oc, sc := o, s
		sc.Sig = append([]byte(nil), s.Sig...)
		c.edit(&oc, &sc)
		if got, why := Verify(oc, sc, c.public); got != c.want || (got == Failed && why == "") {
			t.Errorf("%s: %s %q, want %s", c.name, got, why, c.want)
		}
	}
	if _, err := pk.Sign(Opinion{PersonID: "p-other"}, master); err == nil {
		t.Error("signed another person's opinion")
	}
	m2, _ := gmcrypto.NewMasterKey()
	if _, err := pk.Sign(o, m2); err == nil {
		t.Error("signed under another master key")
	}
	moved := pk
	moved.PersonID = "p-other"
	if _, err := moved.Sign(Opinion{PersonID: "p-other"}, master); err == nil {
		t.Error("a key moved to another person unwrapped")
	}
}
