package web

import (
	"context"
	"net/http"
	"time"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// sheetData is the 发文稿纸 (outgoing) or the 收文处理单 (incoming), read
// from the document and its route. Opinions are printed verbatim.
type sheetData struct {
	Rec       store.DocRecord
	Outgoing  bool
	Organ     string
	Unit      string
	Drafter   string
	Level     string
	Watermark string

	// 发文稿纸
	SignOff      *opinion
	Countersigns []opinion
	Reviews      []opinion // 处室审核 and 办公室核稿
	Recheck      *opinion
	Copies       string
	PrintDate    string
	Proofread    string // suggestions of the proofreader accepted, by step

	// 收文处理单
	Received   time.Time
	Proposal   *opinion
	Instructed *opinion
	Handlers   []opinion
	Readers    []opinion
	Closed     *opinion
}

type opinion struct {
	Step    string
	Who     string
	Text    string
	At      time.Time
	Agreed  bool
	Outcome string
}

func (srv *Server) docSheet(w http.ResponseWriter, r *http.Request) {
	od, ok := srv.openDoc(w, r, "sheet")
	if !ok {
		return
	}
	d, err := srv.sheetOf(r.Context(), od)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	srv.render(w, r, http.StatusOK, "doc_sheet", pageData{Title: sheetTitle(d.Outgoing) + " · " + od.rec.Doc.Title, Nav: "docs", Data: d})
}

// sheetOf reads the sheet's values from the document and its route: for the
// HTML page and for the printed form.
func (srv *Server) sheetOf(ctx context.Context, od openedDoc) (sheetData, error) {
	n, err := srv.names(ctx)
	if err != nil {
		return sheetData{}, err
	}
	rec, in := od.rec, od.in
	d := sheetData{Rec: rec, Outgoing: rec.Direction == store.Outgoing, Organ: n.units[store.IssuerOf(rec, in)].Name, Unit: n.units[rec.UnitID].Name,
		Drafter: n.person(rec.CreatedBy), Watermark: srv.watermark(viewerFrom(ctx), rec), Received: rec.CreatedAt}
	if rec.Level().Label() != "非密" {
		d.Level = rec.Doc.Classification.String()
	}
	who := func(t route.Task) string {
		s := n.person(t.ActedBy)
		if t.OnBehalfOf != "" {
			s = n.person(t.OnBehalfOf) + "（" + s + " 代）"
		}
		return s
	}
	op := func(t route.Task) opinion {
		return opinion{Step: in.Template.Steps[t.Step].Name, Who: who(t), Text: t.Comment, At: t.ActedAt,
			Agreed: t.Outcome != route.Disagreed, Outcome: outcomeLabels[t.Outcome]}
	}
	last := func(step string) *opinion {
		ts := in.Finished(step)
		if len(ts) == 0 {
			return nil
		}
		o := op(ts[len(ts)-1])
		return &o
	}
	all := func(step string) []opinion {
		var out []opinion
		for _, t := range in.Finished(step) {
			o := op(t)
			if in.Template.Steps[t.Step].Lead {
				o.Step = "协办"
				if t.Lead {
					o.Step = "主办"
				}
			}
			out = append(out, o)
		}
		return out
	}
	if d.Outgoing {
		if so, ok := document.SignOffOf(in); ok {
			t := route.Task{ActedBy: so.Signer, OnBehalfOf: so.OnBehalfOf, Comment: so.Opinion, ActedAt: so.At, Step: in.Template.StepIndex("sign_off")}
			o := op(t)
			d.SignOff = &o
		}
		for _, c := range document.CountersignsOf(in) {
			d.Countersigns = append(d.Countersigns, n.countersign(c))
		}
		for _, step := range []string{"unit_review", "review"} {
			if o := last(step); o != nil {
				d.Reviews = append(d.Reviews, *o)
			}
		}
		d.Recheck = last("recheck")
		d.Copies = in.Data["print_issue.copies"]
		if !rec.Doc.PrintDate.IsZero() {
			d.PrintDate = rec.Doc.PrintDate.String()
		}
	} else {
		d.Proposal = last("propose")
		if ins, ok := document.InstructionOf(in); ok {
			t := route.Task{ActedBy: ins.Leader, OnBehalfOf: ins.OnBehalfOf, Comment: ins.Text, ActedAt: ins.At, Step: in.Template.StepIndex("instruct")}
			o := op(t)
			d.Instructed = &o
		}
		d.Handlers = all("handle")
		d.Readers = all("circulate")
		d.Closed = last("close")
	}
	counts, err := srv.store.AcceptedCounts(ctx, rec.ID)
	if err != nil {
		return d, err
	}
	rows, _ := acceptedRows(od, counts)
	d.Proofread = acceptedSummary(rows)
	return d, nil
}

func sheetTitle(outgoing bool) string {
	if outgoing {
		return "发文稿纸"
	}
	return "收文处理单"
}
