package account

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"net/url"
	"strings"
	"time"
)

// The second factor that unlocks a person's signing key (签发 and 批示):
// a time-based one-time password (TOTP, RFC 6238 over HOTP, RFC 4226) from
// an authenticator app on the person's phone — 30-second steps, six digits,
// HMAC-SHA1, the parameters every authenticator app accepts. The secret is
// 160 random bits (RFC 4226's recommended length).

// TOTPStep is the time step; TOTPDigits the code's length.
const (
	TOTPStep   = 30 * time.Second
	TOTPDigits = 6
	// TOTPSkew is how many steps before and after the current one a code is
	// still taken: a phone's clock a little off, or a code typed as it
	// changed.
	TOTPSkew = 1
	// TOTPMaxFailures wrong codes within TOTPLockout stop the person's
	// signing until the lockout has passed since the last wrong one: six
	// digits are guessed in 10^6/3 tries on average with the skew, so five
	// tries per quarter hour make it take years.
	TOTPMaxFailures = 5
	TOTPLockout     = 15 * time.Minute
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret makes a new 160-bit secret.
func NewTOTPSecret() ([]byte, error) {
	s := make([]byte, 20)
	if _, err := rand.Read(s); err != nil {
		return nil, fmt.Errorf("生成动态口令密钥：%w", err)
	}
	return s, nil
}

// TOTPSecretText is the secret as an authenticator app takes it typed in:
// base32, in groups of four.
func TOTPSecretText(secret []byte) string {
	s := b32.EncodeToString(secret)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TOTPURL is the otpauth:// URL (Google Authenticator's key URI format) an
// app reads from a QR code: issuer and account name label the entry.
func TOTPURL(secret []byte, issuer, account string) string {
	label := url.PathEscape(issuer + ":" + account)
	q := url.Values{"secret": {b32.EncodeToString(secret)}, "issuer": {issuer}, "algorithm": {"SHA1"},
		"digits": {fmt.Sprint(TOTPDigits)}, "period": {fmt.Sprint(int(TOTPStep / time.Second))}}
	return "otpauth://totp/" + label + "?" + q.Encode()
}

// hotp is RFC 4226's HOTP of the counter c with the hash h, digits long.
func hotp(h func() hash.Hash, secret []byte, c uint64, digits int) string {
	m := hmac.New(h, secret)
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], c)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// TOTPAlgorithm names the HMAC hash; only SHA1 is enrolled, the others
// are for RFC 6238's test vectors.
type TOTPAlgorithm string

const (
	TOTPSHA1   TOTPAlgorithm = "SHA1"
	TOTPSHA256 TOTPAlgorithm = "SHA256"
	TOTPSHA512 TOTPAlgorithm = "SHA512"
)

func (a TOTPAlgorithm) hash() func() hash.Hash {
	switch a {
	case TOTPSHA256:
		return sha256.New
	case TOTPSHA512:
		return sha512.New
	default:
		return sha1.New
	}
}

// TOTPStepAt is the time step t falls in.
func TOTPStepAt(t time.Time) int64 { return t.Unix() / int64(TOTPStep/time.Second) }

// TOTPCode is the code for step with the algorithm, digits long.
func TOTPCode(a TOTPAlgorithm, secret []byte, step int64, digits int) string {
	return hotp(a.hash(), secret, uint64(step), digits)
}

// ErrTOTPFormat refuses what is not a six-digit code.
var ErrTOTPFormat = errors.New("动态口令应为 6 位数字")

// ErrTOTPWrong refuses a code that is not the current one.
var ErrTOTPWrong = errors.New("动态口令不正确或已过期")

// ErrTOTPReused refuses a code already used: each is taken once.
var ErrTOTPReused = errors.New("该动态口令已使用过，请等待手机上出现新的口令")

// NormalizeTOTP reads a typed code: digits, with spaces or a dash between
// groups allowed, full-width digits taken as digits.
func NormalizeTOTP(s string) (string, error) {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		case r == ' ' || r == '-' || r == '\u3000':
		default:
			return "", ErrTOTPFormat
		}
		if b.Len() > TOTPDigits {
			return "", ErrTOTPFormat
		}
	}
	if b.Len() != TOTPDigits {
		return "", ErrTOTPFormat
	}
	return b.String(), nil
}

// CheckTOTP checks a typed code against the secret at now, taking steps
// within TOTPSkew of now's that are later than lastStep (the last step a
// code was taken for: a code is taken once). It returns the step matched.
func CheckTOTP(secret []byte, typed string, now time.Time, lastStep int64) (int64, error) {
	code, err := NormalizeTOTP(typed)
	if err != nil {
		return 0, err
	}
	cur := TOTPStepAt(now)
	reused := false
	for d := int64(-TOTPSkew); d <= TOTPSkew; d++ {
		step := cur + d
		if hmac.Equal([]byte(TOTPCode(TOTPSHA1, secret, step, TOTPDigits)), []byte(code)) {
			if step <= lastStep {
				reused = true
				continue
			}
			return step, nil
		}
	}
	if reused {
		return 0, ErrTOTPReused
	}
	return 0, ErrTOTPWrong
}

// TOTPLimit is a person's standing against wrong codes.
type TOTPLimit struct {
	Failures   int
	LastFailed time.Time
}

// Stopped reports whether wrong codes stop the person's signing at now,
// and until when.
func (l TOTPLimit) Stopped(now time.Time) (bool, time.Time) {
	until := l.LastFailed.Add(TOTPLockout)
	if l.Failures >= TOTPMaxFailures && now.Before(until) {
		return true, until
	}
	return false, time.Time{}
}

// Failed is the standing after a wrong code at now: failures older than the
// lockout are forgotten.
func (l TOTPLimit) Failed(now time.Time) TOTPLimit {
	if now.Sub(l.LastFailed) >= TOTPLockout {
		l.Failures = 0
	}
	return TOTPLimit{Failures: l.Failures + 1, LastFailed: now}
}

// StoppedError says how long the person must wait.
type StoppedError struct{ Until time.Time }

func (e *StoppedError) Error() string {
	return fmt.Sprintf("动态口令连续错误 %d 次，签名已暂停，请于 %s 后再试", TOTPMaxFailures, e.Until.In(chinaZone).Format("15:04"))
}

var chinaZone = time.FixedZone("CST", 8*3600)
