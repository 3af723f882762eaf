package main

import (
	"bytes"
	"context"
	"database/sql"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
)

func run(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := dispatch(context.Background(), args, strings.NewReader(""), &out, &errb, func(k string) string { return env[k] })
	return code, out.String(), errb.String()
}

func TestVersionAndUsage(t *testing.T) {
	if code, out, _ := run(t, nil, "version"); code != 0 || !strings.HasPrefix(out, "shuniu ") {
		t.Errorf("version: %d %q", code, out)
	}
	if code, _, errs := run(t, nil, "frobnicate"); code != 2 || !strings.Contains(errs, "未知子命令") {
		t.Errorf("unknown: %d %q", code, errs)
	}
	if code, _, _ := run(t, nil); code != 2 {
		t.Errorf("no args: %d", code)
	}
}

func TestOperatorCommands(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"SHUNIU_DATA_DIR": dir}
	if code, out, errs := run(t, env, "migrate"); code != 0 || !strings.Contains(out, "0001") {
		t.Fatalf("migrate: %d %q %q", code, out, errs)
	}
	if code, out, _ := run(t, env, "migrate"); code != 0 || !strings.Contains(out, "最新") {
		t.Fatalf("migrate again: %d %q", code, out)
	}
	code, out, errs := run(t, env, "user", "add", "--login", "sysadmin", "--name", "张三", "--role", "sysadmin")
	if code != 0 || !strings.Contains(out, "一次性密码") {
		t.Fatalf("user add: %d %q %q", code, out, errs)
	}
	// A business role needs a unit.
	if code, _, errs := run(t, env, "user", "add", "--login", "clerk1", "--name", "李四", "--role", "文秘"); code != 1 || !strings.Contains(errs, "单位") {
		t.Errorf("clerk without unit: %d %q", code, errs)
	}
	if code, _, errs := run(t, env, "user", "add", "--login", "weak", "--name", "王五", "--password", "123"); code != 2 || !strings.Contains(errs, "策略") {
		t.Errorf("weak password: %d %q", code, errs)
	}
	for _, sub := range []string{"lock", "unlock", "passwd"} {
		if code, _, errs := run(t, env, "user", sub, "--login", "sysadmin"); code != 0 {
			t.Errorf("user %s: %d %q", sub, code, errs)
		}
	}
	if code, _, errs := run(t, env, "user", "otp-reset", "--login", "sysadmin"); code != 1 || !strings.Contains(errs, "未启用动态口令") {
		t.Errorf("otp-reset of an account without one: %d %q", code, errs)
	}
	if code, _, _ := run(t, env, "user", "lock", "--login", "nobody"); code != 1 {
		t.Errorf("lock unknown: %d", code)
	}
	if code, out, _ := run(t, env, "audit", "verify"); code != 0 || !strings.Contains(out, "完整") || !strings.Contains(out, "未找到检查点") {
		t.Fatalf("audit verify: %d %q", code, out)
	}
	// The key was made on first start, readable by its owner only.
	if fi, err := os.Stat(filepath.Join(dir, "keys", "audit.key")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("audit key file: %v %v", fi, err)
	}

	// Backup, then restore into a fresh data directory, and the data is there.
	archive := filepath.Join(t.TempDir(), "b.tar.gz")
	if err := os.MkdirAll(filepath.Join(dir, "files", "ab"), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "files", "ab", "abcdef"), []byte("附件内容"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A file of a 机密 document, kept encrypted: copied as it is, and the
	// backup names the master key it needs (which it does not hold).
	mk, _ := gmcrypto.MasterKeyFromHex(strings.Repeat("3c", 16))
	var env1 bytes.Buffer
	sealedSum := strings.Repeat("cd", 32)
	if err := gmcrypto.EncryptFile(&env1, strings.NewReader("机密附件内容"), mk, []byte(sealedSum)); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "files", "cd"), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "files", "cd", sealedSum), env1.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := run(t, env, "backup", "-o", archive); code != 0 || !strings.Contains(out, "1 个文件") || !strings.Contains(out, "主密钥 "+mk.ID()) {
		t.Fatalf("backup: %d %q %q", code, out, errs)
	}
	dir2 := t.TempDir()
	env2 := map[string]string{"SHUNIU_DATA_DIR": dir2}
	if code, out, errs := run(t, env2, "restore", archive); code != 0 || !strings.Contains(out, "附件 2 个") || !strings.Contains(out, "不是所需的主密钥") {
		t.Fatalf("restore: %d %q %q", code, out, errs)
	}
	if b, err := os.ReadFile(filepath.Join(dir2, "files", "cd", sealedSum)); err != nil || !bytes.Equal(b, env1.Bytes()) {
		t.Errorf("restored encrypted file differs: %v", err)
	}
	if code, _, errs := run(t, env2, "restore", archive); code != 1 || !strings.Contains(errs, "--force") {
		t.Errorf("restore over existing: %d %q", code, errs)
	}
	if b, err := os.ReadFile(filepath.Join(dir2, "files", "ab", "abcdef")); err != nil || string(b) != "附件内容" {
		t.Errorf("restored attachment: %q %v", b, err)
	}
	// The key is not in the backup: verification needs it brought back.
	if code, _, errs := run(t, env2, "audit", "verify"); code != 1 || !strings.Contains(errs, "审计密钥缺失") {
		t.Errorf("restored chain without its key: %d %q", code, errs)
	}
	env2["SHUNIU_AUDIT_KEY_FILE"] = filepath.Join(dir, "keys", "audit.key")
	if code, out, _ := run(t, env2, "audit", "verify"); code != 0 || !strings.Contains(out, "共 4 条") {
		t.Errorf("restored chain: %d %q", code, out)
	}
	// A corrupt archive is refused and changes nothing.
	bad := filepath.Join(t.TempDir(), "bad.tar.gz")
	_ = os.WriteFile(bad, []byte("not an archive"), 0o600)
	if code, _, errs := run(t, env2, "restore", "--force", bad); code != 1 || !strings.Contains(errs, "不是有效的备份") {
		t.Errorf("bad archive: %d %q", code, errs)
	}

	// Tampering is caught by the command, exit 1, naming the entry.
	raw, err := sql.Open("sqlite", filepath.Join(dir2, "shuniu.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor_name = '篡改' WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := run(t, env2, "audit", "verify"); code != 1 || !strings.Contains(out, "第 2 条") {
		t.Errorf("tampered chain: %d %q", code, out)
	}
}

// TestAuditCommands: checkpoints, a deleted tail and a wrong key, through the
// command line.
func TestAuditCommands(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"SHUNIU_DATA_DIR": dir}
	// Logins that a generated one-time password (alternating character
	// classes) cannot contain.
	for _, login := range []string{"zhangsan", "lisi", "wangwu"} {
		if code, _, errs := run(t, env, "user", "add", "--login", login, "--name", "张三"); code != 0 {
			t.Fatalf("user add: %d %q", code, errs)
		}
	}
	if code, out, errs := run(t, env, "audit", "checkpoint"); code != 0 || !strings.Contains(out, "第 3 条") {
		t.Fatalf("audit checkpoint: %d %q %q", code, out, errs)
	}
	if code, out, _ := run(t, env, "audit", "verify"); code != 0 || !strings.Contains(out, "与 1 个检查点一致") {
		t.Fatalf("verify with a checkpoint: %d %q", code, out)
	}
	// Another key: refused by the writing commands, reported by verify.
	other := map[string]string{"SHUNIU_DATA_DIR": dir, "SHUNIU_AUDIT_KEY": strings.Repeat("5a", 32)}
	if code, out, _ := run(t, other, "audit", "verify"); code != 1 || !strings.Contains(out, "审计密钥不符（第 1 条）") {
		t.Errorf("verify with another key: %d %q", code, out)
	}
	if code, _, errs := run(t, other, "user", "lock", "--login", "lisi"); code != 1 || !strings.Contains(errs, "审计密钥不符") {
		t.Errorf("write with another key: %d %q", code, errs)
	}
	// The database's administrator deletes the last entry and moves the head
	// back: the checkpoint outside the database names it.
	raw, err := sql.Open("sqlite", filepath.Join(dir, "shuniu.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 3;
		UPDATE audit_head SET seq = 2, hash = (SELECT hash FROM audit_log WHERE seq = 2)`); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := run(t, env, "audit", "verify"); code != 1 || !strings.Contains(out, "第 3 条与检查点不符") || !strings.Contains(out, "链尾被删除") {
		t.Errorf("deleted tail: %d %q", code, out)
	}
	// A key file that others can read is refused.
	if err := os.Chmod(filepath.Join(dir, "keys", "audit.key"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := run(t, env, "audit", "verify"); code != 1 || !strings.Contains(errs, "权限") {
		t.Errorf("world-readable key: %d %q", code, errs)
	}
	// A key named by reference must exist: it is never made there.
	ref := map[string]string{"SHUNIU_DATA_DIR": t.TempDir(), "SHUNIU_AUDIT_KEY_FILE": filepath.Join(dir, "kms", "audit.key")}
	if code, _, errs := run(t, ref, "migrate"); code != 1 || !strings.Contains(errs, "不存在") {
		t.Errorf("missing referenced key: %d %q", code, errs)
	}
}

// TestServeWritesCheckpoints: a server signs a checkpoint of the chain's head
// at start, to the checkpoint directory and the remote syslog, and one more
// as it stops.
func TestServeWritesCheckpoints(t *testing.T) {
	dir := t.TempDir()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	env := map[string]string{"SHUNIU_DATA_DIR": dir, "SHUNIU_AUDIT_SYSLOG": "udp://" + pc.LocalAddr().String()}
	if code, _, errs := run(t, env, "user", "add", "--login", "zhangsan", "--name", "张三"); code != 0 {
		t.Fatalf("user add: %d %q", code, errs)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan int)
	var out, errb bytes.Buffer
	go func() {
		done <- dispatch(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, strings.NewReader(""), &out, &errb, func(k string) string { return env[k] })
	}()
	_ = pc.SetReadDeadline(time.Now().Add(60 * time.Second))
	b := make([]byte, 4096)
	n, _, err := pc.ReadFrom(b)
	if err != nil {
		stop()
		<-done
		t.Fatalf("no checkpoint on syslog: %v (%s)", err, errb.String())
	}
	if msg := string(b[:n]); !strings.HasPrefix(msg, "<109>1 ") || !strings.Contains(msg, `"seq":1,`) {
		t.Errorf("syslog message: %q", msg)
	}
	stop()
	if code := <-done; code != 0 {
		t.Fatalf("serve: %d %s", code, errb.String())
	}
	cps, err := audit.CheckpointDir(filepath.Join(dir, "audit-checkpoints")).ReadCheckpoints()
	if err != nil || len(cps) == 0 || cps[0].Seq != 1 {
		t.Fatalf("checkpoints in the directory: %+v %v", cps, err)
	}
	if code, out, _ := run(t, env, "audit", "verify"); code != 0 || !strings.Contains(out, "检查点一致") {
		t.Errorf("verify: %d %q", code, out)
	}
}
