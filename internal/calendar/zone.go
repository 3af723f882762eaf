package calendar

import (
	"time"
	// Embed the zone database so Asia/Shanghai loads on hosts without tzdata.
	_ "time/tzdata"
)

// chinaStandardTime is the fixed +08:00 fallback. China has observed no daylight
// saving since 1991, so for the dates this system handles it equals Asia/Shanghai.
var chinaStandardTime = time.FixedZone("CST", 8*60*60)

// Shanghai returns the Asia/Shanghai location, or a fixed +08:00 zone if the
// zone database cannot be read.
func Shanghai() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return chinaStandardTime
	}
	return loc
}
