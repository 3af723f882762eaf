package seal

import (
	"slices"
	"testing"
	"time"
)

func TestForOrgans(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	mk := func(id, organ string, k Kind, created time.Time) Seal {
		return Seal{ID: id, Organ: organ, Kind: k, Created: created, ValidFrom: created, ValidUntil: created.Add(Validity)}
	}
	party := mk("party", "中共清澜区委员会", KindParty, now.Add(-30*day))
	gov := mk("gov", "清澜区人民政府", KindGovernment, now.Add(-30*day))
	govOther := mk("gov-other", "清澜区人民政府", KindOther, now.Add(-day))
	govNew := mk("gov-new", "清澜区人民政府", KindGovernment, now.Add(-day))
	revoked := mk("revoked", "清澜区人民政府办公室", KindOffice, now.Add(-30*day))
	revoked.Revoked = now.Add(-day)
	future := mk("future", "中共清澜区委办公室", KindOffice, now.Add(day))
	all := []Seal{party, gov, govOther, revoked, future}
	cases := []struct {
		name    string
		seals   []Seal
		organs  []string
		want    []string
		missing []string
	}{
		{"one organ", all, []string{"清澜区人民政府"}, []string{"gov"}, nil},
		{"own kind before other", []Seal{govOther, gov}, []string{"清澜区人民政府"}, []string{"gov"}, nil},
		{"newest of a kind", append(slices.Clone(all), govNew), []string{"清澜区人民政府"}, []string{"gov-new"}, nil},
		{"joint, in issuer order", all, []string{"清澜区人民政府", "中共清澜区委员会"}, []string{"gov", "party"}, nil},
		{"revoked is missing", all, []string{"清澜区人民政府办公室"}, nil, []string{"清澜区人民政府办公室"}},
		{"not yet valid is missing", all, []string{"中共清澜区委办公室"}, nil, []string{"中共清澜区委办公室"}},
		{"none registered", nil, []string{"清澜区人民政府"}, nil, []string{"清澜区人民政府"}},
		{"partly", all, []string{"中共清澜区委员会", "清澜区教育局"}, []string{"party"}, []string{"清澜区教育局"}},
	}
	for _, c := range cases {
		got, missing := ForOrgans(c.seals, c.organs, now)
		var ids []string
		for _, s := range got {
			ids = append(ids, s.ID)
		}
		if !slices.Equal(ids, c.want) || !slices.Equal(missing, c.missing) {
			t.Errorf("%s: got %v missing %v, want %v missing %v", c.name, ids, missing, c.want, c.missing)
		}
	}
}
