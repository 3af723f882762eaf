package layout

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/layout/truetype"
	"github.com/shuniu-oa/shuniu/internal/mapfile"
)

// Face is one of the type faces GB/T 9704 asks for.
type Face int

// The faces. FaceSong serves the page numbers (4号半角宋体).
const (
	FaceFang         Face = iota // 仿宋: body and most elements
	FaceXiaoBiaoSong             // 小标宋: title and issuer mark
	FaceSong                     // 宋体: page numbers
	FaceHei                      // 黑体: level-1 headings, 密级, 紧急程度
	FaceKai                      // 楷体: level-2 headings, signers' names
	numFaces
)

var faceNames = [numFaces]string{"仿宋", "小标宋", "宋体", "黑体", "楷体"}

func (f Face) String() string {
	if f >= 0 && f < numFaces {
		return faceNames[f]
	}
	return fmt.Sprintf("Face(%d)", int(f))
}

// FontConfig names the font file (TrueType, glyf outlines) for each face.
// Empty paths fall back to the free Fandol faces in Dir, which
// scripts/setup-fonts.sh fills; an empty Dir means DefaultFontDir.
type FontConfig struct {
	Dir          string
	FangSong     string // e.g. a licensed 仿宋_GB2312
	XiaoBiaoSong string // e.g. a licensed 方正小标宋
	Song         string
	HeiTi        string
	KaiTi        string
}

// defaultFiles are the Fandol faces converted by scripts/setup-fonts.sh.
// FandolSong Bold stands in for 小标宋, which has no free equivalent.
var defaultFiles = [numFaces]string{
	"FandolFang-Regular.ttf", "FandolSong-Bold.ttf", "FandolSong-Regular.ttf",
	"FandolHei-Regular.ttf", "FandolKai-Regular.ttf",
}

// DefaultFontDir is where scripts/setup-fonts.sh puts the fonts:
// $SHUNIU_FONT_DIR, else ${XDG_CACHE_HOME:-$HOME/.cache}/shuniu/fonts.
func DefaultFontDir(getenv func(string) string) string {
	if d := getenv("SHUNIU_FONT_DIR"); d != "" {
		return d
	}
	cache := getenv("XDG_CACHE_HOME")
	if cache == "" {
		cache = filepath.Join(getenv("HOME"), ".cache")
	}
	return filepath.Join(cache, "shuniu", "fonts")
}

// ErrFontsMissing is wrapped by the error returned when a font file is absent.
var ErrFontsMissing = errors.New("字体文件不存在，请先运行 scripts/setup-fonts.sh，或在配置中指定字体文件")

// Fonts are the loaded faces; immutable and safe for concurrent use.
type Fonts struct {
	faces [numFaces]*truetype.Font
	paths [numFaces]string
}

// LoadFonts reads and parses the configured faces.
func LoadFonts(cfg FontConfig, getenv func(string) string) (*Fonts, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	dir := cfg.Dir
	if dir == "" {
		dir = DefaultFontDir(getenv)
	}
	given := [numFaces]string{cfg.FangSong, cfg.XiaoBiaoSong, cfg.Song, cfg.HeiTi, cfg.KaiTi}
	fs := &Fonts{}
	for i := Face(0); i < numFaces; i++ {
		p := given[i]
		if p == "" {
			p = filepath.Join(dir, defaultFiles[i])
		}
		data, err := mapfile.ReadFile(p)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("%s（%s）：%w", i, p, ErrFontsMissing)
			}
			return nil, fmt.Errorf("读取%s字体 %s：%w", i, p, err)
		}
		f, err := truetype.Parse(data)
		if err != nil {
			if errors.Is(err, truetype.ErrNotTrueType) {
				return nil, fmt.Errorf("%s字体 %s 不是 TrueType 轮廓（CFF 字体请先用 scripts/setup-fonts.sh 的方法转换）：%w", i, p, err)
			}
			return nil, fmt.Errorf("解析%s字体 %s：%w", i, p, err)
		}
		fs.faces[i], fs.paths[i] = f, p
	}
	return fs, nil
}

// MissingGlyphsError lists characters a face cannot show. The renderer
// refuses to drop them silently.
type MissingGlyphsError struct {
	Missing map[Face][]rune
	Paths   map[Face]string
}

func (e *MissingGlyphsError) Error() string {
	var b strings.Builder
	for f := Face(0); f < numFaces; f++ {
		rs := e.Missing[f]
		if len(rs) == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("；")
		}
		fmt.Fprintf(&b, "%s字体（%s）缺少字符：", f, e.Paths[f])
		for i, r := range rs {
			if i > 0 {
				b.WriteString(" ")
			}
			fmt.Fprintf(&b, "%c(U+%04X)", r, r)
		}
	}
	return b.String()
}

func (fs *Fonts) font(f Face) *truetype.Font { return fs.faces[f] }

// advance returns the advance width of r in face f, as a fraction of the em.
func (fs *Fonts) advance(f Face, r rune) float64 {
	fn := fs.faces[f]
	g, ok := fn.GlyphIndex(r)
	if !ok {
		if r == ' ' {
			return 0.5
		}
		return 1
	}
	return float64(fn.Advance(g)) / float64(fn.UnitsPerEm)
}
