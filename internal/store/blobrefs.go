package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/shuniu-oa/shuniu/internal/meeting"
	"github.com/shuniu-oa/shuniu/internal/supervise"
)

// BlobRefs is every file address a row refers to — what `shuniu gc` keeps:
//
//   - doc_files: a document's 附件, scans, issued texts (版式 PDF and OFD) and
//     the copies 分发 makes for receivers;
//   - blobs: the registry doc_files points into;
//   - documents.content and doc_versions.content: the attachments each
//     document and each of its saved versions names;
//   - sup_item_content: the files of supervision items' progress reports and
//     applications to close (supervise.Item.Files);
//   - meetings.content: every version of each 议题's material;
//   - info_reports.content: the files an information report came with.
//
// Seal images, certificates and keys are stored in their rows, not as
// files. A new table that names a file by its SHA-256 must be added here;
// TestGC writes one of each kind.
func (c conn) BlobRefs(ctx context.Context) (map[string]bool, error) {
	refs := map[string]bool{}
	for _, q := range []string{`SELECT sha256 FROM doc_files`, `SELECT sha256 FROM blobs`} {
		sums, err := c.queryStrings(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("blob refs: %w", err)
		}
		for _, s := range sums {
			refs[s] = true
		}
	}
	type withFiles struct {
		Attachments []struct {
			SHA256 string `json:"sha256"`
		} `json:"attachments"`
	}
	// Documents and information reports name their files alike
	// (document.Attachment, which inforeport.Attachment is).
	for _, q := range []string{`SELECT content FROM documents`, `SELECT content FROM doc_versions`, `SELECT content FROM info_reports`} {
		if err := c.eachString(ctx, q, func(raw string) error {
			var d withFiles
			if err := json.Unmarshal([]byte(raw), &d); err != nil {
				return err
			}
			for _, a := range d.Attachments {
				if a.SHA256 != "" {
					refs[a.SHA256] = true
				}
			}
			return nil
		}); err != nil {
			return nil, fmt.Errorf("blob refs: %w", err)
		}
	}
	if err := c.eachString(ctx, `SELECT content FROM sup_item_content`, func(raw string) error {
		var it supervise.Item
		if err := json.Unmarshal([]byte(raw), &it); err != nil {
			return err
		}
		for _, a := range it.Files() {
			refs[a.SHA256] = true
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("blob refs: %w", err)
	}
	if err := c.eachString(ctx, `SELECT content FROM meetings`, func(raw string) error {
		var m meeting.Meeting
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			return err
		}
		for _, it := range m.Agenda {
			for _, mat := range it.Materials {
				refs[mat.SHA256] = true
			}
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("blob refs: %w", err)
	}
	return refs, nil
}

// eachString streams one text column, row by row, so that a large table is
// never held whole.
func (c conn) eachString(ctx context.Context, q string, f func(string) error) error {
	rows, err := c.query(ctx, q)
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
