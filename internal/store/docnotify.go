package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/notify"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
)

// tellRoute writes, in the transaction of a route operation on a document,
// the messages the operation owes (route.Notices): each person an assignee
// means — and whoever acts for them under a delegation in force — gets one in
// their inbox, worded with names, naming the document only if they may read
// it. writeRoute calls it, so every start, handover, return, 催办 and close of
// a document's route goes through here.
func (tx *Tx) tellRoute(ctx context.Context, docID string, ns []route.Notice) error {
	if len(ns) == 0 {
		return nil
	}
	recs, err := tx.DocSummaries(ctx, []string{docID})
	if err != nil || len(recs) == 0 {
		return err // a route without its document is not ours to tell of
	}
	rec := recs[0]
	names := newTeller(tx)
	for _, n := range ns {
		people, err := tx.assigneePeople(ctx, n.To)
		if err != nil {
			return err
		}
		by, err := names.name(ctx, n.Actor)
		if err != nil {
			return err
		}
		from := ""
		if rec.Direction == Incoming && n.Kind == route.NoticeTask && n.Step == signForStep {
			from = rec.Sender
		}
		for _, pid := range people {
			if pid == n.Actor {
				continue
			}
			what, err := names.docTitle(ctx, pid, rec)
			if err != nil {
				return err
			}
			subject, body := document.NoticeText(n, what, by, from)
			key := fmt.Sprintf("doc:%s:%d:%d:%s:%s", rec.ID, n.Seq, n.Task, n.Kind, pid)
			if err := names.send(ctx, notify.Message{Key: key, PersonID: pid, Kind: "document." + string(n.Kind),
				Subject: subject, Body: body, Link: "/docs/" + rec.ID, Classified: rec.Level() > org.Unclassified}); err != nil {
				return err
			}
		}
	}
	return nil
}

// teller keeps what one operation's messages need to know about people.
type teller struct {
	tx     *Tx
	people map[string]org.Person
	roles  map[string][]org.RoleAssignment
}

func newTeller(tx *Tx) *teller {
	return &teller{tx: tx, people: map[string]org.Person{}, roles: map[string][]org.RoleAssignment{}}
}

func (t *teller) person(ctx context.Context, id string) (org.Person, error) {
	if p, ok := t.people[id]; ok {
		return p, nil
	}
	p, err := t.tx.Person(ctx, id)
	if err != nil {
		return p, fmt.Errorf("message's person: %w", err)
	}
	t.people[id] = p
	return p, nil
}

func (t *teller) name(ctx context.Context, id string) (string, error) {
	if id == "" {
		return "系统", nil
	}
	p, err := t.person(ctx, id)
	return p.Name, err
}

// subject is the person as the access function sees them.
func (t *teller) subject(ctx context.Context, id string) (access.Subject, error) {
	p, err := t.person(ctx, id)
	if err != nil {
		return access.Subject{}, err
	}
	rs, ok := t.roles[id]
	if !ok {
		if rs, err = t.tx.Roles(ctx, id); err != nil {
			return access.Subject{}, err
		}
		t.roles[id] = rs
	}
	return access.Subject{PersonID: id, Roles: rs, Clearance: p.Clearance}, nil
}

// docTitle names a document for a receiver of a message about it: its title
// when the access function lets them read it (they take part in it: the
// message is about their task or their document), else only its kind, so a
// message never shows what its reader may not see.
func (t *teller) docTitle(ctx context.Context, pid string, rec DocRecord) (string, error) {
	s, err := t.subject(ctx, pid)
	if err != nil {
		return "", err
	}
	o := access.Object{Kind: "document", ID: rec.ID, UnitID: rec.OrganID, Level: rec.Level(), Participants: []string{pid}}
	if access.Decide(s, access.ReadObject, o).Allow {
		return "《" + rec.Doc.Title + "》", nil
	}
	if rec.Level() > org.Unclassified {
		return "一份" + rec.Level().Label() + "公文", nil
	}
	return "一份公文", nil
}

// send stores one message with the person's chosen channels.
func (t *teller) send(ctx context.Context, m notify.Message) error {
	p, err := t.person(ctx, m.PersonID)
	if err != nil {
		return err
	}
	routes, err := t.tx.routesFor(ctx, p, m)
	if err != nil {
		return err
	}
	if _, err := t.tx.Notify(ctx, m, routes); err != nil {
		return fmt.Errorf("notify %s: %w", m.Key, err)
	}
	return nil
}

// assigneePeople lists the people an assignee means — those who see the task
// in their 待办 (route.Principal.Matches, read the other way round) — and the
// people acting for any of them under a delegation in force.
func (tx *Tx) assigneePeople(ctx context.Context, a route.Assignee) ([]string, error) {
	var ids []string
	var err error
	switch a.Kind {
	case route.Person:
		ids = []string{a.Person}
	case route.Role:
		var orgRoles []string
		for r, rrs := range routeRoles {
			if slices.Contains(rrs, a.Role) {
				orgRoles = append(orgRoles, string(r))
			}
		}
		if len(orgRoles) == 0 {
			return nil, nil
		}
		slices.Sort(orgRoles) // one statement text per role
		args := []any{a.Unit}
		for _, r := range orgRoles {
			args = append(args, r)
		}
		ids, err = tx.queryStrings(ctx, `SELECT DISTINCT person_id FROM role_assignments WHERE unit_id = ? AND role IN (`+placeholders(len(orgRoles))+`) ORDER BY person_id`, args...)
	case route.Leader:
		ids, err = tx.queryStrings(ctx, `SELECT person_id FROM positions WHERE unit_id = ? AND is_head = 1
			UNION SELECT person_id FROM role_assignments WHERE unit_id = ? AND role = ?
			UNION SELECT leader_id FROM oversight WHERE unit_id = ? ORDER BY 1`, a.Unit, a.Unit, string(org.RoleLeader), a.Unit)
	case route.Unit:
		ids, err = tx.queryStrings(ctx, `SELECT person_id FROM positions WHERE unit_id = ?
			OR unit_id IN (SELECT id FROM units WHERE parent_id = ? AND kind = 'section')
			UNION SELECT person_id FROM role_assignments WHERE unit_id = ? ORDER BY 1`, a.Unit, a.Unit, a.Unit)
	}
	if err != nil {
		return nil, fmt.Errorf("people of %s: %w", a.Kind, err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	args := []any{ts(tx.now), ts(tx.now)}
	for _, id := range ids {
		args = append(args, id)
	}
	deps, err := tx.queryStrings(ctx, `SELECT DISTINCT to_id FROM delegations WHERE starts_at <= ? AND ends_at > ? AND from_id IN (`+placeholders(len(ids))+`) ORDER BY to_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("delegates: %w", err)
	}
	for _, d := range deps {
		if !slices.Contains(ids, d) {
			ids = append(ids, d)
		}
	}
	return ids, nil
}
