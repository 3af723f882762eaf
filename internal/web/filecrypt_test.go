package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/demo"
	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
	"github.com/shuniu-oa/shuniu/internal/web"
)

// TestFilesEncryptedAtRest: on both stores, an attachment of a 机密 document
// is written SM4-GCM encrypted (its plaintext is nowhere in the file on
// disk) and read back decrypted by those who may open the document; 解密
// decrypts it on disk, 定密 to 秘密 encrypts it again, both before the
// answer; a server with another master key refuses it in Chinese.
func TestFilesEncryptedAtRest(t *testing.T) {
	c := &clock{t: time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)}
	storetest.ForEach(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler)}, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		d := demo.NewDistrict(c.now())
		if err := demo.Seed(ctx, s, d); err != nil {
			t.Fatal(err)
		}
		dataDir := t.TempDir()
		serve := func(mk *gmcrypto.MasterKey) *httptest.Server {
			h, err := web.New(s, web.Options{Version: "test", Logger: slog.New(slog.DiscardHandler), DataDir: dataDir, MasterKey: mk})
			if err != nil {
				t.Fatal(err)
			}
			ts := httptest.NewServer(h.Handler())
			t.Cleanup(ts.Close)
			return ts
		}
		mk, _ := gmcrypto.MasterKeyFromHex(strings.Repeat("5a", 16))
		e := &env{t: t, srv: serve(mk), store: s, clock: c, d: d}
		secret := e.secretDoc()
		office := e.unit("区委办")
		director := e.withRole(org.RoleOfficeDirector, office.ID)
		if err := s.Write(ctx, func(tx *store.Tx) error {
			return tx.AddGrant(ctx, store.Grant{ID: "g-director", PersonID: director.ID, ObjectKind: "document", ObjectID: secret.ID, GrantedBy: e.byLogin("secadmin").ID})
		}); err != nil {
			t.Fatal(err)
		}
		drafter := e.client()
		drafter.login("jiyao", demo.Password)
		content := []byte("附件：机密事项清单\n一、绝不外传的安排\n" + strings.Repeat("第二项内容。", 2000))
		if code, body, _ := drafter.postMultipart("/docs/"+secret.ID+"/files", url.Values{}, "files", "附件1 清单.txt", content); code >= 400 {
			t.Fatalf("upload: %d %s", code, firstLines(body, `<div class="alert`, 2))
		}
		h := sha256.Sum256(content)
		sum := hex.EncodeToString(h[:])
		onDisk := func() []byte {
			t.Helper()
			b, err := os.ReadFile(filepath.Join(dataDir, "files", sum[:2], sum))
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		encrypted := func(want bool) {
			t.Helper()
			b := onDisk()
			if gmcrypto.IsEnvelope(b) != want || want && bytes.Contains(b, []byte("绝不外传")) || !want && !bytes.Equal(b, content) {
				t.Fatalf("on disk: encrypted %v, want %v", gmcrypto.IsEnvelope(b), want)
			}
		}
		encrypted(true)
		if code, body, _ := drafter.get("/docs/" + secret.ID + "/files/" + sum); code != 200 || body != string(content) {
			t.Fatalf("download: %d, %d bytes", code, len(body))
		}
		dir := e.client()
		dir.login(director.Login, demo.Password)
		declassify := url.Values{"level": {"0"}, "period": {""}, "basis": {"已公开发布"}, "version": {"1"}}
		if code, body, _ := dir.post("/docs/"+secret.ID+"/classify", declassify); code != http.StatusSeeOther {
			t.Fatalf("解密: %d %s", code, firstLines(body, `<div class="alert`, 2))
		}
		encrypted(false)
		now, _ := s.Document(ctx, secret.ID)
		if code, out, _ := dir.call("POST", "/api/v1/documents/"+secret.ID+"/classification", map[string]any{
			"classification": map[string]any{"level": "confidential", "period_years": 5}, "basis": "涉及未公开的后续安排", "version": now.Version}); code != 200 {
			t.Fatalf("定密: %d %v", code, out)
		}
		encrypted(true)
		if q, err := s.FileCryptQueue(ctx, 10); err != nil || len(q) != 0 {
			t.Errorf("queue after the changes: %v %v", q, err)
		}
		// Another server with another master key: a clear refusal.
		other, _ := gmcrypto.MasterKeyFromHex(strings.Repeat("a5", 16))
		e2 := &env{t: t, srv: serve(other), store: s, clock: c, d: d}
		c2 := e2.client()
		c2.login("jiyao", demo.Password)
		if code, body, _ := c2.get("/docs/" + secret.ID + "/files/" + sum); code != 500 || !strings.Contains(body, "主密钥") || strings.Contains(body, "绝不外传") {
			t.Fatalf("another master key: %d %s", code, firstLines(body, "主密钥", 1))
		}
	})
}
