package request

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
)

// Booking is a vehicle and a driver held for a time: a dispatched request
// (or one being dispatched). The interval is half-open, [Start, End): a trip
// ending at 10:00 does not conflict with one starting at 10:00.
type Booking struct {
	RequestID string    `json:"request_id"`
	VehicleID string    `json:"vehicle_id"`
	DriverID  string    `json:"driver_id"`
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	UnitID    string    `json:"unit_id,omitempty"` // the requesting unit, for messages
	Where     string    `json:"where,omitempty"`   // the destination, for messages
}

// Overlaps reports whether two bookings' times overlap.
func (b Booking) Overlaps(o Booking) bool {
	return b.Start.Before(o.End) && o.Start.Before(b.End)
}

// ConflictKind says what two bookings share.
type ConflictKind string

const (
	VehicleConflict ConflictKind = "vehicle"
	DriverConflict  ConflictKind = "driver"
)

// Conflict is one booking that a new one collides with.
type Conflict struct {
	Kind ConflictKind `json:"kind"`
	With Booking      `json:"with"`
}

// Conflicts lists the bookings b collides with: the same vehicle or the same
// driver at an overlapping time, a booking of the same request excepted;
// vehicle conflicts first, each kind by start time. A zero-length or
// inverted interval collides with nothing.
func Conflicts(b Booking, others []Booking) []Conflict {
	if !b.End.After(b.Start) {
		return nil
	}
	var out []Conflict
	for _, o := range others {
		if o.RequestID == b.RequestID || !o.End.After(o.Start) || !b.Overlaps(o) {
			continue
		}
		if b.VehicleID != "" && o.VehicleID == b.VehicleID {
			out = append(out, Conflict{Kind: VehicleConflict, With: o})
		}
		if b.DriverID != "" && o.DriverID == b.DriverID {
			out = append(out, Conflict{Kind: DriverConflict, With: o})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind == VehicleConflict
		}
		if !out[i].With.Start.Equal(out[j].With.Start) {
			return out[i].With.Start.Before(out[j].With.Start)
		}
		return out[i].With.RequestID < out[j].With.RequestID
	})
	return out
}

// Namer names what messages mention: a vehicle by its plate, a driver and a
// unit by name.
type Namer interface {
	Vehicle(id string) string
	Driver(id string) string
	Unit(id string) string
}

// ErrConflict matches every *ConflictError with errors.Is: the web answers 409.
var ErrConflict = errors.New("车辆或驾驶员时间冲突")

// ConflictError refuses a dispatch, naming every conflict.
type ConflictError struct {
	Conflicts []Conflict
	Msg       string
}

func (e *ConflictError) Error() string        { return e.Msg }
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// Clock formats an instant as the office reads it: 12月8日 09:00 (Beijing time).
func Clock(t time.Time) string {
	return t.In(calendar.Shanghai()).Format("1月2日 15:04")
}

// Span formats an interval: 12月8日 09:00—11:30, or with both dates when it
// spans days.
func Span(from, to time.Time) string {
	loc := calendar.Shanghai()
	f, t := from.In(loc), to.In(loc)
	if f.Year() == t.Year() && f.YearDay() == t.YearDay() {
		return f.Format("1月2日 15:04") + "—" + t.Format("15:04")
	}
	return f.Format("1月2日 15:04") + "—" + t.Format("1月2日 15:04")
}

// ConflictMessage says exactly what collides, e.g.
// "车辆 云A·G0123 在 12月8日 09:00—12:00 已派给区发改局（前往 市政务服务中心），与本次用车（12月8日 10:00—11:30）冲突".
func ConflictMessage(b Booking, cs []Conflict, n Namer) string {
	var parts []string
	for _, c := range cs {
		who := ""
		switch c.Kind {
		case VehicleConflict:
			who = "车辆 " + n.Vehicle(c.With.VehicleID)
		case DriverConflict:
			who = "驾驶员 " + n.Driver(c.With.DriverID)
		}
		to := n.Unit(c.With.UnitID)
		if c.With.Where != "" {
			to += "（前往 " + c.With.Where + "）"
		}
		parts = append(parts, fmt.Sprintf("%s 在 %s 已派给%s", who, Span(c.With.Start, c.With.End), to))
	}
	return strings.Join(parts, "；") + fmt.Sprintf("，与本次用车（%s）冲突", Span(b.Start, b.End))
}
