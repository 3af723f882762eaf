-- A physical seal's electronic counterpart (电子印章), set by the security
-- officer: an approved 用印 request naming a document may press it on the
-- document's issued text. '' when the seal has none.
ALTER TABLE req_seals ADD COLUMN eseal_id TEXT NOT NULL DEFAULT '';
