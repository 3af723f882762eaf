// Package account holds the rules of local accounts: password policy and
// hashing (argon2id), lockout after repeated failures, sessions and API
// tokens. It is pure; the store keeps the state and the web layer applies it.
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
	MaxFailures    int           `json:"max_failures"`     // consecutive failures before lockout
	LockFor        time.Duration `json:"lock_for"`         // how long a lockout lasts
	IdleTimeout    time.Duration `json:"idle_timeout"`     // a session ends after this long unused
	MaxSessionAge  time.Duration `json:"max_session_age"`  // and after this long in any case
	ChangeOnFirst  bool          `json:"change_on_first"`  // a new or reset password must be changed at first login
	PasswordMaxAge time.Duration `json:"password_max_age"` // 0: no expiry
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

// CheckPassword tells whether a new password satisfies the policy; login is
// the account name, which the password must not contain.
func (p Policy) CheckPassword(password, login string) error {
	if !utf8.ValidString(password) {
		return errors.New("密码包含无效字符")
	}
	if n := utf8.RuneCountInString(password); n < p.MinLength {
		return fmt.Errorf("密码至少需要 %d 个字符（现有 %d 个）", p.MinLength, n)
	}
	if len(password) > 256 {
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
	if login != "" && strings.Contains(strings.ToLower(password), strings.ToLower(login)) {
		return errors.New("密码不能包含账户名")
	}
	return nil
}

// argon2id parameters (RFC 9106's second recommended option, memory-hard but
// quick enough for an interactive login on a small server).
const (
	argonTime    = 3
	argonMemory  = 64 * 1024 // KiB
	argonThreads = 2
	argonKeyLen  = 32
	saltLen      = 16
)

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("read random salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// ErrBadHash is returned for a stored hash this package cannot read.
var ErrBadHash = errors.New("stored password hash is malformed")

// VerifyPassword reports whether password matches the PHC-format hash.
func VerifyPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrBadHash
	}
	var mem uint32
	var iters uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iters, &threads); err != nil || mem == 0 || iters == 0 || threads == 0 ||
		mem > 1<<20 || iters > 16 { // bounds: a corrupt row must not exhaust memory or CPU
		return false, ErrBadHash
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, ErrBadHash
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, ErrBadHash
	}
	got := argon2.IDKey([]byte(password), salt, iters, mem, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
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
