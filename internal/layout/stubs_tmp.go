package layout

import (
	"errors"
	"io"
)

var errNotYet = errors.New("尚未实现")

// WriteDOCX is not written yet.
func (fs *Fonts) WriteDOCX(w io.Writer, doc *Document, opts Options) error { return errNotYet }

// WriteOFD is not written yet.
func (fs *Fonts) WriteOFD(w io.Writer, pages []*Page, title string) error { return errNotYet }
