-- Requests (办事): 用印 and 用车. The physical seals, vehicles and drivers an
-- office keeps; each request as JSON (request.Request, its route inside) plus
-- the columns that lists, the 用印登记簿, the conflict checks and the monthly
-- statistics read; and the request routes' open tasks for 待我办理.
CREATE TABLE req_seals (
	id         TEXT PRIMARY KEY,
	unit_id    TEXT NOT NULL REFERENCES units(id), -- the office keeping it
	name       TEXT NOT NULL,
	kind       TEXT NOT NULL,
	keeper_id  TEXT NOT NULL DEFAULT '',
	active     INTEGER NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX req_seals_name ON req_seals(unit_id, name);

CREATE TABLE req_vehicles (
	id         TEXT PRIMARY KEY,
	unit_id    TEXT NOT NULL REFERENCES units(id), -- the office dispatching it
	plate      TEXT NOT NULL,
	model      TEXT NOT NULL DEFAULT '',
	seats      INTEGER NOT NULL,
	odometer   INTEGER NOT NULL DEFAULT 0, -- km at its last return
	active     INTEGER NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX req_vehicles_plate ON req_vehicles(plate);

CREATE TABLE req_drivers (
	id         TEXT PRIMARY KEY,
	unit_id    TEXT NOT NULL REFERENCES units(id),
	name       TEXT NOT NULL,
	phone      TEXT NOT NULL DEFAULT '',
	active     INTEGER NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL
);

CREATE TABLE requests (
	id         TEXT PRIMARY KEY,
	kind       TEXT NOT NULL,             -- seal_use | car_use
	unit_id    TEXT NOT NULL,             -- requesting unit
	office_id  TEXT NOT NULL,             -- the office keeping the seal / the cars
	requester  TEXT NOT NULL,
	status     TEXT NOT NULL,
	step       TEXT NOT NULL DEFAULT '',  -- current step's name, for lists
	title      TEXT NOT NULL,
	seal_id    TEXT NOT NULL DEFAULT '',
	used_at    BIGINT NOT NULL DEFAULT 0, -- 用印: when the seal was applied
	vehicle_id TEXT NOT NULL DEFAULT '',  -- 用车: set at 派车
	driver_id  TEXT NOT NULL DEFAULT '',
	start_at   BIGINT NOT NULL DEFAULT 0,
	end_at     BIGINT NOT NULL DEFAULT 0,
	seq        BIGINT NOT NULL,          -- the route's last event: optimistic concurrency
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	closed_at  BIGINT NOT NULL DEFAULT 0,
	content    TEXT NOT NULL
);
CREATE INDEX requests_office ON requests(office_id, kind, created_at);
CREATE INDEX requests_requester ON requests(requester, created_at);
CREATE INDEX requests_start ON requests(office_id, kind, start_at);
CREATE INDEX requests_vehicle ON requests(vehicle_id, start_at) WHERE vehicle_id <> '';
CREATE INDEX requests_driver ON requests(driver_id, start_at) WHERE driver_id <> '';
CREATE INDEX requests_used ON requests(office_id, used_at) WHERE used_at > 0;

CREATE TABLE request_tasks (
	request_id TEXT NOT NULL REFERENCES requests(id),
	task_id    INTEGER NOT NULL,
	kind       TEXT NOT NULL, -- route.AssigneeKind
	person     TEXT NOT NULL DEFAULT '',
	role       TEXT NOT NULL DEFAULT '',
	unit       TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (request_id, task_id)
);
CREATE INDEX request_tasks_person ON request_tasks(person);
CREATE INDEX request_tasks_assignee ON request_tasks(unit, kind, role);
