package evaluate

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// ChangeKind is what happened to a unit, as the scoreboard follows it.
type ChangeKind string

const (
	Renamed ChangeKind = "rename" // the unit carried another name until the date
	Merged  ChangeKind = "merge"  // the unit was merged into another on the date
)

// Label is the kind's Chinese name.
func (k ChangeKind) Label() string {
	switch k {
	case Renamed:
		return "更名"
	case Merged:
		return "合并"
	}
	return string(k)
}

// Change is one recorded rename or merge: Unit carried OldName until On
// (rename), or was merged into Into on On (merge). On is midnight of the
// day the change took effect, in the calendar's zone.
type Change struct {
	Unit    string     `json:"unit"`
	Kind    ChangeKind `json:"kind"`
	OldName string     `json:"old_name,omitempty"`
	Into    string     `json:"into,omitempty"`
	On      time.Time  `json:"on"`
}

// maxNameLen bounds a recorded earlier name, as the org bounds a unit's.
const maxNameLen = 100

// CheckChange decides whether c may be recorded over the units as the
// scoreboard sees them now (with the changes recorded so far): the units
// must be scored ones, a rename must name an earlier name different from
// the names the unit carries after it and not repeat a date, and a merge
// goes into another unit of the same class, once per unit, without a loop.
// The messages are for the person recording it.
func CheckChange(units []Unit, c Change) error {
	byID := make(map[string]Unit, len(units))
	for _, u := range units {
		byID[u.ID] = u
	}
	u, ok := byID[c.Unit]
	if !ok {
		return errors.New("请选择发生变更的单位")
	}
	if !u.Scored {
		return fmt.Errorf("“%s”不单独参加考核（科室随所在单位计分），无需记录变更", u.Name)
	}
	if c.On.IsZero() {
		return errors.New("请填写变更日期")
	}
	switch c.Kind {
	case Renamed:
		old := strings.TrimSpace(c.OldName)
		if old == "" {
			return errors.New("请填写更名前的名称")
		}
		if utf8.RuneCountInString(old) > maxNameLen {
			return fmt.Errorf("原名称不能超过 %d 个字", maxNameLen)
		}
		for _, n := range u.Names {
			if n.Until.Equal(c.On) {
				return fmt.Errorf("“%s”在 %s 已记录过一次更名", u.Name, c.On.Format("2006-01-02"))
			}
		}
		if old == u.NameAt(c.On) {
			return fmt.Errorf("原名称“%s”与该单位更名后的名称相同", old)
		}
	case Merged:
		into, ok := byID[c.Into]
		switch {
		case c.Into == "":
			return errors.New("请选择并入的单位")
		case !ok:
			return errors.New("并入的单位不存在")
		case c.Into == c.Unit:
			return errors.New("单位不能并入自身")
		case !into.Scored || into.Class != u.Class:
			return fmt.Errorf("“%s”（%s）只能并入同类参加考核的单位，“%s”不是", u.Name, u.Class.Label(), into.Name)
		case u.MergedInto != "":
			return fmt.Errorf("“%s”已记录于 %s 并入“%s”；如有误，请先撤销该记录", u.Name, u.MergedOn.Format("2006-01-02"), byID[u.MergedInto].Name)
		case into.MergedInto != "" && !into.MergedOn.After(c.On):
			return fmt.Errorf("“%s”已于 %s 并入其他单位，不能再接收并入", into.Name, into.MergedOn.Format("2006-01-02"))
		}
		next := make([]Unit, 0, len(units))
		for _, x := range units {
			if x.ID == c.Unit {
				x.MergedInto, x.MergedOn = c.Into, c.On
			}
			next = append(next, x)
		}
		if _, err := NewOrg(next); err != nil {
			return err
		}
	default:
		return fmt.Errorf("未知的变更类型 %q：请选择更名或合并", c.Kind)
	}
	return nil
}

// NextFrom is Next for a version proposed on today: it may not take effect
// before today, since a period already begun or past is scored by the rules
// in force then and a new version does not rescore it.
func (rs Rules) NextFrom(r RuleSet, today time.Time) (RuleSet, error) {
	if !r.Effective.IsZero() && r.Effective.Before(today) {
		return RuleSet{}, fmt.Errorf("生效日期不能早于今天（%s）：已开始或已过去的期间按当时施行的规则计分", today.Format("2006-01-02"))
	}
	return rs.Next(r)
}

// Withdrawable says whether version v may be withdrawn at now: only the
// latest, and only before it takes effect — a version that scored a period
// stays, read-only.
func (rs Rules) Withdrawable(v int, now time.Time) error {
	var found *RuleSet
	maxV := 0
	for i := range rs {
		maxV = max(maxV, rs[i].Version)
		if rs[i].Version == v {
			found = &rs[i]
		}
	}
	switch {
	case found == nil:
		return fmt.Errorf("考核规则第 %d 版不存在", v)
	case v != maxV:
		return fmt.Errorf("只能撤销最新的一版规则（第 %d 版）", maxV)
	case !found.Effective.After(now):
		return fmt.Errorf("第 %d 版已于 %s 起施行，施行过的规则只读、不能撤销；如需调整请新增一版", v, found.Effective.Format("2006-01-02"))
	case len(rs) == 1:
		return errors.New("至少保留一版考核规则")
	}
	return nil
}

// State is how a version stands at now: in force, past, or to come.
func (rs Rules) State(v int, now time.Time) string {
	cur, err := rs.At(now)
	if err != nil {
		return ""
	}
	for _, r := range rs {
		if r.Version != v {
			continue
		}
		switch {
		case r.Version == cur.Version:
			return "现行"
		case r.Effective.After(now):
			return "待施行"
		}
		return "已停止施行"
	}
	return ""
}
