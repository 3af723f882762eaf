package supervise

import "github.com/shuniu-oa/shuniu/internal/document"

// ItemFromInstruction starts a NewItem from a leader's 批办 on an incoming
// document (the "one click" on the document page): the document's ID and
// title, the instruction verbatim and who gave it. The 督查室 then adds the
// units, deadline and schedule before Create.
func ItemFromInstruction(id, office string, doc document.Document, ins document.Instruction) NewItem {
	n := NewItem{ID: id, Source: FromInstruction, Ref: doc.ID, Title: doc.Title, Office: office}
	n.Instruction, n.Instructor = instructionOf(ins)
	return n
}

func instructionOf(ins document.Instruction) (text, who string) {
	who = ins.Leader
	if ins.OnBehalfOf != "" {
		// Given by a deputy under delegation: the instruction is the leader's.
		who = ins.OnBehalfOf
	}
	return ins.Text, who
}

// WithInstruction completes a 领导批办 item from the document its Ref names:
// the instruction and the instructor are the 批办's (found is whether the
// route has one), whatever the request said, and an empty title is the
// document's. A classified document is refused: what is taken from it — its
// title, its 批示 — keeps its 密级 (派生定密), and supervision items are
// listed, counted, bulletined and notified across units as 非密 matters.
func WithInstruction(n NewItem, doc document.Document, ins document.Instruction, found bool) (NewItem, error) {
	if n.Source != FromInstruction {
		return n, nil
	}
	if err := SourceDocument(doc); err != nil {
		return n, err
	}
	if !found {
		return n, refuse("来文尚无领导批示，不能按“领导批办”立项")
	}
	n.Instruction, n.Instructor = instructionOf(ins)
	if blank(n.Title) {
		n.Title = doc.Title
	}
	return n, nil
}

// SourceDocument refuses a document an item may not be made from: a
// classified one (see WithInstruction).
func SourceDocument(doc document.Document) error {
	if doc.Classification.Level > document.Unclassified {
		return refuse("来文为%s文件：督办事项按非密事项管理，不能据涉密文件立项，请按保密规定另行督办", doc.Classification.Level.Label())
	}
	return nil
}
