package layout

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// A PDF that was not typeset here (a meeting's material, as uploaded) is
// watermarked by stamping a page of the same watermark the typesetter draws
// on documents (typesetter.watermark) over every one of its pages. The PDF
// is parsed and rewritten by pdfcpu, the Go field's PDF processor: writing
// a reader for every PDF an office may upload (object streams, xref
// streams, inherited resources, encryption) is not this package's job.

// WatermarkPage is one blank A4 page carrying only the watermark s, as a
// PDF: the overlay StampPDF lays on each page.
func (r *Renderer) WatermarkPage(s string) ([]byte, error) {
	ts := &typesetter{fs: r.fonts, doc: &Document{}}
	ts.newPage()
	ts.cur.ShowNumber = false
	ts.watermark(s)
	if err := r.fonts.checkCoverage(ts.pages); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := r.fonts.WritePDF(&b, ts.pages, "水印"); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// StampPDF writes the PDF in with the watermark s stamped over every page,
// scaled to each page's width. A PDF that cannot be read (damaged, or
// encrypted with a password) is refused with a message for the user.
func (r *Renderer) StampPDF(ctx context.Context, w io.Writer, in io.ReadSeeker, s string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	overlay, err := r.WatermarkPage(s)
	if err != nil {
		return err
	}
	// No configuration directory: pdfcpu would otherwise create one under
	// the user's home, and exit the process when it cannot.
	api.DisableConfigDir()
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	wm, err := api.PDFWatermarkForReadSeeker(bytes.NewReader(overlay), 1, "scalefactor:1 rel, rotation:0, opacity:1", true, false, types.POINTS)
	if err != nil {
		return fmt.Errorf("watermark: %w", err)
	}
	if err := api.AddWatermarks(in, w, nil, wm, conf); err != nil {
		return fmt.Errorf("%w: %v", ErrUnreadablePDF, err)
	}
	return nil
}

// ErrUnreadablePDF is a PDF the stamp cannot be laid on.
var ErrUnreadablePDF = fmt.Errorf("PDF 文件无法读取（已损坏或设有密码），不能加水印")
