package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/notify"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// The in-app inbox: every person's notifications (supervision reminders,
// warnings, escalations, and whatever other modules send through notify).

type inboxData struct {
	Items  []store.InboxItem
	Unread int
	Only   bool
	Next   string // the older messages' page; "" on the last
}

// inboxPageSize is how many messages a page of the inbox shows.
const inboxPageSize = 50

// inboxPage is a page of the viewer's messages, newest first (before: the
// cursor "microseconds.key" of the last message of the page before), with
// the unread count from the database (not from the page).
func (srv *Server) inboxPage(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r.Context())
	q := r.URL.Query()
	only := q.Get("unread") == "1"
	var after *store.InboxItem
	if us, key, ok := strings.Cut(q.Get("before"), "."); ok {
		if n, err := strconv.ParseInt(us, 10, 64); err == nil && key != "" {
			after = &store.InboxItem{Message: notify.Message{Key: key, CreatedAt: time.UnixMicro(n).UTC()}}
		}
	}
	items, err := srv.store.InboxPage(r.Context(), v.Person.ID, only, after, inboxPageSize+1)
	if err != nil {
		srv.serverError(w, r, err)
		return
	}
	d := inboxData{Only: only}
	if len(items) > inboxPageSize {
		items = items[:inboxPageSize]
		last := items[len(items)-1]
		nq := url.Values{"before": {fmt.Sprintf("%d.%s", last.CreatedAt.UnixMicro(), last.Key)}}
		if only {
			nq.Set("unread", "1")
		}
		d.Next = "/inbox?" + nq.Encode()
	}
	d.Items = items
	if d.Unread, err = srv.store.UnreadCount(r.Context(), v.Person.ID, countLimit); err != nil {
		srv.serverError(w, r, err)
		return
	}
	if isAPI(r) {
		writeJSON(w, http.StatusOK, map[string]any{"messages": items, "next": d.Next, "unread": d.Unread})
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
