#!/usr/bin/env bash
# Builds the release binaries of shuniu for the 信创 CPUs: linux/amd64 (海光,
# 兆芯 and other x86-64), linux/arm64 (鲲鹏, 飞腾) and linux/loong64 (龙芯
# 3A5000/3A6000 and later, the LoongArch ABI 2.0 "new world"), without cgo, so
# that each is one static file. Output: dist/shuniu-<version>-linux-<arch>
# and a SHA256SUMS file.
#   scripts/build-release.sh [ARCH...]     default: amd64 arm64 loong64
set -euo pipefail
cd "$(dirname "$0")/.."
arches=("$@")
[ ${#arches[@]} -gt 0 ] || arches=(amd64 arm64 loong64)
version="${SHUNIU_VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}"
mkdir -p dist
for arch in "${arches[@]}"; do
  out="dist/shuniu-${version}-linux-${arch}"
  start=$(date +%s)
  CGO_ENABLED=0 GOOS=linux GOARCH="$arch" go build -trimpath \
    -ldflags "-s -w -X main.version=${version}" -o "$out" ./cmd/shuniu
  echo "built $out ($(( $(date +%s) - start )) s, $(du -h "$out" | cut -f1))"
done
(cd dist && sha256sum shuniu-"${version}"-linux-* > SHA256SUMS)
