package store

import (
	"context"
	"fmt"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/notify"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// tellSup writes, in the transaction of a supervision operation, the
// messages its events owe (supervise.EventMessages): 交办, 催办, the answers
// to extensions and applications to close, and what the 督查室 waits for.
func (tx *Tx) tellSup(ctx context.Context, it *supervise.Item, evs []supervise.Event) error {
	if len(evs) == 0 {
		return nil
	}
	t := newTeller(tx)
	names := &supNames{ctx: ctx, t: t, units: map[string]string{}}
	for _, e := range evs {
		ms := supervise.EventMessages(it, e, names, calendar.Shanghai())
		if names.err != nil {
			return names.err
		}
		for _, m := range ms {
			s, err := t.subject(ctx, m.To)
			if err != nil {
				return err
			}
			o := access.Object{Kind: "supervision_item", ID: it.ID, UnitID: it.LeadUnit(), Participants: []string{m.To}}
			if !access.Decide(s, access.ReadObject, o).Allow {
				continue // not one who may see the item (an administrator's account): told nothing of it
			}
			key := fmt.Sprintf("sup:%s:%d:%s", it.ID, e.Seq, m.To)
			if err := t.send(ctx, notify.Message{Key: key, PersonID: m.To, Kind: m.Kind, Subject: m.Subject, Body: m.Body,
				Link: "/supervise/items/" + it.ID}); err != nil {
				return err
			}
		}
	}
	return nil
}

// supNames reads names for supervise.EventMessages, keeping the first error.
type supNames struct {
	ctx   context.Context
	t     *teller
	units map[string]string
	err   error
}

func (n *supNames) Person(id string) string {
	name, err := n.t.name(n.ctx, id)
	if err != nil && n.err == nil {
		n.err = err
	}
	return name
}

func (n *supNames) Unit(id string) string {
	if id == "" {
		return ""
	}
	if name, ok := n.units[id]; ok {
		return name
	}
	u, err := n.t.tx.Unit(n.ctx, id)
	if err != nil && n.err == nil {
		n.err = fmt.Errorf("unit of a message: %w", err)
	}
	n.units[id] = u.Name
	return u.Name
}
