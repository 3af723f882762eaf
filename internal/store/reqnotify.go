package store

import (
	"context"
	"fmt"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/notify"
	"github.com/shuniu-oa/shuniu/internal/request"
	"github.com/shuniu-oa/shuniu/internal/route"
)

// tellRequest writes, in the transaction of a request operation, the
// messages its route events owe (route.Notices: each new task, 退回, 催办,
// the close to the requester), worded like a document's, and at 派车 the
// requester's note of the car and driver; a car's 还车登记 is told to its
// dispatcher only (request.Told). Messages go through the same
// inbox and channels as every other (teller.send).
func (tx *Tx) tellRequest(ctx context.Context, r request.Request, evs []route.Event) error {
	ns := route.Notices(r.Route, evs)
	dispatched := r.Car != nil && r.Car.VehicleID != "" && r.Car.DispatchedAt.Equal(tx.now)
	if len(ns) == 0 && !dispatched {
		return nil
	}
	t := newTeller(tx)
	what := r.Kind.Label() + "申请"
	switch {
	case r.Seal != nil:
		what += "（" + r.Seal.Material + "）"
	case r.Car != nil:
		what += "（" + request.Span(r.Car.Start, r.Car.End) + " 前往 " + r.Car.Destination + "）"
	}
	send := func(pid, kind, key, subject, body string) error {
		s, err := t.subject(ctx, pid)
		if err != nil {
			return err
		}
		if !access.Decide(s, access.ReadObject, access.Object{Kind: "request", ID: r.ID, Participants: []string{pid}}).Allow {
			return nil // an administrator's account: told nothing of it
		}
		return t.send(ctx, notify.Message{Key: key, PersonID: pid, Kind: kind, Subject: subject, Body: body, Link: "/requests/" + r.ID})
	}
	for _, n := range ns {
		people, err := tx.assigneePeople(ctx, n.To)
		if err != nil {
			return err
		}
		by, err := t.name(ctx, n.Actor)
		if err != nil {
			return err
		}
		subject, body := document.NoticeText(n, what, by, "")
		for _, pid := range r.Told(n, people) {
			if pid == n.Actor {
				continue
			}
			key := fmt.Sprintf("req:%s:%d:%d:%s:%s", r.ID, n.Seq, n.Task, n.Kind, pid)
			if err := send(pid, "request."+string(n.Kind), key, subject, body); err != nil {
				return err
			}
		}
	}
	if dispatched && r.Requester != r.Car.DispatchedBy {
		names, err := tx.reqNamer(ctx)
		if err != nil {
			return err
		}
		body := fmt.Sprintf("您的%s已派车：车辆 %s，驾驶员 %s。", what, names.Vehicle(r.Car.VehicleID), names.Driver(r.Car.DriverID))
		if names.err != nil {
			return names.err
		}
		key := fmt.Sprintf("req:%s:%d:dispatch:%s", r.ID, r.Route.Seq, r.Requester)
		if err := send(r.Requester, "request.dispatch", key, "已派车："+what, body); err != nil {
			return err
		}
	}
	return nil
}

// reqNames names vehicles, drivers and units for the request rules'
// messages, reading each once and keeping the first error.
type reqNames struct {
	ctx      context.Context
	c        conn
	vehicles map[string]string
	drivers  map[string]string
	units    map[string]string
	err      error
}

func (c conn) reqNamer(ctx context.Context) (*reqNames, error) {
	return &reqNames{ctx: ctx, c: c, vehicles: map[string]string{}, drivers: map[string]string{}, units: map[string]string{}}, nil
}

func (n *reqNames) keep(err error) {
	if err != nil && n.err == nil {
		n.err = err
	}
}

func (n *reqNames) Vehicle(id string) string {
	if s, ok := n.vehicles[id]; ok {
		return s
	}
	v, err := n.c.ReqVehicle(n.ctx, id)
	n.keep(err)
	n.vehicles[id] = v.Plate
	return v.Plate
}

func (n *reqNames) Driver(id string) string {
	if s, ok := n.drivers[id]; ok {
		return s
	}
	d, err := n.c.ReqDriver(n.ctx, id)
	n.keep(err)
	n.drivers[id] = d.Name
	return d.Name
}

func (n *reqNames) Unit(id string) string {
	if s, ok := n.units[id]; ok {
		return s
	}
	u, err := n.c.Unit(n.ctx, id)
	n.keep(err)
	n.units[id] = u.Name
	return u.Name
}
