// Package drafting is the 起草助手's pure part: per 文种 a starting template
// with the 条例's required elements and the usual phrasing of an office
// (请示 ends “妥否，请批示。”, one matter each; 函 and 通知 open and close as
// they customarily do), chosen when a draft starts. The elements follow the
// doc type's rule in internal/document, so a template never asks for what
// the checks would refuse. No database, no HTTP.
package drafting

import (
	"strings"

	"github.com/shuniu-oa/shuniu/internal/document"
)

// Placeholder marks what the drafter replaces.
const Placeholder = "××"

// Template is how a draft of one 文种 starts.
type Template struct {
	Type document.DocType `json:"type"`
	Name string           `json:"name"` // 请示
	// Title is the title pattern, ending with the 文种.
	Title string `json:"title"`
	// Opening, Body and Closing are the paragraphs of the 正文 in order.
	Opening string   `json:"opening"`
	Body    []string `json:"body"`
	Closing string   `json:"closing,omitempty"`
	// Elements are the 条例's elements the draft must have for this 文种.
	Elements []string `json:"elements"`
	// Notes are the rules to keep while drafting (一文一事, no 请示 in a 报告…).
	Notes []string `json:"notes,omitempty"`
}

// Text is the template's 正文, one paragraph a line.
func (t Template) Text() string {
	parts := []string{t.Opening}
	parts = append(parts, t.Body...)
	if t.Closing != "" {
		parts = append(parts, t.Closing)
	}
	return strings.Join(parts, "\n")
}

// phrasing is the usual wording of each 文种 (opening, body, closing) and
// its notes; elements are derived from the doc type's rule.
var phrasing = map[document.DocType]struct {
	title, opening string
	body           []string
	closing        string
	notes          []string
}{
	document.Request: {"关于××的请示", "为××，根据××的规定，结合我单位实际，现就××事项请示如下：",
		[]string{"一、基本情况", "××。", "二、请示事项及理由", "××。", "三、有关建议", "××。"}, "妥否，请批示。",
		[]string{"一文一事：一份请示只请示一个事项", "只主送一个上级机关，不得同时抄送下级机关", "不得直接送领导者个人", "注明联系人及电话"}},
	document.Report: {"关于××情况的报告", "根据××要求，现将××有关情况报告如下：",
		[]string{"一、主要工作及成效", "××。", "二、存在的问题", "××。", "三、下一步工作打算", "××。"}, "特此报告。",
		[]string{"报告中不得夹带请示事项"}},
	document.Notice: {"关于××的通知", "为××，经××同意，现就××有关事项通知如下：",
		[]string{"一、××", "××。", "二、××", "××。", "三、工作要求", "××。"}, "特此通知。", nil},
	document.Letter: {"关于××的函", "因××工作需要，现就××事项函商如下：",
		[]string{"一、××", "××。", "二、××", "××。"}, "请予支持为盼，并请函复。",
		[]string{"用于不相隶属机关之间商洽工作、询问和答复问题、请求批准和答复审批事项", "复函开头写明“你单位《关于××的函》（××〔××〕×号）收悉。”"}},
	document.Approval: {"关于××的批复", "你单位《关于××的请示》（××〔××〕×号）收悉。经研究，现批复如下：",
		[]string{"一、同意××。", "二、××。"}, "此复。", []string{"针对一份请示作答，主送报送请示的机关"}},
	document.Opinion: {"关于××的意见", "为××，现就××提出如下意见：",
		[]string{"一、总体要求", "××。", "二、主要任务", "××。", "三、保障措施", "××。"}, "", nil},
	document.Bulletin: {"关于××的通报", "××年××月××日，××。现将有关情况通报如下：",
		[]string{"一、基本情况", "××。", "二、有关要求", "××。"}, "特此通报。", nil},
	document.Decision: {"关于××的决定", "为××，经××研究，决定如下：",
		[]string{"一、××。", "二、××。"}, "本决定自印发之日起施行。", nil},
	document.Minutes: {"××会议纪要", "××年××月××日，××主持召开××会议，研究××事项。现纪要如下：",
		[]string{"一、××", "会议指出，××。", "二、××", "会议议定，××。"}, "",
		[]string{"纪要不署发文机关、不加盖印章；出席、列席人员附后"}},
}

// For is the template of a 文种 (false for an unknown one). A 文种 without
// particular phrasing starts from its rule's elements and a plain skeleton.
func For(t document.DocType) (Template, bool) {
	rule, ok := document.RuleFor(t)
	if !ok {
		return Template{}, false
	}
	out := Template{Type: t, Name: rule.Name, Elements: elements(rule)}
	p, ok := phrasing[t]
	if !ok {
		title := "关于××的" + rule.Name
		if rule.Title == document.TitleFree {
			title = "××" + rule.Name
		}
		out.Title, out.Opening, out.Body = title, "××。", []string{"一、××", "××。"}
		return out, true
	}
	out.Title, out.Opening, out.Body, out.Closing, out.Notes = p.title, p.opening, p.body, p.closing, p.notes
	if rule.OneMatter && !containsNote(out.Notes, "一文一事") {
		out.Notes = append(out.Notes, "一文一事")
	}
	return out, true
}

// All lists every 文种's template in the rules' order.
func All() []Template {
	var out []Template
	for _, r := range document.Rules() {
		if t, ok := For(r.Type); ok {
			out = append(out, t)
		}
	}
	return out
}

func containsNote(notes []string, s string) bool {
	for _, n := range notes {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

// elements are the 条例's elements (第九条) a document of the rule's 文种
// must carry beyond 标题, 正文 and 成文日期, which every one has.
func elements(r document.TypeRule) []string {
	out := []string{"标题"}
	if r.ToMin > 0 {
		out = append(out, "主送机关")
	}
	out = append(out, "正文")
	if r.NumberRequired {
		out = append(out, "发文字号")
	}
	if r.Signature {
		out = append(out, "发文机关署名")
	}
	out = append(out, "成文日期")
	if r.Seal != document.SealForbidden && r.Signature {
		out = append(out, "印章")
	}
	if r.Type == document.Request {
		out = append(out, "附注（联系人及电话）")
	}
	return out
}
