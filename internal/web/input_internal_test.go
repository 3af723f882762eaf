package web

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// A larger body limit names a route that exists: a renamed upload route
// would otherwise fall back to the small cap and refuse every upload.
func TestBodyLimitRoutesExist(t *testing.T) {
	srv, err := New(storetest.SQLite(t, store.Options{}), Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	for p := range bodyLimits {
		method, path, _ := strings.Cut(p, " ")
		path = strings.NewReplacer("{id}", "x", "{op}", "report").Replace(path)
		req, _ := http.NewRequest(method, path, nil)
		if _, got := srv.mux.Handler(req); got != p {
			t.Errorf("body limit for %q, which is not a registered route (%s %s matched %q)", p, method, path, got)
		}
	}
}

func TestCheckJSON(t *testing.T) {
	for in, bad := range map[string]bool{
		`{"title": "关于做好冬季防火工作的通知", "n": 3, "list": ["a", "b"]}`: false,
		`{"title": "\u5173\u4e8e"}`:       false,
		`{"title": "含有 � 的原文"}`:           false, // a real U+FFFD typed in is text
		`{"title": "a\u0000b"}`:           true,
		`{"a\u0000": 1}`:                  true,
		`{"title": "\ud800"}`:             true,
		`{"title": "\udc00x"}`:            true,
		"{\"title\": \"\xff\"}":           true,
		`not json at all`:                 false, // the handler refuses it with its own message
		`{"title": "\ud83d\ude00 emoji"}`: false,
	} {
		if got := checkJSON([]byte(in)) != ""; got != bad {
			t.Errorf("checkJSON(%q) refused = %v, want %v", in, got, bad)
		}
	}
}

func FuzzCheckJSON(f *testing.F) {
	f.Add([]byte(`{"title": "通知", "body": "\u0000"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = checkJSON(b) // must not panic or hang
	})
}
