package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/gmcrypto"
	"github.com/shuniu-oa/shuniu/internal/layout"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/seal"
	"github.com/shuniu-oa/shuniu/internal/store"
)

func TestSealAndVerifyCommands(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"SHUNIU_DATA_DIR": dir}
	if code, _, errs := run(t, env, "migrate"); code != 0 {
		t.Fatalf("migrate: %s", errs)
	}
	ctx := context.Background()
	// The store as the commands open it: with the audit key migrate made.
	auditKey, err := audit.ReadKeyFile(filepath.Join(dir, "keys", "audit.key"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, filepath.Join(dir, "shuniu.db"), store.Options{AuditKey: auditKey})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Write(ctx, func(tx *store.Tx) error {
		return tx.PutUnit(ctx, org.Unit{ID: "u-gov", Name: "清澜区人民政府", ShortName: "区政府", Kind: org.KindLeadingBody})
	})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	png := filepath.Join(dir, "seal.png")
	os.WriteFile(png, seal.SampleImage(300), 0o644)
	code, out, errs := run(t, env, "seal", "add", "--unit", "清澜区人民政府", "--name", "清澜区人民政府印章", "--kind", "government", "--image", png)
	if code != 0 || !strings.Contains(out, "公钥指纹") {
		t.Fatalf("seal add: %d %q %q", code, out, errs)
	}
	fp := regexp.MustCompile(`指纹（SM3）：(\S+)`).FindStringSubmatch(out)[1]
	fi, err := os.Stat(filepath.Join(dir, "keys", "master.key"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("master key file: %v %v", err, fi)
	}
	if code, _, errs := run(t, env, "seal", "add", "--unit", "清澜区人民政府", "--name", "清澜区人民政府印章", "--kind", "government", "--image", png); code != 1 || !strings.Contains(errs, "已有在用") {
		t.Errorf("duplicate: %d %q", code, errs)
	}
	if code, _, errs := run(t, env, "seal", "add", "--unit", "不存在的机关", "--name", "甲印章", "--kind", "office", "--image", png); code != 1 || !strings.Contains(errs, "找不到机关") {
		t.Errorf("unknown unit: %d %q", code, errs)
	}
	code, out, _ = run(t, env, "seal", "list")
	if code != 0 || !strings.Contains(out, fp) || !strings.Contains(out, "在用") {
		t.Fatalf("seal list: %d %q", code, out)
	}

	// Seal a document with the registered seal, as 印发 will, and verify it.
	s, err = store.Open(ctx, filepath.Join(dir, "shuniu.db"), store.Options{AuditKey: auditKey})
	if err != nil {
		t.Fatal(err)
	}
	ss, _ := s.Seals(ctx)
	s.Close()
	master, err := gmcrypto.LoadMasterKey(filepath.Join(dir, "keys", "master.key"))
	if err != nil {
		t.Fatal(err)
	}
	signer, err := seal.NewSigner(ss, master, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	r, err := layout.NewRenderer(layout.FontConfig{}, nil)
	if err != nil {
		t.Fatalf("fonts: %v", err)
	}
	doc := &layout.Document{Title: "清澜区人民政府关于印发工作要点的通知", Body: []layout.Paragraph{{Text: "现将工作要点印发给你们，请认真贯彻落实。"}},
		Issuer: "清澜区人民政府", Date: "2026年1月5日", Sealed: true}
	for _, out := range []layout.Output{layout.PDF, layout.OFD} {
		var b bytes.Buffer
		if err := r.Render(ctx, &b, out, doc, layout.Options{Sealer: signer}); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, "issued."+string(out))
		os.WriteFile(file, b.Bytes(), 0o644)
		code, text, errs := run(t, nil, "verify", file)
		if code != 0 || !strings.Contains(text, "清澜区人民政府　清澜区人民政府印章") || !strings.Contains(text, fp) || !strings.Contains(text, "未被改动") {
			t.Errorf("verify %s: %d %q %q", out, code, text, errs)
		}
		changed := bytes.Clone(b.Bytes())
		changed[len(changed)/3] ^= 0xff
		os.WriteFile(file, changed, 0o644)
		if code, text, _ := run(t, nil, "verify", file); code != 1 || !strings.Contains(text, "验证失败") {
			t.Errorf("verify changed %s: %d %q", out, code, text)
		}
	}
	if code, _, _ := run(t, nil, "verify", png); code != 2 {
		t.Errorf("verify a PNG: %d", code)
	}
	if code, out, _ := run(t, env, "seal", "revoke", "--id", ss[0].ID); code != 0 || !strings.Contains(out, "已停用") {
		t.Errorf("revoke: %d %q", code, out)
	}
}

// syncBuffer is written by the server goroutine and read by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalPKCS8PrivateKey(key)
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600)

	env := map[string]string{"SHUNIU_DATA_DIR": filepath.Join(dir, "data")}
	if code, _, errs := run(t, env, "serve", "--tls-cert", certFile); code != 1 || !strings.Contains(errs, "同时给出") {
		t.Errorf("cert without key: %d %q", code, errs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- dispatch(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--tls-cert", certFile, "--tls-key", keyFile},
			strings.NewReader(""), &out, &errb, func(k string) string { return env[k] })
	}()
	var url string
	for deadline := time.Now().Add(60 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if m := regexp.MustCompile(`(https://[0-9.:]+)/`).FindStringSubmatch(out.String()); m != nil {
			url = m[1]
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d: %s", code, errb.String())
		default:
		}
	}
	if url == "" {
		t.Fatalf("no https URL printed: %q %q", out.String(), errb.String())
	}
	pool := x509.NewCertPool()
	pool.AddCert(&x509.Certificate{Raw: der})
	c, _ := x509.ParseCertificate(der)
	pool.AddCert(c)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Get(url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"ok"`) || resp.TLS == nil || resp.TLS.Version < tls.VersionTLS12 {
		t.Fatalf("healthz over TLS: %d %s", resp.StatusCode, body)
	}
	// Plain HTTP to the TLS port is not served.
	if resp, err := http.Get(strings.Replace(url, "https://", "http://", 1) + "/healthz"); err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(b), `"ok"`) {
			t.Error("plain HTTP answered on the TLS port")
		}
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exit %d: %s", code, errb.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
}
