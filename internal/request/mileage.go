package request

import (
	"math"
	"time"
)

// Mileage rules of 还车登记.
const (
	// MaxOdometer is the largest reading a car's odometer shows (km).
	MaxOdometer = 9_999_999
	// MaxKmPerHour bounds a trip's distance by its time out: a reading
	// beyond it is a typing mistake.
	MaxKmPerHour = 120
)

// CheckMileage checks the readings at departure (start) and return (end) of a
// trip that left at out and came back at back: neither negative nor beyond
// the odometer; the departure reading not below the vehicle's last
// (odometers only go forward); the return reading not below the departure
// reading; and the distance no more than MaxKmPerHour for each hour out (at
// least one hour counted).
func CheckMileage(v Vehicle, start, end int, out, back time.Time) error {
	if start < 0 || end < 0 {
		return refuse("里程表读数不能为负数")
	}
	if start > MaxOdometer || end > MaxOdometer {
		return refuse("里程表读数不能超过 %d 公里", MaxOdometer)
	}
	if start < v.Odometer {
		return refuse("出车里程（%d 公里）小于车辆 %s 上次还车时的里程（%d 公里），请核对", start, v.Plate, v.Odometer)
	}
	if end < start {
		return refuse("收车里程（%d 公里）小于出车里程（%d 公里）", end, start)
	}
	hours := math.Max(1, math.Ceil(back.Sub(out).Hours()))
	if limit := int(hours) * MaxKmPerHour; end-start > limit {
		return refuse("本次行驶 %d 公里，超过用车 %d 小时可能行驶的 %d 公里，请核对里程表读数", end-start, int(hours), limit)
	}
	return nil
}
