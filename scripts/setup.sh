#!/usr/bin/env bash
# Installs what the test suite needs beyond Go itself, idempotently: headless
# Chromium for the UI tests, and (through the layout and proofreader scripts)
# fonts, poppler and data. Fast when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
# A CJK face for Chromium, so that UI screenshots show Chinese, not boxes.
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-wqy-microhei)
# fcitx5's word trigram model (LGPL-2.1+), read by the proofreader at run time, never shipped.
compgen -G '/usr/lib/*/libime/zh_CN.lm' >/dev/null || need+=(libime-data-language-model)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: need ${need[*]}; run as root or install them (apt-get install ${need[*]})" >&2
    exit 1
  fi
  echo "setup: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

for s in scripts/setup-fonts.sh scripts/setup-proofread.sh; do
  if [ -x "$s" ] || [ -f "$s" ]; then
    bash "$s"
  fi
done
