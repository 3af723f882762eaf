package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/notify"
	"github.com/shuniu-oa/shuniu/internal/org"
)

// Channels are the outbound notification channels the deployment configured.
func (s *Store) Channels() []string { return s.channels }

// NotifyPrefs reads a person's choices; none stored: the inbox only.
func (c conn) NotifyPrefs(ctx context.Context, personID string) (notify.Prefs, error) {
	var p notify.Prefs
	var raw string
	err := c.queryRow(ctx, `SELECT prefs FROM notify_prefs WHERE person_id = ?`, personID).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil
	}
	if err != nil {
		return p, fmt.Errorf("read notification choices: %w", err)
	}
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		return p, fmt.Errorf("decode notification choices of %s: %w", personID, err)
	}
	return p, nil
}

// SetNotifyPrefs stores a person's choices, audited. Only channels the
// deployment configured may be chosen (and the inbox, for the digest).
func (s *Store) SetNotifyPrefs(ctx context.Context, by Editor, personID string, p notify.Prefs) error {
	if err := p.Validate(); err != nil {
		return err
	}
	for ch, ts := range p.Channels {
		if len(ts) > 0 && ch != notify.ChannelInbox && !slices.Contains(s.channels, ch) {
			return fmt.Errorf("本系统未配置“%s”通知渠道", notify.ChannelLabel(ch))
		}
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return s.Write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO notify_prefs (person_id, prefs, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (person_id) DO UPDATE SET prefs = excluded.prefs, updated_at = excluded.updated_at`, personID, string(raw), ts(tx.now)); err != nil {
			return fmt.Errorf("store notification choices: %w", err)
		}
		return tx.Audit(ctx, by.event("person.notify_prefs", "person", personID, p))
	})
}

// routesFor is where a person's message goes beyond the inbox: the channels
// they chose for its topic, among those configured; nowhere for a message
// about a classified document.
func (tx *Tx) routesFor(ctx context.Context, p org.Person, m notify.Message) ([]Route, error) {
	if len(tx.s.channels) == 0 || m.Classified {
		return nil, nil
	}
	prefs, err := tx.NotifyPrefs(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	return prefs.Routes(m.Kind, p.Phone, tx.s.channels), nil
}

// DigestHour is when the daily 待办 digest goes out: 8:00 on working days,
// Shanghai time, before the office's day begins.
const DigestHour = 8

// DigestResult says what one run of the digest sweep did.
type DigestResult struct {
	Days     int // working-day mornings in the interval
	Messages int // digests stored (repeats are no-ops and not counted)
}

// SendDigests sends the daily 待办 digest to everyone who asked for it, for
// each working day whose DigestHour falls in (from, to]. Call it inside the
// transaction that advances the sweep's cursor, so each morning is sent once
// however many servers run the sweep; the key (person and date) makes a
// repeat a no-op as well.
func (tx *Tx) SendDigests(ctx context.Context, from, to time.Time) (DigestResult, error) {
	var res DigestResult
	sh := calendar.Shanghai()
	cal := tx.s.Calendar()
	f := from.In(sh)
	day := time.Date(f.Year(), f.Month(), f.Day(), DigestHour, 0, 0, 0, sh)
	if !day.After(from) {
		day = day.AddDate(0, 0, 1)
	}
	type wanter struct {
		id    string
		prefs notify.Prefs
	}
	var people []wanter
	loaded := false
	for ; !day.After(to); day = day.AddDate(0, 0, 1) {
		if !cal.IsWorkday(day) {
			continue
		}
		res.Days++
		if !loaded {
			rows, err := tx.query(ctx, `SELECT n.person_id, n.prefs FROM notify_prefs n JOIN people p ON p.id = n.person_id WHERE p.disabled = 0 ORDER BY n.person_id`)
			if err != nil {
				return res, fmt.Errorf("read digest choices: %w", err)
			}
			for rows.Next() {
				var w wanter
				var raw string
				if err := rows.Scan(&w.id, &raw); err != nil {
					rows.Close()
					return res, err
				}
				if json.Unmarshal([]byte(raw), &w.prefs) == nil && w.prefs.WantsDigest() {
					people = append(people, w)
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return res, err
			}
			loaded = true
		}
		for _, w := range people {
			n, err := tx.sendDigest(ctx, w.id, w.prefs, day)
			if err != nil {
				return res, err
			}
			res.Messages += n
		}
	}
	return res, nil
}

// digestList is how many tasks a digest names one by one.
const digestList = 10

func (tx *Tx) sendDigest(ctx context.Context, personID string, prefs notify.Prefs, at time.Time) (int, error) {
	p, err := tx.Person(ctx, personID)
	if err != nil {
		return 0, fmt.Errorf("digest for %s: %w", personID, err)
	}
	actor, err := tx.Actor(ctx, personID, at)
	if err != nil {
		return 0, err
	}
	tasks, err := tx.OpenTasksFor(ctx, actor, 1000)
	if err != nil {
		return 0, err
	}
	if len(tasks) == 0 {
		return 0, nil // nothing waits: no message
	}
	overdue := 0
	var b strings.Builder
	for i, t := range tasks {
		late := !t.Due.IsZero() && t.Due.Before(at)
		if late {
			overdue++
		}
		if i >= digestList {
			continue
		}
		// Held by this person, so readable by them; still, the title of a
		// classified document goes nowhere outside the system.
		title := "《" + t.Doc.Doc.Title + "》"
		if t.Doc.Level() > org.Unclassified {
			title = "一份" + t.Doc.Level().Label() + "公文"
		}
		fmt.Fprintf(&b, "%d. %s（%s", i+1, title, t.Step)
		if !t.Due.IsZero() {
			fmt.Fprintf(&b, "，%s 到期", t.Due.In(calendar.Shanghai()).Format("01-02 15:04"))
		}
		if late {
			b.WriteString("，已逾期")
		}
		b.WriteString("）\n")
	}
	if len(tasks) > digestList {
		fmt.Fprintf(&b, "……另有 %d 件，请到工作台查看。\n", len(tasks)-digestList)
	}
	subject := fmt.Sprintf("今日待办：公文 %d 件", len(tasks))
	if overdue > 0 {
		subject += fmt.Sprintf("，其中已逾期 %d 件", overdue)
	}
	m := notify.Message{Key: "digest:" + personID + ":" + at.Format("2006-01-02"), PersonID: personID, Kind: notify.DigestKind,
		Subject: subject, Body: strings.TrimRight(b.String(), "\n"), Link: "/workbench", CreatedAt: at}
	var routes []Route
	if len(tx.s.channels) > 0 {
		routes = prefs.Routes(m.Kind, p.Phone, tx.s.channels)
	}
	stored, err := tx.Notify(ctx, m, routes)
	if err != nil || !stored {
		return 0, err
	}
	return 1, nil
}
