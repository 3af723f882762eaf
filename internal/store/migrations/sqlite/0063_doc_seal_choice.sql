-- 加盖印章: the registered electronic seals an outgoing document is to carry
-- when it is issued, chosen by its drafter or its signer before 印发. One row
-- a document once chosen; seal_ids is the chosen seals' IDs, comma-separated
-- in the order of the 署名, and '' means 不加盖印章. A document without a row
-- is sealed as before the choice existed (the 署名 organs' seals in force).
CREATE TABLE doc_seal_choice (
	doc_id     TEXT PRIMARY KEY REFERENCES documents(id),
	seal_ids   TEXT NOT NULL DEFAULT '',
	chosen_by  TEXT NOT NULL,
	chosen_at  INTEGER NOT NULL
);
