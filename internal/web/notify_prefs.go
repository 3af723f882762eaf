package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/notify"
)

// notifyPrefsData is the 通知设置 page: the topics by the channels this
// deployment offers.
type notifyPrefsData struct {
	Prefs    notify.Prefs
	Topics   []notify.Topic
	Channels []string // the inbox (digest only) and the configured channels
	Phone    string   // where the webhook channel reaches the person
}

func (srv *Server) notifyPrefsData(r *http.Request, p notify.Prefs) notifyPrefsData {
	return notifyPrefsData{Prefs: p, Topics: notify.Topics,
		Channels: append([]string{notify.ChannelInbox}, srv.store.Channels()...), Phone: viewerFrom(r.Context()).Person.Phone}
}

// notifyPrefsPage shows what reaches the viewer beyond the inbox. Everyone
// signed in sets their own choices; nobody sets another's.
func (srv *Server) notifyPrefsPage(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r.Context())
	p, err := srv.store.NotifyPrefs(r.Context(), v.Person.ID)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, srv.notifyPrefsData(r, p))
		return
	}
	srv.render(w, r, http.StatusOK, "notify_prefs", pageData{Title: "通知设置", Nav: "inbox", Data: srv.notifyPrefsData(r, p)})
}

// notifyPrefsSubmit stores the choices: a form field "<channel>" repeated
// with each topic chosen for it, and "email".
func (srv *Server) notifyPrefsSubmit(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r.Context())
	var p notify.Prefs
	var f url.Values
	if isAPI(r) {
		// The API takes what it gives: {"email": …, "channels": {"smtp": ["task", …]}}.
		dec := json.NewDecoder(io.LimitReader(r.Body, 64<<10))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p); err != nil {
			writeJSONError(w, http.StatusBadRequest, "请求格式无效：应为 {\"email\": …, \"channels\": {\"smtp\": [\"task\", …]}}")
			return
		}
		p.Email = strings.TrimSpace(p.Email)
	} else {
		var err error
		if f, err = formOf(r); err != nil {
			srv.badInput(w, r, http.StatusBadRequest, err.Error())
			return
		}
		p = notify.Prefs{Email: strings.TrimSpace(f.Get("email")), Channels: map[string][]notify.Topic{}}
		for _, ch := range []string{notify.ChannelInbox, notify.ChannelSMTP, notify.ChannelWebhook} {
			for _, t := range f[ch] {
				p.Channels[ch] = append(p.Channels[ch], notify.Topic(t))
			}
		}
	}
	if err := srv.store.SetNotifyPrefs(r.Context(), srv.editor(r), v.Person.ID, p); err != nil {
		if isAPI(r) {
			writeJSONError(w, http.StatusUnprocessableEntity, err.Error())
			return
		}
		srv.render(w, r, http.StatusUnprocessableEntity, "notify_prefs", pageData{Title: "通知设置", Nav: "inbox", Error: err.Error(), Form: f, Data: srv.notifyPrefsData(r, p)})
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, srv.notifyPrefsData(r, p))
		return
	}
	srv.render(w, r, http.StatusOK, "notify_prefs", pageData{Title: "通知设置", Nav: "inbox", Notice: "通知设置已保存。", Data: srv.notifyPrefsData(r, p)})
}
