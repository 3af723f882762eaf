package web

import (
	"net/url"
	"strings"
	"testing"
	"unicode"
)

func TestSafeNext(t *testing.T) {
	for next, want := range map[string]string{
		"":                              "/",
		"/":                             "/",
		"/docs":                         "/docs",
		"/docs/01HX?tab=sheet#top":      "/docs/01HX?tab=sheet#top",
		"/docs?q=%E5%85%AC%E6%96%87%20": "/docs?q=%E5%85%AC%E6%96%87%20",
		"/\t/127.0.0.1:9999/pwned":      "/", // the case, once decoded from %2F%09%2F…
		"/%09/127.0.0.1:9999/pwned":     "/",
		"//evil.example":                "/",
		"/\\evil.example":               "/",
		"/%2F/evil.example":             "/",
		"/%252F/evil.example":           "/",
		"/%5Cevil.example":              "/",
		"/ /evil.example":               "/",
		"/\n/evil.example":              "/",
		"/\u3000/evil.example":          "/", // ideographic space
		"/docs\r\nSet-Cookie: x=1":      "/",
		"https://evil.example/":         "/",
		"javascript:alert(1)":           "/",
		"docs":                          "/",
		"/\xff":                         "/",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}

// FuzzSafeNext: whatever comes in, what goes out is "/" or the input itself,
// and a browser reading it — dropping tabs and newlines, taking "\" for "/",
// decoding %XX — still finds a path on this site.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/", "/docs?q=1", "/\t/127.0.0.1:9999/pwned", "//x", "/\\x", "/%2F/x", "/%252F%252Fx", "http://x/", "/a b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if got != "/" && got != next {
			t.Fatalf("safeNext(%q) rewrote it to %q", next, got)
		}
		browser := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(got)
		for range 3 {
			if dec, err := url.PathUnescape(browser); err == nil {
				browser = strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(dec)
			}
		}
		if !strings.HasPrefix(browser, "/") || strings.HasPrefix(browser, "//") {
			t.Fatalf("safeNext(%q) = %q leaves the site (%q)", next, got, browser)
		}
		for _, r := range got {
			if unicode.IsSpace(r) || unicode.IsControl(r) {
				t.Fatalf("safeNext(%q) = %q has %U", next, got, r)
			}
		}
		if u, err := url.Parse(got); err != nil || u.Host != "" || u.Scheme != "" {
			t.Fatalf("safeNext(%q) = %q parses as %v %v", next, got, u, err)
		}
	})
}
