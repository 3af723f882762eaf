package layout

import (
	"bytes"
	"context"
	"fmt"
	"io"
)

// Output is a file format the renderer writes.
type Output string

// The output formats.
const (
	PDF  Output = "pdf"
	OFD  Output = "ofd"
	DOCX Output = "docx"
)

// Renderer holds the loaded fonts. Build one per process and share it: it is
// immutable and safe for concurrent use.
type Renderer struct {
	fonts *Fonts
}

// NewRenderer loads the fonts named by cfg (getenv may be nil for os.Getenv).
func NewRenderer(cfg FontConfig, getenv func(string) string) (*Renderer, error) {
	fs, err := LoadFonts(cfg, getenv)
	if err != nil {
		return nil, err
	}
	return &Renderer{fonts: fs}, nil
}

// Fonts returns the renderer's fonts.
func (r *Renderer) Fonts() *Fonts { return r.fonts }

// Pages typesets the document without writing a file.
func (r *Renderer) Pages(doc *Document, opts Options) ([]*Page, error) {
	return r.fonts.Typeset(doc, opts)
}

// Render writes doc to w in the given format.
func (r *Renderer) Render(ctx context.Context, w io.Writer, out Output, doc *Document, opts Options) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if out == DOCX {
		if opts.Sealer != nil {
			return fmt.Errorf("DOCX 文件不能加盖电子印章，请用 PDF 或 OFD")
		}
		return r.fonts.WriteDOCX(w, doc, opts)
	}
	pages, err := r.fonts.TypesetContext(ctx, doc, opts)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	switch out {
	case PDF:
		return r.fonts.writePDF(w, pages, doc.Title, opts.Sealer)
	case OFD:
		return r.fonts.writeOFD(w, pages, doc.Title, opts.Sealer)
	}
	return fmt.Errorf("不支持的输出格式 %q（可用 pdf、ofd、docx）", out)
}

// RenderPDF returns doc as PDF bytes.
func (r *Renderer) RenderPDF(ctx context.Context, doc *Document, opts Options) ([]byte, error) {
	var b bytes.Buffer
	if err := r.Render(ctx, &b, PDF, doc, opts); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// RenderOFD returns doc as an OFD package.
func (r *Renderer) RenderOFD(ctx context.Context, doc *Document, opts Options) ([]byte, error) {
	var b bytes.Buffer
	if err := r.Render(ctx, &b, OFD, doc, opts); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// RenderDOCX returns doc as a DOCX file with the GB/T 9704 page setup.
func (r *Renderer) RenderDOCX(ctx context.Context, doc *Document, opts Options) ([]byte, error) {
	var b bytes.Buffer
	if err := r.Render(ctx, &b, DOCX, doc, opts); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
