package org

import "github.com/shuniu-oa/shuniu/internal/textlimit"

// Limits on the organization's text fields, in characters (issue 11).
const (
	MaxName          = 100 // a unit's full name, a person's name
	MaxShortName     = 50  // a unit's short name (简称)
	MaxOrganCode     = 20  // 机关代字
	MaxPhone         = 30  // a phone number as typed, with extension
	MaxPositionTitle = 100 // 职务, e.g. 区委常委、办公室主任
	MaxReason        = 500 // a delegation's reason
)

func (u Unit) checkLimits() error {
	return textlimit.First(
		textlimit.Text("name", "单位名称", MaxName, u.Name),
		textlimit.Text("short_name", "单位简称", MaxShortName, u.ShortName),
		textlimit.Text("organ_code", "机关代字", MaxOrganCode, u.OrganCode),
	)
}

// CheckLimits refuses a person whose name or phone is over its limit.
func (p Person) CheckLimits() error {
	return textlimit.First(
		textlimit.Text("name", "姓名", MaxName, p.Name),
		textlimit.Text("phone", "电话", MaxPhone, p.Phone),
	)
}
