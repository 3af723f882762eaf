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
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/request"
	"github.com/shuniu-oa/shuniu/internal/route"
)

// ReqRules are the request rules with the calendar in force.
func (s *Store) ReqRules() request.Rules { return request.Rules{Calendar: s.Calendar()} }

// ---- the office's pool: seals, vehicles, drivers ----

const reqSealCols = `id, unit_id, name, kind, keeper_id, active, eseal_id`

func scanReqSeal(r scanner) (request.Seal, error) {
	var x request.Seal
	var kind string
	var active int64
	err := r.Scan(&x.ID, &x.UnitID, &x.Name, &kind, &x.KeeperID, &active, &x.ESealID)
	x.Kind, x.Active = request.SealKind(kind), active != 0
	return x, err
}

// ReqSeals lists the seals an office keeps (every office's when officeID is
// ""), active ones first, by name.
func (c conn) ReqSeals(ctx context.Context, officeID string) ([]request.Seal, error) {
	q, args := `SELECT `+reqSealCols+` FROM req_seals`, []any{}
	if officeID != "" {
		q, args = q+` WHERE unit_id = ?`, append(args, officeID)
	}
	return queryAll(ctx, c, scanReqSeal, q+` ORDER BY active DESC, unit_id, name`, args...)
}

// ReqSeal returns one seal.
func (c conn) ReqSeal(ctx context.Context, id string) (request.Seal, error) {
	x, err := scanReqSeal(c.queryRow(ctx, `SELECT `+reqSealCols+` FROM req_seals WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return x, fmt.Errorf("印章 %s: %w", id, ErrNotFound)
	}
	return x, err
}

const reqVehicleCols = `id, unit_id, plate, model, seats, odometer, active`

func scanReqVehicle(r scanner) (request.Vehicle, error) {
	var x request.Vehicle
	var active int64
	err := r.Scan(&x.ID, &x.UnitID, &x.Plate, &x.Model, &x.Seats, &x.Odometer, &active)
	x.Active = active != 0
	return x, err
}

// ReqVehicles lists an office's vehicles (every office's when officeID is "").
func (c conn) ReqVehicles(ctx context.Context, officeID string) ([]request.Vehicle, error) {
	q, args := `SELECT `+reqVehicleCols+` FROM req_vehicles`, []any{}
	if officeID != "" {
		q, args = q+` WHERE unit_id = ?`, append(args, officeID)
	}
	return queryAll(ctx, c, scanReqVehicle, q+` ORDER BY active DESC, unit_id, plate`, args...)
}

// ReqVehicle returns one vehicle; lock (PostgreSQL) holds its row to the
// end of the transaction, so that dispatches of one vehicle take turns.
func (c conn) reqVehicle(ctx context.Context, id string, lock bool) (request.Vehicle, error) {
	q := `SELECT ` + reqVehicleCols + ` FROM req_vehicles WHERE id = ?`
	if lock && c.d == Postgres {
		q += ` FOR UPDATE`
	}
	x, err := scanReqVehicle(c.queryRow(ctx, q, id))
	if errors.Is(err, sql.ErrNoRows) {
		return x, &request.Refusal{Msg: "所选车辆不存在"}
	}
	return x, err
}

// ReqVehicle returns one vehicle.
func (c conn) ReqVehicle(ctx context.Context, id string) (request.Vehicle, error) {
	return c.reqVehicle(ctx, id, false)
}

const reqDriverCols = `id, unit_id, name, phone, active`

func scanReqDriver(r scanner) (request.Driver, error) {
	var x request.Driver
	var active int64
	err := r.Scan(&x.ID, &x.UnitID, &x.Name, &x.Phone, &active)
	x.Active = active != 0
	return x, err
}

// ReqDrivers lists an office's drivers (every office's when officeID is "").
func (c conn) ReqDrivers(ctx context.Context, officeID string) ([]request.Driver, error) {
	q, args := `SELECT `+reqDriverCols+` FROM req_drivers`, []any{}
	if officeID != "" {
		q, args = q+` WHERE unit_id = ?`, append(args, officeID)
	}
	return queryAll(ctx, c, scanReqDriver, q+` ORDER BY active DESC, unit_id, name`, args...)
}

func (c conn) reqDriver(ctx context.Context, id string, lock bool) (request.Driver, error) {
	q := `SELECT ` + reqDriverCols + ` FROM req_drivers WHERE id = ?`
	if lock && c.d == Postgres {
		q += ` FOR UPDATE`
	}
	x, err := scanReqDriver(c.queryRow(ctx, q, id))
	if errors.Is(err, sql.ErrNoRows) {
		return x, &request.Refusal{Msg: "所选驾驶员不存在"}
	}
	return x, err
}

// ReqDriver returns one driver.
func (c conn) ReqDriver(ctx context.Context, id string) (request.Driver, error) {
	return c.reqDriver(ctx, id, false)
}

// PutReqSeal registers or changes a seal of an office (by its ID).
func (tx *Tx) PutReqSeal(ctx context.Context, by org.Person, x request.Seal) error {
	x.Name = strings.TrimSpace(x.Name)
	switch {
	case x.ID == "" || x.UnitID == "":
		return &request.Refusal{Msg: "印章缺少标识或所属办公室"}
	case x.Name == "":
		return &request.Refusal{Msg: "请填写印章名称（印文）"}
	case len([]rune(x.Name)) > request.MaxName:
		return &request.Refusal{Msg: fmt.Sprintf("印章名称不能超过 %d 字", request.MaxName)}
	case !x.Kind.Valid():
		return &request.Refusal{Msg: "请选择印章类别"}
	}
	res, err := tx.exec(ctx, `UPDATE req_seals SET name = ?, kind = ?, keeper_id = ?, active = ? WHERE id = ? AND unit_id = ?`,
		x.Name, string(x.Kind), x.KeeperID, b2i(x.Active), x.ID, x.UnitID)
	if err == nil {
		if n, _ := res.RowsAffected(); n == 0 {
			_, err = tx.exec(ctx, `INSERT INTO req_seals (id, unit_id, name, kind, keeper_id, active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				x.ID, x.UnitID, x.Name, string(x.Kind), x.KeeperID, b2i(x.Active), ts(tx.now))
		}
	}
	if isUnique(err) {
		return &request.Refusal{Msg: fmt.Sprintf("本办公室已登记名为“%s”的印章", x.Name)}
	}
	if err != nil {
		return fmt.Errorf("save seal: %w", err)
	}
	return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "request.seal.put", ObjectKind: "req_seal", ObjectID: x.ID, Detail: jsonString(x)})
}

// PutReqVehicle registers or changes a vehicle of an office.
func (tx *Tx) PutReqVehicle(ctx context.Context, by org.Person, x request.Vehicle) error {
	x.Plate, x.Model = strings.TrimSpace(x.Plate), strings.TrimSpace(x.Model)
	switch {
	case x.ID == "" || x.UnitID == "":
		return &request.Refusal{Msg: "车辆缺少标识或所属办公室"}
	case x.Plate == "" || len([]rune(x.Plate)) > 12:
		return &request.Refusal{Msg: "请填写车辆号牌（不超过 12 字）"}
	case len([]rune(x.Model)) > request.MaxName:
		return &request.Refusal{Msg: fmt.Sprintf("车型不能超过 %d 字", request.MaxName)}
	case x.Seats < 2 || x.Seats > 60:
		return &request.Refusal{Msg: "座位数须在 2 至 60 之间"}
	case x.Odometer < 0 || x.Odometer > request.MaxOdometer:
		return &request.Refusal{Msg: "里程表读数无效"}
	}
	res, err := tx.exec(ctx, `UPDATE req_vehicles SET plate = ?, model = ?, seats = ?, active = ? WHERE id = ? AND unit_id = ?`,
		x.Plate, x.Model, x.Seats, b2i(x.Active), x.ID, x.UnitID)
	if err == nil {
		if n, _ := res.RowsAffected(); n == 0 {
			_, err = tx.exec(ctx, `INSERT INTO req_vehicles (id, unit_id, plate, model, seats, odometer, active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				x.ID, x.UnitID, x.Plate, x.Model, x.Seats, x.Odometer, b2i(x.Active), ts(tx.now))
		}
	}
	if isUnique(err) {
		return &request.Refusal{Msg: fmt.Sprintf("号牌为 %s 的车辆已登记", x.Plate)}
	}
	if err != nil {
		return fmt.Errorf("save vehicle: %w", err)
	}
	return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "request.vehicle.put", ObjectKind: "req_vehicle", ObjectID: x.ID, Detail: jsonString(x)})
}

// PutReqDriver registers or changes a driver of an office.
func (tx *Tx) PutReqDriver(ctx context.Context, by org.Person, x request.Driver) error {
	x.Name, x.Phone = strings.TrimSpace(x.Name), strings.TrimSpace(x.Phone)
	switch {
	case x.ID == "" || x.UnitID == "":
		return &request.Refusal{Msg: "驾驶员缺少标识或所属办公室"}
	case x.Name == "" || len([]rune(x.Name)) > 20:
		return &request.Refusal{Msg: "请填写驾驶员姓名（不超过 20 字）"}
	case len(x.Phone) > 20:
		return &request.Refusal{Msg: "电话不能超过 20 位"}
	}
	res, err := tx.exec(ctx, `UPDATE req_drivers SET name = ?, phone = ?, active = ? WHERE id = ? AND unit_id = ?`,
		x.Name, x.Phone, b2i(x.Active), x.ID, x.UnitID)
	if err == nil {
		if n, _ := res.RowsAffected(); n == 0 {
			_, err = tx.exec(ctx, `INSERT INTO req_drivers (id, unit_id, name, phone, active, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
				x.ID, x.UnitID, x.Name, x.Phone, b2i(x.Active), ts(tx.now))
		}
	}
	if err != nil {
		return fmt.Errorf("save driver: %w", err)
	}
	return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "request.driver.put", ObjectKind: "req_driver", ObjectID: x.ID, Detail: jsonString(x)})
}

// ---- requests ----

// Request returns one request.
func (c conn) Request(ctx context.Context, id string) (request.Request, error) {
	return c.request(ctx, id, false)
}

func (c conn) request(ctx context.Context, id string, lock bool) (request.Request, error) {
	q := `SELECT content FROM requests WHERE id = ?`
	if lock && c.d == Postgres {
		q += ` FOR UPDATE`
	}
	var raw string
	err := c.queryRow(ctx, q, id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return request.Request{}, fmt.Errorf("申请 %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return request.Request{}, err
	}
	var r request.Request
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		return r, fmt.Errorf("decode request %s: %w", id, err)
	}
	return r, nil
}

// ReqFilter selects requests. Empty fields do not filter.
type ReqFilter struct {
	Kind      request.Kind
	OfficeID  string
	Requester string
	// Todo: only those with an open task the actor holds (待我办理).
	Todo *route.Actor
	// Open: not yet done or cancelled.
	Open bool
	// From, To: the trip starts (用车) or the seal was used (用印) in [From, To).
	From, To time.Time
	Limit    int
}

// reqWhere is the filter's WHERE clause (with its arguments) over requests r.
func reqWhere(f ReqFilter) (string, []any) {
	var where []string
	var args []any
	if f.Kind != "" {
		where, args = append(where, `r.kind = ?`), append(args, string(f.Kind))
	}
	if f.OfficeID != "" {
		where, args = append(where, `r.office_id = ?`), append(args, f.OfficeID)
	}
	if f.Requester != "" {
		where, args = append(where, `r.requester = ?`), append(args, f.Requester)
	}
	if f.Open {
		where = append(where, `r.status NOT IN ('done', 'cancelled')`)
	}
	if !f.From.IsZero() {
		where, args = append(where, `(CASE WHEN r.kind = 'car_use' THEN r.start_at ELSE r.used_at END) >= ?`), append(args, ts(f.From))
	}
	if !f.To.IsZero() {
		where, args = append(where, `(CASE WHEN r.kind = 'car_use' THEN r.start_at ELSE r.used_at END) < ?`), append(args, ts(f.To))
	}
	if f.Todo != nil {
		var ors []string
		for _, g := range taskGroups(*f.Todo) {
			ors, args = append(ors, `(`+g.where+`)`), append(args, g.args...)
		}
		where = append(where, `r.status <> 'cancelled' AND r.id IN (SELECT t.request_id FROM request_tasks t WHERE `+strings.Join(ors, ` OR `)+`)`)
	}
	if len(where) == 0 {
		return "", nil
	}
	return ` WHERE ` + strings.Join(where, ` AND `), args
}

// Requests lists requests, newest first.
func (c conn) Requests(ctx context.Context, f ReqFilter) ([]request.Request, error) {
	where, args := reqWhere(f)
	q := `SELECT r.content FROM requests r` + where + ` ORDER BY r.created_at DESC, r.id`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	return queryJSON[request.Request](ctx, c, q, args...)
}

// CountRequests counts the requests the filter selects.
func (c conn) CountRequests(ctx context.Context, f ReqFilter) (int, error) {
	where, args := reqWhere(f)
	var n int
	if err := c.queryRow(ctx, `SELECT COUNT(*) FROM requests r`+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count requests: %w", err)
	}
	return n, nil
}

// putRequest writes a request, its columns and its open tasks. prevSeq < 0
// inserts; otherwise the row must still be at prevSeq (ErrStale if another
// operation came first).
func (tx *Tx) putRequest(ctx context.Context, r request.Request, prevSeq int) error {
	raw, err := json.Marshal(r)
	if err != nil {
		return err
	}
	var sealID, vehicleID, driverID string
	var usedAt, startAt, endAt int64
	if r.Seal != nil {
		sealID, usedAt = r.Seal.SealID, ts(r.Seal.UsedAt)
	}
	if r.Car != nil {
		vehicleID, driverID, startAt, endAt = r.Car.VehicleID, r.Car.DriverID, ts(r.Car.Start), ts(r.Car.End)
	}
	if r.Status == request.Cancelled {
		vehicleID, driverID = "", "" // a cancelled request holds nothing
	}
	if prevSeq < 0 {
		_, err = tx.exec(ctx, `INSERT INTO requests (id, kind, unit_id, office_id, requester, status, step, title, seal_id, used_at, vehicle_id, driver_id,
			start_at, end_at, seq, created_at, updated_at, closed_at, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, string(r.Kind), r.UnitID, r.OfficeID, r.Requester, string(r.Status), r.StepName(), r.Title(), sealID, usedAt, vehicleID, driverID,
			startAt, endAt, r.Route.Seq, ts(r.CreatedAt), ts(r.UpdatedAt), ts(r.ClosedAt), string(raw))
		if err != nil {
			return fmt.Errorf("save request: %w", err)
		}
	} else {
		res, err := tx.exec(ctx, `UPDATE requests SET status = ?, step = ?, title = ?, used_at = ?, vehicle_id = ?, driver_id = ?, seq = ?,
			updated_at = ?, closed_at = ?, content = ? WHERE id = ? AND seq = ?`,
			string(r.Status), r.StepName(), r.Title(), usedAt, vehicleID, driverID, r.Route.Seq, ts(r.UpdatedAt), ts(r.ClosedAt), string(raw), r.ID, prevSeq)
		if err != nil {
			return fmt.Errorf("save request: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrStale
		}
		if _, err := tx.exec(ctx, `DELETE FROM request_tasks WHERE request_id = ?`, r.ID); err != nil {
			return fmt.Errorf("index request tasks: %w", err)
		}
	}
	if err := tx.indexRequest(ctx, r); err != nil {
		return err
	}
	if r.Status == request.Cancelled {
		return nil
	}
	for _, t := range r.Route.OpenTasks() {
		a := t.Assignee
		if _, err := tx.exec(ctx, `INSERT INTO request_tasks (request_id, task_id, kind, person, role, unit) VALUES (?, ?, ?, ?, ?, ?)`,
			r.ID, t.ID, string(a.Kind), a.Person, a.Role, a.Unit); err != nil {
			return fmt.Errorf("index request task: %w", err)
		}
	}
	return nil
}

// CreateRequest registers and submits a request on the route its office
// uses for the kind, telling the first approver, in one transaction.
func (s *Store) CreateRequest(ctx context.Context, by org.Person, n request.New) (request.Request, error) {
	var r request.Request
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		r, err = tx.CreateRequest(ctx, by, n)
		return err
	})
	return r, err
}

// CreateRequest is Store.CreateRequest inside a transaction.
func (tx *Tx) CreateRequest(ctx context.Context, by org.Person, n request.New) (request.Request, error) {
	actor, err := tx.Actor(ctx, by.ID, tx.now)
	if err != nil {
		return request.Request{}, err
	}
	var seal *request.Seal
	if n.Kind == request.SealUse && n.Seal != nil && n.Seal.SealID != "" {
		x, err := tx.ReqSeal(ctx, n.Seal.SealID)
		if errors.Is(err, ErrNotFound) {
			return request.Request{}, &request.Refusal{Msg: "所选印章不存在"}
		}
		if err != nil {
			return request.Request{}, err
		}
		seal, n.OfficeID = &x, x.UnitID
	}
	if n.OfficeID == "" {
		return request.Request{}, &request.Refusal{Msg: "未确定办理的办公室"}
	}
	t, _, err := tx.RouteTemplate(ctx, n.OfficeID, string(n.Kind))
	if err != nil {
		return request.Request{}, err
	}
	r, evs, err := tx.s.ReqRules().Create(t, n, seal, actor, tx.now)
	if err != nil {
		return request.Request{}, err
	}
	if err := tx.putRequest(ctx, r, -1); err != nil {
		return r, err
	}
	if err := tx.tellRequest(ctx, r, evs); err != nil {
		return r, err
	}
	return r, tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "request.create", ObjectKind: "request", ObjectID: r.ID,
		Detail: jsonString(map[string]any{"kind": r.Kind, "unit": r.UnitID, "office": r.OfficeID})})
}

// ReqOp is one request operation of the pure package, given the request
// as it stands in the transaction.
type ReqOp func(ctx context.Context, tx *Tx, r request.Request, a route.Actor) (request.Request, []route.Event, error)

// ReqAct applies an operation to a request with its audit entry, in one
// transaction; action names it in the audit trail.
func (s *Store) ReqAct(ctx context.Context, by org.Person, id, action string, detail any, op ReqOp) (request.Request, error) {
	var r request.Request
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		r, err = tx.ReqAct(ctx, by, id, action, detail, op)
		return err
	})
	return r, err
}

// ReqAct is Store.ReqAct inside a transaction.
func (tx *Tx) ReqAct(ctx context.Context, by org.Person, id, action string, detail any, op ReqOp) (request.Request, error) {
	cur, err := tx.request(ctx, id, true)
	if err != nil {
		return cur, err
	}
	actor, err := tx.Actor(ctx, by.ID, tx.now)
	if err != nil {
		return cur, err
	}
	r, evs, err := op(ctx, tx, cur, actor)
	if err != nil {
		return cur, err
	}
	if err := tx.putRequest(ctx, r, cur.Route.Seq); err != nil {
		return r, err
	}
	if err := tx.tellRequest(ctx, r, evs); err != nil {
		return r, err
	}
	return r, tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "request." + action, ObjectKind: "request", ObjectID: id,
		Detail: jsonString(detail)})
}

// ReqRoute is a route operation (同意, 退回, 催办, 签收, 撤回).
func ReqRoute(op route.Request) ReqOp {
	return func(ctx context.Context, tx *Tx, r request.Request, a route.Actor) (request.Request, []route.Event, error) {
		return tx.s.ReqRules().Act(r, a, op, tx.now)
	}
}

// ReqStamp is the keeper's 用印 of usedCopies copies.
func ReqStamp(usedCopies int, comment string) ReqOp {
	return func(ctx context.Context, tx *Tx, r request.Request, a route.Actor) (request.Request, []route.Event, error) {
		return tx.s.ReqRules().Stamp(r, a, usedCopies, comment, tx.now)
	}
}

// ReqCancel is the requester's 撤销.
func ReqCancel() ReqOp {
	return func(ctx context.Context, tx *Tx, r request.Request, a route.Actor) (request.Request, []route.Event, error) {
		out, err := tx.s.ReqRules().Cancel(r, a, tx.now)
		return out, nil, err
	}
}

// ReqDispatch is 派车: the vehicle's row, then the driver's, are locked
// (PostgreSQL; SQLite has one writer) so that two dispatchers of one car
// take turns, and the second sees the first's booking and is refused with
// the conflict named.
func ReqDispatch(vehicleID, driverID string) ReqOp {
	return func(ctx context.Context, tx *Tx, r request.Request, a route.Actor) (request.Request, []route.Event, error) {
		if r.Car == nil {
			return r, nil, &request.Refusal{Msg: "这不是用车申请"}
		}
		if vehicleID == "" || driverID == "" {
			return r, nil, &request.Refusal{Msg: "请选择车辆和驾驶员"}
		}
		v, err := tx.reqVehicle(ctx, vehicleID, true)
		if err != nil {
			return r, nil, err
		}
		d, err := tx.reqDriver(ctx, driverID, true)
		if err != nil {
			return r, nil, err
		}
		others, err := tx.bookings(ctx, vehicleID, driverID, r.Car.Start, r.Car.End)
		if err != nil {
			return r, nil, err
		}
		names, err := tx.reqNamer(ctx)
		if err != nil {
			return r, nil, err
		}
		return tx.s.ReqRules().Dispatch(r, a, v, d, others, names, tx.now)
	}
}

// ReqReturn is 还车登记 with the odometer readings; the vehicle's odometer
// moves on to the return reading.
func ReqReturn(odoStart, odoEnd int) ReqOp {
	return func(ctx context.Context, tx *Tx, r request.Request, a route.Actor) (request.Request, []route.Event, error) {
		if r.Car == nil || r.Car.VehicleID == "" {
			return r, nil, &request.Refusal{Msg: "该申请尚未派车"}
		}
		v, err := tx.reqVehicle(ctx, r.Car.VehicleID, true)
		if err != nil {
			return r, nil, err
		}
		out, evs, err := tx.s.ReqRules().Return(r, a, v, odoStart, odoEnd, tx.now)
		if err != nil {
			return r, nil, err
		}
		if _, err := tx.exec(ctx, `UPDATE req_vehicles SET odometer = ? WHERE id = ? AND odometer <= ?`, odoEnd, v.ID, odoEnd); err != nil {
			return r, nil, fmt.Errorf("vehicle odometer: %w", err)
		}
		return out, evs, nil
	}
}

// bookings are the dispatched, not cancelled requests holding the vehicle or
// the driver at a time overlapping [from, to).
func (c conn) bookings(ctx context.Context, vehicleID, driverID string, from, to time.Time) ([]request.Booking, error) {
	return queryAll(ctx, c, func(r scanner) (request.Booking, error) {
		var b request.Booking
		var start, end int64
		err := r.Scan(&b.RequestID, &b.VehicleID, &b.DriverID, &start, &end, &b.UnitID, &b.Where)
		b.Start, b.End, b.Where = fromTS(start), fromTS(end), strings.TrimPrefix(b.Where, "用车：")
		return b, err
	}, `SELECT id, vehicle_id, driver_id, start_at, end_at, unit_id, title FROM requests
		WHERE (vehicle_id = ? OR driver_id = ?) AND status <> 'cancelled' AND start_at < ? AND end_at > ?
		ORDER BY start_at, id`, vehicleID, driverID, ts(to), ts(from))
}

// SealRegister is an office's 用印登记簿: the seal uses recorded in
// [from, to) (any time when zero), in the order of use.
func (c conn) SealRegister(ctx context.Context, officeID string, from, to time.Time) ([]request.RegisterRow, error) {
	rs, err := c.Requests(ctx, ReqFilter{Kind: request.SealUse, OfficeID: officeID, From: from, To: to})
	if err != nil {
		return nil, err
	}
	return request.Register(rs), nil
}

// CarStats are an office's car use in a month, per requesting unit and per
// vehicle.
func (c conn) CarStats(ctx context.Context, officeID string, m request.Month) (request.CarStats, error) {
	rs, err := c.Requests(ctx, ReqFilter{Kind: request.CarUse, OfficeID: officeID, From: m.From, To: m.To})
	if err != nil {
		return request.CarStats{}, err
	}
	return request.CarMonth(rs, m), nil
}

// SealStats are an office's seal uses in a month per requesting unit.
func (c conn) SealStats(ctx context.Context, officeID string, m request.Month) ([]request.UnitSeals, error) {
	rs, err := c.Requests(ctx, ReqFilter{Kind: request.SealUse, OfficeID: officeID, From: m.From, To: m.To})
	if err != nil {
		return nil, err
	}
	return request.SealMonth(rs, m), nil
}
