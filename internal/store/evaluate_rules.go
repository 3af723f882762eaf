package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/evaluate"
	"github.com/shuniu-oa/shuniu/internal/org"
)

// The pages that keep 考核评比's settings: the rules' versions with who
// entered each, and the units' renames and merges. The scoreboard reads
// both through EvalRules and EvalUnits (evaluate.go).

// EvalRuleVersion is a stored version of the rules with who entered it;
// By is empty for the defaults a deployment starts with.
type EvalRuleVersion struct {
	evaluate.RuleSet
	By      string    `json:"created_by,omitempty"` // the person's name
	AddedAt time.Time `json:"created_at,omitzero"`
}

// EvalRuleVersions lists every version, oldest first; a deployment that
// stored none has the defaults alone.
func (c conn) EvalRuleVersions(ctx context.Context) ([]EvalRuleVersion, error) {
	rows, err := c.query(ctx, `SELECT r.content, COALESCE(p.name, ''), r.created_at FROM eval_rules r
		LEFT JOIN people p ON p.id = r.created_by ORDER BY r.version`)
	if err != nil {
		return nil, fmt.Errorf("eval rule versions: %w", err)
	}
	defer rows.Close()
	var out []EvalRuleVersion
	for rows.Next() {
		var raw string
		var at int64
		var v EvalRuleVersion
		if err := rows.Scan(&raw, &v.By, &at); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(raw), &v.RuleSet); err != nil {
			return nil, fmt.Errorf("decode eval rules: %w", err)
		}
		v.AddedAt = fromTS(at)
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		rs, err := c.EvalRules(ctx)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			out = append(out, EvalRuleVersion{RuleSet: r})
		}
	}
	return out, nil
}

// WithdrawEvalRules removes the latest version before it takes effect (a
// version that scored a period stays); audited with what it held.
func (s *Store) WithdrawEvalRules(ctx context.Context, by org.Person, version int) error {
	return s.Write(ctx, func(tx *Tx) error {
		rs, err := tx.EvalRules(ctx)
		if err != nil {
			return err
		}
		if err := rs.Withdrawable(version, tx.now); err != nil {
			return err
		}
		var raw string
		if err := tx.queryRow(ctx, `SELECT content FROM eval_rules WHERE version = ?`, version).Scan(&raw); err != nil {
			return fmt.Errorf("eval rules %d: %w", version, err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM eval_rules WHERE version = ?`, version); err != nil {
			return fmt.Errorf("withdraw eval rules: %w", err)
		}
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "evaluate.rules.withdraw", ObjectKind: "eval_rules",
			ObjectID: fmt.Sprint(version), Detail: raw})
	})
}

// EvalUnitChanges lists the recorded renames and merges, by date.
func (c conn) EvalUnitChanges(ctx context.Context) ([]evaluate.Change, error) {
	rows, err := c.query(ctx, `SELECT unit_id, kind, old_name, into_id, effective FROM eval_unit_changes ORDER BY effective, unit_id, kind`)
	if err != nil {
		return nil, fmt.Errorf("eval unit changes: %w", err)
	}
	defer rows.Close()
	var out []evaluate.Change
	for rows.Next() {
		var ch evaluate.Change
		var kind string
		var on int64
		if err := rows.Scan(&ch.Unit, &kind, &ch.OldName, &ch.Into, &on); err != nil {
			return nil, err
		}
		ch.Kind, ch.On = evaluate.ChangeKind(kind), fromTS(on)
		out = append(out, ch)
	}
	return out, rows.Err()
}

// AddEvalUnitChange records a rename or a merge after evaluate.CheckChange
// over the units as they stand in the transaction. A rename with newName
// also renames the unit in the org, in the same transaction, so the
// scoreboard and every other page show the new name from then on; the
// earlier name is then the unit's current one unless OldName says
// otherwise.
func (s *Store) AddEvalUnitChange(ctx context.Context, by org.Person, ch evaluate.Change, newName string) (evaluate.Change, error) {
	newName = strings.TrimSpace(newName)
	ch.OldName = strings.TrimSpace(ch.OldName)
	if ch.Kind != evaluate.Renamed {
		newName, ch.OldName = "", ""
	} else {
		ch.Into = ""
	}
	err := s.Write(ctx, func(tx *Tx) error {
		if err := tx.lockUnitChanges(ctx); err != nil {
			return err
		}
		var before *org.Unit
		if newName != "" {
			u, err := tx.Unit(ctx, ch.Unit)
			if errors.Is(err, ErrNotFound) {
				return errors.New("请选择发生变更的单位")
			}
			if err != nil {
				return err
			}
			if ch.On.After(tx.now) {
				return fmt.Errorf("更名日期 %s 尚未到来：请到期后再改用新名称，现在可只记录原名称", ch.On.Format("2006-01-02"))
			}
			if newName == u.Name {
				return fmt.Errorf("新名称与现名称“%s”相同", u.Name)
			}
			if ch.OldName == "" {
				ch.OldName = u.Name
			}
			old := u
			before = &old
			u.Name = newName
			if err := tx.PutUnit(ctx, u); err != nil {
				return err
			}
		}
		units, err := tx.EvalUnits(ctx)
		if err != nil {
			return err
		}
		if err := evaluate.CheckChange(units, ch); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO eval_unit_changes (unit_id, kind, old_name, into_id, effective) VALUES (?, ?, ?, ?, ?)`,
			ch.Unit, string(ch.Kind), ch.OldName, ch.Into, ts(ch.On)); err != nil {
			if isUnique(err) {
				return errors.New("该单位同一日期的同类变更已有记录")
			}
			return fmt.Errorf("record unit change: %w", err)
		}
		detail := map[string]any{"change": ch}
		if before != nil {
			detail["renamed_to"] = newName
			detail["before"] = before
		}
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "evaluate.unit_change", ObjectKind: "unit", ObjectID: ch.Unit,
			Detail: jsonString(detail)})
	})
	return ch, err
}

// WithdrawEvalUnitChange removes a recorded rename or merge (one recorded
// in error); the org's name is left as it is. Audited with what it held.
func (s *Store) WithdrawEvalUnitChange(ctx context.Context, by org.Person, unitID string, kind evaluate.ChangeKind, on time.Time) error {
	return s.Write(ctx, func(tx *Tx) error {
		if err := tx.lockUnitChanges(ctx); err != nil {
			return err
		}
		var old, into string
		err := tx.queryRow(ctx, `SELECT old_name, into_id FROM eval_unit_changes WHERE unit_id = ? AND kind = ? AND effective = ?`,
			unitID, string(kind), ts(on)).Scan(&old, &into)
		if errors.Is(err, sql.ErrNoRows) {
			return errors.New("该变更记录不存在或已撤销")
		}
		if err != nil {
			return fmt.Errorf("unit change: %w", err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM eval_unit_changes WHERE unit_id = ? AND kind = ? AND effective = ?`, unitID, string(kind), ts(on)); err != nil {
			return fmt.Errorf("withdraw unit change: %w", err)
		}
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "evaluate.unit_change.withdraw", ObjectKind: "unit", ObjectID: unitID,
			Detail: jsonString(evaluate.Change{Unit: unitID, Kind: kind, OldName: old, Into: into, On: on})})
	})
}

// lockUnitChanges serialises the writers of eval_unit_changes on
// PostgreSQL: a change is checked against all the others (a unit merged
// once, no cycle — evaluate.CheckChange), which two transactions at READ
// COMMITTED would each check without seeing the other's. SQLite has one
// writer. TestEvalUnitChangesSerialized.
func (tx *Tx) lockUnitChanges(ctx context.Context) error {
	if tx.d != Postgres {
		return nil
	}
	if _, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('eval_unit_changes'))`); err != nil {
		return fmt.Errorf("lock unit changes: %w", err)
	}
	return nil
}
