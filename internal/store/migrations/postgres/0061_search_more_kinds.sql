-- Search (检索) of 值班日志, 用印/用车 requests and 学习计划: their entries go
-- into search_entries with their facts and readers like the other kinds
-- (0046). Nothing changes in the schema; Migrate indexes what is already
-- stored after applying this (store.searchMoreKindsMigration).
SELECT 1;
