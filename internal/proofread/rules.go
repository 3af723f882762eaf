package proofread

// RuleInfo describes one rule, for a settings page where a deployment
// switches rules off (Config.Disabled takes the IDs).
type RuleInfo struct {
	ID          string   `json:"id"`
	Category    Category `json:"category"`
	Description string   `json:"description"`
}

// Rules lists every rule the proofreader has, in category order.
func Rules() []RuleInfo {
	return []RuleInfo{
		{"T01", CategoryTypo, "常见错别字（如“发号司令”“己经”“截止目前”）"},
		{"T03", CategoryTypo, "音近、形近错别字（语言模型判断）"},
		{"T04", CategoryTypo, "“的、地、得”误用"},
		{"T05", CategoryTypo, "需看上下文的易混词（截止/截至、做出/作出、反应/反映等）"},
		{"P01", CategoryPunctuation, "中文中使用半角标点"},
		{"P02", CategoryPunctuation, "引号、括号、书名号不配对"},
		{"P03", CategoryPunctuation, "引号嵌套错误"},
		{"P04", CategoryPunctuation, "省略号、破折号形式错误"},
		{"P05", CategoryPunctuation, "并列书名号、引号之间用顿号"},
		{"P06", CategoryPunctuation, "相邻数字表示概数时用顿号"},
		{"P12", CategoryPunctuation, "汉字之间有多余空格"},
		{"P13", CategoryPunctuation, "标点符号重复或连用"},
		{"P08", CategoryRepetition, "字重复"},
		{"P09", CategoryRepetition, "词语重复"},
		{"F01", CategoryFormat, "发文字号年份括号"},
		{"F02", CategoryFormat, "发文字号序号（不加“第”、不编虚位）"},
		{"F03", CategoryFormat, "发文字号年份写全"},
		{"F07", CategoryFormat, "成文日期格式"},
		{"F08", CategoryFormat, "标题末尾标点"},
		{"F09", CategoryFormat, "标题结构与文种"},
		{"F10", CategoryFormat, "标题文种叠用"},
		{"F11", CategoryFormat, "主送机关标点与数量"},
		{"F16", CategoryFormat, "附件说明格式"},
		{"F18", CategoryFormat, "抄送格式"},
		{"F24", CategoryFormat, "未填写的占位符"},
		{"N01", CategoryFormat, "一级标题序号格式（一、）"},
		{"N02", CategoryFormat, "二级标题序号格式（（一））"},
		{"N03", CategoryFormat, "三级标题序号格式（1.）"},
		{"N04", CategoryFormat, "四级标题序号格式（（1））"},
		{"N05", CategoryFormat, "标题层级跳级"},
		{"N06", CategoryFormat, "标题序号不连续或重复"},
		{"W01", CategoryTerm, "规范用语（其他、交代、唯一等）"},
		{"W03", CategoryTerm, "异形词"},
		{"W04", CategoryTerm, "过时的公文术语和法规名称"},
		{"W05", CategoryTerm, "已更名或撤并的机构名称"},
		{"U01", CategoryNumber, "全角数字"},
		{"U02", CategoryNumber, "数值、时间范围的连接号"},
		{"U03", CategoryNumber, "百分数范围"},
		{"U04", CategoryNumber, "“百分之”与阿拉伯数字混用"},
		{"U05", CategoryNumber, "“约”与“左右”重复"},
		{"U06", CategoryNumber, "汉字数字年份中的“〇”"},
		{"C01", CategoryCustom, "本单位规定的机构名称"},
		{"C02", CategoryCustom, "领导姓名与职务"},
		{"C03", CategoryCustom, "敏感词、禁用词"},
	}
}
