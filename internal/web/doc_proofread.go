package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/proofread"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/textlimit"
	"time"
)

// Proofreading (校对) of documents: the proofreader's findings on the current
// version, part by part, highlighted in the text; one click accepts a
// suggestion (a new version through store.AcceptSuggestion, counted for the
// step the viewer acts at in the same transaction) or marks a finding "not
// an error" (kept per document by its key, so it stays hidden after
// unrelated edits).

func (srv *Server) proofreadRoutes() {
	m := srv.mux
	m.HandleFunc("GET /docs/{id}/proofread", srv.requireLogin(srv.docProofreadPage))
	m.HandleFunc("POST /docs/{id}/proofread", srv.requireLogin(srv.docProofreadPost))
	m.HandleFunc("POST /api/v1/proofread", srv.requireLogin(srv.apiProofread))
	m.HandleFunc("GET /api/v1/documents/{id}/proofread", srv.requireLogin(srv.apiDocProofread))
	m.HandleFunc("POST /api/v1/documents/{id}/proofread", srv.requireLogin(srv.apiDocProofreadPost))
	m.HandleFunc("GET /settings/proofread", srv.requireLogin(srv.proofSettingsPage))
	m.HandleFunc("POST /settings/proofread/lists", srv.requireLogin(srv.proofListsSave))
	m.HandleFunc("POST /settings/proofread/rules", srv.requireLogin(srv.proofRulesSave))
}

// errProofreadOff answers when the server runs without a proofreader.
var errProofreadOff = errors.New("校对功能未启用")

// proofTimeout bounds one proofreading in a request. The input is bounded
// too (proofread.MaxInput, and the document's own limits), so this is a
// backstop for a slow machine, honoured at every paragraph.
const proofTimeout = 20 * time.Second

// errProofSlow answers a check stopped by proofTimeout.
var errProofSlow = errors.New("校对超时，请缩短文字后重试")

// proofStopped names why a check stopped, for the clerk.
func proofStopped(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return errProofSlow
	}
	return err
}

// proofUnavailable reports a check that cannot run for this input or server
// (shown in the panel instead of findings).
func proofUnavailable(err error) bool {
	return errors.Is(err, errProofreadOff) || errors.Is(err, errProofSlow) || errors.Is(err, textlimit.ErrTooLong)
}

// checker is the deployment's proofreader: the process's checker with the
// office's word lists, the rules the system administrator switched off, and
// what it learnt from the deployment's issued documents and directory.
// With shares the loaded language data, so deriving it per request costs
// little.
func (srv *Server) checker(ctx context.Context) (*proofread.Checker, error) {
	base := srv.opt.Proofreader
	if base == nil {
		return nil, errProofreadOff
	}
	var cfg proofread.Config
	if _, err := srv.store.Setting(ctx, store.ProofreadSettingKey, &cfg); err != nil {
		return nil, err
	}
	// The deployment's own documents and names (proofLayer).
	var err error
	if cfg.Local, cfg.Names, err = srv.proof.current(ctx, srv.store); err != nil {
		return nil, err
	}
	return base.With(cfg)
}

// proofDoc is a stored document as the proofreader reads it, part by part,
// written the way the office prints them (主送 with its colon, 抄送 line, 附件说明
// numbered when there are several).
func proofDoc(rec store.DocRecord, ignored []string) proofread.Document {
	d := rec.Doc
	pd := proofread.Document{Title: d.Title, Date: d.Date.String(), Ignore: ignored}
	if r, ok := document.RuleFor(d.Type); ok {
		pd.DocType = r.Name
	}
	if rec.Direction == store.Outgoing {
		pd.DocNumber = rec.DocNumber
	}
	if len(d.To) > 0 {
		pd.To = strings.Join(d.To, "、") + "："
	}
	for _, p := range d.Body.Paragraphs {
		pd.Body = append(pd.Body, proofread.Paragraph{Text: p.Marker + p.Text, Level: p.Level})
	}
	pd.Attachments = attachmentText(d.AttachmentNote)
	pd.Issuer = strings.Join(d.Signatures, "、")
	if len(d.CC) > 0 {
		pd.CC = "抄送：" + strings.Join(d.CC, "，") + "。"
	}
	return pd
}

// attachmentText writes a 附件说明 as it is printed: "附件：" and, when there
// are several, "1." numbering, one name a line.
func attachmentText(names []string) string {
	var lines []string
	for i, n := range names {
		if len(names) > 1 {
			n = strconv.Itoa(i+1) + "." + n
		}
		if i == 0 {
			n = "附件：" + n
		}
		lines = append(lines, n)
	}
	return strings.Join(lines, "\n")
}

// attachmentNames reads attachmentText back. Only several names are
// numbered: a single name keeps what looks like a number ("2024.预算表").
func attachmentNames(text string) []string {
	var out []string
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if i == 0 {
			l = strings.TrimPrefix(l, "附件：")
		}
		if j := strings.IndexAny(l, ".．"); j > 0 && len(lines) > 1 {
			if _, err := strconv.Atoi(l[:j]); err == nil {
				_, size := utf8.DecodeRuneInString(l[j:])
				l = l[j+size:]
			}
		}
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// partText is the text of one part of a proofread document.
func partText(pd proofread.Document, part proofread.Part, index int) (string, bool) {
	switch part {
	case proofread.PartDocNumber:
		return pd.DocNumber, true
	case proofread.PartTitle:
		return pd.Title, true
	case proofread.PartTo:
		return pd.To, true
	case proofread.PartBody:
		if index >= 0 && index < len(pd.Body) {
			return pd.Body[index].Text, true
		}
	case proofread.PartAttachments:
		return pd.Attachments, true
	case proofread.PartIssuer:
		return pd.Issuer, true
	case proofread.PartDate:
		return pd.Date, true
	case proofread.PartCC:
		return pd.CC, true
	}
	return "", false
}

var partLabels = map[proofread.Part]string{
	proofread.PartDocNumber: "发文字号", proofread.PartTitle: "标题", proofread.PartTo: "主送",
	proofread.PartBody: "正文", proofread.PartAttachments: "附件说明", proofread.PartIssuer: "发文机关署名",
	proofread.PartDate: "成文日期", proofread.PartCC: "抄送",
}

func partLabel(part proofread.Part, index int) string {
	if part == proofread.PartBody {
		return "正文第" + strconv.Itoa(index+1) + "段"
	}
	return partLabels[part]
}

// editablePart reports whether the drafter's editor may change a part: the
// 主送, 抄送, 发文字号 and 成文日期 are set by the office along the route.
func editablePart(p proofread.Part) bool {
	switch p {
	case proofread.PartTitle, proofread.PartBody, proofread.PartAttachments, proofread.PartIssuer:
		return true
	}
	return false
}

var categoryLabels = map[proofread.Category]string{
	proofread.CategoryTypo: "错别字", proofread.CategoryPunctuation: "标点", proofread.CategoryRepetition: "重复",
	proofread.CategoryFormat: "格式", proofread.CategoryTerm: "规范用语", proofread.CategoryNumber: "数字用法",
	proofread.CategoryCustom: "本单位词表",
}

// proofFinding is a finding as the pages and the API show it.
type proofFinding struct {
	proofread.DocFinding
	Key        string `json:"key"`
	PartLabel  string `json:"part_label"`
	Acceptable bool   `json:"acceptable"` // has a suggestion in a part the editor may change
	N          int    `json:"-"`          // 1-based, for anchors
	Cat        string `json:"-"`
}

// proofPart is one part of the document with its findings marked.
type proofPart struct {
	Label string
	Segs  []proofSeg
}

type proofSeg struct {
	Text     string
	N        int // the finding marked, 0 for plain text
	Severity string
	Message  string
}

type acceptedRow struct {
	Step string
	N    int
}

// proofPanel is what the proofreading panel shows.
type proofPanel struct {
	DocID    string
	Version  int
	Back     string // where a form returns: "edit", "page" or "proofread"
	CSRF     string
	Parts    []proofPart
	Findings []proofFinding
	Ignored  []string
	Accepted []acceptedRow
	Total    int  // accepted, all steps
	CanAct   bool // holds an open task: may accept or mark
	CanEdit  bool // and the text may still change (not yet numbered)
	Off      string
	Notice   string
}

// docFindings proofreads the document's current version without the findings
// marked "not an error".
func (srv *Server) docFindings(ctx context.Context, rec store.DocRecord) (proofread.Document, []proofFinding, []string, error) {
	ignored, err := srv.store.IgnoredFindings(ctx, rec.ID)
	if err != nil {
		return proofread.Document{}, nil, nil, err
	}
	c, err := srv.checker(ctx)
	if err != nil {
		return proofread.Document{}, nil, ignored, err
	}
	pd := proofDoc(rec, ignored)
	ctx, cancel := context.WithTimeout(ctx, proofTimeout)
	defer cancel()
	fs, err := c.CheckDocumentContext(ctx, pd)
	if err != nil {
		return pd, nil, ignored, proofStopped(err)
	}
	var out []proofFinding
	for i, f := range fs {
		out = append(out, proofFinding{DocFinding: f, Key: f.Key(), PartLabel: partLabel(f.Part, f.Index),
			Acceptable: f.Suggestion != "" && editablePart(f.Part), N: i + 1, Cat: categoryLabels[f.Category]})
	}
	return pd, out, ignored, nil
}

// segments cuts a part's text at its findings. Overlapping findings are
// listed but only the first is marked in the text.
func segments(text string, fs []proofFinding) []proofSeg {
	rs := []rune(text)
	var out []proofSeg
	at := 0
	for _, f := range fs {
		if f.Start < at || f.End > len(rs) || f.Start >= f.End {
			continue
		}
		if f.Start > at {
			out = append(out, proofSeg{Text: string(rs[at:f.Start])})
		}
		out = append(out, proofSeg{Text: string(rs[f.Start:f.End]), N: f.N, Severity: string(f.Severity), Message: f.Message})
		at = f.End
	}
	if at < len(rs) {
		out = append(out, proofSeg{Text: string(rs[at:])})
	}
	return out
}

// viewerStep is the key of the step at which the viewer holds an open task
// on the document, "" when they hold none.
func (srv *Server) viewerStep(ctx context.Context, od openedDoc) string {
	var d docPageData
	srv.fillActions(&d, od.in, od.actor, &names{people: map[string]string{}, s: srv.store, ctx: ctx}, srv.store.Now())
	if len(d.Mine) == 0 {
		return ""
	}
	return d.Mine[0].Step.Key
}

func (srv *Server) proofPanelFor(ctx context.Context, od openedDoc, back string) (*proofPanel, error) {
	rec := od.rec
	p := &proofPanel{DocID: rec.ID, Version: rec.Version, Back: back, CSRF: viewerFrom(ctx).CSRF}
	step := srv.viewerStep(ctx, od)
	p.CanAct = step != ""
	p.CanEdit = p.CanAct && rec.Direction == store.Outgoing && rec.Doc.Number == nil
	counts, err := srv.store.AcceptedCounts(ctx, rec.ID)
	if err != nil {
		return nil, err
	}
	p.Accepted, p.Total = acceptedRows(od, counts)
	pd, fs, ignored, err := srv.docFindings(ctx, rec)
	p.Ignored = ignored
	if proofUnavailable(err) {
		p.Off = err.Error()
		return p, nil
	}
	if err != nil {
		return nil, err
	}
	p.Findings = fs
	add := func(part proofread.Part, index int) {
		text, _ := partText(pd, part, index)
		if text == "" {
			return
		}
		var mine []proofFinding
		for _, f := range fs {
			if f.Part == part && f.Index == index {
				mine = append(mine, f)
			}
		}
		p.Parts = append(p.Parts, proofPart{Label: partLabel(part, index), Segs: segments(text, mine)})
	}
	add(proofread.PartDocNumber, 0)
	add(proofread.PartTitle, 0)
	add(proofread.PartTo, 0)
	for i := range pd.Body {
		add(proofread.PartBody, i)
	}
	for _, part := range []proofread.Part{proofread.PartAttachments, proofread.PartIssuer, proofread.PartDate, proofread.PartCC} {
		add(part, 0)
	}
	if !p.CanEdit {
		for i := range p.Findings {
			p.Findings[i].Acceptable = false
		}
	}
	return p, nil
}

// acceptedRows names the steps of the accepted counts in route order.
func acceptedRows(od openedDoc, counts map[string]int) ([]acceptedRow, int) {
	var rows []acceptedRow
	total := 0
	seen := map[string]bool{}
	for _, st := range od.in.Template.Steps {
		if n := counts[st.Key]; n > 0 {
			rows = append(rows, acceptedRow{Step: st.Name, N: n})
			total += n
			seen[st.Key] = true
		}
	}
	for k, n := range counts { // a step of an older template
		if !seen[k] && n > 0 {
			rows = append(rows, acceptedRow{Step: k, N: n})
			total += n
		}
	}
	return rows, total
}

// acceptedSummary is the accepted counts in one line, for the 发文稿纸.
func acceptedSummary(rows []acceptedRow) string {
	var parts []string
	for _, r := range rows {
		parts = append(parts, fmt.Sprintf("%s采纳%d处", r.Step, r.N))
	}
	return strings.Join(parts, "；")
}

// proofPanelHTML renders the panel for embedding in the document page or the
// editor.
func (srv *Server) proofPanelHTML(p *proofPanel) (template.HTML, error) {
	t, ok := srv.pages.byName["doc_proofread"]
	if !ok {
		return "", errors.New("no template doc_proofread")
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "proofpanel", p); err != nil {
		return "", fmt.Errorf("render proofread panel: %w", err)
	}
	return template.HTML(buf.String()), nil
}

// proofStepShown reports whether the document page shows the panel at a
// step: the reviews and the sign-off, next to the action form.
func proofStepShown(key string) bool {
	return key == "unit_review" || key == "review" || key == "sign_off"
}

// docPageProofread is the panel for the document page, when the viewer acts
// at a review or the sign-off of an outgoing document; "" otherwise.
func (srv *Server) docPageProofread(r *http.Request, od openedDoc, mine []myTask) (template.HTML, error) {
	if od.rec.Direction != store.Outgoing || srv.opt.Proofreader == nil {
		return "", nil
	}
	shown := false
	for _, t := range mine {
		shown = shown || proofStepShown(t.Step.Key)
	}
	if !shown {
		return "", nil
	}
	return srv.proofPanelOn(r, od, "page")
}

// proofPanelOn renders the panel for a page, with the confirmation of the
// action that led there.
func (srv *Server) proofPanelOn(r *http.Request, od openedDoc, back string) (template.HTML, error) {
	p, err := srv.proofPanelFor(r.Context(), od, back)
	if err != nil {
		return "", err
	}
	p.Notice = proofNotice(r.URL.Query().Get("proofread"))
	return srv.proofPanelHTML(p)
}

func (srv *Server) docProofreadPage(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "proofread")
	if !ok {
		return
	}
	srv.renderProofreadPage(w, r, http.StatusOK, od, "", proofNotice(r.URL.Query().Get("done")))
}

func proofNotice(done string) string {
	switch done {
	case "accept":
		return "已采纳校对建议，保存为新版本。"
	case "ignore":
		return "已标记为“不是错误”，今后不再提示。"
	case "unignore":
		return "已恢复提示。"
	}
	return ""
}

func (srv *Server) renderProofreadPage(w http.ResponseWriter, r *http.Request, status int, od openedDoc, errMsg, notice string) {
	p, err := srv.proofPanelFor(r.Context(), od, "proofread")
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	srv.render(w, r, status, "doc_proofread", pageData{Title: "校对 · " + od.rec.Doc.Title, Nav: "docs",
		Data: struct {
			Rec       store.DocRecord
			Panel     *proofPanel
			Watermark string
		}{od.rec, p, srv.watermark(viewerFrom(r.Context()), od.rec)}, Error: errMsg, Notice: notice})
}

// proofOp is an action on one finding, from a form or the API.
type proofOp struct {
	Op      string         `json:"op"` // accept, ignore or unignore
	Key     string         `json:"key"`
	Part    proofread.Part `json:"part"`
	Index   int            `json:"index"`
	Start   int            `json:"start"`
	Version int            `json:"version"` // the version the finding was shown on; 0: the current one
}

// errFindingGone is answered when the finding is not on the current version.
var errFindingGone = errors.New("该校对意见已不存在（文稿可能已被修改），请刷新后重试")

// applyProofOp carries out an action. Accepting re-runs the proofreader on
// the current version and applies the suggestion it makes there, never text
// from the request.
func (srv *Server) applyProofOp(ctx context.Context, od openedDoc, op proofOp) (version int, err error) {
	v := viewerFrom(ctx)
	step := srv.viewerStep(ctx, od)
	if step == "" {
		return 0, errors.New("只有当前办理人可以处理校对意见")
	}
	switch op.Op {
	case "ignore":
		return 0, srv.store.IgnoreFinding(ctx, v.Person, od.rec.ID, op.Key)
	case "unignore":
		return 0, srv.store.UnignoreFinding(ctx, v.Person, od.rec.ID, op.Key)
	case "accept":
	default:
		return 0, errors.New("未知的校对操作")
	}
	if op.Version != 0 && op.Version != od.rec.Version {
		// The page was of an earlier version: someone saved since.
		return 0, store.ErrModified
	}
	if od.rec.Direction != store.Outgoing || od.rec.Doc.Number != nil {
		return 0, errors.New("文件已编号，不能再修改文稿")
	}
	pd, fs, _, err := srv.docFindings(ctx, od.rec)
	if err != nil {
		return 0, err
	}
	i := slices.IndexFunc(fs, func(f proofFinding) bool {
		return f.Key == op.Key && f.Part == op.Part && f.Index == op.Index && f.Start == op.Start
	})
	if i < 0 {
		return 0, errFindingGone
	}
	f := fs[i]
	if f.Suggestion == "" {
		return 0, errors.New("该校对意见没有可直接采纳的修改建议，请在编辑器中修改")
	}
	if !editablePart(f.Part) {
		return 0, fmt.Errorf("%s由办文环节生成，不能在文稿中修改", partLabel(f.Part, f.Index))
	}
	text, _ := partText(pd, f.Part, f.Index)
	rs := []rune(text)
	fixed := string(rs[:f.Start]) + f.Suggestion + string(rs[f.End:])
	doc, err := withPart(od.rec.Doc, f.Part, f.Index, fixed)
	if err != nil {
		return 0, err
	}
	// The new version and the count in one transaction, from the version the
	// suggestion was made on: a second click on the same finding is refused.
	// Two reviewers accepting at once: the second is told the text changed
	// (ErrModified, 409), never a database error.
	return srv.store.AcceptSuggestion(ctx, v.Person, od.rec.ID, od.rec.Version, doc, "采纳校对建议："+f.Text+"→"+f.Suggestion, step, f.Key)
}

// withPart puts a corrected part back into the document.
func withPart(doc document.Document, part proofread.Part, index int, text string) (document.Document, error) {
	switch part {
	case proofread.PartTitle:
		doc.Title = text
	case proofread.PartBody:
		ps := slices.Clone(doc.Body.Paragraphs)
		if index < 0 || index >= len(ps) {
			return doc, errFindingGone
		}
		got := document.ParseBody(text).Paragraphs
		switch len(got) {
		case 0:
			ps = slices.Delete(ps, index, index+1)
		case 1:
			ps[index] = got[0]
		default:
			return doc, errors.New("该修改会拆分段落，请在编辑器中修改")
		}
		doc.Body.Paragraphs = ps
	case proofread.PartAttachments:
		doc.AttachmentNote = attachmentNames(text)
	case proofread.PartIssuer:
		doc.Signatures = strings.Split(text, "、")
	default:
		return doc, fmt.Errorf("%s不能在文稿中修改", partLabel(part, index))
	}
	return doc, nil
}

func (srv *Server) docProofreadPost(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "proofread")
	if !ok {
		return
	}
	f := r.PostForm
	index, _ := strconv.Atoi(f.Get("index"))
	start, _ := strconv.Atoi(f.Get("start"))
	version, _ := strconv.Atoi(f.Get("version"))
	op := proofOp{Op: f.Get("op"), Key: f.Get("key"), Part: proofread.Part(f.Get("part")), Index: index, Start: start, Version: version}
	_, err := srv.applyProofOp(r.Context(), od, op)
	back := "/docs/" + od.rec.ID + "/proofread"
	switch f.Get("back") {
	case "edit":
		back = "/docs/" + od.rec.ID + "/edit"
	case "page":
		back = "/docs/" + od.rec.ID
	}
	if err != nil {
		msg, status, internal := actError(err)
		if internal {
			srv.serverError(w, r, err)
			return
		}
		if od2, ok := srv.reload(r.Context(), od); ok {
			od = od2
		}
		srv.renderProofreadPage(w, r, status, od, msg, "")
		return
	}
	http.Redirect(w, r, back+"?proofread="+op.Op+"#proofread", http.StatusSeeOther)
}

// apiProofread checks text, or a structured document, with the deployment's
// proofreader. Offsets are in runes (of the text, or of the part).
func (srv *Server) apiProofread(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	var in struct {
		Text     *string             `json:"text"`
		Document *proofread.Document `json:"document"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	if (in.Text == nil) == (in.Document == nil) {
		writeJSONError(w, http.StatusBadRequest, "请提供 text（文本）或 document（结构化文稿）之一")
		return
	}
	c, err := srv.checker(r.Context())
	if err != nil {
		srv.proofFail(w, r, err)
		return
	}
	type keyed struct {
		proofread.Finding
		Key string `json:"key"`
	}
	type keyedDoc struct {
		proofread.DocFinding
		Key string `json:"key"`
	}
	ctx, cancel := context.WithTimeout(r.Context(), proofTimeout)
	defer cancel()
	if in.Text != nil {
		fs, err := c.CheckContext(ctx, *in.Text)
		if err != nil {
			srv.proofFail(w, r, proofStopped(err))
			return
		}
		out := []keyed{}
		for _, f := range fs {
			out = append(out, keyed{f, f.Key()})
		}
		writeJSON(w, http.StatusOK, map[string]any{"findings": out})
		return
	}
	fs, err := c.CheckDocumentContext(ctx, *in.Document)
	if err != nil {
		srv.proofFail(w, r, proofStopped(err))
		return
	}
	out := []keyedDoc{}
	for _, f := range fs {
		out = append(out, keyedDoc{f, f.Key()})
	}
	writeJSON(w, http.StatusOK, map[string]any{"findings": out})
}

func (srv *Server) proofFail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, errProofreadOff) || errors.Is(err, errProofSlow) {
		writeJSONError(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	srv.apiFail(w, r, err)
}

// apiDocProofread returns the findings on the current version, the marks and
// the accepted counts.
func (srv *Server) apiDocProofread(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "api")
	if !ok {
		return
	}
	p, err := srv.proofPanelFor(r.Context(), od, "")
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if p.Off != "" {
		writeJSONError(w, http.StatusServiceUnavailable, p.Off)
		return
	}
	counts, err := srv.store.AcceptedCounts(r.Context(), od.rec.ID)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	fs := p.Findings
	if fs == nil {
		fs = []proofFinding{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"version": od.rec.Version, "findings": fs, "ignored": append([]string{}, p.Ignored...),
		"accepted": counts, "can_act": p.CanAct, "can_edit": p.CanEdit})
}

func (srv *Server) apiDocProofreadPost(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "api")
	if !ok {
		return
	}
	var op proofOp
	if !decodeJSON(w, r, &op) {
		return
	}
	n, err := srv.applyProofOp(r.Context(), od, op)
	if err != nil {
		srv.proofFail(w, r, err)
		return
	}
	out := map[string]any{"ok": true}
	if n > 0 {
		out["version"] = n
	}
	writeJSON(w, http.StatusOK, out)
}
