package supervise

import "github.com/shuniu-oa/shuniu/internal/document"

// ItemFromInstruction starts a NewItem from a leader's 批办 on an incoming
// document (the "one click" on the document page): the document's ID and
// title, the instruction verbatim and who gave it. The 督查室 then adds the
// units, deadline and schedule before Create.
func ItemFromInstruction(id, office string, doc document.Document, ins document.Instruction) NewItem {
	who := ins.Leader
	if ins.OnBehalfOf != "" {
		// Given by a deputy under delegation: the instruction is the leader's.
		who = ins.OnBehalfOf
	}
	return NewItem{
		ID: id, Source: FromInstruction, Ref: doc.ID, Title: doc.Title,
		Instruction: ins.Text, Instructor: who, Office: office,
	}
}
