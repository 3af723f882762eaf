// Package request is 办事: seal use (用印) and car use (用车). It holds only
// what is not a route — the seal and vehicle kinds, the requests' own facts,
// the conflict checks for vehicles and drivers, the mileage rules and the
// monthly statistics. Approval moves through the one route engine
// (internal/route) on the templates SealTemplate and CarTemplate, which an
// office adjusts like its other routes. Pure: no database, no HTTP.
package request

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/textlimit"
)

// Kind is what a request asks for; it is also its route template's kind.
type Kind string

const (
	SealUse Kind = "seal_use" // 用印
	CarUse  Kind = "car_use"  // 用车
)

// Label is the kind's Chinese name.
func (k Kind) Label() string {
	switch k {
	case SealUse:
		return "用印"
	case CarUse:
		return "用车"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == SealUse || k == CarUse }

// SealKind is the kind of a physical seal (实物印章).
type SealKind string

const (
	PartySeal      SealKind = "party"       // 党委印章
	GovSeal        SealKind = "government"  // 政府印章
	OfficeSeal     SealKind = "office"      // 办公室印章
	DeptSeal       SealKind = "department"  // 部门印章
	PartyGroupSeal SealKind = "party_group" // 党组印章
	ContractSeal   SealKind = "contract"    // 合同专用章
	LeaderSeal     SealKind = "name"        // 法定代表人名章
)

// SealKinds lists the kinds in the order forms offer them.
func SealKinds() []SealKind {
	return []SealKind{PartySeal, GovSeal, OfficeSeal, DeptSeal, PartyGroupSeal, ContractSeal, LeaderSeal}
}

// Label is the seal kind's Chinese name.
func (k SealKind) Label() string {
	switch k {
	case PartySeal:
		return "党委印章"
	case GovSeal:
		return "政府印章"
	case OfficeSeal:
		return "办公室印章"
	case DeptSeal:
		return "部门印章"
	case PartyGroupSeal:
		return "党组印章"
	case ContractSeal:
		return "合同专用章"
	case LeaderSeal:
		return "法定代表人名章"
	}
	return string(k)
}

// Valid reports whether k is a known seal kind.
func (k SealKind) Valid() bool {
	for _, x := range SealKinds() {
		if x == k {
			return true
		}
	}
	return false
}

// Seal is a physical seal in an office's keeping (the 用印登记簿 is per seal).
// It is not the 国密 electronic seal (internal/seal); ESealID names the
// electronic seal that stands for it, when the security officer has linked
// one.
type Seal struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"` // the text on the seal: 中共清澜区委员会
	Kind   SealKind `json:"kind"`
	UnitID string   `json:"unit_id"` // the office keeping it
	// KeeperID is the seal keeper (监印人): the 用印 step goes to them.
	KeeperID string `json:"keeper_id,omitempty"`
	Active   bool   `json:"active"`
	// ESealID is the linked electronic seal (seal.Seal), "" when none.
	ESealID string `json:"eseal_id,omitempty"`
}

// Vehicle is a car in an office's pool.
type Vehicle struct {
	ID       string `json:"id"`
	Plate    string `json:"plate"` // 号牌
	Model    string `json:"model"`
	Seats    int    `json:"seats"`
	UnitID   string `json:"unit_id"`  // the office dispatching it
	Odometer int    `json:"odometer"` // km, as of its last return
	Active   bool   `json:"active"`
}

// Driver is a driver in an office's pool.
type Driver struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Phone  string `json:"phone,omitempty"`
	UnitID string `json:"unit_id"`
	Active bool   `json:"active"`
}

// Limits on what a person types.
const (
	MaxName        = 60
	MaxMaterial    = 200
	MaxReason      = 500
	MaxDestination = 200
	MaxPassengers  = 300
	MaxCopies      = 10000
	MaxPassengerN  = 60
	// MaxTrip is the longest a car may be booked for at once.
	MaxTrip = 14 * 24 * time.Hour
)

// Refusal is a request refused by these rules; its message is for the user.
type Refusal struct{ Msg string }

func (r *Refusal) Error() string { return r.Msg }

func refuse(format string, a ...any) error { return &Refusal{Msg: fmt.Sprintf(format, a...)} }

// fromRoute turns the route engine's refusal into ours, keeping the engine's
// (so that the edge can name its assignees).
func fromRoute(err error) error {
	var r *route.Refusal
	if errors.As(err, &r) {
		return r
	}
	return err
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// SealInfo is what a 用印 request names.
type SealInfo struct {
	SealID   string `json:"seal_id"`
	Material string `json:"material"` // the document or material to be sealed
	DocID    string `json:"doc_id,omitempty"`
	Copies   int    `json:"copies"`
	// Recorded by the seal keeper at 用印.
	UsedCopies int       `json:"used_copies,omitempty"`
	UsedAt     time.Time `json:"used_at,omitzero"`
	UsedBy     string    `json:"used_by,omitempty"`
	// ESealApplied: the organ's electronic seal was applied to DocID.
	ESealApplied bool `json:"eseal_applied,omitempty"`
}

// CarInfo is what a 用车 request names and what dispatch and return record.
type CarInfo struct {
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	Destination string    `json:"destination"`
	Passengers  int       `json:"passengers"`
	Names       string    `json:"names,omitempty"` // who rides
	// Set at 派车.
	VehicleID    string    `json:"vehicle_id,omitempty"`
	DriverID     string    `json:"driver_id,omitempty"`
	DispatchedAt time.Time `json:"dispatched_at,omitzero"`
	DispatchedBy string    `json:"dispatched_by,omitempty"`
	// Set at 还车.
	OdoStart   int       `json:"odo_start,omitempty"`
	OdoEnd     int       `json:"odo_end,omitempty"`
	ReturnedAt time.Time `json:"returned_at,omitzero"`
	ReturnedBy string    `json:"returned_by,omitempty"`
}

// Km is the trip's distance, 0 until the car is back.
func (c CarInfo) Km() int {
	if c.ReturnedAt.IsZero() || c.OdoEnd < c.OdoStart {
		return 0
	}
	return c.OdoEnd - c.OdoStart
}

// Status is where a request stands.
type Status string

const (
	Pending    Status = "pending"    // 审批中
	Approved   Status = "approved"   // 已批准（待用印/待派车）
	Dispatched Status = "dispatched" // 已派车
	Finished   Status = "done"       // 已用印 / 已还车
	Cancelled  Status = "cancelled"  // 已撤销
)

// Label is the status's Chinese name for the kind.
func (s Status) Label(k Kind) string {
	switch s {
	case Pending:
		return "审批中"
	case Approved:
		if k == SealUse {
			return "待用印"
		}
		return "待派车"
	case Dispatched:
		return "已派车"
	case Finished:
		if k == SealUse {
			return "已用印"
		}
		return "已还车"
	case Cancelled:
		return "已撤销"
	}
	return string(s)
}

// Request is one 用印 or 用车 request with its route.
type Request struct {
	ID        string         `json:"id"`
	Kind      Kind           `json:"kind"`
	UnitID    string         `json:"unit_id"`   // the requesting unit
	OfficeID  string         `json:"office_id"` // the office keeping the seal / dispatching the car
	Requester string         `json:"requester"`
	Reason    string         `json:"reason"`
	Status    Status         `json:"status"`
	Seal      *SealInfo      `json:"seal,omitempty"`
	Car       *CarInfo       `json:"car,omitempty"`
	Route     route.Instance `json:"route"`
	CreatedAt time.Time      `json:"created_at"`
	UpdatedAt time.Time      `json:"updated_at"`
	ClosedAt  time.Time      `json:"closed_at,omitzero"`
}

// Title is a one-line description for lists and messages.
func (r Request) Title() string {
	switch {
	case r.Seal != nil:
		return "用印：" + r.Seal.Material
	case r.Car != nil:
		return "用车：" + r.Car.Destination
	}
	return r.Kind.Label()
}

// Step is the key of the route's current step ("" when closed).
func (r Request) Step() string {
	if r.Route.Status != route.Active || r.Route.Current >= len(r.Route.Template.Steps) {
		return ""
	}
	return r.Route.Template.Steps[r.Route.Current].Key
}

// StepName is the current step's name for lists ("" when closed).
func (r Request) StepName() string {
	if r.Step() == "" {
		return ""
	}
	return r.Route.Template.Steps[r.Route.Current].Name
}

// Participants are the people who have acted on the request, its requester first.
func (r Request) Participants() []string {
	out := []string{r.Requester}
	add := func(id string) {
		if id == "" {
			return
		}
		for _, x := range out {
			if x == id {
				return
			}
		}
		out = append(out, id)
	}
	for _, t := range r.Route.Tasks {
		add(t.ActedBy)
		add(t.AckedBy)
		add(t.OnBehalfOf)
		if t.Assignee.Kind == route.Person {
			add(t.Assignee.Person)
		}
	}
	if r.Seal != nil {
		add(r.Seal.UsedBy)
	}
	if r.Car != nil {
		add(r.Car.DispatchedBy)
		add(r.Car.ReturnedBy)
	}
	return out
}

// statusOf derives the status from the route: before the system step
// (用印, 派车) the request is under approval; at it, approved; at 还车, the
// car is out; a finished route is done.
func statusOf(r Request) Status {
	if r.Status == Cancelled {
		return Cancelled
	}
	if r.Route.Status == route.Done {
		return Finished
	}
	switch r.Step() {
	case StepStamp, StepDispatch:
		return Approved
	case StepReturn:
		return Dispatched
	}
	return Pending
}

// checkText applies the limits and requiredness of the free-text fields.
func checkText(field, label string, max int, s string, required bool) error {
	if required && blank(s) {
		return refuse("请填写%s", label)
	}
	return textlimit.Text(field, label, max, s)
}
