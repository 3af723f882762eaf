package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/layout"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// The printed forms of the supervision module — the 督办单 of an item and the
// 催办单 of each urging — from the layout engine's form primitives, like the
// documents' 发文稿纸 and 收文处理单.

func (srv *Server) supSheetPDF(w http.ResponseWriter, r *http.Request) {
	it, ok := srv.loadSupItem(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	n, err := srv.supNamesOf(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	var co []string
	for _, u := range it.Units {
		if !u.Lead {
			co = append(co, n.Unit(u.UnitID))
		}
	}
	due := dateOf(it.Deadline.Due)
	if it.Deadline.Extended() {
		due += "（原定" + dateOf(it.Deadline.Original) + "，已延期）"
	}
	progress := ""
	if s, ok := it.ClosingSubmission(); ok {
		progress = "申请办结：" + s.Evidence.Text
	} else if len(it.Reports) > 0 {
		last := it.Reports[len(it.Reports)-1]
		progress = dateOf(last.At) + " " + n.Short(last.UnitID) + "：" + last.Text
	}
	values := map[string]string{
		"机关名称": n.Unit(it.Office),
		"督办编号": supNumber(it),
		"督办事项": it.Title,
		"事项来源": it.Source.Label(),
		"交办领导": srv.personName(ctx, n, it.Instructor),
		"牵头单位": n.Unit(it.LeadUnit()),
		"配合单位": strings.Join(co, "、"),
		"交办日期": dateOf(it.AssignedAtFirst()),
		"办结时限": due,
		"督办要求": it.Instruction,
		"办理情况": progress,
		"督办人":  srv.personName(ctx, n, it.Registrar),
		"联系电话": srv.phoneOf(ctx, it.Registrar),
	}
	srv.sendForm(w, r, "supervision-sheet", values, "督办单·"+it.Title)
}

func (srv *Server) supUrgeSheetPDF(w http.ResponseWriter, r *http.Request) {
	it, ok := srv.loadSupItem(w, r)
	if !ok {
		return
	}
	seq, _ := strconv.Atoi(r.PathValue("seq"))
	var u *supervise.Urging
	for i := range it.Urgings {
		if it.Urgings[i].Seq == seq {
			u = &it.Urgings[i]
		}
	}
	if u == nil {
		srv.notFound(w, r)
		return
	}
	ctx := r.Context()
	n, err := srv.supNamesOf(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	count := 0
	for _, x := range it.Urgings {
		if x.UnitID == u.UnitID && x.Seq <= u.Seq {
			count++
		}
	}
	feedback := "尚未签收"
	if !u.SignedAt.IsZero() {
		feedback = srv.personName(ctx, n, u.SignedBy) + " 于 " + u.SignedAt.In(chinaTime).Format("2006年1月2日 15:04") + " 签收"
	}
	values := map[string]string{
		"机关名称":   n.Unit(it.Office),
		"催办编号":   supNumber(it) + "-" + strconv.Itoa(u.Seq),
		"事项":     it.Title,
		"承办单位":   n.Unit(u.UnitID),
		"原定时限":   dateOf(it.Deadline.Original),
		"催办次数":   "第" + strconv.Itoa(count) + "次",
		"催办日期":   dateOf(u.At),
		"催办意见":   u.Text,
		"承办单位反馈": feedback,
		"催办人":    srv.personName(ctx, n, u.By),
		"联系电话":   srv.phoneOf(ctx, u.By),
	}
	srv.sendForm(w, r, "urge-sheet", values, "催办单·"+it.Title)
}

// sendForm typesets one of the layout engine's forms and sends it as a PDF.
func (srv *Server) sendForm(w http.ResponseWriter, r *http.Request, name string, values map[string]string, title string) {
	if srv.opt.Renderer == nil {
		srv.printUnavailable(w, r)
		return
	}
	spec, ok := layout.BuiltinForms()[name]
	if !ok {
		srv.serverError(w, r, fmt.Errorf("no form %s", name))
		return
	}
	fonts := srv.opt.Renderer.Fonts()
	pages, err := fonts.TypesetForm(spec, values, layout.Options{})
	var buf bytes.Buffer
	if err == nil {
		err = fonts.WritePDF(&buf, pages, title)
	}
	if err != nil {
		srv.printFailed(w, r, err)
		return
	}
	sendFile(w, "application/pdf", title+".pdf", true, buf.Bytes())
}

func (srv *Server) phoneOf(ctx context.Context, personID string) string {
	if p, err := srv.store.Person(ctx, personID); err == nil {
		return p.Phone
	}
	return ""
}

func dateOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(chinaTime).Format("2006年1月2日")
}

// supNumber is the item's 督办编号; items registered before numbering began
// show the end of their ID instead.
func supNumber(it supervise.Item) string {
	if !it.Number.IsZero() {
		return it.Number.String()
	}
	return shortID(it.ID)
}

func shortID(id string) string {
	if len(id) > 8 {
		return strings.ToUpper(id[len(id)-8:])
	}
	return id
}
