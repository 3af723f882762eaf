package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/notify"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/schedule"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// robot is a local stand-in for a 企业微信 group robot: it keeps what each
// call said and whom it @-mentioned.
type robot struct {
	mu    sync.Mutex
	calls []robotCall
}

type robotCall struct {
	content string
	mobiles []string
}

func (r *robot) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	var body struct {
		Text struct {
			Content string   `json:"content"`
			Mobiles []string `json:"mentioned_mobile_list"`
		} `json:"text"`
	}
	b, _ := io.ReadAll(req.Body)
	if err := json.Unmarshal(b, &body); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	r.calls = append(r.calls, robotCall{body.Text.Content, body.Text.Mobiles})
	r.mu.Unlock()
	io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
}

func (r *robot) toldAbout(phone, words string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.calls {
		for _, m := range c.mobiles {
			if m == phone && strings.Contains(c.content, words) {
				return true
			}
		}
	}
	return false
}

// TestEveryHolderToldByWebhook walks a 通知 from drafting to 编号 and checks
// that each person who came to hold it was told in their inbox at that step,
// and — having chosen 新的待办 by phone — by the work group's robot, through
// the scheduler's delivery, at a local test server.
func TestEveryHolderToldByWebhook(t *testing.T) {
	rb := &robot{}
	hook := httptest.NewServer(rb)
	t.Cleanup(hook.Close)
	c := &clock{t: time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)}
	s := storetest.SQLite(t, store.Options{Now: c.now, Logger: slog.New(slog.DiscardHandler), Channels: []string{notify.ChannelWebhook}})
	e := newProofEnvOn(t, s, c, false)
	ctx := context.Background()

	office := e.unit("政府办")
	clerk := e.byLogin("wenmi")
	secHead := e.head(e.child(office.ID, "秘书科").ID)
	cs := e.child(office.ID, "综合科")
	csHead := e.head(cs.ID)
	director := e.head(office.ID)
	phones := map[string]string{}
	for i, p := range []org.Person{clerk, secHead, csHead, director} {
		p.Phone = fmt.Sprintf("1390000%04d", i+1)
		phones[p.ID] = p.Phone
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.UpdatePerson(ctx, p) }); err != nil {
			t.Fatal(err)
		}
		if err := s.SetNotifyPrefs(ctx, store.Editor{Person: p}, p.ID, notify.Prefs{Channels: map[string][]notify.Topic{
			notify.ChannelWebhook: {notify.TopicTask}}}); err != nil {
			t.Fatal(err)
		}
	}
	phone := func(p org.Person) string { return phones[p.ID] }

	rec := e.proofDraft(document.Unclassified)
	steps := []struct {
		by   org.Person
		req  route.Request
		next org.Person // who holds the document after the step
	}{
		{clerk, route.Request{Op: route.Approve, Comment: "请审核"}, secHead},
		{secHead, route.Request{Op: route.Approve, Comment: "同意"}, clerk},
		{clerk, route.Request{Op: route.Approve, Comment: "核稿无误", Next: []route.NextTask{{Assignee: route.Assignee{Kind: route.Leader, Unit: cs.ID}}}}, csHead},
		{csHead, route.Request{Op: route.Approve, Comment: "同意"}, director},
		{director, route.Request{Op: route.Approve, Comment: "同意印发"}, clerk},
	}
	runner := &schedule.Runner{Store: s, Worker: "test", Channels: map[string]notify.Channel{
		notify.ChannelWebhook: notify.Webhook{URL: hook.URL + "/cgi-bin/webhook/send?key=k", Format: notify.FormatWeCom, BaseURL: "https://oa.qinglan.gov.cn"}}}
	for i, st := range steps {
		before := len(inboxTasks(t, s, st.next, rec.ID))
		e.act(st.by, rec.ID, st.req)
		if got := len(inboxTasks(t, s, st.next, rec.ID)); got != before+1 {
			t.Fatalf("step %d: %s was not told in the inbox (%d messages, had %d)", i+1, st.next.Name, got, before)
		}
		if err := runner.Tick(ctx); err != nil {
			t.Fatalf("step %d: delivery: %v", i+1, err)
		}
		if !rb.toldAbout(phone(st.next), rec.Doc.Title) {
			t.Fatalf("step %d: the robot did not @ %s (%s) about the document; calls: %+v", i+1, st.next.Name, phone(st.next), rb.calls)
		}
	}
	// Every call carried a whole link, and nobody was told twice of one task.
	seen := map[string]bool{}
	for _, call := range rb.calls {
		if !strings.Contains(call.content, "https://oa.qinglan.gov.cn/docs/"+rec.ID) {
			t.Errorf("a call without the document's link: %q", call.content)
		}
		k := call.content + strings.Join(call.mobiles, ",")
		if seen[k] {
			t.Errorf("told twice: %q", call.content)
		}
		seen[k] = true
	}
}

func inboxTasks(t *testing.T, s *store.Store, p org.Person, docID string) []store.InboxItem {
	t.Helper()
	in, err := s.Inbox(context.Background(), p.ID, false, 500)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.InboxItem
	for _, m := range in {
		if m.Kind == "document.task" && m.Link == "/docs/"+docID {
			out = append(out, m)
		}
	}
	return out
}
