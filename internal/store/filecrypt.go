package store

import (
	"context"
	"encoding/json"
	"fmt"
)

// Encryption at rest of the files of 秘密 and 机密 documents (blob.Reconcile
// does the work on disk): a document whose files may have to change form is
// queued in the transaction that makes it so, and the server converts them
// after the commit — right after, in the request that made the change, and
// again from the queue if that did not happen (a crash, a server without
// the master key at the time). Converting inside the transaction is not
// possible (the files are not in the database), and converting before it
// would leave a rolled-back lowering's files in clear.

// FileCryptJob is one queued document.
type FileCryptJob struct {
	DocID string
	Gen   int64
}

// queueFileCrypt queues a document's files for blob.Reconcile; a document
// already queued is queued again (its generation moves on), so a job that
// was reading it meanwhile does not take it off the queue.
func (tx *Tx) queueFileCrypt(ctx context.Context, docID string) error {
	if _, err := tx.exec(ctx, `INSERT INTO file_crypt_queue (doc_id, gen) VALUES (?, 1) ON CONFLICT (doc_id) DO UPDATE SET gen = file_crypt_queue.gen + 1`, docID); err != nil {
		return fmt.Errorf("queue files of %s for encryption: %w", docID, err)
	}
	return nil
}

// FileCryptQueue lists up to limit queued documents.
func (c conn) FileCryptQueue(ctx context.Context, limit int) ([]FileCryptJob, error) {
	return queryAll(ctx, c, func(r scanner) (FileCryptJob, error) {
		var j FileCryptJob
		return j, r.Scan(&j.DocID, &j.Gen)
	}, `SELECT doc_id, gen FROM file_crypt_queue ORDER BY doc_id LIMIT ?`, limit)
}

// FileCryptDone takes a document off the queue unless it was queued again
// since j was read.
func (s *Store) FileCryptDone(ctx context.Context, j FileCryptJob) error {
	return s.Write(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM file_crypt_queue WHERE doc_id = ? AND gen = ?`, j.DocID, j.Gen)
		return err
	})
}

// DocFileSums is every file address a document names: its recorded files
// (附件, scans, issued texts) and the attachments in its content and in each
// saved version.
func (c conn) DocFileSums(ctx context.Context, docID string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sums, err := c.queryStrings(ctx, `SELECT sha256 FROM doc_files WHERE doc_id = ?`, docID)
	if err != nil {
		return nil, fmt.Errorf("files of %s: %w", docID, err)
	}
	for _, s := range sums {
		add(s)
	}
	for _, q := range []string{`SELECT content FROM documents WHERE id = ?`, `SELECT content FROM doc_versions WHERE doc_id = ?`} {
		if err := c.eachStringArg(ctx, q, docID, func(raw string) error {
			var d struct {
				Attachments []struct {
					SHA256 string `json:"sha256"`
				} `json:"attachments"`
			}
			if err := json.Unmarshal([]byte(raw), &d); err != nil {
				return err
			}
			for _, a := range d.Attachments {
				add(a.SHA256)
			}
			return nil
		}); err != nil {
			return nil, fmt.Errorf("files of %s: %w", docID, err)
		}
	}
	return out, nil
}

// FileClassified reports whether a 秘密 or 机密 document names the file —
// then it is kept encrypted, whatever other documents name it too.
func (c conn) FileClassified(ctx context.Context, sum string) (bool, error) {
	like := "%" + sum + "%"
	n, err := c.queryStrings(ctx, `SELECT f.doc_id FROM doc_files f JOIN documents d ON d.id = f.doc_id WHERE f.sha256 = ? AND d.level > 0
		UNION ALL SELECT id FROM documents WHERE level > 0 AND content LIKE ?
		UNION ALL SELECT v.doc_id FROM doc_versions v JOIN documents d ON d.id = v.doc_id WHERE d.level > 0 AND v.content LIKE ?
		LIMIT 1`, sum, like, like)
	if err != nil {
		return false, fmt.Errorf("is %s classified: %w", sum, err)
	}
	return len(n) > 0, nil
}

func (c conn) eachStringArg(ctx context.Context, q string, arg any, f func(string) error) error {
	rows, err := c.query(ctx, q, arg)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		if err := f(s); err != nil {
			return err
		}
	}
	return rows.Err()
}

// FileCryptJobOf is the queued job of one document, if it is queued.
func (c conn) FileCryptJobOf(ctx context.Context, docID string) (FileCryptJob, bool, error) {
	js, err := queryAll(ctx, c, func(r scanner) (FileCryptJob, error) {
		var j FileCryptJob
		return j, r.Scan(&j.DocID, &j.Gen)
	}, `SELECT doc_id, gen FROM file_crypt_queue WHERE doc_id = ?`, docID)
	if err != nil || len(js) == 0 {
		return FileCryptJob{}, false, err
	}
	return js[0], true, nil
}
