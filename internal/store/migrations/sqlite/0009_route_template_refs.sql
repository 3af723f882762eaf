-- Route templates by content: a route instance refers to the template it
-- started with (by the SHA-256 of its JSON) instead of carrying a copy, so its
-- state stays small. Rows are never changed or deleted; instances written
-- before this keep their embedded copy and stay readable.
CREATE TABLE route_template_versions (
	ref        TEXT PRIMARY KEY, -- hex SHA-256 of template
	template   TEXT NOT NULL,    -- route.Template as JSON
	created_at INTEGER NOT NULL
);
