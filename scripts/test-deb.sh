#!/usr/bin/env bash
# Tests the .deb in a clean Debian 12 root: install, serve, upgrade (the
# admin's config kept), serve again on the same data, purge. Needs root.
#
# The root is made once with mmdebstrap (minbase + adduser; apt downloads in
# parallel) and cached in ${SHUNIU_DEBROOT_CACHE:-/var/cache/shuniu/debroot-bookworm},
# outside the checkout; a root without its .shuniu-ready mark (an interrupted
# make) is made again. Each run works on a fresh copy of it. Measured on the
# 2-core machine (docs/perf.md): making the root ~46 s (debootstrap took
# 12-18 min, one package at a time), a run with the root cached well under a
# minute. scripts/test runs it after the native tests.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "test-deb: run as root (mmdebstrap, chroot)" >&2; exit 1; }
start=$(date +%s)
CACHE="${SHUNIU_DEBROOT_CACHE:-/var/cache/shuniu/debroot-bookworm}"
MIRROR="${SHUNIU_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
arch=$(go env GOARCH)

command -v mmdebstrap >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null; }
if [ ! -f "$CACHE/.shuniu-ready" ] || [ ! -x "$CACHE/usr/bin/dpkg" ]; then
  echo "test-deb: making the Debian root in $CACHE (once)"
  mkdir -p "$(dirname "$CACHE")"
  rm -rf "$CACHE.tmp"
  mmdebstrap --quiet --variant=minbase --include=adduser bookworm "$CACHE.tmp" "$MIRROR"
  touch "$CACHE.tmp/.shuniu-ready"
  rm -rf "$CACHE"
  mv "$CACHE.tmp" "$CACHE"
fi

work=$(mktemp -d /var/tmp/shuniu-debtest.XXXXXX)
root="$work/root"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cp -a "$CACHE" "$root"

# Two packages of the same tree, versions 0.0.1 and 0.0.2.
for v in 0.0.1 0.0.2; do
  CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$v" -o "$work/shuniu-$v" ./cmd/shuniu
  (cd tools/debpkg && go run . --arch "$arch" --version "$v" --binary "$work/shuniu-$v" --root ../.. --out "$work") >/dev/null
done
cp "$work"/shuniu_0.0.*_"$arch".deb "$root/tmp/"

in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
fail() { echo "test-deb: FAIL: $*" >&2; exit 1; }
port=$(( 20000 + RANDOM % 20000 ))

serve_check() { # starts shuniu as the service would, checks /healthz, stops it
  sed -i "s/^SHUNIU_ADDR=.*/SHUNIU_ADDR=127.0.0.1:$port/" "$root/etc/shuniu/shuniu.env"
  chroot --userspec=shuniu:shuniu "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/var/lib/shuniu \
    sh -c 'set -a; . /etc/shuniu/shuniu.env; exec /usr/bin/shuniu serve' >>"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$port/healthz" 2>/dev/null | grep -q '"ok"'; then break; fi
    sleep 0.5
  done
  curl -fsS "http://127.0.0.1:$port/healthz" | grep -q '"ok"' || { cat "$work/serve.log"; fail "not serving"; }
  kill "$server"; wait "$server" || true; server=""
}

echo "test-deb: install"
in_root dpkg -i /tmp/shuniu_0.0.1_"$arch".deb >/dev/null
in_root getent passwd shuniu >/dev/null || fail "no shuniu user"
# Owners are read inside the root: the shuniu user exists only there.
[ "$(in_root stat -c '%U:%G %a' /etc/shuniu/shuniu.env)" = "root:shuniu 640" ] || fail "config file owner/mode"
[ "$(in_root stat -c '%U %a' /var/lib/shuniu)" = "shuniu 750" ] || fail "data dir owner/mode"
[ -f "$root/lib/systemd/system/shuniu.service" ] && [ -f "$root/etc/logrotate.d/shuniu" ] && [ -x "$root/usr/sbin/shuniu-setup-fonts" ] || fail "files missing"
in_root shuniu version | grep -q 0.0.1 || fail "version 0.0.1"
serve_check
[ "$(in_root stat -c '%U %a' /var/lib/shuniu/keys/master.key)" = "shuniu 600" ] || fail "master key owner/mode"
[ -f "$root/var/lib/shuniu/shuniu.db" ] || fail "no database"

echo "test-deb: upgrade"
echo "# edited by the administrator" >> "$root/etc/shuniu/shuniu.env"
in_root dpkg -i --force-confold /tmp/shuniu_0.0.2_"$arch".deb >/dev/null
in_root shuniu version | grep -q 0.0.2 || fail "version 0.0.2 after upgrade"
grep -q "edited by the administrator" "$root/etc/shuniu/shuniu.env" || fail "config not kept on upgrade"
key=$(sha256sum < "$root/var/lib/shuniu/keys/master.key")
serve_check
[ "$key" = "$(sha256sum < "$root/var/lib/shuniu/keys/master.key")" ] || fail "master key changed on upgrade"

echo "test-deb: purge"
in_root dpkg --purge shuniu >/dev/null
[ ! -e "$root/usr/bin/shuniu" ] && [ ! -e "$root/etc/shuniu" ] || fail "files left after purge"
! in_root getent passwd shuniu >/dev/null || fail "user left after purge"
[ -f "$root/var/lib/shuniu/shuniu.db" ] || fail "data directory not kept"
echo "test-deb: ok — install, serve, upgrade, serve, purge in $(( $(date +%s) - start )) s"
