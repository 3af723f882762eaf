-- Search (检索) of 会议材料 (an entry per 议题 with material, with the text of
-- its newest version in a non-classified meeting) and 培训 sessions, and the
-- text of progress reports' and information reports' attachments: entries
-- in search_entries with their facts and readers like the other kinds
-- (0046). Nothing changes in the schema; Migrate indexes what is already
-- stored after applying this (store.searchMaterialsMigration).
SELECT 1;
