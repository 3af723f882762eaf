package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/layout"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"time"
)

// Printing: a document in the GB/T 9704 layout as PDF, OFD or DOCX, and its
// 发文稿纸 or 收文处理单 as a printed form, both through the layout engine. The
// same access decision as the document page applies; a classified document
// carries the viewer's name and the time on every page, and each print of it
// is audited.

func (srv *Server) printRoutes() {
	m := srv.mux
	m.HandleFunc("GET /docs/{id}/print.pdf", srv.requireLogin(srv.docPrint(layout.PDF)))
	m.HandleFunc("GET /docs/{id}/print.ofd", srv.requireLogin(srv.docPrint(layout.OFD)))
	m.HandleFunc("GET /docs/{id}/print.docx", srv.requireLogin(srv.docPrint(layout.DOCX)))
	m.HandleFunc("GET /docs/{id}/sheet.pdf", srv.requireLogin(srv.docSheetPDF))
}

var outputTypes = map[layout.Output]string{
	layout.PDF:  "application/pdf",
	layout.OFD:  "application/ofd",
	layout.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

// printUnavailable answers when the server has no renderer (fonts missing).
func (srv *Server) printUnavailable(w http.ResponseWriter, r *http.Request) {
	msg := "无法打印：服务器未加载排版字体。请系统管理员运行 scripts/setup-fonts.sh 安装字体（或用 SHUNIU_FONT_DIR 指定字体目录）后重启服务。"
	if err := srv.opt.RendererErr; err != nil {
		msg += "（" + err.Error() + "）"
	}
	srv.render(w, r, http.StatusServiceUnavailable, "error", pageData{Title: "无法打印", Error: msg})
}

// copyNumber reads ?copy=N as a 6-digit 份号; "" when not asked.
func copyNumber(q url.Values) (string, error) {
	s := strings.TrimSpace(q.Get("copy"))
	if s == "" {
		return "", nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 999999 {
		return "", errors.New("份号应为 1 至 999999 的整数")
	}
	return document.FormatCopyNumber(n), nil
}

// signerTitle is the 签发人职务 and name a 命令 prints: the signer's first
// position's title and their name.
func (srv *Server) signerTitle(ctx context.Context, od openedDoc) (string, error) {
	if od.rec.Doc.Type != document.Order {
		return "", nil
	}
	so, ok := document.SignOffOf(od.in)
	if !ok {
		return "", nil
	}
	p, err := srv.store.Person(ctx, so.Signer)
	if err != nil {
		return "", err
	}
	pos, err := srv.store.Positions(ctx, p.ID)
	if err != nil {
		return "", err
	}
	if len(pos) == 0 {
		return p.Name, nil
	}
	return pos[0].Title + "　" + p.Name, nil
}

func (srv *Server) docPrint(out layout.Output) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		od, ok := srv.openDoc(w, r, "print")
		if !ok {
			return
		}
		if srv.opt.Renderer == nil {
			srv.printUnavailable(w, r)
			return
		}
		ctx := r.Context()
		v := viewerFrom(ctx)
		cn, err := copyNumber(r.URL.Query())
		if err != nil {
			srv.render(w, r, http.StatusBadRequest, "error", pageData{Title: "无法打印", Error: err.Error()})
			return
		}
		st, err := srv.signerTitle(ctx, od)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		opts := layout.Options{CopyNumber: cn, Watermark: srv.watermark(v, od.rec)}
		var buf bytes.Buffer
		rctx, cancel := context.WithTimeout(ctx, printTimeout)
		defer cancel()
		if err := srv.opt.Renderer.Render(rctx, &buf, out, layoutDoc(od.rec, st), opts); err != nil {
			srv.printFailed(w, r, err)
			return
		}
		if !srv.auditPrint(w, r, od.rec, string(out), cn, opts.Watermark) {
			return
		}
		sendFile(w, outputTypes[out], od.rec.Doc.Title+"."+string(out), out == layout.PDF, buf.Bytes())
	}
}

// printTimeout bounds one typesetting in a request. The layout engine's own
// bounds (layout.MaxTitle, MaxChars, MaxPages) keep any document within a
// few seconds; this is the backstop for a slow machine, honoured at every
// page and paragraph.
const printTimeout = 30 * time.Second

// printFailed reports a document the layout engine refuses (an element in the
// wrong form, a character no font has) to the clerk, in Chinese.
func (srv *Server) printFailed(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, r.Context().Err()) && r.Context().Err() != nil {
		return
	}
	if errors.Is(err, context.DeadlineExceeded) {
		srv.render(w, r, http.StatusServiceUnavailable, "error", pageData{Title: "无法打印", Error: "排版超时，请稍后重试"})
		return
	}
	srv.log.Warn("print refused", "request_id", requestID(r.Context()), "path", r.URL.Path, "err", err)
	srv.render(w, r, http.StatusUnprocessableEntity, "error", pageData{Title: "无法打印", Error: "无法排版：" + err.Error()})
}

// auditPrint records the print of a classified document; a print that
// cannot be recorded is refused.
func (srv *Server) auditPrint(w http.ResponseWriter, r *http.Request, rec store.DocRecord, format, copyNo, wm string) bool {
	if rec.Level() == org.Unclassified {
		return true
	}
	v := viewerFrom(r.Context())
	err := srv.store.AuditAlone(r.Context(), audit.Event{ActorID: v.Person.ID, ActorName: v.Person.Name, Action: "document.print",
		ObjectKind: "document", ObjectID: rec.ID, IP: clientIP(r),
		// No title: the auditor reads this log and may not read the document.
		Detail: jsonDetail(map[string]string{"level": rec.Level().Label(), "format": format, "copy": copyNo, "watermark": wm})})
	if err != nil {
		srv.serverError(w, r, err)
		return false
	}
	return true
}

func sendFile(w http.ResponseWriter, ctype, name string, inline bool, b []byte) {
	disp := "attachment"
	if inline {
		disp = "inline"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`%s; filename="document%s"; filename*=UTF-8''%s`, disp, name[strings.LastIndex(name, "."):], url.PathEscape(name)))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b)
}

// sheetValues fills the layout engine's 发文稿纸 or 收文处理单 from the sheet.
func sheetValues(d sheetData) (string, map[string]string) {
	rec := d.Rec
	level := d.Level
	if level == "" {
		level = "非密"
	}
	op := func(o *opinion) string {
		if o == nil {
			return ""
		}
		s := o.Text
		if s != "" {
			s += "\n"
		}
		return s + o.Who + "　" + fmtStamp(o)
	}
	lines := func(os []opinion, label func(opinion) string) string {
		var out []string
		for _, o := range os {
			out = append(out, label(o)+"："+o.Text+"　"+o.Who+"　"+fmtStamp(&o))
		}
		return strings.Join(out, "\n")
	}
	if d.Outgoing {
		reviews := lines(d.Reviews, func(o opinion) string { return o.Step })
		if d.Recheck != nil {
			reviews = strings.TrimPrefix(reviews+"\n复核："+d.Recheck.Text+"　"+d.Recheck.Who+"　"+fmtStamp(d.Recheck), "\n")
		}
		printed := strings.TrimSpace(rec.Doc.PrintedBy + " " + d.PrintDate)
		return "outgoing-draft", map[string]string{
			"机关名称": d.Organ, "稿纸编号": rec.DocNumber, "签发": op(d.SignOff),
			"会签": lines(d.Countersigns, func(o opinion) string {
				if !o.Agreed {
					return o.Step + "（不同意）"
				}
				return o.Step
			}),
			"核稿": reviews, "拟稿单位": d.Unit, "拟稿人": d.Drafter, "发文字号": rec.DocNumber, "密级": level,
			"紧急程度": rec.Doc.Urgency.Label(), "印发份数": d.Copies, "标题": rec.Doc.Title, "主送": strings.Join(rec.Doc.To, "、"),
			"抄送": strings.Join(rec.Doc.CC, "、"), "附件": strings.Join(rec.Doc.AttachmentNote, "；"), "校对": d.Proofread, "印制": printed,
		}
	}
	number := ""
	if rec.Doc.Number != nil {
		number = rec.Doc.Number.String()
	}
	results := lines(d.Handlers, func(o opinion) string { return o.Who + "（" + o.Step + "）" })
	if d.Closed != nil {
		results = strings.TrimPrefix(results+"\n办结："+d.Closed.Text+"　"+d.Closed.Who+"　"+fmtStamp(d.Closed), "\n")
	}
	var readers []string
	for _, o := range d.Readers {
		readers = append(readers, o.Who)
	}
	note := ""
	if len(readers) > 0 {
		note = "已传阅：" + strings.Join(readers, "、")
	}
	return "incoming-sheet", map[string]string{
		"机关名称": d.Organ, "收文编号": rec.InNumber, "来文单位": rec.Sender, "收文日期": d.Received.In(chinaTime).Format("2006年1月2日"),
		"来文字号": number, "密级": level, "紧急程度": rec.Doc.Urgency.Label(), "标题": rec.Doc.Title,
		"拟办意见": op(d.Proposal), "领导批示": op(d.Instructed), "办理结果": results, "备注": note,
	}
}

func fmtStamp(o *opinion) string {
	if o == nil || o.At.IsZero() {
		return ""
	}
	return o.At.In(chinaTime).Format("2006-01-02 15:04")
}

// docSheetPDF prints the 发文稿纸 or 收文处理单 with the document's values.
func (srv *Server) docSheetPDF(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "sheet")
	if !ok {
		return
	}
	if srv.opt.Renderer == nil {
		srv.printUnavailable(w, r)
		return
	}
	ctx := r.Context()
	d, err := srv.sheetOf(ctx, od)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	buf, err := srv.sheetPDF(d, od.rec)
	if err != nil {
		srv.printFailed(w, r, err)
		return
	}
	if !srv.auditPrint(w, r, od.rec, "sheet.pdf", "", d.Watermark) {
		return
	}
	sendFile(w, "application/pdf", sheetTitle(d.Outgoing)+"·"+od.rec.Doc.Title+".pdf", true, buf.Bytes())
}

// sheetPDF typesets the 发文稿纸 or 收文处理单 with the document's values.
func (srv *Server) sheetPDF(d sheetData, rec store.DocRecord) (*bytes.Buffer, error) {
	name, values := sheetValues(d)
	spec, ok := layout.BuiltinForms()[name]
	if !ok {
		return nil, fmt.Errorf("no form %s", name)
	}
	fonts := srv.opt.Renderer.Fonts()
	pages, err := fonts.TypesetForm(spec, values, layout.Options{Watermark: d.Watermark})
	var buf bytes.Buffer
	if err == nil {
		err = fonts.WritePDF(&buf, pages, sheetTitle(d.Outgoing)+" · "+rec.Doc.Title)
	}
	return &buf, err
}
