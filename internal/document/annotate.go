package document

import (
	"fmt"
	"strings"
	"time"
)

// Annotation is a 批注 on a rune range [Start, End) of one version's text.
type Annotation struct {
	ID      string    `json:"id"`
	Version int       `json:"version"`
	Start   int       `json:"start"`
	End     int       `json:"end"`
	Quote   string    `json:"quote"` // the annotated text, as it reads in Version
	Author  string    `json:"author"`
	Text    string    `json:"text"`
	At      time.Time `json:"at"`
	// Orphaned: the annotated text was deleted in a later version.
	Orphaned   bool      `json:"orphaned,omitempty"`
	Resolved   bool      `json:"resolved,omitempty"`
	ResolvedBy string    `json:"resolved_by,omitempty"`
	ResolvedAt time.Time `json:"resolved_at,omitzero"`
}

// Annotate creates a 批注 on text (the version's Text()) over runes [start, end).
func Annotate(id string, version int, text string, start, end int, author, comment string, at time.Time) (Annotation, error) {
	n := len([]rune(text))
	if start < 0 || end > n || start >= end {
		return Annotation{}, fmt.Errorf("批注的范围无效（%d–%d，全文共 %d 字）", start, end, n)
	}
	if strings.TrimSpace(comment) == "" {
		return Annotation{}, fmt.Errorf("批注内容不能为空")
	}
	if err := OpinionLimit("text", "批注", comment); err != nil {
		return Annotation{}, err
	}
	return Annotation{ID: id, Version: version, Start: start, End: end, Quote: string([]rune(text)[start:end]),
		Author: author, Text: comment, At: at}, nil
}

// Resolve marks the 批注 resolved.
func (a Annotation) Resolve(by string, at time.Time) (Annotation, error) {
	if a.Resolved {
		return a, fmt.Errorf("该批注已处理")
	}
	a.Resolved, a.ResolvedBy, a.ResolvedAt = true, by, at
	return a, nil
}

// CarryForward moves a 批注 to the next version given the edits from its
// version's text to the new one (Diff(old, new)). The range shrinks to the
// surviving characters; text inserted at its edges is not taken in. If every
// annotated character was deleted, the 批注 is kept but marked Orphaned.
func CarryForward(a Annotation, edits []Edit, newVersion int, newText string) Annotation {
	if a.Orphaned {
		a.Version = newVersion
		return a
	}
	start, end := -1, -1
	for _, e := range edits {
		if e.Op != Equal {
			continue
		}
		// Overlap of this equal run [e.A, e.A+e.Len) with [a.Start, a.End).
		lo, hi := max(e.A, a.Start), min(e.A+e.Len, a.End)
		if lo >= hi {
			continue
		}
		if start < 0 {
			start = e.B + (lo - e.A)
		}
		end = e.B + (hi - e.A)
	}
	a.Version = newVersion
	if start < 0 {
		a.Orphaned = true
		return a
	}
	a.Start, a.End = start, end
	a.Quote = string([]rune(newText)[start:end])
	return a
}
