package demo

// Surnames, most common first; the generator favours the front of the list,
// so 王、李、张 come up more often than 覃 or 赖, as in real rosters.
const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖"

// Two-character given names are built from a first and a second character
// drawn from pools that read naturally together.
const (
	maleFirst    = "建志国晓海文永德立俊家振少学卫新宏云庆光明宇浩长兴"
	maleSecond   = "华明军平辉峰波涛杰斌鹏飞宇林磊刚勇伟荣成亮彬龙东生涵轩"
	femaleFirst  = "秀玉丽晓春海雅佳梦思雨欣婷红美慧静文亚"
	femaleSecond = "芳敏静丽娟霞燕红琳颖婷洁萍瑶蕾丹华梅兰英雪倩"
)

// reservedNames are well-known people (national leaders, public figures, one
// famous fictional hero) whose names the pools above can form. The demo must
// not put a real public figure's name on a made-up official.
var reservedNames = map[string]bool{
	"胡春华": true, "孙春兰": true, "何立峰": true, "袁家军": true, "王志刚": true,
	"刘志军": true, "王立军": true, "刘德华": true, "黄晓明": true, "陈建斌": true,
	"赵丽颖": true, "邓亚萍": true, "林俊杰": true, "樊振东": true, "李云龙": true,
	"王建林": true, "李建国": true, "张国华": true, "王晓东": true,
}

// nameSource draws personal names from a fixed seed. It uses its own
// splitmix64 stream rather than math/rand so that the sequence is fixed by
// this code alone and cannot change with a Go release.
type nameSource struct {
	state uint64
	used  map[string]bool
}

// nameSeed is arbitrary; changing it renames everyone in the demo.
const nameSeed = 0x5348554e49550001

func newNameSource() *nameSource {
	return &nameSource{state: nameSeed, used: map[string]bool{}}
}

func (s *nameSource) next() uint64 {
	s.state += 0x9e3779b97f4a7c15
	z := s.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (s *nameSource) pick(n int) int { return int(s.next() % uint64(n)) }

// name returns a three-character name not given out before in this district,
// so names are unique district-wide (and a fortiori within a unit).
func (s *nameSource) name() string {
	family := []rune(surnames)
	for {
		// The smaller of two uniform draws favours the common surnames.
		surname := family[min(s.pick(len(family)), s.pick(len(family)))]
		first, second := []rune(maleFirst), []rune(maleSecond)
		if s.pick(3) == 0 { // about a third are women, as in district organs
			first, second = []rune(femaleFirst), []rune(femaleSecond)
		}
		a, b := first[s.pick(len(first))], second[s.pick(len(second))]
		if a == b {
			continue
		}
		n := string([]rune{surname, a, b})
		if s.used[n] || reservedNames[n] {
			continue
		}
		s.used[n] = true
		return n
	}
}
