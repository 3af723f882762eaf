package demo

import (
	"strings"

	"github.com/shuniu-oa/shuniu/internal/org"
)

// The district is fictional: no 清澜区 and no 云泽市 exist. (The brief's
// example 清河区 was not used because a real 清河区 exists in 铁岭市.)
const (
	districtName = "清澜区"
	cityName     = "云泽市"
)

// unitSpec is one unit as written in the tables: full name, short name (简称)
// and organ code (机关代字, used in doc numbers such as 清政办〔2026〕12号).
type unitSpec struct {
	name, short, code string
}

// leadingBodies are the four leading bodies (四套班子), in protocol order.
var leadingBodies = []unitSpec{
	{"中共清澜区委员会", "区委", "清委"},
	{"清澜区人民代表大会常务委员会", "区人大常委会", "清人常"},
	{"清澜区人民政府", "区政府", "清政"},
	{"中国人民政治协商会议清澜区委员会", "区政协", "清政协"},
}

// officeSpec is the office (办公室) of a leading body, with its sections.
type officeSpec struct {
	parent   string // short name of the leading body
	unit     unitSpec
	sections string // space-separated section names
}

var offices = []officeSpec{
	{"区委", unitSpec{"中共清澜区委办公室", "区委办", "清委办"}, "秘书科 综合科 机要科 督查室 信息科"},
	{"区人大常委会", unitSpec{"清澜区人大常委会办公室", "人大办", "清人大办"}, "秘书科 综合科"},
	{"区政府", unitSpec{"清澜区人民政府办公室", "政府办", "清政办"}, "秘书科 综合科 文电科 督查室 信息科"},
	{"区政协", unitSpec{"政协清澜区委员会办公室", "政协办", "清政协办"}, "秘书科 综合科"},
}

// staffing says how many people a department has in the demo.
type staffing int

const (
	// small: head, an office head who is also its clerk, one person per
	// business section.
	small staffing = iota
	// normal: head, office head and office clerk, one person per business
	// section.
	normal
	// big: as normal, plus a deputy head and a second person in the first
	// business section.
	big
)

// deptSpec is a district department (区直单位). Its first section is the office
// section (办公室, or 综合科 where the department is itself an 办公室), the
// rest are business sections.
type deptSpec struct {
	parent   string // 区委 or 区政府
	unit     unitSpec
	sections string // business sections, space-separated
	size     staffing
	head     string // the head's title when it cannot be read off the name
}

var departments = []deptSpec{
	// Party departments, the party's working bodies and mass organizations.
	{"区委", unitSpec{"中共清澜区纪律检查委员会", "区纪委监委", "清纪"}, "党风政风监督室 信访室", normal, "书记"},
	{"区委", unitSpec{"中共清澜区委组织部", "区委组织部", "清组"}, "组织科 干部科", normal, ""},
	{"区委", unitSpec{"中共清澜区委宣传部", "区委宣传部", "清宣"}, "宣传科 新闻科", normal, ""},
	{"区委", unitSpec{"中共清澜区委统一战线工作部", "区委统战部", "清统"}, "党派工作科", small, ""},
	{"区委", unitSpec{"中共清澜区委政法委员会", "区委政法委", "清政法"}, "综治督导科", normal, "书记"},
	{"区委", unitSpec{"中共清澜区委机构编制委员会办公室", "区委编办", "清编"}, "机构编制科", small, ""},
	{"区委", unitSpec{"中共清澜区委社会工作部", "区委社会工作部", "清社工"}, "基层治理科", small, ""},
	{"区委", unitSpec{"中共清澜区委网络安全和信息化委员会办公室", "区委网信办", "清网信"}, "网络安全科", small, ""},
	{"区委", unitSpec{"中共清澜区委巡察工作领导小组办公室", "区委巡察办", "清巡"}, "巡察协调科", small, ""},
	{"区委", unitSpec{"中共清澜区委老干部局", "区委老干部局", "清老干"}, "服务管理科", small, ""},
	{"区委", unitSpec{"中共清澜区直属机关工作委员会", "区直机关工委", "清直工"}, "组织宣传科", small, "书记"},
	{"区委", unitSpec{"清澜区档案馆", "区档案馆", "清档"}, "档案管理科", small, ""},
	{"区委", unitSpec{"清澜区融媒体中心", "区融媒体中心", "清融媒"}, "新闻采编部", small, ""},
	{"区委", unitSpec{"清澜区总工会", "区总工会", "清工"}, "权益保障部", small, ""},
	{"区委", unitSpec{"共青团清澜区委员会", "团区委", "清团"}, "青少年工作部", small, "书记"},
	{"区委", unitSpec{"清澜区妇女联合会", "区妇联", "清妇"}, "家庭和儿童工作部", small, ""},
	{"区委", unitSpec{"清澜区工商业联合会", "区工商联", "清工商联"}, "会员服务部", small, ""},
	{"区委", unitSpec{"清澜区科学技术协会", "区科协", "清科协"}, "学会服务部", small, ""},
	{"区委", unitSpec{"清澜区残疾人联合会", "区残联", "清残联"}, "康复就业部", small, ""},

	// Government departments. Branches of city bureaus (分局) carry the city's
	// name, as they do in real districts.
	{"区政府", unitSpec{"清澜区发展和改革局", "区发改局", "清发改"}, "综合规划科 投资科", big, ""},
	{"区政府", unitSpec{"清澜区教育局", "区教育局", "清教"}, "基础教育科 人事科", big, ""},
	{"区政府", unitSpec{"清澜区科技和工业信息化局", "区科工局", "清科工"}, "科技科 工业科", small, ""},
	{"区政府", unitSpec{"云泽市公安局清澜分局", "区公安分局", "清公"}, "治安管理大队 法制大队", big, ""},
	{"区政府", unitSpec{"清澜区民政局", "区民政局", "清民"}, "社会救助科 养老服务科", normal, ""},
	{"区政府", unitSpec{"清澜区司法局", "区司法局", "清司"}, "行政执法协调监督科", small, ""},
	{"区政府", unitSpec{"清澜区财政局", "区财政局", "清财"}, "预算科 国库科", big, ""},
	{"区政府", unitSpec{"清澜区人力资源和社会保障局", "区人社局", "清人社"}, "就业促进科 劳动关系科", normal, ""},
	{"区政府", unitSpec{"云泽市自然资源和规划局清澜分局", "区自然资源和规划分局", "清自规"}, "国土空间规划科", small, ""},
	{"区政府", unitSpec{"云泽市生态环境局清澜分局", "区生态环境分局", "清环"}, "环境监管科", small, ""},
	{"区政府", unitSpec{"清澜区住房和城乡建设局", "区住建局", "清建"}, "建筑业管理科 房地产市场科", big, ""},
	{"区政府", unitSpec{"清澜区交通运输局", "区交通运输局", "清交"}, "运输管理科", small, ""},
	{"区政府", unitSpec{"清澜区水务局", "区水务局", "清水"}, "河湖管理科", small, ""},
	{"区政府", unitSpec{"清澜区农业农村局", "区农业农村局", "清农"}, "乡村振兴科 种植业管理科", big, ""},
	{"区政府", unitSpec{"清澜区商务局", "区商务局", "清商"}, "商贸流通科", small, ""},
	{"区政府", unitSpec{"清澜区文化和旅游局", "区文化和旅游局", "清文旅"}, "文化艺术科 旅游发展科", small, ""},
	{"区政府", unitSpec{"清澜区卫生健康委员会", "区卫健委", "清卫健"}, "医政科 疾病预防控制科", big, ""},
	{"区政府", unitSpec{"清澜区退役军人事务局", "区退役军人事务局", "清退役"}, "优抚科", small, ""},
	{"区政府", unitSpec{"清澜区应急管理局", "区应急管理局", "清应急"}, "安全生产监督管理科 防灾减灾科", normal, ""},
	{"区政府", unitSpec{"清澜区审计局", "区审计局", "清审"}, "财政审计科", small, ""},
	{"区政府", unitSpec{"清澜区市场监督管理局", "区市场监管局", "清市监"}, "食品生产监管科 价格监督检查科", big, ""},
	{"区政府", unitSpec{"清澜区统计局", "区统计局", "清统计"}, "综合统计科", small, ""},
	{"区政府", unitSpec{"清澜区医疗保障局", "区医保局", "清医保"}, "基金监管科", small, ""},
	{"区政府", unitSpec{"清澜区信访局", "区信访局", "清信访"}, "来访接待科 办信科", normal, ""},
	{"区政府", unitSpec{"清澜区城市管理局", "区城市管理局", "清城管"}, "市容环境卫生科", small, ""},
	{"区政府", unitSpec{"清澜区数据局", "区数据局", "清数据"}, "数据资源科 电子政务科", normal, ""},
	{"区政府", unitSpec{"清澜区政务服务管理局", "区政务服务局", "清政务"}, "审批服务科", small, ""},
	{"区政府", unitSpec{"清澜区人民防空办公室", "区人防办", "清人防"}, "工程管理科", small, ""},
	{"区政府", unitSpec{"清澜区机关事务服务中心", "区机关事务中心", "清机事"}, "公务用车服务科", small, ""},
	{"区政府", unitSpec{"清澜区投资促进局", "区投资促进局", "清投促"}, "招商科", small, ""},
}

// towns are the district's 镇 and 街道. Each name's first character is unique
// and not 清, so it can serve as the town's organ code stem (望街, 白政).
var towns = strings.Fields(`望江街道 明德街道 桂园街道 北湖街道 东门街道 南塘街道 西桥街道 新华街道 凤鸣街道
	白沙镇 石桥镇 柳溪镇 黄岗镇 双河镇 永丰镇 龙泉镇`)

// isStreet reports whether a town is a 街道 rather than a 镇.
func isStreet(town string) bool { return strings.HasSuffix(town, "街道") }

// townCodes returns the organ codes of a town and of its 党政办: a 镇 issues as
// 白政 and 白政办, a 街道 (whose organ is the 街道办事处) as 望街 and 望街办.
func townCodes(town string) (unit, office string) {
	stem := string([]rune(town)[:1])
	if isStreet(town) {
		return stem + "街", stem + "街办"
	}
	return stem + "政", stem + "政办"
}

// headTitle is the title of a department's head, read off its name unless the
// table says otherwise.
func headTitle(d deptSpec) string {
	if d.head != "" {
		return d.head
	}
	name := d.unit.name
	switch {
	case strings.HasSuffix(name, "局"):
		return "局长"
	case strings.HasSuffix(name, "部"):
		return "部长"
	case strings.HasSuffix(name, "馆"):
		return "馆长"
	case strings.HasSuffix(name, "残疾人联合会"):
		return "理事长"
	case strings.HasSuffix(name, "工会"), strings.HasSuffix(name, "联合会"), strings.HasSuffix(name, "协会"):
		return "主席"
	}
	return "主任" // 委员会, 办公室, 中心
}

// officeSection is the name of a department's office section: 综合科 where the
// department is itself called an office, since 办公室办公室 reads wrong.
func officeSection(d deptSpec) string {
	if strings.HasSuffix(d.unit.name, "办公室") {
		return "综合科"
	}
	return "办公室"
}

// buildUnits adds every unit, parents before children.
func (b *builder) buildUnits() {
	for _, lb := range leadingBodies {
		b.addUnit("", lb, org.KindLeadingBody)
	}
	for _, o := range offices {
		office := b.addUnit(b.unitID(o.parent), o.unit, org.KindOffice)
		for _, s := range strings.Fields(o.sections) {
			b.addSection(office, s)
		}
	}
	for _, d := range departments {
		dept := b.addUnit(b.unitID(d.parent), d.unit, org.KindDepartment)
		b.addSection(dept, officeSection(d))
		for _, s := range strings.Fields(d.sections) {
			b.addSection(dept, s)
		}
	}
	// Towns hang under the district government: a 街道 is its agency, and the
	// 镇 government answers to it.
	gov := b.unitID("区政府")
	for _, t := range towns {
		code, officeCode := townCodes(t)
		town := b.addUnit(gov, unitSpec{districtName + t, t, code}, org.KindTown)
		b.addUnit(town, unitSpec{districtName + t + "党政办公室", "党政办", officeCode}, org.KindOffice)
	}
}
