package web

import (
	"fmt"
	"net/http"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/meeting"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// 会议统计: meetings per kind and month with their hours, and each invited
// unit's 回执 and sign-in rates, over a range of months — the figures the
// evaluation module reads (meeting.Statistics), for the meetings the viewer
// may open.

func (srv *Server) meetingStatsRoutes() {
	srv.mux.HandleFunc("GET /meetings/stats", srv.requireLogin(srv.meetingStats))
	srv.mux.HandleFunc("GET /api/v1/meetings/stats", srv.requireLogin(srv.meetingStats))
}

// maxStatsMeetings bounds the meetings one request reads: two years of a
// district's (≈ 5,000 a year) with room to spare.
const maxStatsMeetings = 20000

type meetingStatsUnit struct {
	meeting.UnitRates
	Unit string `json:"unit"`
}

// Percent shows a rate as a whole percentage.
func (u meetingStatsUnit) Percent(rate float64) string { return fmt.Sprintf("%.0f%%", rate*100) }

type meetingStatsOut struct {
	From      string              `json:"from"` // 2026-01
	To        string              `json:"to"`   // 2026-12, included
	Meetings  int                 `json:"meetings"`
	Hours     float64             `json:"hours"`
	Scheduled int                 `json:"scheduled"`
	ByKind    []meeting.KindMonth `json:"by_kind_month"`
	ByUnit    []meetingStatsUnit  `json:"by_unit"`
}

func (srv *Server) meetingStats(w http.ResponseWriter, r *http.Request) {
	if !srv.authorize(w, r, access.ViewWorkbench, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	now := srv.store.Now()
	from, to, err := meeting.StatsRange(r.FormValue("from"), r.FormValue("to"), now)
	if err != nil {
		if isAPI(r) {
			writeJSONError(w, http.StatusBadRequest, err.Error())
			return
		}
		srv.render(w, r, http.StatusBadRequest, "meeting_stats", pageData{Title: "会议统计", Nav: "meetings", Error: err.Error(), Form: r.Form,
			Data: meetingStatsOut{From: r.FormValue("from"), To: r.FormValue("to")}})
		return
	}
	ms, err := srv.store.Meetings(ctx, store.MeetingFilter{From: from, To: to, Limit: maxStatsMeetings})
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	shown := ms[:0]
	for i := range ms {
		if access.Decide(v.Subject, access.ReadObject, store.MeetingObject(&ms[i])).Allow {
			shown = append(shown, ms[i])
		}
	}
	st := meeting.Statistics(shown, now)
	n, err := srv.names(ctx)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	loc := calendar.Shanghai()
	out := meetingStatsOut{From: from.In(loc).Format("2006-01"), To: to.In(loc).AddDate(0, -1, 0).Format("2006-01"),
		ByKind: st.ByKind, ByUnit: []meetingStatsUnit{}}
	if out.ByKind == nil {
		out.ByKind = []meeting.KindMonth{}
	}
	for _, k := range st.ByKind {
		out.Meetings += k.Meetings
		out.Hours += k.Hours
		out.Scheduled += k.Scheduled
	}
	for _, u := range st.ByUnit {
		out.ByUnit = append(out.ByUnit, meetingStatsUnit{UnitRates: u, Unit: n.unit(u.UnitID)})
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, out)
		return
	}
	srv.render(w, r, http.StatusOK, "meeting_stats", pageData{Title: "会议统计", Nav: "meetings", Data: out})
}
