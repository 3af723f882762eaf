package account

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// RFC 6238 Appendix B: the reference implementation's test vectors, eight
// digits, for the three hashes and their seeds.
func TestTOTPRFC6238(t *testing.T) {
	seeds := map[TOTPAlgorithm][]byte{
		TOTPSHA1:   []byte("12345678901234567890"),
		TOTPSHA256: []byte("12345678901234567890123456789012"),
		TOTPSHA512: []byte("1234567890123456789012345678901234567890123456789012345678901234"),
	}
	vectors := []struct {
		unix int64
		want map[TOTPAlgorithm]string
	}{
		{59, map[TOTPAlgorithm]string{TOTPSHA1: "94287082", TOTPSHA256: "46119246", TOTPSHA512: "90693936"}},
		{1111111109, map[TOTPAlgorithm]string{TOTPSHA1: "07081804", TOTPSHA256: "68084774", TOTPSHA512: "25091201"}},
		{1111111111, map[TOTPAlgorithm]string{TOTPSHA1: "14050471", TOTPSHA256: "67062674", TOTPSHA512: "99943326"}},
		{1234567890, map[TOTPAlgorithm]string{TOTPSHA1: "89005924", TOTPSHA256: "91819424", TOTPSHA512: "93441116"}},
		{2000000000, map[TOTPAlgorithm]string{TOTPSHA1: "69279037", TOTPSHA256: "90698825", TOTPSHA512: "38618901"}},
		{20000000000, map[TOTPAlgorithm]string{TOTPSHA1: "65353130", TOTPSHA256: "77737706", TOTPSHA512: "47863826"}},
	}
	for _, v := range vectors {
		for alg, want := range v.want {
			if got := TOTPCode(alg, seeds[alg], TOTPStepAt(time.Unix(v.unix, 0)), 8); got != want {
				t.Errorf("T=%d %s: %s, want %s", v.unix, alg, got, want)
			}
		}
	}
}

func TestCheckTOTP(t *testing.T) {
	secret := []byte("12345678901234567890")
	now := time.Unix(1111111111, 0)
	cur := TOTPStepAt(now)
	code := func(step int64) string { return TOTPCode(TOTPSHA1, secret, step, TOTPDigits) }
	tests := []struct {
		name  string
		typed string
		last  int64
		step  int64
		err   error
	}{
		{"current", code(cur), 0, cur, nil},
		{"typed with a space", code(cur)[:3] + " " + code(cur)[3:], 0, cur, nil},
		{"full-width digits", strings.Map(func(r rune) rune { return r - '0' + '０' }, code(cur)), 0, cur, nil},
		{"previous step", code(cur - 1), 0, cur - 1, nil},
		{"next step", code(cur + 1), 0, cur + 1, nil},
		{"two steps old", code(cur - 2), 0, 0, ErrTOTPWrong},
		{"used already", code(cur), cur, 0, ErrTOTPReused},
		{"older than the last used", code(cur - 1), cur, 0, ErrTOTPReused},
		{"letters", "12a456", 0, 0, ErrTOTPFormat},
		{"five digits", "12345", 0, 0, ErrTOTPFormat},
		{"seven digits", "1234567", 0, 0, ErrTOTPFormat},
		{"empty", "", 0, 0, ErrTOTPFormat},
	}
	for _, tt := range tests {
		step, err := CheckTOTP(secret, tt.typed, now, tt.last)
		if !errors.Is(err, tt.err) || step != tt.step {
			t.Errorf("%s: step %d, %v; want %d, %v", tt.name, step, err, tt.step, tt.err)
		}
	}
}

func TestTOTPLimit(t *testing.T) {
	now := time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)
	var l TOTPLimit
	for i := range TOTPMaxFailures {
		if stopped, _ := l.Stopped(now); stopped {
			t.Fatalf("stopped after %d failures", i)
		}
		l = l.Failed(now)
	}
	stopped, until := l.Stopped(now.Add(time.Minute))
	if !stopped || !until.Equal(now.Add(TOTPLockout)) {
		t.Fatalf("after %d failures: %v until %v", TOTPMaxFailures, stopped, until)
	}
	if msg := (&StoppedError{Until: until}).Error(); !strings.Contains(msg, "10:15") {
		t.Errorf("message %q does not say 10:15 (Beijing)", msg)
	}
	if stopped, _ := l.Stopped(now.Add(TOTPLockout)); stopped {
		t.Error("still stopped after the lockout")
	}
	// Failures spread wider than the lockout never stop anyone.
	l = TOTPLimit{}
	for i := range 20 {
		l = l.Failed(now.Add(time.Duration(i) * TOTPLockout))
	}
	if l.Failures != 1 {
		t.Errorf("failures %d", l.Failures)
	}
}

func TestTOTPURL(t *testing.T) {
	u := TOTPURL([]byte("12345678901234567890"), "枢纽办公", "quzhang")
	if !strings.HasPrefix(u, "otpauth://totp/") || !strings.Contains(u, "secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ") || !strings.Contains(u, "period=30") {
		t.Errorf("url %s", u)
	}
	if got := TOTPSecretText([]byte("12345678901234567890")); got != "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ" {
		t.Errorf("text %q", got)
	}
}

func FuzzNormalizeTOTP(f *testing.F) {
	for _, s := range []string{"123456", "123 456", "１２３４５６", "12-34-56", "abc", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, err := NormalizeTOTP(s)
		if err != nil {
			if err != ErrTOTPFormat {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if len(code) != TOTPDigits || strings.Trim(code, "0123456789") != "" {
			t.Fatalf("%q read as %q", s, code)
		}
	})
}
