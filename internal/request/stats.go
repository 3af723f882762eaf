package request

import (
	"sort"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
)

// Month is a calendar month in Beijing time: [From, To).
type Month struct {
	From, To time.Time
}

// MonthOf is the month (Beijing time) containing t.
func MonthOf(t time.Time) Month {
	loc := calendar.Shanghai()
	l := t.In(loc)
	from := time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, loc)
	return Month{From: from, To: from.AddDate(0, 1, 0)}
}

// Label is 2026年12月.
func (m Month) Label() string { return m.From.In(calendar.Shanghai()).Format("2006年1月") }

func (m Month) contains(t time.Time) bool { return !t.Before(m.From) && t.Before(m.To) }

// UnitCars is one unit's car use in a month.
type UnitCars struct {
	UnitID     string  `json:"unit_id"`
	Requests   int     `json:"requests"`   // asked for (not cancelled), by start time
	Trips      int     `json:"trips"`      // dispatched
	Returned   int     `json:"returned"`   // back, with mileage
	Km         int     `json:"km"`         // driven on returned trips
	Hours      float64 `json:"hours"`      // booked hours of dispatched trips
	Passengers int     `json:"passengers"` // carried on dispatched trips
}

// VehicleMonth is one vehicle's month.
type VehicleMonth struct {
	VehicleID string  `json:"vehicle_id"`
	Trips     int     `json:"trips"`
	Km        int     `json:"km"`
	Hours     float64 `json:"hours"`
}

// CarStats are a month's car use per unit and per vehicle.
type CarStats struct {
	Month    Month          `json:"month"`
	Units    []UnitCars     `json:"units"`
	Vehicles []VehicleMonth `json:"vehicles"`
	Total    UnitCars       `json:"total"`
	Refused  int            `json:"cancelled"` // withdrawn by the requester
}

// CarMonth counts the car requests whose trip starts in the month: per
// requesting unit (most trips first, then by ID) and per vehicle.
func CarMonth(reqs []Request, m Month) CarStats {
	st := CarStats{Month: m}
	units := map[string]*UnitCars{}
	vehicles := map[string]*VehicleMonth{}
	for _, r := range reqs {
		if r.Kind != CarUse || r.Car == nil || !m.contains(r.Car.Start) {
			continue
		}
		if r.Status == Cancelled {
			st.Refused++
			continue
		}
		u := units[r.UnitID]
		if u == nil {
			u = &UnitCars{UnitID: r.UnitID}
			units[r.UnitID] = u
		}
		u.Requests++
		if r.Car.VehicleID == "" {
			continue
		}
		h := r.Car.End.Sub(r.Car.Start).Hours()
		km := r.Car.Km()
		u.Trips++
		u.Hours += h
		u.Passengers += r.Car.Passengers
		v := vehicles[r.Car.VehicleID]
		if v == nil {
			v = &VehicleMonth{VehicleID: r.Car.VehicleID}
			vehicles[r.Car.VehicleID] = v
		}
		v.Trips++
		v.Hours += h
		if !r.Car.ReturnedAt.IsZero() {
			u.Returned++
			u.Km += km
			v.Km += km
		}
	}
	for _, u := range units {
		st.Units = append(st.Units, *u)
		st.Total.Requests += u.Requests
		st.Total.Trips += u.Trips
		st.Total.Returned += u.Returned
		st.Total.Km += u.Km
		st.Total.Hours += u.Hours
		st.Total.Passengers += u.Passengers
	}
	sort.Slice(st.Units, func(i, j int) bool {
		a, b := st.Units[i], st.Units[j]
		if a.Trips != b.Trips {
			return a.Trips > b.Trips
		}
		return a.UnitID < b.UnitID
	})
	for _, v := range vehicles {
		st.Vehicles = append(st.Vehicles, *v)
	}
	sort.Slice(st.Vehicles, func(i, j int) bool {
		a, b := st.Vehicles[i], st.Vehicles[j]
		if a.Km != b.Km {
			return a.Km > b.Km
		}
		return a.VehicleID < b.VehicleID
	})
	return st
}

// UnitSeals is one unit's seal use in a month.
type UnitSeals struct {
	UnitID string `json:"unit_id"`
	Uses   int    `json:"uses"`
	Copies int    `json:"copies"`
}

// SealMonth counts the seal uses recorded in the month per requesting unit
// (most uses first, then by ID).
func SealMonth(reqs []Request, m Month) []UnitSeals {
	units := map[string]*UnitSeals{}
	for _, r := range reqs {
		if r.Kind != SealUse || r.Seal == nil || r.Seal.UsedAt.IsZero() || !m.contains(r.Seal.UsedAt) {
			continue
		}
		u := units[r.UnitID]
		if u == nil {
			u = &UnitSeals{UnitID: r.UnitID}
			units[r.UnitID] = u
		}
		u.Uses++
		u.Copies += r.Seal.UsedCopies
	}
	out := make([]UnitSeals, 0, len(units))
	for _, u := range units {
		out = append(out, *u)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Uses != out[j].Uses {
			return out[i].Uses > out[j].Uses
		}
		return out[i].UnitID < out[j].UnitID
	})
	return out
}
