-- Route templates a unit's office has adjusted; units without a row use the
-- defaults of the 条例 (route.Outgoing, route.Incoming). Running instances
-- keep the copy they started with.
CREATE TABLE route_templates (
	organ_id   TEXT NOT NULL REFERENCES units(id),
	kind       TEXT NOT NULL,
	template   TEXT NOT NULL, -- route.Template as JSON
	updated_by TEXT NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (organ_id, kind)
);
