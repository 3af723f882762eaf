#!/usr/bin/env bash
# setup-fonts.sh — installs what the layout (版式) tests and a default
# deployment need: poppler-utils (pdftotext, pdftoppm), qpdf (PDF syntax
# check), python3-fonttools, and the free Fandol faces converted to TrueType
# outlines.
#
# Idempotent: a second run checks a stamp and returns at once.
# Runs as root on Debian 12. Fonts go outside git, to
#   ${SHUNIU_FONT_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/shuniu/fonts}
#
# Why convert: Fandol ships CFF-flavoured OpenType; Shuniu's PDF and OFD
# writers embed TrueType (glyf) subsets, so the outlines are redrawn as
# quadratic curves once, here, rather than at every render.
set -euo pipefail

FONT_DIR="${SHUNIU_FONT_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/shuniu/fonts}"
STAMP="$FONT_DIR/.fandol-ttf-v1"
FACES="FandolFang-Regular FandolSong-Regular FandolSong-Bold FandolHei-Regular FandolKai-Regular"

need_pkgs=()
command -v pdftotext >/dev/null 2>&1 || need_pkgs+=(poppler-utils)
command -v pdftoppm >/dev/null 2>&1 || need_pkgs+=(poppler-utils)
command -v qpdf >/dev/null 2>&1 || need_pkgs+=(qpdf)
/usr/bin/python3 -c 'import fontTools' >/dev/null 2>&1 || need_pkgs+=(python3-fonttools)

if [ -f "$STAMP" ] && [ ${#need_pkgs[@]} -eq 0 ]; then
	echo "setup-fonts: already done ($FONT_DIR)"
	exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

apt_updated=""
apt_update_once() {
	if [ -z "$apt_updated" ]; then
		$SUDO apt-get update -qq
		apt_updated=1
	fi
}

if [ ${#need_pkgs[@]} -gt 0 ]; then
	apt_update_once
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

mkdir -p "$FONT_DIR"
if [ -f "$STAMP" ]; then
	echo "setup-fonts: fonts already in $FONT_DIR"
	exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(
	cd "$work"
	if ! apt-get download texlive-lang-chinese >/dev/null 2>&1; then
		apt_update_once
		apt-get download texlive-lang-chinese >/dev/null
	fi
	dpkg-deb -x texlive-lang-chinese_*.deb extract
)
src="$work/extract/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol"
[ -d "$src" ] || { echo "setup-fonts: Fandol fonts not found in texlive-lang-chinese" >&2; exit 1; }
# Fandol's licence (GPL with font exception) travels with the files.
find "$work/extract" -path '*fandol*' \( -iname 'README*' -o -iname '*.txt' \) -exec cp {} "$FONT_DIR/" \; 2>/dev/null || true
cp "$work/extract/usr/share/doc/texlive-lang-chinese/copyright" "$FONT_DIR/COPYRIGHT.texlive-lang-chinese" 2>/dev/null || true

convert_one() {
	/usr/bin/python3 - "$1" "$2" <<'PY'
import sys
from fontTools.ttLib import TTFont, newTable
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen

src, dst = sys.argv[1], sys.argv[2]
f = TTFont(src)
gs = f.getGlyphSet()
order = f.getGlyphOrder()
glyphs = {}
for name in order:
    pen = TTGlyphPen(gs)
    gs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
    glyphs[name] = pen.glyph()
glyf = newTable("glyf")
glyf.glyphOrder = order
glyf.glyphs = glyphs
f["glyf"] = glyf
f["loca"] = newTable("loca")
maxp = f["maxp"]
maxp.tableVersion = 0x00010000
for k in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
          "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
          "maxComponentElements", "maxComponentDepth", "maxPoints",
          "maxContours", "maxCompositePoints", "maxCompositeContours"):
    setattr(maxp, k, 0)
maxp.maxZones = 1
f["head"].indexToLocFormat = 1
f["head"].glyphDataFormat = 0
for t in ("CFF ", "VORG"):
    if t in f:
        del f[t]
f["post"].formatType = 2.0
f["post"].extraNames = []
f["post"].mapping = {}
f.sfntVersion = "\x00\x01\x00\x00"
f.save(dst)
PY
}

for face in $FACES; do
	out="$FONT_DIR/$face.ttf"
	if [ ! -s "$out" ]; then
		echo "setup-fonts: converting $face to TrueType…"
		convert_one "$src/$face.otf" "$out.tmp"
		mv "$out.tmp" "$out"
	fi
done
touch "$STAMP"
echo "setup-fonts: done ($FONT_DIR)"
