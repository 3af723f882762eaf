package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
)

// DocSeries lists the 发文字号 series of every organ, by organ and order.
func (c conn) DocSeries(ctx context.Context) ([]document.Series, error) {
	return queryAll(ctx, c, func(rows scanner) (document.Series, error) {
		var s document.Series
		var types string
		if err := rows.Scan(&s.Code, &s.OrganID, &s.Name, &types, &s.Sort); err != nil {
			return s, err
		}
		for _, t := range strings.Split(types, ",") {
			if t != "" {
				s.Types = append(s.Types, document.DocType(t))
			}
		}
		return s, nil
	}, `SELECT code, organ_id, name, types, sort FROM doc_series ORDER BY organ_id, sort, code`)
}

// SeriesFor returns the series a document of type t issued in the name of
// organ may be numbered in, the usual one first (document.SeriesFor).
func (c conn) SeriesFor(ctx context.Context, organID string, t document.DocType) ([]document.Series, error) {
	all, err := c.DocSeries(ctx)
	if err != nil {
		return nil, err
	}
	u, err := c.Unit(ctx, organID)
	if err != nil {
		return nil, err
	}
	return document.SeriesFor(all, u, t), nil
}

// SetDocSeries replaces an organ's series with list (document.CheckSeries),
// audited. A series dropped keeps its numbers: its counter and its number
// events stay, and taking its code up again continues the count.
func (tx *Tx) SetDocSeries(ctx context.Context, by org.Person, organID string, list []document.Series) error {
	units, err := tx.unitMap(ctx)
	if err != nil {
		return err
	}
	organ, ok := units[organID]
	if !ok || organ.Kind == org.KindSection {
		return errors.New("文号系列须属于一个机关")
	}
	for i := range list {
		list[i].OrganID = organID
	}
	others, err := tx.DocSeries(ctx)
	if err != nil {
		return err
	}
	var all []document.Series
	for _, s := range others {
		if s.OrganID != organID {
			all = append(all, s)
		}
	}
	all = append(all, list...)
	if err := document.CheckSeries(all, units); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM doc_series WHERE organ_id = ?`, organID); err != nil {
		return fmt.Errorf("save series: %w", err)
	}
	codes := make([]string, len(list))
	for i, s := range list {
		types := make([]string, len(s.Types))
		for j, t := range s.Types {
			types[j] = string(t)
		}
		if _, err := tx.exec(ctx, `INSERT INTO doc_series (code, organ_id, name, types, sort) VALUES (?, ?, ?, ?, ?)`,
			s.Code, organID, s.Name, strings.Join(types, ","), s.Sort); err != nil {
			return fmt.Errorf("save series: %w", err)
		}
		codes[i] = s.Code
	}
	return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "doc_series.set", ObjectKind: "unit", ObjectID: organID,
		Detail: jsonString(map[string]any{"organ": organ.ShortName, "series": codes})})
}
