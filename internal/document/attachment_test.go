package document

import (
	"strings"
	"testing"
)

func TestAttachmentPolicy(t *testing.T) {
	p := DefaultAttachmentPolicy()
	cases := []struct {
		name    string
		size    int64
		sniffed string
		err     string
	}{
		{"实施方案.pdf", 1000, "application/pdf", ""},
		{"名单.XLSX", 1000, "application/zip", ""},
		{"正文.ofd", 1000, "application/zip", ""},
		{"说明.txt", 10, "text/plain; charset=utf-8", ""},
		{"页面.html", 1000, "text/html; charset=utf-8", "不允许"},
		{"图.svg", 1000, "text/xml; charset=utf-8", "不允许"},
		{"伪装.pdf", 1000, "text/html; charset=utf-8", "不符"},
		{"大.pdf", 51 << 20, "application/pdf", "大小限制"},
		{"空.pdf", 0, "application/pdf", "空文件"},
		{"../etc/passwd.pdf", 10, "application/pdf", "不允许的字符"},
		{".hidden.pdf", 10, "application/pdf", "不允许的字符"},
		{"a\x00.pdf", 10, "application/pdf", "控制字符"},
	}
	for _, tc := range cases {
		err := p.Check(tc.name, tc.size, tc.sniffed)
		if (tc.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("Check(%q) = %v, want %q", tc.name, err, tc.err)
		}
	}
	for mt, want := range map[string]bool{"application/pdf": true, "image/png": true, "text/html; charset=utf-8": false, "image/svg+xml": false, "application/zip": false} {
		if ServeInline(mt) != want {
			t.Errorf("ServeInline(%q) != %v", mt, want)
		}
	}
	if ValidSHA256(strings.Repeat("ab", 32)) != nil || ValidSHA256(strings.Repeat("AB", 32)) == nil || ValidSHA256("x") == nil {
		t.Error("ValidSHA256")
	}
}

func TestDistribution(t *testing.T) {
	d := Document{To: []string{"城关镇人民政府", "河西镇人民政府", " "}, CC: []string{"区委办公室", "城关镇人民政府"}}
	got := Distribution(d)
	want := []Recipient{{"城关镇人民政府", ToRecipient}, {"河西镇人民政府", ToRecipient}, {"区委办公室", CCRecipient}}
	if len(got) != len(want) {
		t.Fatalf("%+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: %+v want %+v", i, got[i], want[i])
		}
	}
}

func FuzzAttachmentCheck(f *testing.F) {
	f.Add("方案.pdf", int64(10), "application/pdf")
	f.Add("../x.html", int64(10), "text/html")
	f.Fuzz(func(t *testing.T, name string, size int64, sniffed string) {
		if DefaultAttachmentPolicy().Check(name, size, sniffed) != nil {
			return
		}
		if strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") || size <= 0 || size > 50<<20 {
			t.Fatalf("accepted %q size %d", name, size)
		}
	})
}
