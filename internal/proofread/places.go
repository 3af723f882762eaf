package proofread

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// loadPlaces reads the administrative divisions of China
// (data/gb2260/divisions.txt.gz: level and name a line, 1 province, 2
// prefecture, 3 county, 4 township; from the National Bureau of
// Statistics' 统计用区划代码 via modood/Administrative-divisions-of-China,
// MIT, see data/gb2260/NOTICE.md). A place's name is never corrected:
// the full name of every level anywhere (恭城瑶族自治县, 景山街道), the
// short name of a province, prefecture or county of three characters or
// more anywhere (乌兰察布), and one of two characters (恭城, 横州) where a
// place is named: before 县 市 区 镇 … or 人民. Two characters are often a
// word or a slip's look-alike (平谷 for 评估, 安居, 紫金 for 资金 in the
// ECSpell dev half), and a township's short name often a common word (和平,
// 新华), so only its full name counts, besides the place-name guard of the
// typo check (a character just before 镇 村 乡 …).
func (m *model) loadPlaces() error {
	f, err := dataFS.Open("data/gb2260/divisions.txt.gz")
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("divisions: %w", err)
	}
	seen := make(map[string]bool, 72_000)
	names, short := make([]string, 0, 60_000), make([]string, 0, 3_000)
	add := func(n string) {
		if utf8.RuneCountInString(n) >= 2 && !seen[n] && !notPlaceNames[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	addShort := func(n string) {
		switch k := utf8.RuneCountInString(n); {
		case k >= 3:
			add(n)
		case k == 2 && !seen[n] && !notPlaceNames[n]:
			short = append(short, n)
		}
	}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		level, name, ok := strings.Cut(sc.Text(), "\t")
		if !ok || strings.Contains(name, "直辖") || strings.HasSuffix(name, "委会") || strings.HasSuffix(name, "委员会") {
			continue
		}
		add(name)
		if level != "4" {
			addShort(shortPlaceName(name))
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("divisions: %w", err)
	}
	m.places = newPlaceIndex(names, slices.DeleteFunc(short, func(n string) bool { return seen[n] }))
	return nil
}

// notPlaceNames are short names that are common words more often than
// places.
var notPlaceNames = map[string]bool{"市辖": true, "城区": true, "郊区": true, "矿区": true, "新区": true, "开发": true, "高新": true}

// placeSuffixes are the endings of division names, longest first.
var placeSuffixes = []string{"特别行政区", "自治区", "自治州", "自治县", "自治旗", "林区", "特区", "地区", "新区", "省", "市", "县", "区", "旗", "盟"}

// ethnicNames are the 56 nationalities' names as division names use them
// (恭城瑶族自治县, 隆林各族自治县).
var ethnicNames = strings.Fields("各 汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 " +
	"柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺")

// shortPlaceName is a division's name without its kind and nationalities:
// 恭城瑶族自治县 → 恭城, 广西壮族自治区 → 广西, 阳朔县 → 阳朔.
func shortPlaceName(name string) string {
	for _, s := range placeSuffixes {
		if n, ok := strings.CutSuffix(name, s); ok && n != "" {
			name = n
			break
		}
	}
	for changed := strings.Contains(name, "族"); changed; {
		changed = false
		for _, e := range ethnicNames {
			if n, ok := strings.CutSuffix(name, e+"族"); ok && utf8.RuneCountInString(n) >= 2 {
				name, changed = n, true
			}
		}
	}
	return name
}

// placeNameAt reports whether [s, e) lies in the name of a place
// (loadPlaces) that occurs in rs.
func (c *Checker) placeNameAt(rs []rune, s, e int) bool {
	x := &c.lm.places
	for st := max(0, s-x.maxLen+1); st < e && st+1 < len(rs); st++ {
		for _, k := range x.byPair[pairKey(rs[st], rs[st+1])] {
			w := x.names[k]
			if st+len(w) > s && st+len(w) <= len(rs) && slices.Equal(rs[st:st+len(w)], w) {
				return true
			}
		}
	}
	for st := max(0, s-1); st < e && st+2 < len(rs); st++ {
		if !placeAfter[rs[st+2]] && !(st+4 <= len(rs) && rs[st+2] == '人' && rs[st+3] == '民') {
			continue
		}
		if x.short[pairKey(rs[st], rs[st+1])] {
			return true
		}
	}
	return false
}

// placeIndex finds place names by their first two characters.
type placeIndex struct {
	names  [][]rune
	byPair map[uint64][]int32
	maxLen int
	// short are the short names of two characters (恭城, 横州): names only
	// before 县 市 区 … (placeAfter).
	short map[uint64]bool
}

func pairKey(a, b rune) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

func newPlaceIndex(names, short []string) placeIndex {
	x := placeIndex{byPair: make(map[uint64][]int32, len(names)), short: make(map[uint64]bool, len(short))}
	for _, n := range names {
		rs := []rune(n)
		k := pairKey(rs[0], rs[1])
		x.byPair[k] = append(x.byPair[k], int32(len(x.names)))
		x.names = append(x.names, rs)
		x.maxLen = max(x.maxLen, len(rs))
	}
	for _, n := range short {
		rs := []rune(n)
		x.short[pairKey(rs[0], rs[1])] = true
	}
	return x
}

// placeAfter are the characters after a place's short name that show it
// names a place.
var placeAfter = map[rune]bool{'省': true, '市': true, '县': true, '区': true, '州': true, '旗': true, '盟': true, '镇': true, '乡': true, '村': true, '籍': true}
