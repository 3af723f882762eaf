package store

import (
	"context"
	"errors"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
)

// RegisterIncoming is Store.RegisterIncoming inside a caller's transaction,
// for work that registers many documents in one commit (the demo's seeding,
// imports).
func (tx *Tx) RegisterIncoming(ctx context.Context, by org.Person, unitID string, doc document.Document, sender string) (DocRecord, error) {
	if strings.TrimSpace(doc.Title) == "" || strings.TrimSpace(sender) == "" {
		return DocRecord{}, errors.New("请填写标题和来文单位")
	}
	if err := doc.Classification.Validate(); err != nil {
		return DocRecord{}, err
	}
	if err := document.NameLimit("sender", "来文单位", sender); err != nil {
		return DocRecord{}, err
	}
	if _, err := tx.Unit(ctx, unitID); err != nil {
		return DocRecord{}, errors.New("收文单位不存在")
	}
	return tx.startIncoming(ctx, by, doc, unitID, "", sender)
}
