package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/notify"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
	"github.com/shuniu-oa/shuniu/internal/store/storetest"
)

// pending lists the queued outbound deliveries by key.
func pending(t *testing.T, s *store.Store) map[string][]notify.Delivery {
	t.Helper()
	ds, err := s.ClaimDeliveries(ctx, "test", time.Minute, 1000)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]notify.Delivery{}
	for _, d := range ds {
		out[d.Key] = append(out[d.Key], d)
	}
	return out
}

// TestNotifyChannels: a person's choices decide which messages also go out
// by mail or phone, in the operation's transaction; a classified document's
// never do; choices of unconfigured channels are refused.
func TestNotifyChannels(t *testing.T) {
	opt := store.Options{Channels: []string{notify.ChannelSMTP, notify.ChannelWebhook}}
	storetest.ForEach(t, opt, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		office := x.unit["政府办"]
		secretariat := childOf(x, office.ID, "秘书科")
		clerk := x.byLogin["wenmi"]
		head := x.head(t, secretariat.ID)
		head.Phone = "13800000001"
		if err := s.Write(ctx, func(tx *store.Tx) error { return tx.UpdatePerson(ctx, head) }); err != nil {
			t.Fatal(err)
		}
		by := store.Editor{Person: head}

		// Bad choices are refused and nothing is stored.
		for _, bad := range []notify.Prefs{
			{Channels: map[string][]notify.Topic{notify.ChannelSMTP: {notify.TopicTask}}},
			{Email: "not an address"},
			{Channels: map[string][]notify.Topic{"fax": {notify.TopicTask}}},
		} {
			if err := s.SetNotifyPrefs(ctx, by, head.ID, bad); err == nil {
				t.Errorf("accepted %+v", bad)
			}
		}
		if p, err := s.NotifyPrefs(ctx, head.ID); err != nil || p.Email != "" || len(p.Channels) != 0 {
			t.Fatalf("after refusals: %+v %v", p, err)
		}

		want := notify.Prefs{Email: "head@qinglan.gov.cn", Channels: map[string][]notify.Topic{
			notify.ChannelWebhook: {notify.TopicTask, notify.TopicUrge},
			notify.ChannelSMTP:    {notify.TopicAnswer},
		}}
		if err := s.SetNotifyPrefs(ctx, by, head.ID, want); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.NotifyPrefs(ctx, head.ID); got.Email != want.Email || !got.Wants(notify.ChannelWebhook, notify.TopicUrge) || got.Wants(notify.ChannelSMTP, notify.TopicTask) {
			t.Fatalf("stored %+v", got)
		}
		if es, _ := s.ListAudit(ctx, store.AuditFilter{Action: "person.notify_prefs"}); len(es) != 1 {
			t.Errorf("audit entries: %d", len(es))
		}
		// The clerk has chosen nothing: the inbox only.
		rec := newDraft(t, s, x, clerk, secretariat, nil)
		act(t, s, clerk, rec.ID, approve("请审核"))
		m := wantMessage(t, s, head, rec.ID, "document.task")
		all := pending(t, s)
		ds := all[m.Key]
		if len(ds) != 1 || ds[0].Channel != notify.ChannelWebhook || ds[0].Address != "13800000001" || ds[0].Subject != m.Subject {
			t.Fatalf("the new task's deliveries: %+v", ds)
		}
		for k, d := range all {
			if !strings.Contains(k, head.ID) {
				t.Errorf("a delivery for someone who chose nothing: %+v", d)
			}
		}

		// A classified document's message stays in the inbox.
		director := x.withRole(t, org.RoleOfficeDirector, office.ID)
		sec := newDraft(t, s, x, clerk, secretariat, nil)
		if _, err := s.Classify(ctx, director, sec.ID, 1, document.Classification{Level: document.Confidential, PeriodYears: 5}, "涉及尚未公布的工作安排"); err != nil {
			t.Fatal(err)
		}
		act(t, s, clerk, sec.ID, approve("请审核"))
		cm := wantMessage(t, s, head, sec.ID, "document.task")
		if ds := pending(t, s)[cm.Key]; len(ds) != 0 {
			t.Errorf("a classified document's message went out: %+v", ds)
		}
	})
}

// TestNotifyChannelsUnconfigured: a deployment without channels refuses a
// choice of one, and still offers the digest in the inbox.
func TestNotifyChannelsUnconfigured(t *testing.T) {
	storetest.ForEach(t, store.Options{}, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		p := x.byLogin["wenmi"]
		err := s.SetNotifyPrefs(ctx, store.Editor{Person: p}, p.ID, notify.Prefs{Channels: map[string][]notify.Topic{notify.ChannelWebhook: {notify.TopicTask}}})
		if err == nil || !strings.Contains(err.Error(), "未配置") {
			t.Errorf("an unconfigured channel: %v", err)
		}
		if err := s.SetNotifyPrefs(ctx, store.Editor{Person: p}, p.ID, notify.Prefs{Channels: map[string][]notify.Topic{notify.ChannelInbox: {notify.TopicDigest}}}); err != nil {
			t.Errorf("the digest in the inbox: %v", err)
		}
	})
}

// TestDigest: the daily 待办 digest goes at 8:00 on working days to those who
// asked, once, naming their tasks.
func TestDigest(t *testing.T) {
	sh := calendar.Shanghai()
	now := time.Date(2026, 12, 4, 16, 0, 0, 0, sh) // a Friday afternoon
	opt := store.Options{Now: func() time.Time { return now }, Channels: []string{notify.ChannelSMTP}}
	storetest.ForEach(t, opt, func(t *testing.T, s *store.Store) {
		x := seeded(t, s)
		office := x.unit["政府办"]
		secretariat := childOf(x, office.ID, "秘书科")
		clerk := x.byLogin["wenmi"]
		head := x.head(t, secretariat.ID)
		rec := newDraft(t, s, x, clerk, secretariat, nil)
		act(t, s, clerk, rec.ID, approve("请审核"))
		if err := s.SetNotifyPrefs(ctx, store.Editor{Person: head}, head.ID, notify.Prefs{Email: "head@qinglan.gov.cn",
			Channels: map[string][]notify.Topic{notify.ChannelSMTP: {notify.TopicDigest}}}); err != nil {
			t.Fatal(err)
		}
		run := func(from, to time.Time) store.DigestResult {
			t.Helper()
			var res store.DigestResult
			if err := s.Write(ctx, func(tx *store.Tx) error {
				var err error
				res, err = tx.SendDigests(ctx, from, to)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return res
		}
		// Friday 16:00 to Monday 9:00: Saturday and Sunday are rest days, so
		// one morning (Monday's).
		mon := time.Date(2026, 12, 7, 9, 0, 0, 0, sh)
		if res := run(now, mon); res.Days != 1 || res.Messages != 1 {
			t.Fatalf("over the weekend: %+v", res)
		}
		if res := run(now, mon); res.Messages != 0 {
			t.Errorf("a second run sent again: %+v", res)
		}
		inbox, _ := s.Inbox(ctx, head.ID, false, 100)
		var dg store.InboxItem
		for _, m := range inbox {
			if m.Kind == notify.DigestKind {
				dg = m
			}
		}
		if !strings.HasPrefix(dg.Subject, "今日待办：公文 ") || !strings.Contains(dg.Body, rec.Doc.Title) || dg.Link != "/workbench" {
			t.Fatalf("digest: %+v", dg)
		}
		if ds := pending(t, s)[dg.Key]; len(ds) != 1 || ds[0].Address != "head@qinglan.gov.cn" {
			t.Errorf("digest deliveries: %+v", ds)
		}
		// The clerk asked for nothing and gets no digest.
		cin, _ := s.Inbox(ctx, clerk.ID, false, 100)
		for _, m := range cin {
			if m.Kind == notify.DigestKind {
				t.Errorf("the clerk got a digest: %+v", m)
			}
		}
	})
}
