package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/evaluate"
	"github.com/shuniu-oa/shuniu/internal/layout"
	"github.com/shuniu-oa/shuniu/internal/org"
)

// The 考核通报: a scoreboard typeset by the layout module as a GB/T 9704
// document of the office — its 版头, the title, a paragraph on the 先进单位
// and the ranking written from the figures, the score table, the 计分办法
// under it, the 落款 and the date — as PDF or OFD.

func (srv *Server) evalNoticeRoutes() {
	srv.mux.HandleFunc("GET /evaluate/notice.pdf", srv.requireLogin(srv.evalNotice(layout.PDF)))
	srv.mux.HandleFunc("GET /evaluate/notice.ofd", srv.requireLogin(srv.evalNotice(layout.OFD)))
}

// evalNoticeTo is the 主送 of a class's 通报.
var evalNoticeTo = map[evaluate.Class]string{
	evaluate.Towns:       "各镇人民政府、街道办事处",
	evaluate.Departments: "区直各部门",
	evaluate.Offices:     "各镇（街道）、区直各部门办公室",
}

// evalNoticeTitle is the 通报's title: 关于2026年度镇街考核结果的通报.
func evalNoticeTitle(b evaluate.Board) string {
	p := b.Period.Label
	if strings.HasSuffix(p, "年") && len([]rune(p)) == 5 {
		p += "度"
	}
	return "关于" + p + b.Class.Label() + "考核结果的通报"
}

// evalNoticeLayout writes the 通报 of a board, issued by office on date.
func evalNoticeLayout(b evaluate.Board, office, date string) *layout.Document {
	d := &layout.Document{IssuerMark: office, Title: evalNoticeTitle(b), To: evalNoticeTo[b.Class], Issuer: office, Date: date}
	para := func(s string) {
		// The methods write the minus sign (U+2212), which 仿宋 lacks.
		s = strings.ReplaceAll(s, "−", "－")
		d.Body = append(d.Body, layout.Paragraph{Text: s, Level: layout.HeadingLevel(s)})
	}
	rs := b.Rules
	var counted []string
	for _, i := range b.Counted {
		counted = append(counted, i.Label())
	}
	para(fmt.Sprintf("根据考核评比规则（第 %d 版，%s起施行），%s依据%s各单位在系统中形成的办文、督办、会议、值班和信息报送记录（不经人工录入），对%d个%s单位的%s等%d项指标进行了考核评比。现将结果通报如下。",
		rs.Version, rs.Effective.Format("2006年1月2日"), office, b.Period.Label, len(b.Rows), b.Class.Label(), strings.Join(counted, "、"), len(counted)))
	para("一、先进单位")
	if len(b.Commended) == 0 {
		para("本期没有单位同时达到综合得分和各项指标的先进单位条件。")
	}
	for _, c := range b.Commended {
		para(c.Name + "：" + strings.Join(c.Reasons, "；") + "。")
	}
	para("二、考核排名")
	if len(b.Rows) == 0 {
		para("本期没有参加考核的单位。")
	} else {
		var ranks []string
		for _, r := range b.Rows {
			ranks = append(ranks, fmt.Sprintf("%s（%.2f分）", r.Name, r.Total))
		}
		para(fmt.Sprintf("按综合得分，%s依次为：%s。各单位各项指标得分见下表（“不计”为本期无相应记录，不计入综合得分）。", b.Class.Label(), strings.Join(ranks, "、")))
		t := &layout.Table{Title: b.Period.Label + b.Class.Label() + "考核得分", Columns: []float64{1.1, 4}, Header: []string{"名次", "单位"}}
		for _, i := range b.Counted {
			t.Columns = append(t.Columns, 1.3)
			t.Header = append(t.Header, i.Label())
		}
		t.Columns = append(t.Columns, 1.5)
		t.Header = append(t.Header, "总分")
		for _, r := range b.Rows {
			cells := []string{fmt.Sprint(r.Rank), r.Name}
			for _, i := range b.Counted {
				f, _ := r.Figure(i)
				if f.Empty {
					cells = append(cells, "不计")
					continue
				}
				cells = append(cells, fmt.Sprintf("%.2f", f.Score))
			}
			cells = append(cells, fmt.Sprintf("%.2f", r.Total))
			t.Rows = append(t.Rows, cells)
		}
		d.Body = append(d.Body, layout.Paragraph{Table: t})
	}
	para("三、计分办法")
	for n, i := range b.Counted {
		para(fmt.Sprintf("%s%s，权重 %g。%s", chineseOrdinal(n+1), i.Label(), rs.Weights[b.Class][i], i.Method(rs)))
	}
	para("综合得分 = 各计分指标得分按权重加权平均；本期无相应记录的指标不计入，权重按其余指标折算。每项得分均可在考核评比页面点开，查看其背后的每一条记录。")
	para("希望受到通报的先进单位再接再厉；其他单位要对照各项指标查找差距，纵比上台阶，横比争一流。")
	return d
}

// chineseOrdinal is the level-2 heading number （一） … （二十）.
func chineseOrdinal(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	s := digits[n%10]
	switch {
	case n >= 20:
		s = digits[n/10] + "十" + s
	case n >= 10:
		s = "十" + s
	}
	return "（" + s + "）"
}

// evalNoticeOffice is the office issuing the 通报: the viewer's, else the
// first office under a leading body.
func (srv *Server) evalNoticeOffice(ctx context.Context, v *Viewer) (string, error) {
	id, err := srv.viewerOffice(ctx, v)
	if err != nil {
		return "", err
	}
	us, err := srv.units(ctx)
	if err != nil {
		return "", err
	}
	byID := make(map[string]org.Unit, len(us))
	for _, u := range us {
		byID[u.ID] = u
	}
	if u, ok := byID[id]; ok {
		return u.Name, nil
	}
	for _, u := range us {
		if u.Kind == org.KindOffice && byID[u.ParentID].Kind == org.KindLeadingBody {
			return u.Name, nil
		}
	}
	return "", fmt.Errorf("没有可以印发考核通报的办公室")
}

// evalNotice serves the 考核通报 of the scoreboard asked for, to those who
// may see the scoreboard.
func (srv *Server) evalNotice(out layout.Output) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !srv.authorize(w, r, access.ViewEvaluation, access.Object{}) {
			return
		}
		q, err := srv.parseEvalQuery(r)
		if err != nil {
			srv.evalBadQuery(w, r, err)
			return
		}
		if srv.opt.Renderer == nil {
			srv.printUnavailable(w, r)
			return
		}
		ctx := r.Context()
		res, err := srv.evalCompute(ctx, q)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		office, err := srv.evalNoticeOffice(ctx, viewerFrom(ctx))
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		doc := evalNoticeLayout(res.Board, office, dateOf(srv.store.Now()))
		var buf bytes.Buffer
		rctx, cancel := context.WithTimeout(ctx, printTimeout)
		defer cancel()
		if err := srv.opt.Renderer.Render(rctx, &buf, out, doc, layout.Options{}); err != nil {
			srv.printFailed(w, r, err)
			return
		}
		sendFile(w, outputTypes[out], doc.Title+"."+string(out), out == layout.PDF, buf.Bytes())
	}
}
