package org

import (
	"errors"
	"testing"
	"time"
)

func TestCheckRoles(t *testing.T) {
	tests := []struct {
		name    string
		as      []RoleAssignment
		wantErr error
		ok      bool
	}{
		{"empty", nil, nil, true},
		{"clerk in unit", []RoleAssignment{{Role: RoleClerk, UnitID: "u"}}, nil, true},
		{"clerk and leader", []RoleAssignment{{Role: RoleClerk, UnitID: "u"}, {Role: RoleLeader, UnitID: "v"}}, nil, true},
		{"sysadmin alone", []RoleAssignment{{Role: RoleSysAdmin}}, nil, true},
		{"sysadmin+auditor", []RoleAssignment{{Role: RoleSysAdmin}, {Role: RoleAuditor}}, ErrAdminSeparation, false},
		{"security+auditor", []RoleAssignment{{Role: RoleSecurityOfficer}, {Role: RoleAuditor}}, ErrAdminSeparation, false},
		{"sysadmin+security", []RoleAssignment{{Role: RoleSysAdmin}, {Role: RoleSecurityOfficer}}, ErrAdminSeparation, false},
		{"auditor+clerk", []RoleAssignment{{Role: RoleAuditor}, {Role: RoleClerk, UnitID: "u"}}, ErrAdminSeparation, false},
		{"admin in unit", []RoleAssignment{{Role: RoleSysAdmin, UnitID: "u"}}, nil, false},
		{"clerk without unit", []RoleAssignment{{Role: RoleClerk}}, nil, false},
		{"unknown", []RoleAssignment{{Role: "boss", UnitID: "u"}}, nil, false},
		{"duplicate", []RoleAssignment{{Role: RoleClerk, UnitID: "u"}, {Role: RoleClerk, UnitID: "u"}}, nil, false},
	}
	for _, tt := range tests {
		err := CheckRoles(tt.as)
		if (err == nil) != tt.ok {
			t.Errorf("%s: err=%v, ok want %v", tt.name, err, tt.ok)
		}
		if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
			t.Errorf("%s: err=%v, want %v", tt.name, err, tt.wantErr)
		}
	}
}

func TestParseClassification(t *testing.T) {
	for in, want := range map[string]Classification{"非密": Unclassified, "秘密": Confidential, "机密": Secret, "secret": Secret, "": Unclassified} {
		got, err := ParseClassification(in)
		if err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	if _, err := ParseClassification("绝密"); !errors.Is(err, ErrTopSecret) {
		t.Errorf("绝密: %v", err)
	}
	if _, err := ParseClassification("保密"); err == nil {
		t.Error("unknown level accepted")
	}
}

func TestMarking(t *testing.T) {
	tests := []struct {
		m    Marking
		ok   bool
		text string
	}{
		{Marking{Level: Secret, Years: 5}, true, "机密★5年"},
		{Marking{Level: Confidential}, true, "秘密"},
		{Marking{Level: Confidential, Years: 11}, false, ""},
		{Marking{Level: Secret, Years: 20}, true, "机密★20年"},
		{Marking{Level: Unclassified, Years: 1}, false, ""},
		{Marking{Level: Unclassified}, true, ""},
	}
	for _, tt := range tests {
		err := tt.m.Validate()
		if (err == nil) != tt.ok {
			t.Errorf("%+v: %v", tt.m, err)
		}
		if tt.ok && tt.m.String() != tt.text {
			t.Errorf("%+v: %q want %q", tt.m, tt.m.String(), tt.text)
		}
	}
}

func TestUnitValidateAndParent(t *testing.T) {
	if err := (Unit{ID: "a", Name: "某某镇党政办", ShortName: "党政办", Kind: KindSection}).Validate(); err == nil {
		t.Error("section without parent accepted")
	}
	if err := (Unit{ID: "a", Name: "区政府办", ShortName: "政府办", Kind: KindOffice, OrganCode: "某政办〔"}).Validate(); err == nil {
		t.Error("bracket in organ code accepted")
	}
	if err := (Unit{ID: "a", Name: "区政府办公室", ShortName: "政府办", Kind: KindOffice, OrganCode: "某政办"}).Validate(); err != nil {
		t.Error(err)
	}
	parents := map[string]string{"b": "a", "c": "b"}
	if err := CheckParent("a", "c", parents); err == nil {
		t.Error("cycle accepted")
	}
	if err := CheckParent("c", "a", parents); err != nil {
		t.Error(err)
	}
}

func TestPositionsAndDelegation(t *testing.T) {
	if err := CheckPositions([]Position{{UnitID: "a", Title: "科员", Primary: true}, {UnitID: "b", Title: "兼职", Primary: true}}); err == nil {
		t.Error("two primaries accepted")
	}
	if err := CheckPositions([]Position{{UnitID: "a", Title: "科员", Primary: true}, {UnitID: "b", Title: "兼职"}}); err != nil {
		t.Error(err)
	}
	now := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	d := Delegation{FromID: "a", ToID: "b", Start: now, End: now.Add(48 * time.Hour)}
	if err := d.Validate(); err != nil || !d.ActiveAt(now.Add(time.Hour)) || d.ActiveAt(now.Add(49*time.Hour)) {
		t.Errorf("delegation: %v", err)
	}
	if err := (Delegation{FromID: "a", ToID: "a", Start: now, End: now.Add(time.Hour)}).Validate(); err == nil {
		t.Error("self delegation accepted")
	}
}

func TestHeadTitle(t *testing.T) {
	for title, want := range map[string]bool{"科长": true, "副科长": false, "区委常委、办公室主任": true, "常务副主任": false,
		"局长": true, "镇长": true, "镇党委书记": true, "科员": false, "副区长": false, "秘书长": false, "区政协主席": true, "镇党委副书记、镇长": true, "区委常委、常务副区长": false} {
		if HeadTitle(title) != want {
			t.Errorf("%s: %v", title, !want)
		}
	}
}
