package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// Bad input and resources (issue 11): bodies are capped before parsing, a
// parsed form's temporary files go on every path, and text that is not
// UTF-8 or holds NUL is refused at the edge.

// bigMultipart is a multipart body with a csrf field and one file of n bytes.
func bigMultipart(csrf string, n int) (*bytes.Buffer, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf", csrf)
	_ = mw.WriteField("name", "接口")
	fw, _ := mw.CreateFormFile("files", "大文件.pdf")
	_, _ = fw.Write(bytes.Repeat([]byte("%PDF-1.7 0123456789abcdef\n"), n/26+1))
	mw.Close()
	return &buf, mw.FormDataContentType()
}

// multipartFiles lists the multipart-* temporary files in dir, waiting a
// little for the clean-up that runs as the handler returns.
func multipartFiles(t *testing.T, dir string) []string {
	t.Helper()
	var left []string
	for i := 0; i < 50; i++ {
		left, _ = filepath.Glob(filepath.Join(dir, "multipart-*"))
		if len(left) == 0 {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return left
}

func TestLargeMultipartLeavesNoTempFiles(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	e := newDocEnv(t)
	c := e.client()
	c.login("wenmi", demo.Password)
	id := c.createDraft("清澜区人民政府办公室关于做好冬季防火工作的通知", "0", e.towns(1)[0].ID)

	send := func(path string, body io.Reader, ctype string, length int64) int {
		t.Helper()
		req, _ := http.NewRequest("POST", e.srv.URL+path, body)
		req.Header.Set("Content-Type", ctype)
		req.ContentLength = length
		resp, err := c.http.Do(req)
		if err != nil {
			return 0 // the server may close the connection on a refused body: that is fine
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode
	}
	// 40 MB to a route without files, wrong CSRF token: refused before it is read.
	buf, ct := bigMultipart("wrong-token", 40<<20)
	if code := send("/tokens", bytes.NewReader(buf.Bytes()), ct, int64(buf.Len())); code != 0 && code != http.StatusRequestEntityTooLarge {
		t.Errorf("40 MB to /tokens: %d, want 413", code)
	}
	// The same without a declared length (chunked): cut off at the cap while parsing.
	if code := send("/tokens", io.MultiReader(bytes.NewReader(buf.Bytes())), ct, -1); code != 0 && code != http.StatusRequestEntityTooLarge {
		t.Errorf("40 MB chunked to /tokens: %d, want 413", code)
	}
	// 40 MB to an upload route with a wrong CSRF token: parsed (spilling to
	// disk), refused, and its files removed.
	if code := send("/docs/"+id+"/files", bytes.NewReader(buf.Bytes()), ct, int64(buf.Len())); code != http.StatusForbidden {
		t.Errorf("40 MB upload with a wrong CSRF token: %d, want 403", code)
	}
	if left := multipartFiles(t, tmp); len(left) > 0 {
		t.Fatalf("temporary files left in TMPDIR: %v", left)
	}
	// The same upload with the right token is stored, and leaves nothing behind either.
	c.get("/docs/" + id)
	buf, ct = bigMultipart(c.csrf, 40<<20)
	if code := send("/docs/"+id+"/files", bytes.NewReader(buf.Bytes()), ct, int64(buf.Len())); code != http.StatusSeeOther {
		t.Errorf("40 MB upload: %d, want 303", code)
	}
	if left := multipartFiles(t, tmp); len(left) > 0 {
		t.Fatalf("temporary files left in TMPDIR after an upload: %v", left)
	}
}

// rawCall sends body as given (json.Marshal would mend invalid UTF-8).
func (c *client) rawCall(method, path, ctype string, body []byte) (int, string) {
	c.e.t.Helper()
	req, _ := http.NewRequest(method, c.e.srv.URL+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("X-CSRF-Token", c.csrf)
	resp, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestInvalidTextRefusedAtTheEdge(t *testing.T) {
	forEachDocEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		created := func() int {
			es, err := e.store.ListAudit(ctx, store.AuditFilter{Action: "document.create", Limit: 10000})
			if err != nil {
				t.Fatal(err)
			}
			return len(es)
		}
		c := e.client()
		c.login("wenmi", demo.Password)
		_, page, _ := c.get("/docs/new")
		unitID := firstOption.FindStringSubmatch(page)[1]
		town := e.towns(1)[0].ID
		before := created()

		const good = "清澜区人民政府办公室关于做好冬季防火工作的通知"
		for name, title := range map[string]string{
			"invalid UTF-8":  "清澜区\xff\xfe关于做好冬季防火工作的通知",
			"NUL":            "清澜区人民政府办公室关于做好\x00冬季防火工作的通知",
			"truncated rune": good[:len(good)-1],
		} {
			f := draftForm(title, "0", town)
			f.Set("unit_id", unitID)
			if code, body, _ := c.postMultipart("/docs/new", f, "", "", nil); code != http.StatusBadRequest || !strings.Contains(body, "“title”") {
				t.Errorf("form, %s title: %d %s", name, code, firstLines(body, `<div class="alert`, 3))
			}
			if code, body, _ := c.post("/docs/new", f); code != http.StatusBadRequest || !strings.Contains(body, "“title”") {
				t.Errorf("urlencoded form, %s title: %d %s", name, code, firstLines(body, `<div class="alert`, 3))
			}
		}
		// JSON: raw invalid bytes, an escaped NUL, a lone surrogate.
		for name, title := range map[string]string{
			"invalid UTF-8":   "\"清澜区\xff关于做好冬季防火工作的通知\"",
			"escaped NUL":     `"清澜区关于做好\u0000冬季防火工作的通知"`,
			"lone surrogate":  `"清澜区关于做好\ud800冬季防火工作的通知"`,
			"NUL in a key":    `"x", "a\u0000b": "y"`,
			"invalid in body": `"` + good + `", "body": "\xc3("`,
		} {
			doc := document.Document{Type: document.Notice, Title: "TITLE", Body: document.ParseBody(draftBody)}
			body, _ := json.Marshal(map[string]any{"unit_id": unitID, "document": doc, "to": []string{town}})
			body = bytes.Replace(body, []byte(`"TITLE"`), []byte(title), 1)
			code, out := c.rawCall("POST", "/api/v1/documents", "application/json", body)
			var msg map[string]string
			_ = json.Unmarshal([]byte(out), &msg)
			if code != http.StatusBadRequest || msg["error"] == "" {
				t.Errorf("JSON, %s: %d %s", name, code, out)
			}
		}
		// Query values and the path.
		for _, path := range []string{"/docs?q=%FF%FE", "/docs?q=a%00b", "/api/v1/documents?q=%C3%28", "/docs/%FF"} {
			if code, body, _ := c.get(path); code != http.StatusBadRequest || !strings.Contains(body, "UTF-8") && !strings.Contains(body, "NUL") {
				t.Errorf("GET %s: %d %s", path, code, firstLines(body, `<div class="alert`, 3))
			}
		}
		if n := created(); n != before {
			t.Errorf("%d documents stored from refused input", n-before)
		}
		// Good text still passes.
		f := draftForm(good, "0", town)
		f.Set("unit_id", unitID)
		if code, body, _ := c.postMultipart("/docs/new", f, "", "", nil); code != http.StatusSeeOther {
			t.Errorf("good draft: %d %s", code, firstLines(body, `<div class="alert`, 3))
		}
		if code, _, _ := c.get("/docs?q=" + url.QueryEscape("防火")); code != http.StatusOK {
			t.Errorf("good query: %d", code)
		}
	})
}
