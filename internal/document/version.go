package document

import "time"

// Version is one saved state of a document; every save makes one.
type Version struct {
	N      int       `json:"n"`
	Doc    Document  `json:"doc"`
	Author string    `json:"author"`
	At     time.Time `json:"at"`
	Note   string    `json:"note,omitempty"`
}

// Redline is the comparison of two versions, ready to render.
type Redline struct {
	From     int    `json:"from"`
	To       int    `json:"to"`
	Edits    []Edit `json:"edits"`
	Inserted int    `json:"inserted"` // runes
	Deleted  int    `json:"deleted"`  // runes
}

// Compare compares any two versions (either order) character by character.
func Compare(from, to Version) Redline {
	r := Redline{From: from.N, To: to.N, Edits: Diff(from.Doc.Text(), to.Doc.Text())}
	for _, e := range r.Edits {
		switch e.Op {
		case Insert:
			r.Inserted += e.Len
		case Delete:
			r.Deleted += e.Len
		}
	}
	return r
}
