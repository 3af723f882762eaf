// Command debpkg builds the shuniu .deb from a release binary and the files
// under packaging/deb, with nfpm used as a Go library (no nfpm binary, no
// dpkg-deb needed). It is a module of its own so that nfpm and its
// dependencies stay out of shuniu's go.mod and binary.
//
//	go run . --arch amd64 --version 1.2.3 --binary ../../dist/shuniu-1.2.3-linux-amd64 --out ../../dist
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/goreleaser/nfpm/v2"
	_ "github.com/goreleaser/nfpm/v2/deb" // registers the deb packager
	"github.com/goreleaser/nfpm/v2/files"
)

func main() {
	arch := flag.String("arch", "amd64", "GOARCH of the binary: amd64, arm64, loong64")
	version := flag.String("version", "", "package version (Debian form, e.g. 0.9.0 or 0.9.0~git20260101)")
	binary := flag.String("binary", "", "the shuniu binary to package")
	root := flag.String("root", "../..", "the repository root (for packaging/deb and scripts)")
	out := flag.String("out", ".", "directory for the .deb")
	flag.Parse()
	if *version == "" || *binary == "" {
		fmt.Fprintln(os.Stderr, "debpkg: --version and --binary are required")
		os.Exit(2)
	}
	path, err := build(*arch, *version, *binary, *root, *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "debpkg:", err)
		os.Exit(1)
	}
	fmt.Println(path)
}

func build(arch, version, binary, root, out string) (string, error) {
	pkg := filepath.Join(root, "packaging", "deb")
	read := func(name string) (string, error) {
		b, err := os.ReadFile(filepath.Join(pkg, name))
		return string(b), err
	}
	file := func(src, dst string, mode os.FileMode, typ string) *files.Content {
		return &files.Content{Source: src, Destination: dst, Type: typ, FileInfo: &files.ContentFileInfo{Mode: mode}}
	}
	info := &nfpm.Info{
		Name:        "shuniu",
		Arch:        arch, // nfpm maps GOARCH to Debian's names; loong64 is the same in both
		Platform:    "linux",
		Version:     version,
		Section:     "web",
		Priority:    "optional",
		Maintainer:  "Shuniu <shuniu@localhost>",
		Description: "枢纽 Shuniu: office platform for party and government organs\n 办文, 督办, 校对 and GB/T 9704 layout in one binary; SQLite or PostgreSQL.",
		Vendor:      "Shuniu",
		Homepage:    "https://github.com/shuniu-oa/shuniu",
		License:     "Apache-2.0",
		Overridables: nfpm.Overridables{
			Depends:    []string{"adduser"},
			Recommends: []string{"logrotate"},
			Contents: files.Contents{
				file(binary, "/usr/bin/shuniu", 0o755, ""),
				file(filepath.Join(pkg, "shuniu.service"), "/lib/systemd/system/shuniu.service", 0o644, ""),
				file(filepath.Join(pkg, "shuniu.env"), "/etc/shuniu/shuniu.env", 0o640, files.TypeConfigNoReplace),
				file(filepath.Join(pkg, "logrotate"), "/etc/logrotate.d/shuniu", 0o644, files.TypeConfig),
				file(filepath.Join(pkg, "shuniu-setup-fonts"), "/usr/sbin/shuniu-setup-fonts", 0o755, ""),
				file(filepath.Join(root, "scripts", "setup-fonts.sh"), "/usr/share/shuniu/setup-fonts.sh", 0o644, ""),
				file(filepath.Join(root, "README.md"), "/usr/share/doc/shuniu/README.md", 0o644, "doc"),
				file(filepath.Join(root, "docs", "security.md"), "/usr/share/doc/shuniu/security.md", 0o644, "doc"),
			},
		},
	}
	var err error
	if info.Scripts.PostInstall, err = abs(pkg, "postinst"); err != nil {
		return "", err
	}
	if info.Scripts.PreRemove, err = abs(pkg, "prerm"); err != nil {
		return "", err
	}
	if info.Scripts.PostRemove, err = abs(pkg, "postrm"); err != nil {
		return "", err
	}
	if _, err := read("shuniu.service"); err != nil {
		return "", err
	}
	info = nfpm.WithDefaults(info)
	if err := nfpm.Validate(info); err != nil {
		return "", err
	}
	p, err := nfpm.Get("deb")
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(out, p.ConventionalFileName(info))
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	if err := p.Package(info, f); err != nil {
		f.Close()
		return "", err
	}
	return path, f.Close()
}

func abs(dir, name string) (string, error) {
	p := filepath.Join(dir, name)
	if _, err := os.Stat(p); err != nil {
		return "", err
	}
	return filepath.Abs(p)
}
