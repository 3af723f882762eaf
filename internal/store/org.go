package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/org"
)

const unitCols = `id, COALESCE(parent_id, ''), name, short_name, organ_code, kind, sort`

func scanUnit(r scanner) (org.Unit, error) {
	var u org.Unit
	var kind string
	err := r.Scan(&u.ID, &u.ParentID, &u.Name, &u.ShortName, &u.OrganCode, &kind, &u.Sort)
	u.Kind = org.UnitKind(kind)
	return u, err
}

// Units returns every unit, parents before children, siblings by sort order.
func (c conn) Units(ctx context.Context) ([]org.Unit, error) {
	rows, err := c.query(ctx, `SELECT `+unitCols+` FROM units ORDER BY sort, name`)
	if err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	defer rows.Close()
	var all []org.Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, err
		}
		all = append(all, u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return treeOrder(all), nil
}

// treeOrder sorts units depth-first so that a parent precedes its children.
func treeOrder(all []org.Unit) []org.Unit {
	children := map[string][]org.Unit{}
	ids := map[string]bool{}
	for _, u := range all {
		ids[u.ID] = true
	}
	for _, u := range all {
		p := u.ParentID
		if !ids[p] {
			p = ""
		}
		children[p] = append(children[p], u)
	}
	out := make([]org.Unit, 0, len(all))
	var walk func(string)
	walk = func(id string) {
		for _, u := range children[id] {
			out = append(out, u)
			walk(u.ID)
		}
	}
	walk("")
	return out
}

// Unit returns one unit.
func (c conn) Unit(ctx context.Context, id string) (org.Unit, error) {
	u, err := scanUnit(c.queryRow(ctx, `SELECT `+unitCols+` FROM units WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("unit %s: %w", id, ErrNotFound)
	}
	return u, err
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// PutUnit creates or updates a unit after checking its fields and that the
// new parent exists and makes no cycle.
func (tx *Tx) PutUnit(ctx context.Context, u org.Unit) error {
	if err := tx.orgChanged(ctx); err != nil {
		return err
	}
	if err := u.Validate(); err != nil {
		return err
	}
	if u.ParentID != "" {
		parents := map[string]string{}
		rows, err := tx.query(ctx, `SELECT id, COALESCE(parent_id, '') FROM units`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, p string
			if err := rows.Scan(&id, &p); err != nil {
				rows.Close()
				return err
			}
			parents[id] = p
		}
		rows.Close()
		if _, ok := parents[u.ParentID]; !ok {
			return errors.New("上级单位不存在")
		}
		if err := org.CheckParent(u.ID, u.ParentID, parents); err != nil {
			return err
		}
	}
	now := ts(tx.now)
	res, err := tx.exec(ctx, `UPDATE units SET parent_id = ?, name = ?, short_name = ?, organ_code = ?, kind = ?, sort = ?, updated_at = ? WHERE id = ?`,
		nullable(u.ParentID), u.Name, u.ShortName, u.OrganCode, string(u.Kind), u.Sort, now, u.ID)
	if err == nil {
		if n, _ := res.RowsAffected(); n == 0 {
			_, err = tx.exec(ctx, `INSERT INTO units (id, parent_id, name, short_name, organ_code, kind, sort, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				u.ID, nullable(u.ParentID), u.Name, u.ShortName, u.OrganCode, string(u.Kind), u.Sort, now, now)
		}
	}
	if isUnique(err) {
		return fmt.Errorf("机关代字“%s”已被其他单位使用: %w", u.OrganCode, ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("save unit: %w", err)
	}
	return nil
}

// DeleteUnit removes a unit that has no sub-units and nobody in it.
func (tx *Tx) DeleteUnit(ctx context.Context, id string) error {
	if err := tx.orgChanged(ctx); err != nil {
		return err
	}
	var n int
	if err := tx.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM units WHERE parent_id = ?) + (SELECT COUNT(*) FROM positions WHERE unit_id = ?) + (SELECT COUNT(*) FROM role_assignments WHERE unit_id = ?)`, id, id, id).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return errors.New("该单位下还有下级单位、人员或角色，不能删除")
	}
	if _, err := tx.exec(ctx, `DELETE FROM oversight WHERE unit_id = ?`, id); err != nil {
		return err
	}
	res, err := tx.exec(ctx, `DELETE FROM units WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete unit: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("unit %s: %w", id, ErrNotFound)
	}
	return nil
}

const personCols = `id, name, login, phone, clearance, sort`

func scanPerson(r scanner) (org.Person, error) {
	var p org.Person
	var c int64
	err := r.Scan(&p.ID, &p.Name, &p.Login, &p.Phone, &c, &p.Sort)
	p.Clearance = org.Classification(c)
	return p, err
}

// Person returns one person.
func (c conn) Person(ctx context.Context, id string) (org.Person, error) {
	p, err := scanPerson(c.queryRow(ctx, `SELECT `+personCols+` FROM people WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("person %s: %w", id, ErrNotFound)
	}
	return p, err
}

// PersonNames returns the names of the people with the given IDs, in one
// statement (those not found are left out).
func (c conn) PersonNames(ctx context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := c.query(ctx, `SELECT id, name FROM people WHERE id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("people's names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}

// PersonByLogin returns the person with that login.
func (c conn) PersonByLogin(ctx context.Context, login string) (org.Person, error) {
	p, err := scanPerson(c.queryRow(ctx, `SELECT `+personCols+` FROM people WHERE login = ?`, login))
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("login %q: %w", login, ErrNotFound)
	}
	return p, err
}

// PeopleFilter selects people for the directory.
type PeopleFilter struct {
	UnitID string // holding a position in this unit
	Query  string // name or login contains
	Limit  int
	Offset int
}

// People lists people by sort order and name.
func (c conn) People(ctx context.Context, f PeopleFilter) ([]org.Person, error) {
	q := `SELECT ` + personCols + ` FROM people p`
	var where []string
	var args []any
	if f.UnitID != "" {
		where = append(where, `EXISTS (SELECT 1 FROM positions x WHERE x.person_id = p.id AND x.unit_id = ?)`)
		args = append(args, f.UnitID)
	}
	if f.Query != "" {
		like := "%" + escapeLike(f.Query) + "%"
		where = append(where, `(name LIKE ? ESCAPE '\' OR login LIKE ? ESCAPE '\')`)
		args = append(args, like, like)
	}
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	q += fmt.Sprintf(" ORDER BY sort, name LIMIT %d OFFSET %d", f.Limit, max(f.Offset, 0))
	return queryAll(ctx, c, scanPerson, q, args...)
}

// CountPeople counts all people.
func (c conn) CountPeople(ctx context.Context) (int, error) {
	var n int
	err := c.queryRow(ctx, `SELECT COUNT(*) FROM people`).Scan(&n)
	return n, err
}

// CreatePerson adds a person with an account. passwordHash may be empty (no
// sign-in until a password is set).
func (tx *Tx) CreatePerson(ctx context.Context, p org.Person, passwordHash string, mustChange bool) error {
	if strings.TrimSpace(p.Name) == "" {
		return errors.New("姓名不能为空")
	}
	if err := p.CheckLimits(); err != nil {
		return err
	}
	if err := checkLogin(p.Login); err != nil {
		return err
	}
	if !p.Clearance.Valid() {
		return errors.New("无效的涉密等级")
	}
	now := ts(tx.now)
	_, err := tx.exec(ctx, `INSERT INTO people (id, name, login, phone, clearance, sort, password_hash, must_change, password_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.Name, p.Login, p.Phone, int64(p.Clearance), p.Sort, passwordHash, b2i(mustChange), now, now, now)
	if isUnique(err) {
		return fmt.Errorf("账户名“%s”已存在: %w", p.Login, ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create person: %w", err)
	}
	return nil
}

func checkLogin(login string) error {
	if len(login) < 2 || len(login) > 64 {
		return errors.New("账户名长度应为 2 到 64 个字符")
	}
	for _, r := range login {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return errors.New("账户名只能包含小写字母、数字和 . _ -")
		}
	}
	return nil
}

// UpdatePerson changes a person's name, phone and sort order (not the login,
// and not the clearance, which only the security officer sets).
func (tx *Tx) UpdatePerson(ctx context.Context, p org.Person) error {
	if strings.TrimSpace(p.Name) == "" {
		return errors.New("姓名不能为空")
	}
	if err := p.CheckLimits(); err != nil {
		return err
	}
	res, err := tx.exec(ctx, `UPDATE people SET name = ?, phone = ?, sort = ?, updated_at = ? WHERE id = ?`, p.Name, p.Phone, p.Sort, ts(tx.now), p.ID)
	if err != nil {
		return fmt.Errorf("update person: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("person %s: %w", p.ID, ErrNotFound)
	}
	return nil
}

// SetClearance sets a person's clearance level.
func (tx *Tx) SetClearance(ctx context.Context, personID string, level org.Classification) error {
	if !level.Valid() {
		return errors.New("无效的涉密等级")
	}
	res, err := tx.exec(ctx, `UPDATE people SET clearance = ?, updated_at = ? WHERE id = ?`, int64(level), ts(tx.now), personID)
	if err != nil {
		return fmt.Errorf("set clearance: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("person %s: %w", personID, ErrNotFound)
	}
	return nil
}

// Positions returns a person's positions, primary first.
func (c conn) Positions(ctx context.Context, personID string) ([]org.Position, error) {
	return c.positions(ctx, `WHERE person_id = ? ORDER BY is_primary DESC, sort`, personID)
}

// UnitPositions returns the positions held in a unit.
func (c conn) UnitPositions(ctx context.Context, unitID string) ([]org.Position, error) {
	return c.positions(ctx, `WHERE unit_id = ? ORDER BY sort`, unitID)
}

// AllPositions returns every position (for building caches and the demo check).
func (c conn) AllPositions(ctx context.Context) ([]org.Position, error) {
	return c.positions(ctx, `ORDER BY person_id, is_primary DESC, sort`)
}

func (c conn) positions(ctx context.Context, tail string, args ...any) ([]org.Position, error) {
	return queryAll(ctx, c, func(rows scanner) (org.Position, error) {
		var p org.Position
		var primary, head int64
		if err := rows.Scan(&p.ID, &p.PersonID, &p.UnitID, &p.Title, &primary, &head, &p.Sort); err != nil {
			return p, err
		}
		p.Primary, p.Head = primary == 1, head == 1
		return p, nil
	}, `SELECT id, person_id, unit_id, title, is_primary, is_head, sort FROM positions `+tail, args...)
}

// SetPositions replaces a person's positions.
func (tx *Tx) SetPositions(ctx context.Context, personID string, ps []org.Position) error {
	if err := tx.orgChanged(ctx); err != nil {
		return err
	}
	if err := org.CheckPositions(ps); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM positions WHERE person_id = ?`, personID); err != nil {
		return err
	}
	for _, p := range ps {
		if _, err := tx.exec(ctx, `INSERT INTO positions (id, person_id, unit_id, title, is_primary, is_head, sort) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			p.ID, personID, p.UnitID, p.Title, b2i(p.Primary), b2i(p.Head), p.Sort); err != nil {
			return fmt.Errorf("save position: %w", err)
		}
	}
	return nil
}

// Roles returns a person's role assignments.
func (c conn) Roles(ctx context.Context, personID string) ([]org.RoleAssignment, error) {
	return queryAll(ctx, c, func(rows scanner) (org.RoleAssignment, error) {
		var a org.RoleAssignment
		var role string
		if err := rows.Scan(&a.PersonID, &role, &a.UnitID); err != nil {
			return a, err
		}
		a.Role = org.Role(role)
		return a, nil
	}, `SELECT person_id, role, unit_id FROM role_assignments WHERE person_id = ? ORDER BY role, unit_id`, personID)
}

// PeopleWithRole lists the IDs of people holding a role (in any unit).
func (c conn) PeopleWithRole(ctx context.Context, r org.Role) ([]string, error) {
	return c.queryStrings(ctx, `SELECT DISTINCT person_id FROM role_assignments WHERE role = ?`, string(r))
}

// SetRoles replaces a person's roles after checking them as a whole, so the
// separation of the three administrators holds whatever the order of edits.
func (tx *Tx) SetRoles(ctx context.Context, personID string, as []org.RoleAssignment) error {
	if err := tx.orgChanged(ctx); err != nil {
		return err
	}
	for i := range as {
		as[i].PersonID = personID
	}
	if err := org.CheckRoles(as); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM role_assignments WHERE person_id = ?`, personID); err != nil {
		return err
	}
	for _, a := range as {
		if _, err := tx.exec(ctx, `INSERT INTO role_assignments (person_id, role, unit_id) VALUES (?, ?, ?)`, personID, string(a.Role), a.UnitID); err != nil {
			return fmt.Errorf("save role: %w", err)
		}
	}
	return nil
}

// Oversight lists all 分管 relations.
func (c conn) Oversight(ctx context.Context) ([]org.Oversight, error) {
	return queryAll(ctx, c, func(rows scanner) (org.Oversight, error) {
		var o org.Oversight
		if err := rows.Scan(&o.LeaderID, &o.UnitID); err != nil {
			return o, err
		}
		return o, nil
	}, `SELECT leader_id, unit_id FROM oversight ORDER BY leader_id, unit_id`)
}

// SetOversight replaces the units a leader oversees.
func (tx *Tx) SetOversight(ctx context.Context, leaderID string, unitIDs []string) error {
	if err := tx.orgChanged(ctx); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM oversight WHERE leader_id = ?`, leaderID); err != nil {
		return err
	}
	for _, u := range unitIDs {
		if _, err := tx.exec(ctx, `INSERT INTO oversight (leader_id, unit_id) VALUES (?, ?)`, leaderID, u); err != nil {
			return fmt.Errorf("save oversight: %w", err)
		}
	}
	return nil
}

// Delegations lists delegations to or from a person ("" for all).
func (c conn) Delegations(ctx context.Context, personID string) ([]org.Delegation, error) {
	q := `SELECT id, from_id, to_id, starts_at, ends_at, reason FROM delegations`
	var args []any
	if personID != "" {
		q += ` WHERE from_id = ? OR to_id = ?`
		args = append(args, personID, personID)
	}
	return queryAll(ctx, c, func(rows scanner) (org.Delegation, error) {
		var d org.Delegation
		var s, e int64
		if err := rows.Scan(&d.ID, &d.FromID, &d.ToID, &s, &e, &d.Reason); err != nil {
			return d, err
		}
		d.Start, d.End = fromTS(s), fromTS(e)
		return d, nil
	}, q+` ORDER BY starts_at DESC`, args...)
}

// AddDelegation records a delegation.
func (tx *Tx) AddDelegation(ctx context.Context, d org.Delegation) error {
	if err := d.Validate(); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO delegations (id, from_id, to_id, starts_at, ends_at, reason) VALUES (?, ?, ?, ?, ?, ?)`,
		d.ID, d.FromID, d.ToID, ts(d.Start), ts(d.End), d.Reason)
	if err != nil {
		return fmt.Errorf("save delegation: %w", err)
	}
	return nil
}

// EndDelegation ends a delegation of fromID at t (if it has not ended already).
func (tx *Tx) EndDelegation(ctx context.Context, id, fromID string, t time.Time) error {
	res, err := tx.exec(ctx, `UPDATE delegations SET ends_at = ? WHERE id = ? AND from_id = ? AND ends_at > ?`, ts(t), id, fromID, ts(t))
	if err != nil {
		return fmt.Errorf("end delegation: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("delegation %s: %w", id, ErrNotFound)
	}
	return nil
}

// ServingOffice is the office unit that serves a person: the office of the
// organ their primary position belongs to (a leader of 区政府 is served by
// 政府办; a bureau's people by the bureau itself, whose 办公室 is a section).
// "" when the person holds no position.
func (c conn) ServingOffice(ctx context.Context, personID string) (string, error) {
	ps, err := c.Positions(ctx, personID)
	if err != nil {
		return "", err
	}
	unit := ""
	for _, p := range ps {
		if p.Primary || unit == "" {
			unit = p.UnitID
		}
	}
	if unit == "" {
		return "", nil
	}
	units, err := c.unitMap(ctx)
	if err != nil {
		return "", err
	}
	return officeOf(units, organOf(units, unit)), nil
}
