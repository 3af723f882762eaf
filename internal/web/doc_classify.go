package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// 定密, 变更密级 and 解密 (classify, reclassify, declassify): an operation of
// its own on the document page and in the API, for the 定密责任人 of the
// organ that issues the document (access.Classify), within their clearance.
// Saving the text never changes the marking.

// classifyObject is the document as access.Classify sees it: owned by its
// organ, at its level now, asked to become to.
func classifyObject(rec store.DocRecord, to document.Level) access.Object {
	return access.Object{Kind: "document", ID: rec.ID, UnitID: rec.OrganID, Level: rec.Level(), NewLevel: org.Classification(to)}
}

// classifyForm is the 变更密级 form on the document page, for those who may.
type classifyForm struct {
	Levels []org.Classification // the levels the viewer may set
	Period string               // the current 保密期限, in years
}

// classifyFormFor returns the form if the viewer may classify the document
// at all (to its own level, at least).
func classifyFormFor(v *Viewer, rec store.DocRecord) *classifyForm {
	if rec.Direction != store.Outgoing {
		return nil
	}
	var f classifyForm
	for _, l := range org.AllClassifications() {
		if access.Decide(v.Subject, access.Classify, classifyObject(rec, document.Level(l))).Allow {
			f.Levels = append(f.Levels, l)
		}
	}
	if len(f.Levels) == 0 {
		return nil
	}
	if p := rec.Doc.Classification.PeriodYears; p > 0 {
		f.Period = strconv.Itoa(p)
	}
	return &f
}

// markingFromForm reads the asked marking: a level (0, 1, 2 or its name)
// and a period in years.
func markingFromForm(level, period string) (document.Classification, error) {
	var c document.Classification
	n, err := strconv.Atoi(strings.TrimSpace(level))
	if err != nil {
		if err := c.Level.UnmarshalText([]byte(strings.TrimSpace(level))); err != nil {
			return c, errors.New("请选择密级")
		}
	} else {
		c.Level = document.Level(n)
	}
	if p := strings.TrimSpace(period); p != "" {
		if c.PeriodYears, err = strconv.Atoi(p); err != nil || c.PeriodYears < 0 {
			return c, errors.New("保密期限应为年数")
		}
	}
	return c, nil
}

// classify decides and carries out a change of marking for the viewer. A
// refusal by access.Classify is answered 403 and audited; the store's
// refusals (nothing changed, no basis, a stale page, an incoming document)
// come back as errors.
func (srv *Server) classify(w http.ResponseWriter, r *http.Request, od openedDoc, to document.Classification, basis string, base int) (store.DocRecord, bool, error) {
	if err := to.Validate(); err != nil {
		return od.rec, true, err
	}
	if !srv.authorizeObject(w, r, access.Classify, classifyObject(od.rec, to.Level), "classify") {
		return od.rec, false, nil
	}
	rec, err := srv.store.Classify(r.Context(), viewerFrom(r.Context()).Person, od.rec.ID, base, to, basis)
	if err == nil {
		// Raised to 秘密/机密, the files are encrypted before the answer;
		// lowered to 非密, decrypted (unless another such document names them).
		srv.reconcileDoc(r.Context(), od.rec.ID)
	}
	return rec, true, err
}

func (srv *Server) docClassify(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "classify")
	if !ok {
		return
	}
	f := r.PostForm
	to, err := markingFromForm(f.Get("level"), f.Get("period"))
	base, verr := strconv.Atoi(f.Get("version"))
	if err == nil && verr != nil {
		err = errors.New("缺少文稿版本，请刷新后重试")
	}
	if err == nil {
		var answered bool
		if _, answered, err = srv.classify(w, r, od, to, f.Get("basis"), base); !answered {
			return
		}
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
		srv.renderDocPage(w, r, status, od, msg, "", f)
		return
	}
	http.Redirect(w, r, "/docs/"+od.rec.ID+"?done=classify", http.StatusSeeOther)
}

// apiDocClassify: POST {"classification": {"level": "secret", "period_years": 10},
// "basis": "…", "version": n}.
func (srv *Server) apiDocClassify(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "api")
	if !ok {
		return
	}
	var in struct {
		Classification document.Classification `json:"classification"`
		Basis          string                  `json:"basis"`
		Version        int                     `json:"version"`
	}
	if !decodeJSON(w, r, &in) {
		return
	}
	rec, answered, err := srv.classify(w, r, od, in.Classification, in.Basis, in.Version)
	if !answered {
		return
	}
	if err != nil {
		srv.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rec)
}
