package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
	"github.com/shuniu-oa/shuniu/internal/seal"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/web"
)

// sealEnv is newEnv with a master key, as `shuniu serve` gives the server.
func sealEnv(t *testing.T) *env {
	e := newEnv(t)
	master, err := gmcrypto.NewMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	h, err := web.New(e.store, web.Options{Version: "test", Logger: slog.New(slog.DiscardHandler), MasterKey: master})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h.Handler())
	t.Cleanup(ts.Close)
	e.srv = ts
	return e
}

func (c *client) postFile(path string, fields map[string]string, file []byte) (int, string) {
	c.e.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("csrf", c.csrf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("image", "seal.png")
	fw.Write(file)
	mw.Close()
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if m := csrfField.FindSubmatch(body); m != nil {
		c.csrf = string(m[1])
	}
	return resp.StatusCode, string(body)
}

func TestSealRegister(t *testing.T) {
	e := sealEnv(t)
	ctx := context.Background()
	units, err := e.store.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	gov := units[0]

	// Only the security officer keeps the seals.
	admin := e.client()
	admin.login("sysadmin", demo.Password)
	if code, _, _ := admin.get("/security/seals"); code != http.StatusForbidden {
		t.Errorf("sysadmin seals page: %d", code)
	}
	clerk := e.client()
	clerk.login("wenmi", demo.Password)
	if code, _, _ := clerk.get("/security/seals"); code != http.StatusForbidden {
		t.Errorf("clerk seals page: %d", code)
	}

	sec := e.client()
	sec.login("secadmin", demo.Password)
	code, body, _ := sec.get("/security/seals")
	if code != 200 || !strings.Contains(body, "尚未登记电子印章") {
		t.Fatalf("seals page: %d", code)
	}
	// A blue image is refused with the reason, and the form keeps its input.
	blue := image.NewNRGBA(image.Rect(0, 0, 200, 200))
	for y := 50; y < 150; y++ {
		for x := 50; x < 150; x++ {
			blue.SetNRGBA(x, y, color.NRGBA{B: 220, A: 255})
		}
	}
	var bb bytes.Buffer
	png.Encode(&bb, blue)
	code, body = sec.postFile("/security/seals", map[string]string{"unit": gov.ID, "name": gov.Name + "印章", "kind": "government"}, bb.Bytes())
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "印章应为红色") || !strings.Contains(body, gov.Name+"印章") {
		t.Fatalf("blue seal: %d %s", code, firstLines(body, "<p class=\"error", 1))
	}
	code, _ = sec.postFile("/security/seals", map[string]string{"unit": gov.ID, "name": gov.Name + "印章", "kind": "government"}, seal.SampleImage(300))
	if code != http.StatusSeeOther {
		t.Fatalf("register: %d", code)
	}
	_, body, _ = sec.get("/security/seals")
	ss, _ := e.store.Seals(ctx)
	if len(ss) != 1 || !strings.Contains(body, ss[0].Fingerprint) || !strings.Contains(body, "在用") {
		t.Fatalf("listed: %d seals", len(ss))
	}
	if code, _, h := sec.get("/security/seals/" + ss[0].ID + "/image"); code != 200 || h.Get("Content-Type") != "image/png" {
		t.Errorf("image: %d", code)
	}
	// The stored key is wrapped, never clear PKCS#8.
	if bytes.Contains(ss[0].WrappedKey, []byte{0x30, 0x81}) && len(ss[0].WrappedKey) < 40 {
		t.Error("wrapped key")
	}

	// The API, with the officer's token.
	sec.get("/tokens")
	_, body, _ = sec.post("/tokens", url.Values{"name": {"印章脚本"}})
	m := regexp.MustCompile(`class="secret">([^<]+)<`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no token shown")
	}
	call := func(method, path string, in any) (int, map[string]any) {
		var rd io.Reader
		if in != nil {
			b, _ := json.Marshal(in)
			rd = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, e.srv.URL+path, rd)
		req.Header.Set("Authorization", "Bearer "+m[1])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	in := map[string]string{"unit_id": gov.ID, "name": gov.Name + "办公室印章", "kind": "office", "image_png_base64": base64.StdEncoding.EncodeToString(seal.SampleImage(300))}
	code, out := call("POST", "/api/v1/seals", in)
	if code != http.StatusCreated || out["kind_label"] != "办公室印章" || out["in_force"] != true || out["fingerprint"] == "" {
		t.Fatalf("api add: %d %v", code, out)
	}
	if _, leaked := out["wrapped_key"]; leaked {
		t.Fatal("key material in the API")
	}
	if code, out := call("POST", "/api/v1/seals", in); code != http.StatusConflict {
		t.Errorf("api duplicate: %d %v", code, out)
	}
	if code, out := call("GET", "/api/v1/seals", nil); code != 200 || len(out["seals"].([]any)) != 2 {
		t.Errorf("api list: %d %v", code, out)
	}
	id := out["id"].(string)
	if code, _ := call("POST", "/api/v1/seals/"+id+"/revoke", nil); code != 200 {
		t.Errorf("api revoke: %d", code)
	}
	if code, _ := call("POST", "/api/v1/seals/"+id+"/revoke", nil); code != http.StatusNotFound {
		t.Errorf("api revoke twice: %d", code)
	}
	es, err := e.store.ListAudit(ctx, store.AuditFilter{Action: "seal.add"})
	if err != nil || len(es) != 2 {
		t.Errorf("audited registrations: %d %v", len(es), err)
	}
	if es, _ := e.store.ListAudit(ctx, store.AuditFilter{Action: "seal.revoke"}); len(es) != 1 {
		t.Errorf("audited revocations: %d", len(es))
	}
}
