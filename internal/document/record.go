package document

import (
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/route"
)

// SignOff is what 领导签发 records on the default 发文 route.
type SignOff struct {
	Signer     string    `json:"signer"`                 // who signed (person id)
	OnBehalfOf string    `json:"on_behalf_of,omitempty"` // the leader signed for, under 委托
	Opinion    string    `json:"opinion"`                // 签发意见, verbatim
	At         time.Time `json:"at"`
}

// Leader is the person the sign-off is in the name of: the signer, or the
// leader they signed for under 委托.
func (s SignOff) Leader() string {
	if s.OnBehalfOf != "" {
		return s.OnBehalfOf
	}
	return s.Signer
}

// SignOffOf reads the latest sign-off from an outgoing route.
func SignOffOf(in route.Instance) (SignOff, bool) {
	done := in.Finished("sign_off")
	if len(done) == 0 {
		return SignOff{}, false
	}
	t := done[len(done)-1]
	return SignOff{Signer: t.ActedBy, OnBehalfOf: t.OnBehalfOf, Opinion: t.Comment, At: t.ActedAt}, true
}

// WithSignOff puts the sign-off into the document: the 成文日期 is the date
// the leader signed (条例 art. 9(12)), and an upward document shows the
// 签发人 by name (signerName: the leader's name, not the delegate's).
func WithSignOff(d Document, s SignOff, signerName string) Document {
	d.Date = DateOf(s.At.In(calendar.Shanghai()))
	if d.EffectiveDirection() == Upward && signerName != "" {
		d.Signers = []string{signerName}
	}
	return d
}

// Countersign is one unit's 会签 result.
type Countersign struct {
	Assignee route.Assignee `json:"assignee"`
	By       string         `json:"by"`
	Agreed   bool           `json:"agreed"`
	Comment  string         `json:"comment,omitempty"`
	At       time.Time      `json:"at"`
}

// CountersignsOf lists the latest round of 会签 results; the signing leader
// sees disagreements here.
func CountersignsOf(in route.Instance) []Countersign {
	var out []Countersign
	for _, t := range in.Finished("countersign") {
		out = append(out, Countersign{Assignee: t.Assignee, By: t.ActedBy, Agreed: t.Outcome != route.Disagreed, Comment: t.Comment, At: t.ActedAt})
	}
	return out
}

// Instruction is a leader's 批办 on an incoming item, kept verbatim; the
// supervision module can turn it into a supervision item.
type Instruction struct {
	Leader     string    `json:"leader"`
	OnBehalfOf string    `json:"on_behalf_of,omitempty"`
	Text       string    `json:"text"`
	At         time.Time `json:"at"`
}

// InstructionOf reads the latest instruction from an incoming route.
func InstructionOf(in route.Instance) (Instruction, bool) {
	done := in.Finished("instruct")
	if len(done) == 0 {
		return Instruction{}, false
	}
	t := done[len(done)-1]
	return Instruction{Leader: t.ActedBy, OnBehalfOf: t.OnBehalfOf, Text: t.Comment, At: t.ActedAt}, true
}
