package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/request"
	"github.com/shuniu-oa/shuniu/internal/route"
)

// DefaultTemplate is the 条例's default route of a kind.
func DefaultTemplate(kind string) (route.Template, bool) {
	switch kind {
	case Outgoing:
		return route.Outgoing(), true
	case Incoming:
		return route.Incoming(), true
	}
	return request.Template(request.Kind(kind))
}

// systemSteps are the steps whose completion does something beyond the route
// (numbering, the 签发 record, distribution, registration, the instruction):
// an office may rename them, change who acts and their limits, but not remove
// them, and the first step stays first.
var systemSteps = map[string][]string{
	Outgoing: {"draft", "sign_off", "number", "print_issue", "distribute", stepArchive},
	Incoming: {"sign_for", "register", "instruct", stepArchive},
}

// SystemStep reports whether a step of a kind's route may not be removed.
func SystemStep(kind, key string) bool {
	return slices.Contains(systemSteps[kind], key) || slices.Contains(request.SystemSteps(request.Kind(kind)), key)
}

// RouteTemplate returns the route an organ uses for a kind: its own when its
// office has adjusted it, else the default.
func (c conn) RouteTemplate(ctx context.Context, organID, kind string) (route.Template, bool, error) {
	return c.routeTemplate(ctx, organID, kind, "")
}

func (c conn) routeTemplate(ctx context.Context, organID, kind, lock string) (route.Template, bool, error) {
	var raw string
	err := c.queryRow(ctx, `SELECT template FROM route_templates WHERE organ_id = ? AND kind = ?`+lock, organID, kind).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		t, ok := DefaultTemplate(kind)
		if !ok {
			return t, false, fmt.Errorf("未知的流程类别 %q", kind)
		}
		return t, false, nil
	}
	if err != nil {
		return route.Template{}, false, err
	}
	var t route.Template
	return t, true, json.Unmarshal([]byte(raw), &t)
}

// PutRouteTemplate stores an organ's adjusted route after checking it: the
// engine's own validation, the system steps all present, the first step
// unchanged. t.Version is the version the edit started from: if the stored
// route is no longer at it (another editor saved or reset it meanwhile), the
// save is refused with ErrModified rather than silently undoing theirs. The
// version goes up by one; running instances are unaffected.
func (tx *Tx) PutRouteTemplate(ctx context.Context, by org.Person, organID string, t route.Template) error {
	def, ok := DefaultTemplate(t.Kind)
	if !ok {
		return fmt.Errorf("未知的流程类别 %q", t.Kind)
	}
	if err := t.Validate(); err != nil {
		return err
	}
	for _, key := range append(slices.Clone(systemSteps[t.Kind]), request.SystemSteps(request.Kind(t.Kind))...) {
		if t.StepIndex(key) < 0 {
			return fmt.Errorf("不能删除环节“%s”：它的办理结果由系统使用", def.Steps[def.StepIndex(key)].Name)
		}
	}
	if t.Steps[0].Key != def.Steps[0].Key {
		return fmt.Errorf("第一个环节须是“%s”", def.Steps[0].Name)
	}
	if err := tx.lockRouteTemplate(ctx, organID, t.Kind); err != nil {
		return err
	}
	old, _, err := tx.routeTemplate(ctx, organID, t.Kind, "")
	if err != nil {
		return err
	}
	if old.Version != t.Version {
		return ErrModified
	}
	t.Version = old.Version + 1
	raw, err := json.Marshal(t)
	if err != nil {
		return err
	}
	res, err := tx.exec(ctx, `UPDATE route_templates SET template = ?, updated_by = ?, updated_at = ? WHERE organ_id = ? AND kind = ?`, string(raw), by.ID, ts(tx.now), organID, t.Kind)
	if err != nil {
		return fmt.Errorf("save route template: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		_, err := tx.exec(ctx, `INSERT INTO route_templates (organ_id, kind, template, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)`, organID, t.Kind, string(raw), by.ID, ts(tx.now))
		if isUnique(err) {
			// Another editor made the organ's first own version meanwhile
			// (there was no row to lock).
			return ErrModified
		}
		if err != nil {
			return fmt.Errorf("save route template: %w", err)
		}
	}
	return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "route_template.update", ObjectKind: "unit", ObjectID: organID,
		Detail: fmt.Sprintf(`{"before":%s,"after":%s}`, jsonString(old), string(raw))})
}

// lockRouteTemplate makes the organ's editors of a kind take turns (on
// SQLite the one writer already does). A row lock is not enough: before the
// organ's first own version there is no row to lock, and an editor who read
// the default could then update the row another had just inserted and
// committed; a reset deletes the row.
func (tx *Tx) lockRouteTemplate(ctx context.Context, organID, kind string) error {
	if err := tx.advisoryLock(ctx, "route_template:"+organID+":"+kind); err != nil {
		return fmt.Errorf("lock route template: %w", err)
	}
	return nil
}

// ResetRouteTemplate returns an organ to the default route of a kind.
func (tx *Tx) ResetRouteTemplate(ctx context.Context, by org.Person, organID, kind string) error {
	if err := tx.lockRouteTemplate(ctx, organID, kind); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM route_templates WHERE organ_id = ? AND kind = ?`, organID, kind); err != nil {
		return err
	}
	return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "route_template.reset", ObjectKind: "unit", ObjectID: organID,
		Detail: jsonString(map[string]string{"kind": kind})})
}
