package store

import (
	"context"
	"errors"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
)

// RegisterIncoming is Store.RegisterIncoming inside a caller's transaction,
// for work that registers many documents in one commit (the demo's seeding,
// imports). A document addressed to a section is received by its organ's
// office, as 分发 delivers it: the section has no one to sign for it.
func (tx *Tx) RegisterIncoming(ctx context.Context, by org.Person, unitID string, doc document.Document, sender string) (DocRecord, error) {
	if strings.TrimSpace(doc.Title) == "" || strings.TrimSpace(sender) == "" {
		return DocRecord{}, errors.New("请填写标题和来文单位")
	}
	if err := doc.Classification.Validate(); err != nil {
		return DocRecord{}, err
	}
	if err := document.NameLimit("sender", "来文单位", sender); err != nil {
		return DocRecord{}, err
	}
	units, err := tx.unitMap(ctx)
	if err != nil {
		return DocRecord{}, err
	}
	u, ok := units[unitID]
	if !ok {
		return DocRecord{}, errors.New("收文单位不存在")
	}
	if u.Kind == org.KindSection {
		unitID = officeOf(units, organOf(units, unitID))
	}
	return tx.startIncoming(ctx, by, doc, unitID, "", sender)
}

// RegisterPaper is 登记收文: a clerk with a paper or external document in
// hand registers it. Receiving it by hand is its 签收 and this is its 登记, so
// both steps are the registrar's and are done now (the 收文编号 taken), and
// the item goes on to 拟办. Were the registrar not the receiving office's
// clerk, the steps stay for that office's clerk.
func (tx *Tx) RegisterPaper(ctx context.Context, by org.Person, unitID string, doc document.Document, sender string) (DocRecord, error) {
	rec, err := tx.RegisterIncoming(ctx, by, unitID, doc, sender)
	if err != nil {
		return rec, err
	}
	actor, err := tx.Actor(ctx, by.ID, tx.now)
	if err != nil {
		return rec, err
	}
	for _, step := range []string{"sign_for", "register"} {
		_, in, err := tx.documentAndRoute(ctx, rec.ID)
		if err != nil {
			return rec, err
		}
		task, ok := openTaskAt(in, step)
		if !ok || !actor.Matches(task.Assignee) {
			return rec, nil
		}
		if rec, err = tx.Act(ctx, by, rec.ID, route.Request{Op: route.Approve, Task: task.ID, Step: step, Comment: "登记收文"}); err != nil {
			return rec, err
		}
	}
	return rec, nil
}

// openTaskAt is the route's one open task at a step, if any.
func openTaskAt(in route.Instance, step string) (route.Task, bool) {
	for _, t := range in.OpenTasks() {
		if t.Step < len(in.Template.Steps) && in.Template.Steps[t.Step].Key == step {
			return t, true
		}
	}
	return route.Task{}, false
}

// RegisterPaper is Tx.RegisterPaper in its own transaction.
func (s *Store) RegisterPaper(ctx context.Context, by org.Person, unitID string, doc document.Document, sender string) (DocRecord, error) {
	var rec DocRecord
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		rec, err = tx.RegisterPaper(ctx, by, unitID, doc, sender)
		return err
	})
	return rec, err
}
