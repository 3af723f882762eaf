-- 督办编号 (督字〔2026〕5号) and the leader who instructed the item, as columns
-- for lists: the number is shown and searched beside the title, and a leader's
-- lists hold the items they instructed. Items registered before this keep no
-- number; their instructor is read from their content.
ALTER TABLE sup_items ADD COLUMN number TEXT NOT NULL DEFAULT '';
ALTER TABLE sup_items ADD COLUMN instructor TEXT NOT NULL DEFAULT '';
CREATE INDEX sup_items_instructor ON sup_items(instructor, updated_at) WHERE instructor <> '';
UPDATE sup_items SET instructor = COALESCE((SELECT json_extract(c.content, '$.instructor') FROM sup_item_content c WHERE c.id = sup_items.id), '');
