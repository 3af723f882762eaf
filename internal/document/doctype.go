package document

// DocType is one of the 15 doc types (文种) of 《党政机关公文处理工作条例》 art. 8.
type DocType string

const (
	Resolution   DocType = "resolution"    // 决议
	Decision     DocType = "decision"      // 决定
	Order        DocType = "order"         // 命令（令）
	Communique   DocType = "communique"    // 公报
	Announcement DocType = "announcement"  // 公告
	PublicNotice DocType = "public_notice" // 通告
	Opinion      DocType = "opinion"       // 意见
	Notice       DocType = "notice"        // 通知
	Bulletin     DocType = "bulletin"      // 通报
	Report       DocType = "report"        // 报告
	Request      DocType = "request"       // 请示
	Approval     DocType = "approval"      // 批复
	Motion       DocType = "motion"        // 议案
	Letter       DocType = "letter"        // 函
	Minutes      DocType = "minutes"       // 纪要
)

// Direction is which way a document goes.
type Direction string

const (
	Upward   Direction = "upward"   // 上行文
	Downward Direction = "downward" // 下行文
	Lateral  Direction = "lateral"  // 平行文
	Public   Direction = "public"   // 公布性
)

// SealRule says whether a doc type carries the issuer's seal.
type SealRule string

const (
	SealOptional  SealRule = "optional"  // affixed when there is a 署名 (普发性 documents may omit)
	SealForbidden SealRule = "forbidden" // 纪要: no 署名, no seal
)

// TitleForm says how a title is built.
type TitleForm string

const (
	// TitleAbout is "发文机关 + 关于…的 + 文种" (the issuer may be left out).
	TitleAbout TitleForm = "about"
	// TitleFree only requires the title to end with the doc type's name
	// (公告, 通告, 公报, 命令, 纪要 are often "××市人民政府公告" or "××会议纪要").
	TitleFree TitleForm = "free"
)

// Phrase is a phrase a rule looks for, with the finding it raises.
type Phrase struct {
	Text     string   `json:"text"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
}

// TypeRule is the data that drives the checks of one doc type. An organ may
// load an adjusted table; Rules() is the default from the 条例 and GB/T 9704.
type TypeRule struct {
	Type DocType `json:"type"`
	Name string  `json:"name"` // the 文种 as it ends a title
	// TitleNames are the endings accepted in a title (命令（令）: 命令 or 令).
	TitleNames []string  `json:"title_names,omitempty"`
	Direction  Direction `json:"direction"`
	// ToMin and ToMax bound the number of 主送机关 (ToMax < 0: no bound).
	ToMin int `json:"to_min"`
	ToMax int `json:"to_max"`
	// ToSeverity is how a wrong 主送 count is reported.
	ToSeverity Severity  `json:"to_severity"`
	Title      TitleForm `json:"title"`
	Seal       SealRule  `json:"seal"`
	// Signature: whether a 发文机关署名 is required.
	Signature bool `json:"signature"`
	// NumberRequired: whether a 发文字号 is required before issue (纪要 use 期号).
	NumberRequired bool `json:"number_required"`
	// OneMatter: 一文一事 (请示).
	OneMatter bool `json:"one_matter,omitempty"`
	// Forbidden phrases in the 正文 (报告 must not carry 请示事项).
	Forbidden []Phrase `json:"forbidden,omitempty"`
	// Closing phrases expected near the end of the 正文; none found is a warning.
	Closings []string `json:"closings,omitempty"`
	// IssuerMustContain: e.g. 议案 only from a 人民政府.
	IssuerMustContain string `json:"issuer_must_contain,omitempty"`
	// Layout is the special format of GB/T 9704 §10 ("letter", "order", "minutes"), if any.
	Layout string `json:"layout,omitempty"`
}

// requestPhrases are the phrases by which a 请示事项 shows (校对 rule F13).
var requestPhrases = []string{"请批示", "请审批", "妥否", "请予批准", "请予审定", "请批复"}

// Rules is the default table, one entry per doc type, in the 条例's order.
func Rules() []TypeRule {
	reportForbidden := make([]Phrase, len(requestPhrases))
	for i, p := range requestPhrases {
		reportForbidden[i] = Phrase{Text: p, Severity: Error,
			Message: "报告中不得夹带请示事项（“" + p + "”），请示事项应另行请示（条例第十五条）"}
	}
	std := func(t DocType, name string, dir Direction) TypeRule {
		return TypeRule{Type: t, Name: name, Direction: dir, ToMin: 1, ToMax: -1, ToSeverity: Error,
			Title: TitleAbout, Seal: SealOptional, Signature: true, NumberRequired: true}
	}
	resolution := std(Resolution, "决议", Downward)
	resolution.ToMin, resolution.Title = 0, TitleFree
	order := std(Order, "命令", Downward)
	order.TitleNames, order.Title, order.ToMin, order.Layout = []string{"命令", "令"}, TitleFree, 0, "order"
	communique := std(Communique, "公报", Public)
	communique.ToMin, communique.Title = 0, TitleFree
	announcement := std(Announcement, "公告", Public)
	announcement.ToMin, announcement.ToMax, announcement.ToSeverity, announcement.Title = 0, 0, Warning, TitleFree
	publicNotice := std(PublicNotice, "通告", Public)
	publicNotice.ToMin, publicNotice.ToMax, publicNotice.ToSeverity, publicNotice.Title = 0, 0, Warning, TitleFree
	report := std(Report, "报告", Upward)
	report.ToMax, report.ToSeverity, report.Forbidden, report.Closings = 1, Warning, reportForbidden, []string{"特此报告"}
	request := std(Request, "请示", Upward)
	request.ToMax, request.OneMatter = 1, true
	request.Closings = []string{"妥否", "请批示", "请审批", "请予批准", "请批复", "请予审定"}
	request.Forbidden = []Phrase{{Text: "特此报告", Severity: Warning, Message: "请示的结语不宜用“特此报告”，可用“妥否，请批示。”"}}
	approval := std(Approval, "批复", Downward)
	approval.ToMax, approval.ToSeverity = 1, Warning
	motion := std(Motion, "议案", Upward)
	motion.ToMax, motion.IssuerMustContain = 1, "人民政府"
	letter := std(Letter, "函", Lateral)
	letter.Layout = "letter"
	letter.Forbidden = []Phrase{{Text: "特此通知", Severity: Warning, Message: "函的结语不宜用“特此通知”，可用“特此函告。”或“请予函复。”"}}
	minutes := std(Minutes, "纪要", Downward)
	minutes.ToMin, minutes.Title, minutes.Seal, minutes.Signature, minutes.NumberRequired, minutes.Layout = 0, TitleFree, SealForbidden, false, false, "minutes"
	return []TypeRule{
		resolution,
		std(Decision, "决定", Downward),
		order, communique, announcement, publicNotice,
		std(Opinion, "意见", Downward),
		std(Notice, "通知", Downward),
		std(Bulletin, "通报", Downward),
		report, request, approval, motion, letter, minutes,
	}
}

// RuleFor returns the default rule of a doc type.
func RuleFor(t DocType) (TypeRule, bool) {
	for _, r := range Rules() {
		if r.Type == t {
			return r, true
		}
	}
	return TypeRule{}, false
}

// typeNames are all 文种 names, for spotting two in one title.
func typeNames() []string {
	var out []string
	for _, r := range Rules() {
		out = append(out, r.Name)
	}
	return out
}
