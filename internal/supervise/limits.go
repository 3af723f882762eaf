package supervise

import "github.com/shuniu-oa/shuniu/internal/textlimit"

// Limits on what people write into an item, in characters (issue 11). Every
// operation checks its own input before anything else, so the API, the
// forms, list import and the command line refuse alike.
const (
	MaxTitle          = 200   // 事项标题, a sub-item's or a milestone's name
	MaxInstruction    = 5_000 // 批示 or 督办内容原文
	MaxText           = 5_000 // 进展反馈, 办结说明, 催办, 沟通记录, 满意度说明
	MaxReason         = 2_000 // 延期理由, 退回理由, 审批意见
	MaxName           = 100   // 批示领导, 提出人
	MaxRef            = 100   // 关联来文 (a document ID) or 提案编号
	MaxParts          = 200   // sub-items, milestones, units on one item
	MaxAttachments    = 50    // files on one report or application
	MaxAttachmentName = 200   // one file's name
	MaxWay            = 50    // 沟通方式
)

func checkNew(n NewItem) error {
	errs := []error{
		textlimit.Text("title", "督办事项标题", MaxTitle, n.Title),
		textlimit.Text("instruction", "批示或督办内容", MaxInstruction, n.Instruction),
		textlimit.Text("instructor", "批示领导", MaxName, n.Instructor),
		textlimit.Text("ref", "关联来文", MaxRef, n.Ref),
		textlimit.Count("units", "承办单位", MaxParts, len(n.Units), "个"),
		textlimit.Count("sub_items", "子事项", MaxParts, len(n.SubItems), "个"),
		textlimit.Count("milestones", "节点", MaxParts, len(n.Milestones), "个"),
	}
	for _, s := range n.SubItems {
		errs = append(errs, textlimit.Text("sub_items", "子事项名称", MaxTitle, s.Title), textlimit.Text("sub_items", "子事项编号", MaxRef, s.ID))
	}
	for _, m := range n.Milestones {
		errs = append(errs, textlimit.Text("milestones", "节点名称", MaxTitle, m.Title), textlimit.Text("milestones", "节点编号", MaxRef, m.ID))
	}
	if n.Proposal != nil {
		errs = append(errs, textlimit.Text("proposal_number", "提案编号", MaxRef, n.Proposal.Number),
			textlimit.Text("proposer", "提出人", MaxName, n.Proposal.Proposer))
	}
	return textlimit.First(errs...)
}

func checkFiles(as []Attachment) error {
	if err := textlimit.Count("files", "附件", MaxAttachments, len(as), "个"); err != nil {
		return err
	}
	for _, a := range as {
		if err := textlimit.Text("files", "附件名称", MaxAttachmentName, a.Name); err != nil {
			return err
		}
	}
	return nil
}

// CheckReport refuses a progress report over the limits; the web calls it
// before it stores the report's files.
func CheckReport(in ReportInput) error {
	return textlimit.First(
		textlimit.Text("text", "进展反馈", MaxText, in.Text),
		checkFiles(in.Attachments),
		textlimit.Count("reached", "完成的子事项和节点", MaxParts, len(in.Reached), "个"),
	)
}

// CheckEvidence refuses an application to close over the limits.
func CheckEvidence(ev Evidence) error {
	return textlimit.First(textlimit.Text("text", "办结说明", MaxText, ev.Text), checkFiles(ev.Attachments))
}

func checkReason(field, label, s string) error { return textlimit.Text(field, label, MaxReason, s) }
