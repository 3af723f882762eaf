-- The organisation's revision: a random token replaced by every write to
-- units, positions, roles or 分管. Servers cache the route principals they read
-- (who leads what, who holds which role) and trust them only while the token
-- is the one they were read under, so a change on any server is seen by all.
CREATE TABLE org_rev (
	id  INTEGER PRIMARY KEY CHECK (id = 1),
	rev TEXT NOT NULL
);
INSERT INTO org_rev (id, rev) VALUES (1, 'initial');
