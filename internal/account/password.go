// Package account holds the rules of local accounts: password policy and
// hashing (argon2id), the sign-in limits per account and per source, sessions
// and API tokens. It is pure; the store keeps the state and the web layer
// applies it.
package account

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Policy is the deployment's account security policy, set by the security officer.
type Policy struct {
	MinLength      int           `json:"min_length"`       // runes
	MinClasses     int           `json:"min_classes"`      // of upper, lower, digit, symbol
	MaxFailures    int           `json:"max_failures"`     // failures of one account from one source before that source is stopped
	LockFor        time.Duration `json:"lock_for"`         // how long a stop lasts, and the window failures are counted in
	IdleTimeout    time.Duration `json:"idle_timeout"`     // a session ends after this long unused
	MaxSessionAge  time.Duration `json:"max_session_age"`  // and after this long in any case
	ChangeOnFirst  bool          `json:"change_on_first"`  // a new or reset password must be changed at first login
	PasswordMaxAge time.Duration `json:"password_max_age"` // 0: no expiry
	// DirectorDelegates lets the office director who serves a person set that
	// person's delegations (委托) for them, e.g. for a leader called away at
	// short notice. Off by default: a delegation is made by its giver.
	DirectorDelegates bool `json:"director_delegates"`
}

// DefaultPolicy is what a new deployment starts with.
func DefaultPolicy() Policy {
	return Policy{
		MinLength:     10,
		MinClasses:    3,
		MaxFailures:   5,
		LockFor:       15 * time.Minute,
		IdleTimeout:   30 * time.Minute,
		MaxSessionAge: 12 * time.Hour,
		ChangeOnFirst: true,
	}
}

// Validate checks the policy itself for values that would lock everyone out or
// protect nothing.
func (p Policy) Validate() error {
	switch {
	case p.MinLength < 8 || p.MinLength > 64:
		return errors.New("密码最小长度应在 8 到 64 之间")
	case p.MinClasses < 1 || p.MinClasses > 4:
		return errors.New("字符类别数应在 1 到 4 之间")
	case p.MaxFailures < 3 || p.MaxFailures > 20:
		return errors.New("锁定前允许的失败次数应在 3 到 20 之间")
	case p.LockFor < time.Minute || p.LockFor > 24*time.Hour:
		return errors.New("锁定时长应在 1 分钟到 24 小时之间")
	case p.IdleTimeout < time.Minute || p.IdleTimeout > 8*time.Hour:
		return errors.New("空闲超时应在 1 分钟到 8 小时之间")
	case p.MaxSessionAge < p.IdleTimeout:
		return errors.New("会话最长时间不能短于空闲超时")
	}
	return nil
}

// Holder is whose password is being set: the password must not contain
// their login name or their name in pinyin.
type Holder struct {
	Login string
	Name  string // in Chinese characters, as in the directory
}

// MaxPasswordBytes bounds what is hashed: argon2 reads all of it.
const MaxPasswordBytes = 256

// CheckPassword tells whether a new password satisfies the policy for its holder.
func (p Policy) CheckPassword(password string, h Holder) error {
	if !utf8.ValidString(password) {
		return errors.New("密码包含无效字符")
	}
	if n := utf8.RuneCountInString(password); n < p.MinLength {
		return fmt.Errorf("密码至少需要 %d 个字符（现有 %d 个）", p.MinLength, n)
	}
	if len(password) > MaxPasswordBytes {
		return errors.New("密码过长")
	}
	var upper, lower, digit, symbol int
	for _, r := range password {
		switch {
		case unicode.IsUpper(r):
			upper = 1
		case unicode.IsLower(r):
			lower = 1
		case unicode.IsDigit(r):
			digit = 1
		case unicode.IsSpace(r) || unicode.IsControl(r):
			return errors.New("密码不能包含空格或控制字符")
		default:
			symbol = 1
		}
	}
	if c := upper + lower + digit + symbol; c < p.MinClasses {
		return fmt.Errorf("密码需包含大写字母、小写字母、数字、符号中的至少 %d 类（现有 %d 类）", p.MinClasses, c)
	}
	if h.Login != "" && strings.Contains(strings.ToLower(password), strings.ToLower(h.Login)) {
		return errors.New("密码不能包含账户名")
	}
	if common(password) {
		return errors.New("这是常见密码（或在常见密码前后加了数字、符号），很容易被猜中，请换一个")
	}
	if py, ok := containsNamePinyin(password, h.Name); ok {
		return fmt.Errorf("密码不能包含本人姓名的拼音（%s）", py)
	}
	return nil
}

// Params are argon2id's cost parameters.
type Params struct {
	Time    uint32 // passes
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultParams are one of OWASP's equal-strength configurations for argon2id
// (Password Storage Cheat Sheet: m = 46 MiB with t = 1, 19 MiB with t = 2,
// 12 MiB with t = 3, 9 MiB with t = 4, 7 MiB with t = 5, p = 1): m = 7 MiB,
// t = 5. argon2id is bound by memory traffic, and the smallest memory stays
// best in the cache when both cores hash at once: measured two at a time on
// our 2-core servers it costs 21–26 ms of CPU a hash against 28–45 ms for
// 12 MiB with t = 3 (the previous choice) and 30–37 ms for 19 MiB with
// t = 2, and it holds the least memory during a morning's burst. RFC 9106's
// memory-constrained option (64 MiB, t = 3) costs about 0.2 s of CPU and
// 64 MiB a sign-in on a small server, so a burst queued for minutes and took
// gigabytes. The server bounds how many hashes run at once (see Hasher).
// Hashes made with other parameters still verify and are replaced at the
// next successful sign-in (NeedsRehash). docs/perf.md has the measurements.
var DefaultParams = Params{Time: 5, Memory: 7 * 1024, Threads: 1}

const (
	argonKeyLen = 32
	saltLen     = 16
)

// HashPassword returns an argon2id hash of password in the PHC string format,
// with DefaultParams. It runs at once: servers go through a Hasher, which
// bounds how many run together.
func HashPassword(password string) (string, error) {
	return hashWith(DefaultParams, password)
}

func hashWith(pr Params, password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("read random salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, pr.Time, pr.Memory, pr.Threads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, pr.Memory, pr.Time, pr.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// ErrBadHash is returned for a stored hash this package cannot read.
var ErrBadHash = errors.New("stored password hash is malformed")

type parsedHash struct {
	Params
	salt, key []byte
}

func parseHash(hash string) (parsedHash, error) {
	var ph parsedHash
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return ph, ErrBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return ph, ErrBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &ph.Memory, &ph.Time, &ph.Threads); err != nil || ph.Memory == 0 || ph.Time == 0 || ph.Threads == 0 ||
		ph.Memory > 1<<20 || ph.Time > 16 { // bounds: a corrupt row must not exhaust memory or CPU
		return ph, ErrBadHash
	}
	var err error
	if ph.salt, err = base64.RawStdEncoding.DecodeString(parts[4]); err != nil {
		return ph, ErrBadHash
	}
	if ph.key, err = base64.RawStdEncoding.DecodeString(parts[5]); err != nil || len(ph.key) == 0 {
		return ph, ErrBadHash
	}
	return ph, nil
}

// VerifyPassword reports whether password matches the PHC-format hash.
func VerifyPassword(hash, password string) (bool, error) {
	ph, err := parseHash(hash)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), ph.salt, ph.Time, ph.Memory, ph.Threads, uint32(len(ph.key)))
	return subtle.ConstantTimeCompare(got, ph.key) == 1, nil
}

// NeedsRehash reports whether a stored hash was made with other parameters
// than DefaultParams, so that it should be replaced once the password is
// known again (at a successful sign-in).
func NeedsRehash(hash string) bool {
	ph, err := parseHash(hash)
	return err == nil && (ph.Params != DefaultParams || len(ph.key) != argonKeyLen || len(ph.salt) != saltLen)
}

// NewToken returns a random secret for a session, CSRF or API token, and the
// hash under which it is stored: the secret itself never reaches the database.
func NewToken() (secret, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("read random token: %w", err)
	}
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, HashToken(secret), nil
}

// HashToken is the stored form of a token.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// API tokens live DefaultTokenLife unless their holder asks for another
// life of at most MaxTokenLife: a token forgotten in a script stops working
// on its own.
const (
	DefaultTokenLife = 90 * 24 * time.Hour
	MaxTokenLife     = 365 * 24 * time.Hour
)

// TempPassword makes a one-time password (for a new account or a reset) that
// has every character class, so it satisfies any valid policy. It is shown
// once and must be changed at first sign-in.
func TempPassword() (string, error) {
	sets := []string{"ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789", "@#%+=!"}
	out := make([]byte, 0, 14)
	for i := 0; i < 14; i++ {
		set := sets[i%len(sets)]
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
		if err != nil {
			return "", fmt.Errorf("read random password: %w", err)
		}
		out = append(out, set[n.Int64()])
	}
	return string(out), nil
}
