package org

import (
	"strings"
	"testing"
	"time"

	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// TestLimits: each field takes its limit and refuses one more, by name.
func TestLimits(t *testing.T) {
	s := func(n int) string { return strings.Repeat("区", n) }
	unit := func(f func(u *Unit, n int)) func(int) error {
		return func(n int) error {
			u := Unit{ID: "u", Name: "区委办公室", ShortName: "区委办", OrganCode: "区委办", Kind: KindOffice}
			f(&u, n)
			return u.Validate()
		}
	}
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, field string
		limit       int
		try         func(n int) error
	}{
		{"unit name", "name", MaxName, unit(func(u *Unit, n int) { u.Name = s(n) })},
		{"short name", "short_name", MaxShortName, unit(func(u *Unit, n int) { u.ShortName = s(n) })},
		{"organ code", "organ_code", MaxOrganCode, unit(func(u *Unit, n int) { u.OrganCode = s(n) })},
		{"person name", "name", MaxName, func(n int) error { return Person{Name: s(n)}.CheckLimits() }},
		{"phone", "phone", MaxPhone, func(n int) error { return Person{Name: "张三", Phone: strings.Repeat("1", n)}.CheckLimits() }},
		{"position title", "title", MaxPositionTitle, func(n int) error {
			return CheckPositions([]Position{{UnitID: "u", Title: s(n), Primary: true}})
		}},
		{"delegation reason", "reason", MaxReason, func(n int) error {
			return Delegation{FromID: "a", ToID: "b", Start: start, End: start.Add(time.Hour), Reason: s(n)}.Validate()
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.try(tc.limit); err != nil {
				t.Fatalf("at the limit: %v", err)
			}
			err := tc.try(tc.limit + 1)
			e, ok := textlimit.As(err)
			if !ok || e.Field != tc.field || e.Max != tc.limit || e.Got != tc.limit+1 {
				t.Fatalf("one over: %v, want %s over %d", err, tc.field, tc.limit)
			}
		})
	}
}
