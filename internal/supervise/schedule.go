package supervise

import (
	"fmt"
	"time"
)

// ScheduleKind says when progress reports are due.
type ScheduleKind string

const (
	Weekly       ScheduleKind = "weekly"     // every week on a weekday, e.g. 每周五
	Monthly      ScheduleKind = "monthly"    // every month on a day, e.g. 每月25日
	AtMilestones ScheduleKind = "milestones" // only at each milestone's deadline
)

// Schedule is the item's progress-report schedule. A report for a period is
// due at the close of office on the scheduled date (or of the next working
// day when that date is a day off); a report made any time after the previous
// due time counts for the period.
type Schedule struct {
	Kind    ScheduleKind `json:"kind"`
	Weekday time.Weekday `json:"weekday,omitempty"` // Weekly: 0 Sunday … 6 Saturday
	Day     int          `json:"day,omitempty"`     // Monthly: 1–31; a shorter month uses its last day
}

// Label describes the schedule in Chinese, e.g. 每周五, 每月25日, 按节点.
func (s Schedule) Label() string {
	switch s.Kind {
	case Weekly:
		return "每周" + []string{"日", "一", "二", "三", "四", "五", "六"}[s.Weekday%7]
	case Monthly:
		return fmt.Sprintf("每月%d日", s.Day)
	case AtMilestones:
		return "按节点"
	}
	return string(s.Kind)
}

// Validate checks the schedule with a Chinese message.
func (s Schedule) Validate() error {
	switch s.Kind {
	case Weekly:
		if s.Weekday < time.Sunday || s.Weekday > time.Saturday {
			return fmt.Errorf("每周反馈日无效")
		}
	case Monthly:
		if s.Day < 1 || s.Day > 31 {
			return fmt.Errorf("每月反馈日应为 1–31 日")
		}
	case AtMilestones:
	default:
		return fmt.Errorf("进展反馈周期“%s”无效，应为每周、每月或按节点", s.Kind)
	}
	return nil
}

// monthDay is day d of the month, or the month's last day if shorter.
func monthDay(y int, m time.Month, d int) time.Time {
	last := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if d > last {
		d = last
	}
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
