-- The audit chain is keyed (issue 11): each entry records the algorithm and the
-- key (by its ID, never the key) its hash was made with. Entries already stored
-- keep alg '' (the unkeyed SHA-256 chain); the store seals them at its next start
-- with a keyed entry whose link is their head (Store.Migrate, docs/security.md).
ALTER TABLE audit_log ADD COLUMN alg TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
-- No default from now on: a server still running the unkeyed code (several may
-- share this database) fails to append rather than append unkeyed entries after
-- keyed ones, which verification would rightly call a rewrite.
ALTER TABLE audit_log ALTER COLUMN alg DROP DEFAULT, ALTER COLUMN key_id DROP DEFAULT;
