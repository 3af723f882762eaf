-- The audit chain is keyed (issue 11): each entry records the algorithm and the
-- key (by its ID, never the key) its hash was made with. Entries already stored
-- keep alg '' (the unkeyed SHA-256 chain); the store seals them at its next start
-- with a keyed entry whose link is their head (Store.Migrate, docs/security.md).
ALTER TABLE audit_log ADD COLUMN alg TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
