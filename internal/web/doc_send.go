package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/shuniu-oa/shuniu/internal/blob"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/layout"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/seal"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// Sending a document: at 分发 the issued text (the 版式 PDF and OFD as the
// layout engine makes them of the document as it stands) is stored with the
// document, and every copy carries it with every attachment; the receiver
// checks the files against their hashes (校验).

func (srv *Server) sendRoutes() {
	m := srv.mux
	m.HandleFunc("GET /api/v1/documents/{id}/files/verify", srv.requireLogin(srv.apiDocFilesVerify))
	srv.docSealRoutes()
}

// act applies a route operation; finishing 分发 of an outgoing document
// first typesets its issued text, so that the copies carry it. A server
// without fonts distributes without it (the page says why printing fails).
// A document whose issued text the seal keeper has already sealed (加盖电子
// 印章 on a 用印 request, after 印发) is sent with that text as it is.
//
// An action that signs an opinion (签发意见, 拟办意见, 批示) needs the
// person's 动态口令 (otp) first when they have enrolled one.
func (srv *Server) act(ctx context.Context, by org.Person, od openedDoc, req route.Request, otp string) (store.DocRecord, error) {
	if signsOpinion(od.in, req) {
		if err := srv.store.UnlockSigning(ctx, by, otp); err != nil {
			return store.DocRecord{}, err
		}
	}
	if od.rec.Direction != store.Outgoing || srv.opt.Renderer == nil || (req.Op != route.Approve && req.Op != "") {
		return srv.store.Act(ctx, by, od.rec.ID, req)
	}
	if t, ok := od.in.Task(req.Task); !ok || t.Step >= len(od.in.Template.Steps) || od.in.Template.Steps[t.Step].Key != document.StepDistribute {
		return srv.store.Act(ctx, by, od.rec.ID, req)
	}
	files, err := srv.store.Files(ctx, od.rec.ID)
	if err != nil {
		return store.DocRecord{}, err
	}
	if slices.ContainsFunc(files, func(f store.DocFile) bool { return f.Role == string(document.FileIssued) }) {
		return srv.store.Act(ctx, by, od.rec.ID, req)
	}
	issued, err := srv.issuedText(ctx, od)
	if err != nil {
		return store.DocRecord{}, err
	}
	return srv.store.ActIssuing(ctx, by, od.rec.ID, req, issued)
}

// signsOpinion reports whether req finishes a task at a step whose opinion
// is signed (store.opinionTasks: approve, disagree or return at a step that
// requires an opinion).
func signsOpinion(in route.Instance, req route.Request) bool {
	if req.Op != route.Approve && req.Op != route.Disagree && req.Op != route.Return && req.Op != "" {
		return false
	}
	t, ok := in.Task(req.Task)
	return ok && t.Step < len(in.Template.Steps) && in.Template.Steps[t.Step].CommentRequired
}

// issuedText typesets the document as PDF and OFD and stores both, with the
// electronic seals pressed that the drafter or signer chose (加盖印章), or
// where nothing was chosen the 署名 organs' seals the office has
// (issueSealer).
func (srv *Server) issuedText(ctx context.Context, od openedDoc) (store.IssuedText, error) {
	sealer, err := srv.issueSealer(ctx, &od)
	if err != nil {
		return store.IssuedText{Version: od.rec.Version}, err
	}
	return srv.typesetIssued(ctx, od, sealer)
}

// typesetIssued typesets the document's issued text (正式文本) as PDF and
// OFD with sealer pressing its seals (nil: the seals' places left for paper)
// and stores both files. 分发 and a 用印 request's 加盖电子印章 both make
// the issued text here, so that a sealed file is the same whichever made it.
func (srv *Server) typesetIssued(ctx context.Context, od openedDoc, sealer layout.Sealer) (store.IssuedText, error) {
	out := store.IssuedText{Version: od.rec.Version}
	if srv.opt.Renderer == nil {
		return out, errors.New("服务器没有安装排版字体，不能生成正式文本")
	}
	st, err := srv.signerTitle(ctx, od)
	if err != nil {
		return out, err
	}
	bs, err := srv.blobs()
	if err != nil {
		return out, err
	}
	bs = bs.Encrypting(od.rec.Level() != org.Unclassified)
	name := od.rec.DocNumber
	if name == "" {
		name = "正式文本"
	}
	opts := layout.Options{Sealer: sealer}
	ctx, cancel := context.WithTimeout(ctx, printTimeout)
	defer cancel()
	for _, f := range []layout.Output{layout.PDF, layout.OFD} {
		var buf bytes.Buffer
		if err := srv.opt.Renderer.Render(ctx, &buf, f, layoutDoc(od.rec, st), opts); err != nil {
			return out, fmt.Errorf("无法生成正式文本（%s）：%v", f, err)
		}
		obj, err := bs.Put(name+"."+string(f), bytes.NewReader(buf.Bytes()))
		if err != nil {
			return out, fmt.Errorf("store issued text: %w", err)
		}
		out.Files = append(out.Files, store.DocFile{DocID: od.rec.ID, SHA256: obj.SHA256, Name: name + "." + string(f),
			Role: string(document.FileIssued), Size: obj.Size, MediaType: obj.MediaType})
	}
	return out, nil
}

// issueSealer is what presses the electronic seals (电子印章) on a document
// at 分发. A document whose 加盖印章 was chosen carries exactly those seals
// — none when so chosen — each of which must still be in force, and its 印章
// element follows the choice (od's record is set so that the layout leaves
// the seals' places, or none). Otherwise a document that carries 印章 gets
// each 署名 organ's seal in force (seal.ForOrgans). An office that
// registered no electronic seal for any of the organs, or a server without a
// master key, issues the text with the seals' places left for seals pressed
// on paper (nil, nil); one that registered seals for some of the organs only
// is refused, since a joint document sealed by some of its issuers is
// neither.
func (srv *Server) issueSealer(ctx context.Context, od *openedDoc) (layout.Sealer, error) {
	ch, chosen, err := srv.store.SealChoice(ctx, od.rec.ID)
	if err != nil {
		return nil, err
	}
	if chosen {
		return srv.chosenSealer(ctx, od, ch)
	}
	d := od.rec.Doc
	if len(d.Seals) == 0 || srv.opt.MasterKey == nil {
		return nil, nil
	}
	all, err := srv.store.Seals(ctx)
	if err != nil {
		return nil, err
	}
	now := srv.store.Now()
	chosenSeals, missing := seal.ForOrgans(all, d.Signatures, now)
	switch {
	case len(chosenSeals) == 0:
		return nil, nil
	case len(missing) > 0:
		return nil, seal.MissingError(missing)
	}
	return srv.sealSigner(chosenSeals, now)
}

// chosenSealer is issueSealer for a document whose seals were chosen.
func (srv *Server) chosenSealer(ctx context.Context, od *openedDoc, ch store.SealChoice) (layout.Sealer, error) {
	if ch.None() {
		od.rec.Doc.Seals = nil
		return nil, nil
	}
	all, err := srv.store.Seals(ctx)
	if err != nil {
		return nil, err
	}
	now := srv.store.Now()
	var seals []seal.Seal
	var organs []string
	for _, id := range ch.SealIDs {
		i := slices.IndexFunc(all, func(s seal.Seal) bool { return s.ID == id })
		if i < 0 {
			return nil, errors.New("所选印章已不存在，请重新选择加盖的印章")
		}
		if !all[i].Active(now) {
			return nil, fmt.Errorf("所选印章“%s”已注销或不在有效期内，请重新选择加盖的印章", all[i].Name)
		}
		seals, organs = append(seals, all[i]), append(organs, all[i].Organ)
	}
	if len(od.rec.Doc.Seals) != len(seals) {
		od.rec.Doc.Seals = organs
	}
	if srv.opt.MasterKey == nil {
		return nil, nil
	}
	return srv.sealSigner(seals, now)
}

// sealSigner unwraps the chosen seals' keys for one sealing at now.
func (srv *Server) sealSigner(chosen []seal.Seal, now time.Time) (layout.Sealer, error) {
	if srv.opt.MasterKey == nil {
		return nil, errors.New("服务器没有配置主密钥，不能加盖电子印章（见 docs/security.md）")
	}
	signer, err := seal.NewSigner(chosen, srv.opt.MasterKey, now)
	if err != nil {
		return nil, fmt.Errorf("无法加盖电子印章：%w", err)
	}
	return signer, nil
}

// fileCheck is the 校验 of one file: its recorded hash against its content.
type fileCheck struct {
	Name   string `json:"name"`
	Role   string `json:"role"`
	SHA256 string `json:"sha256"`
	OK     bool   `json:"ok"`
	Result string `json:"result"` // 一致 | 不一致 | 文件缺失
}

// checkFiles reads each file of a document again and compares its SHA-256
// with the hash recorded when it was attached or sent.
func (srv *Server) checkFiles(files []store.DocFile) ([]fileCheck, error) {
	bs, err := srv.blobs()
	if err != nil {
		return nil, err
	}
	var out []fileCheck
	for _, f := range files {
		c := fileCheck{Name: f.Name, Role: f.Role, SHA256: f.SHA256, Result: "不一致"}
		ok, err := bs.Verify(f.SHA256)
		switch {
		case errors.Is(err, blob.ErrNotFound):
			c.Result = "文件缺失"
		case err != nil:
			return nil, err
		case ok:
			c.OK, c.Result = true, "一致"
		}
		out = append(out, c)
	}
	return out, nil
}

// apiDocFilesVerify answers the 校验 of a document's files.
func (srv *Server) apiDocFilesVerify(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "api")
	if !ok {
		return
	}
	files, err := srv.store.Files(r.Context(), od.rec.ID)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	checks, err := srv.checkFiles(files)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"files": checks})
}
