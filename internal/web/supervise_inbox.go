package web

import (
	"fmt"
	"net/http"

	"github.com/shuniu-oa/shuniu/internal/store"
)

// The in-app inbox: every person's notifications (supervision reminders,
// warnings, escalations, and whatever other modules send through notify).

type inboxData struct {
	Items  []store.InboxItem
	Unread int
	Only   bool
}

func (srv *Server) inboxPage(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r.Context())
	only := r.URL.Query().Get("unread") == "1"
	items, err := srv.store.Inbox(r.Context(), v.Person.ID, only, 200)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d := inboxData{Items: items, Only: only}
	for _, it := range items {
		if it.ReadAt.IsZero() {
			d.Unread++
		}
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, map[string]any{"messages": items})
		return
	}
	srv.render(w, r, http.StatusOK, "sup_inbox", pageData{Title: "消息", Nav: "inbox", Data: d})
}

// inboxUnread is the header's unread count. The badge polls it (htmx,
// every unreadPoll), so a message written by any server sharing the database
// shows without a reload: the count is read from the database each time.
func (srv *Server) inboxUnread(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r.Context())
	n, err := srv.store.UnreadCount(r.Context(), v.Person.ID, 100)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprint(w, unreadBadge(n))
}

// unreadPoll is how often the header's unread badge asks again.
const unreadPoll = "every 15s"

// unreadBadge is the header's badge with n unread messages; it replaces
// itself on each poll.
func unreadBadge(n int) string {
	inner := ""
	if n > 0 {
		label := fmt.Sprint(n)
		if n >= 100 {
			label = "99+"
		}
		inner = fmt.Sprintf(` <b class="count unread" data-testid="inbox-unread">%s</b>`, label)
	}
	return fmt.Sprintf(`<span data-testid="inbox-badge" hx-get="/inbox/unread" hx-trigger="%s" hx-swap="outerHTML" aria-live="polite">%s</span>`, unreadPoll, inner)
}

func (srv *Server) inboxRead(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r.Context())
	f, err := formOf(r)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	keys := f["key"]
	if f.Get("all") != "" {
		items, err := srv.store.Inbox(r.Context(), v.Person.ID, true, 500)
		if err != nil {
			srv.serverError(w, r, err)
			return
		}
		for _, it := range items {
			keys = append(keys, it.Key)
		}
	}
	if err := srv.store.Write(r.Context(), func(tx *store.Tx) error {
		for _, k := range keys {
			if err := tx.MarkRead(r.Context(), v.Person.ID, k); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		srv.serverError(w, r, err)
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, map[string]int{"marked": len(keys)})
		return
	}
	if link := f.Get("next"); link != "" && safeNext(link) == link {
		http.Redirect(w, r, link, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/inbox", http.StatusSeeOther)
}
