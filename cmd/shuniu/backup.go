package main

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/blob"
	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// filesDir is where attachments live inside the data directory.
const filesDir = "files"

type manifest struct {
	Version   string    `json:"version"`
	Created   time.Time `json:"created"`
	Dialect   string    `json:"dialect"`
	Database  string    `json:"database,omitempty"` // file name inside the archive
	SHA256    string    `json:"sha256,omitempty"`
	FileCount int       `json:"file_count"`
	// Files of 秘密 and 机密 documents are copied as they are kept, SM4-GCM
	// encrypted; the master keys (by ID) that open them are not in the
	// archive and must be kept beside it, apart.
	EncryptedFiles int      `json:"encrypted_files,omitempty"`
	MasterKeys     []string `json:"master_keys,omitempty"`
}

// keyNote says which master keys a backup's encrypted files need.
func (m manifest) keyNote() string {
	if m.EncryptedFiles == 0 {
		return ""
	}
	return fmt.Sprintf("其中 %d 个文件（秘密、机密公文的附件和正式文本）以 SM4-GCM 加密保存，原样备份；打开它们需要主密钥 %s（--master-key 指向的文件，不在备份中，请另行保管）。",
		m.EncryptedFiles, strings.Join(m.MasterKeys, "、"))
}

func runBackup(ctx context.Context, c *cli) int {
	var cfg config
	var out string
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	cfg.flags(fs, c.getenv, false, "shuniu-data")
	fs.StringVar(&out, "o", "", "备份文件（.tar.gz），默认 shuniu-backup-时间.tar.gz")
	if !parse(fs, c.args, c.stderr) {
		return 2
	}
	if out == "" {
		out = "shuniu-backup-" + time.Now().Format("20060102-150405") + ".tar.gz"
	}
	s, ok := openStore(ctx, c, &cfg, true, keyIgnored)
	if !ok {
		return 1
	}
	defer s.Close()
	m, err := backup(ctx, s, &cfg, out)
	if err != nil {
		os.Remove(out)
		fmt.Fprintln(c.stderr, "shuniu backup:", err)
		return 1
	}
	fmt.Fprintf(c.stdout, "备份完成：%s\n", out)
	if note := m.keyNote(); note != "" {
		fmt.Fprintln(c.stdout, note)
	}
	// The key must not travel with the data it protects (docs/security.md).
	fmt.Fprintln(c.stdout, "审计密钥与审计检查点不在备份中：请另行保管（恢复后校验审计链需要原来的密钥）。")
	if s.Dialect() == store.Postgres {
		fmt.Fprintln(c.stdout, `PostgreSQL 数据库不在此备份中（其中只有附件）。请另行备份数据库，例如：
  pg_dump --format=custom --file=shuniu.pgdump "$SHUNIU_DB"
恢复：pg_restore --clean --if-exists --dbname="$SHUNIU_DB" shuniu.pgdump`)
	}
	return 0
}

func backup(ctx context.Context, s *store.Store, cfg *config, out string) (manifest, error) {
	m := manifest{Version: versionString(), Created: time.Now().UTC(), Dialect: s.Dialect().String()}
	err := m.write(ctx, s, cfg, out)
	return m, err
}

func (m *manifest) write(ctx context.Context, s *store.Store, cfg *config, out string) error {
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	if s.Dialect() == store.SQLite {
		tmp, err := os.MkdirTemp(cfg.dataDir, ".backup-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		snap := filepath.Join(tmp, "shuniu.db")
		if err := s.BackupTo(ctx, snap); err != nil {
			return err
		}
		sum, err := addFile(tw, snap, "shuniu.db")
		if err != nil {
			return err
		}
		m.Database, m.SHA256 = "shuniu.db", sum
	}
	root := filepath.Join(cfg.dataDir, filesDir)
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == root {
			return filepath.SkipDir
		}
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(cfg.dataDir, p)
		if err != nil {
			return err
		}
		m.FileCount++
		if id, ok := blob.KeyID(p); ok {
			m.EncryptedFiles++
			if !slices.Contains(m.MasterKeys, id) {
				m.MasterKeys = append(m.MasterKeys, id)
			}
		}
		_, err = addFile(tw, p, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		return err
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	if err := tw.WriteHeader(&tar.Header{Name: "MANIFEST.json", Mode: 0o600, Size: int64(len(b)), ModTime: m.Created}); err != nil {
		return err
	}
	if _, err := tw.Write(b); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := gz.Close(); err != nil {
		return err
	}
	return f.Sync()
}

func addFile(tw *tar.Writer, src, name string) (string, error) {
	f, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: st.Size(), ModTime: st.ModTime()}); err != nil {
		return "", err
	}
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(tw, h), f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func runRestore(ctx context.Context, c *cli) int {
	var cfg config
	var force bool
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	cfg.flags(fs, c.getenv, false, "shuniu-data")
	fs.BoolVar(&force, "force", false, "覆盖数据目录中已有的数据库")
	if !parse(fs, c.args, c.stderr) {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(c.stderr, "用法: shuniu restore [--data-dir DIR] [--force] 备份文件.tar.gz")
		return 2
	}
	if err := cfg.resolve(); err != nil {
		fmt.Fprintln(c.stderr, "shuniu restore:", err)
		return 1
	}
	m, err := restore(fs.Arg(0), &cfg, force)
	if err != nil {
		fmt.Fprintln(c.stderr, "shuniu restore:", err)
		return 1
	}
	fmt.Fprintf(c.stdout, "已恢复（备份于 %s，附件 %d 个）到 %s。\n", m.Created.Local().Format("2006-01-02 15:04:05"), m.FileCount, cfg.dataDir)
	if m.Dialect == "postgres" {
		fmt.Fprintln(c.stdout, "该备份来自 PostgreSQL，只含附件；数据库请用 pg_restore 恢复。")
	}
	if note := m.keyNote(); note != "" {
		fmt.Fprintln(c.stdout, note)
		if mk, err := gmcrypto.LoadMasterKey(cfg.masterKey); err != nil || !slices.Contains(m.MasterKeys, mk.ID()) {
			fmt.Fprintf(c.stdout, "注意：%s 不是所需的主密钥，请放回原来的主密钥文件后再启动，否则加密文件无法打开。\n", cfg.masterKey)
		}
	}
	return 0
}

// restore unpacks an archive into a staging folder, checks it, then moves the
// database and attachments into place, so a bad archive changes nothing.
func restore(archive string, cfg *config, force bool) (manifest, error) {
	var m manifest
	if store.IsPostgres(cfg.db) {
		return m, errors.New("目标是 PostgreSQL：数据库请用 pg_restore 恢复；本命令只恢复到 SQLite 数据目录")
	}
	if _, err := os.Stat(cfg.db); err == nil && !force {
		return m, fmt.Errorf("%s 已存在；确认覆盖请加 --force（请先停止服务）", cfg.db)
	}
	f, err := os.Open(archive)
	if err != nil {
		return m, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return m, fmt.Errorf("不是有效的备份文件: %w", err)
	}
	stage, err := os.MkdirTemp(cfg.dataDir, ".restore-")
	if err != nil {
		return m, err
	}
	defer os.RemoveAll(stage)
	tr := tar.NewReader(gz)
	sums := map[string]string{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return m, fmt.Errorf("读取备份: %w", err)
		}
		name := path.Clean(h.Name)
		if h.Typeflag != tar.TypeReg || strings.HasPrefix(name, "../") || path.IsAbs(name) || name == ".." {
			return m, fmt.Errorf("备份中有不安全的条目 %q", h.Name)
		}
		if name == "MANIFEST.json" {
			if err := json.NewDecoder(io.LimitReader(tr, 1<<20)).Decode(&m); err != nil {
				return m, fmt.Errorf("备份清单无效: %w", err)
			}
			continue
		}
		dst := filepath.Join(stage, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
			return m, err
		}
		out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return m, err
		}
		hs := sha256.New()
		_, err = io.Copy(io.MultiWriter(out, hs), tr)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return m, err
		}
		sums[name] = hex.EncodeToString(hs.Sum(nil))
	}
	if m.Created.IsZero() {
		return m, errors.New("备份中没有清单 MANIFEST.json")
	}
	if m.Database != "" && sums[m.Database] != m.SHA256 {
		return m, errors.New("数据库文件校验和不符，备份已损坏")
	}
	if m.Database != "" {
		for _, suffix := range []string{"-wal", "-shm"} {
			os.Remove(cfg.db + suffix)
		}
		if err := os.Rename(filepath.Join(stage, m.Database), cfg.db); err != nil {
			return m, err
		}
	}
	if _, err := os.Stat(filepath.Join(stage, filesDir)); err == nil {
		target := filepath.Join(cfg.dataDir, filesDir)
		old := target + ".old-" + time.Now().Format("20060102150405")
		if _, err := os.Stat(target); err == nil {
			if err := os.Rename(target, old); err != nil {
				return m, err
			}
		}
		if err := os.Rename(filepath.Join(stage, filesDir), target); err != nil {
			return m, err
		}
		os.RemoveAll(old)
	}
	return m, nil
}
