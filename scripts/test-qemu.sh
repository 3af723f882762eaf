#!/usr/bin/env bash
# Runs the non-browser tests for arm64 and loong64 under qemu-user (Debian's
# qemu-user-static), on SQLite: the test binaries are cross-compiled
# (CGO_ENABLED=0) and go test runs them through the emulator.
#   scripts/test-qemu.sh [--ci|--full] [ARCH...]  ARCH: arm64 loong64 (default both)
# --ci is the set ./scripts/test runs, what fits its 20-minute budget
# (measured, docs/perf.md "信创 builds"): the 国密 known answers (gmcrypto),
# the audit chain and the access rules. Without an option, the nightly set:
# those, the seals, the route and document rules, and the store on SQLite.
# --full runs every package (internal/web's browser cases skip without
# Chromium for the target; run it only with time to spare).
set -euo pipefail
cd "$(dirname "$0")/.."
full=0 ci=0
case "${1:-}" in
  --full) full=1; shift ;;
  --ci) ci=1; shift ;;
esac
arches=("$@")
[ ${#arches[@]} -gt 0 ] || arches=(arm64 loong64)

if ! command -v qemu-aarch64-static >/dev/null || ! command -v qemu-loongarch64-static >/dev/null; then
  [ "$(id -u)" = 0 ] || { echo "test-qemu: need qemu-user-static (apt-get install qemu-user-static)" >&2; exit 1; }
  echo "test-qemu: installing qemu-user-static"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-user-static >/dev/null
fi

if [ $full = 1 ]; then
  mapfile -t pkgs < <(go list ./... | grep -v /tools/)
elif [ $ci = 1 ]; then
  pkgs=(./internal/gmcrypto ./internal/audit ./internal/access)
else
  pkgs=(./internal/gmcrypto ./internal/seal ./internal/audit ./internal/access ./internal/route ./internal/document ./internal/store)
fi
# The PostgreSQL halves need no emulation to prove anything about the CPU.
unset SHUNIU_TEST_POSTGRES
for arch in "${arches[@]}"; do
  case "$arch" in
    arm64) emu=qemu-aarch64-static ;;
    loong64) emu=qemu-loongarch64-static ;;
    *) echo "test-qemu: unknown arch $arch" >&2; exit 2 ;;
  esac
  start=$(date +%s)
  echo "test-qemu: $arch (${#pkgs[@]} packages)"
  CGO_ENABLED=0 GOOS=linux GOARCH="$arch" go test -short -p 2 -timeout 30m -exec "$emu" "${pkgs[@]}"
  echo "test-qemu: $arch passed in $(( $(date +%s) - start )) s"
done
