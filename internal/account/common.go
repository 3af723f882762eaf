package account

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// The 10,000 most common passwords, from SecLists (MIT; see data/seclists).
//
//go:embed data/seclists/10k-most-common.txt
var commonList string

// commonSet is read once; it is constant data, not state.
var commonSet = sync.OnceValue(func() map[string]struct{} {
	m := make(map[string]struct{}, 10000)
	for _, l := range strings.Split(commonList, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			m[strings.ToLower(l)] = struct{}{}
		}
	}
	return m
})

// leet undoes the usual letter-for-symbol substitutions, so that P@ssw0rd
// counts as password.
var leet = strings.NewReplacer("@", "a", "4", "a", "0", "o", "1", "l", "3", "e", "$", "s", "5", "s", "7", "t", "!", "i")

// common reports whether a password is one of the common ones, or one of
// them with digits and symbols added before or after (Password2026!,
// 123qwerty) or letters swapped for look-alike symbols (P@ssw0rd).
func common(password string) bool {
	set := commonSet()
	lower := strings.ToLower(password)
	notLetter := func(r rune) bool { return !unicode.IsLetter(r) }
	for _, cand := range []string{
		lower,
		strings.TrimRightFunc(lower, notLetter),
		strings.TrimLeftFunc(lower, notLetter),
		strings.TrimFunc(lower, notLetter),
	} {
		if cand == "" {
			continue
		}
		if _, ok := set[cand]; ok {
			return true
		}
		if _, ok := set[leet.Replace(cand)]; ok {
			return true
		}
	}
	return false
}

// namePinyin lists the spellings of a Chinese name in pinyin that a password
// must not contain: the whole name in Chinese and Western order (hezhenyong,
// zhenyonghe) and a given name of two or more characters (zhenyong). Every
// reading of a character with several is tried (单 shan/dan), up to a bound.
func namePinyin(name string) []string {
	name = strings.TrimSpace(name)
	var syllables [][]string // per character, its readings
	for _, r := range name {
		if !unicode.Is(unicode.Han, r) {
			continue
		}
		a := pinyin.NewArgs()
		a.Style = pinyin.Normal
		a.Heteronym = true
		rs := pinyin.SinglePinyin(r, a)
		if len(rs) == 0 {
			return nil
		}
		syllables = append(syllables, rs)
	}
	if len(syllables) < 2 {
		return nil
	}
	// Spell every combination of readings, at most a few dozen.
	spell := func(parts [][]string) []string {
		out := []string{""}
		for _, rs := range parts {
			var next []string
			for _, prefix := range out {
				for _, r := range rs {
					if len(next) < 64 {
						next = append(next, prefix+r)
					}
				}
			}
			out = next
		}
		return out
	}
	surname, given := syllables[:1], syllables[1:]
	var out []string
	for _, s := range spell(surname) {
		for _, g := range spell(given) {
			out = append(out, s+g, g+s)
			if len(given) >= 2 {
				out = append(out, g)
			}
		}
	}
	return out
}

// containsNamePinyin reports whether the letters of a password contain the
// holder's name in pinyin, and which spelling.
func containsNamePinyin(password, name string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.ToLower(password) {
		if r >= 'a' && r <= 'z' {
			b.WriteRune(r)
		}
	}
	letters := b.String()
	for _, py := range namePinyin(name) {
		if len(py) >= 4 && strings.Contains(letters, py) {
			return py, true
		}
	}
	return "", false
}
