package document

import "testing"

func FuzzParseClassification(f *testing.F) {
	for _, s := range []string{"", "秘密", "机密★5年", "绝密", "机密*5年", "秘密★99999999999999999999年"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseClassification(s)
		if err != nil {
			return
		}
		if c.Validate() != nil || c.Level == TopSecret {
			t.Fatalf("accepted %q as %+v", s, c)
		}
		if back, err := ParseClassification(c.String()); err != nil || back != c {
			t.Fatalf("round trip %q → %+v → %+v", s, c, back)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026年1月5日", "2026年2月29日", "2024年2月29日", "0000年1月1日"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if back, err := ParseDate(d.String()); err != nil || back != d {
			t.Fatalf("round trip %q → %+v → %+v", s, d, back)
		}
	})
}

func FuzzParseIncomingNumber(f *testing.F) {
	f.Add("城关镇收〔2026〕15号")
	f.Add("收〔2026〕0号")
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseIncomingNumber(s)
		if err != nil {
			return
		}
		if back, err := ParseIncomingNumber(n.String()); err != nil || back != n {
			t.Fatalf("round trip %q → %+v → %+v", s, n, back)
		}
	})
}

func FuzzParseUrgency(f *testing.F) {
	for _, s := range []string{"", "加急", "特急", "急件"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseUrgency(s)
		if err != nil {
			return
		}
		if back, err := ParseUrgency(u.Label()); err != nil || back != u {
			t.Fatalf("round trip %q → %q → %q", s, u, back)
		}
	})
}
