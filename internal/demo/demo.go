// Package demo builds the demo district: a fictional district of about one
// million people (清澜区 of 云泽市) with its four leading bodies, their offices,
// about fifty district departments, sixteen towns and 街道, about three hundred
// people with positions, roles, clearances, 分管 and delegations.
//
// NewDistrict is pure and deterministic: the same values, the same IDs
// (uid.FromName) and the same generated names on every run, so a demo server
// can be rebuilt at any time and links in screenshots and tests stay valid.
// Storing the district is the caller's business.
package demo

import (
	"errors"
	"time"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// Password is the one password of every demo account. It meets a policy of at
// least 10 characters with upper case, lower case, digits and a symbol.
const Password = "Demo@2026ql"

// idNamespace keeps the demo's IDs apart from any other seed data.
const idNamespace = "demo"

// District is the whole demo organization.
type District struct {
	Name        string // 清澜区
	City        string // 云泽市, the fictional city it belongs to
	Units       []org.Unit
	People      []org.Person
	Positions   []org.Position
	Oversight   []org.Oversight
	Roles       []org.RoleAssignment
	Delegations []org.Delegation
	// Series are each organ's 发文字号 series (文号系列).
	Series []document.Series
	// Logins are the accounts to print at start, one per role. Every person
	// has a login (Person.Login) and the same Password; only these are shown.
	Logins []Login
}

// Login is a demo account to print at start.
type Login struct {
	Login    string   // e.g. wenmi
	Password string   // always Password
	PersonID string   // the person who logs in
	Name     string   // the person's name
	Role     org.Role // the role this login demonstrates; Role.Label() is its Chinese name
	Title    string   // the person's primary title, e.g. 副区长
	Unit     string   // full name of the unit of the primary position
}

// NewDistrict returns the demo district. now places the delegations: one is
// in force at now, one begins two days later.
//
// The district is built from fixed tables; it panics only if those tables
// are inconsistent (a unit or post named that does not exist), which the
// package's tests rule out, so the panic marks a programming error.
func NewDistrict(now time.Time) District {
	d, err := build(now)
	if err != nil {
		panic(err)
	}
	return d
}

// build assembles the district and reports any inconsistency in the tables.
func build(now time.Time) (District, error) {
	b := newBuilder()
	// Units first, so people can be placed by unit name; then people in
	// protocol order (district leaders first), which is their Sort order.
	b.buildUnits()
	b.staffLeaders()
	b.staffOffices()
	b.staffDepartments()
	b.staffTowns()
	b.staffAdministrators()
	b.buildOversight()
	b.buildDelegations(now)
	b.buildLogins()
	b.buildSeries()
	return b.d, errors.Join(b.errs...)
}

// id returns the stable ID of a demo object; key says what it is, e.g.
// "unit:清澜区人民政府办公室".
func id(key string) string { return uid.FromName(idNamespace, key) }
