package audit

import (
	"encoding/hex"
	"net"
	"regexp"
	"strings"
	"testing"
)

var han = regexp.MustCompile(`\p{Han}`)

// FuzzParseKey: a key handed over as text (a file, an environment variable,
// a secret manager) is refused in Chinese, or read as the bytes it spells:
// the same key, whatever the case and the space around it.
func FuzzParseKey(f *testing.F) {
	f.Add([]byte(strings.Repeat("ab", KeyBytes)))
	f.Add([]byte("  " + strings.Repeat("0F", KeyBytes) + "\n"))
	f.Add([]byte(strings.Repeat("a", 63)))
	f.Add([]byte("zz"))
	f.Fuzz(func(t *testing.T, text []byte) {
		k, err := ParseKey(text)
		if err != nil {
			if !han.MatchString(err.Error()) {
				t.Fatalf("refusal not in Chinese: %v", err)
			}
			return
		}
		again, err := ParseKey([]byte(" " + strings.ToUpper(hex.EncodeToString(k.secret)) + "\r\n"))
		if err != nil || again.ID() != k.ID() || again.mac([]byte("x")) != k.mac([]byte("x")) {
			t.Fatalf("the same key written again reads differently: %v", err)
		}
	})
}

// FuzzParseSyslog: --audit-syslog is refused in Chinese or names a tcp/udp
// host and port.
func FuzzParseSyslog(f *testing.F) {
	f.Add("tcp://127.0.0.1:514")
	f.Add("udp://[::1]")
	f.Add("tcp://host:port/x")
	f.Add("http://x")
	f.Fuzz(func(t *testing.T, s string) {
		sl, err := ParseSyslog(s)
		if err != nil {
			if !han.MatchString(err.Error()) {
				t.Fatalf("refusal not in Chinese: %v", err)
			}
			return
		}
		if sl.Network != "tcp" && sl.Network != "udp" {
			t.Fatalf("%q: network %q", s, sl.Network)
		}
		if _, _, err := net.SplitHostPort(sl.Addr); err != nil {
			t.Fatalf("%q: address %q: %v", s, sl.Addr, err)
		}
	})
}
