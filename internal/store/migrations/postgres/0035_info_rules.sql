-- The deployment's scoring rules for information (信息积分), versioned: a
-- period is scored by the version in force on each event's date.
CREATE TABLE info_rules (
	version    BIGINT PRIMARY KEY,
	from_at    BIGINT NOT NULL,
	created_by TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	content    TEXT NOT NULL
);
