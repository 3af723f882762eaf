package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/account"
	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// TestTokenCreate: an administrator makes an API token for an account from
// the command line; it is printed once, stored as a hash, lives as long as
// asked (within the longest allowed) and is audited.
func TestTokenCreate(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"SHUNIU_DATA_DIR": dir}
	if code, _, errs := run(t, env, "user", "add", "--login", "export", "--name", "导出脚本", "--password", "Qz8#mVt2$Lw9"); code != 0 {
		t.Fatalf("user add: %d %s", code, errs)
	}
	for _, bad := range [][]string{
		{"token", "create", "--login", "nobody"},
		{"token", "create", "--login", "export", "--expires", "400d"},
		{"token", "create", "--login", "export", "--expires", "2001-01-01"},
		{"token", "create", "--login", "export", "--expires", "soon"},
		{"token", "create"},
		{"token"},
	} {
		if code, _, _ := run(t, env, bad...); code == 0 {
			t.Errorf("%v accepted", bad)
		}
	}
	code, out, errs := run(t, env, "token", "create", "--login", "export", "--expires", "30d", "--name", "夜间导出")
	if code != 0 {
		t.Fatalf("token create: %d %q", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	secret := strings.TrimSpace(lines[len(lines)-1])
	ctx := context.Background()
	key, err := audit.ReadKeyFile(filepath.Join(dir, "keys", "audit.key"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, filepath.Join(dir, "shuniu.db"), store.Options{AuditKey: key})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tok, err := s.APITokenByHash(ctx, account.HashToken(secret))
	if err != nil || !tok.Live(s.Now()) || tok.Name != "夜间导出" {
		t.Fatalf("token %+v %v", tok, err)
	}
	if life := tok.Expires.Sub(tok.Created); life < 29*24*time.Hour || life > 31*24*time.Hour {
		t.Errorf("life %v, want 30 days", life)
	}
	p, _ := s.PersonByLogin(ctx, "export")
	if tok.PersonID != p.ID {
		t.Error("the token is not the account's")
	}
	entries, err := s.ListAudit(ctx, store.AuditFilter{Action: "token.create"})
	if err != nil || len(entries) != 1 || strings.Contains(entries[0].Detail, secret) {
		t.Fatalf("audit: %+v %v", entries, err)
	}
}
