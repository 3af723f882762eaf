package demo

import (
	"strings"
	"time"

	"github.com/shuniu-oa/shuniu/internal/calendar"
	"github.com/shuniu-oa/shuniu/internal/org"
)

// Shorter names for the tables below.
const (
	clerk        = org.RoleClerk
	director     = org.RoleOfficeDirector
	leader       = org.RoleLeader
	handler      = org.RoleHandler
	supervisor   = org.RoleSupervisor
	confidential = org.RoleConfidentialClerk

	unclassified = org.Unclassified
	secret1      = org.Confidential // 秘密
	secret2      = org.Secret       // 机密
)

// leaderSpec is a member of the district's leadership, in protocol order.
type leaderSpec struct {
	key      string // names the leader in the oversight and delegation tables
	unit     string // short name of the unit of the primary post
	title    string
	role     org.Role // role in that unit
	also     string   // a concurrent post in 区委 (区委副书记 or 区委常委), if any
	level    org.Classification
	oversees string // short names of the units this leader oversees (分管)
}

var leaderRoster = []leaderSpec{
	{"secretary", "区委", "区委书记", leader, "", secret2, "区委办"},
	{"mayor", "区政府", "区委副书记、区长", leader, "区委副书记", secret2, "政府办 区审计局"},
	{"npc", "区人大常委会", "区人大常委会主任", leader, "", secret2, "人大办"},
	{"cppcc", "区政协", "区政协主席", leader, "", secret2, "政协办"},
	{"deputy-secretary", "区委", "区委副书记", leader, "", secret2, "区委社会工作部 区总工会 团区委 区妇联"},
	{"executive", "区政府", "区委常委、常务副区长", leader, "区委常委", secret2,
		"区发改局 区财政局 区统计局 区医保局 区数据局 区政务服务局 区机关事务中心 区投资促进局"},
	{"discipline", "区纪委监委", "区委常委、区纪委书记、区监委主任", leader, "区委常委", secret2, "区委巡察办"},
	{"organization", "区委组织部", "区委常委、组织部部长", leader, "区委常委", secret2, "区委编办 区委老干部局 区直机关工委"},
	{"office", "区委办", "区委常委、办公室主任", director, "区委常委", secret2, "区档案馆"},
	{"propaganda", "区委宣传部", "区委常委、宣传部部长", leader, "区委常委", secret2, "区融媒体中心 区委网信办"},
	{"politics-law", "区委政法委", "区委常委、政法委书记", leader, "区委常委", secret2, "区公安分局 区司法局"},
	{"united-front", "区委统战部", "区委常委、统战部部长", leader, "区委常委", secret2, "区工商联 区科协"},
	// Each 副区长 oversees a group of departments and keeps in touch with four
	// towns (联系镇街), the usual split in a district government.
	{"vice-social", "区政府", "副区长", leader, "", secret2,
		"区教育局 区卫健委 区文化和旅游局 区民政局 区人社局 区退役军人事务局 区残联 望江街道 明德街道 桂园街道 北湖街道"},
	{"vice-urban", "区政府", "副区长", leader, "", secret2,
		"区住建局 区自然资源和规划分局 区交通运输局 区城市管理局 区生态环境分局 区水务局 区人防办 东门街道 南塘街道 西桥街道 新华街道"},
	{"vice-economy", "区政府", "副区长", leader, "", secret2,
		"区农业农村局 区商务局 区市场监管局 区应急管理局 区科工局 凤鸣街道 白沙镇 石桥镇 柳溪镇"},
	{"vice-security", "区政府", "副区长", leader, "", secret2,
		"区公安分局 区司法局 区信访局 黄岗镇 双河镇 永丰镇 龙泉镇"},
	{"npc-vice-1", "区人大常委会", "区人大常委会副主任", leader, "", secret1, ""},
	{"npc-vice-2", "区人大常委会", "区人大常委会副主任", leader, "", secret1, ""},
	{"cppcc-vice-1", "区政协", "区政协副主席", leader, "", secret1, ""},
	{"cppcc-vice-2", "区政协", "区政协副主席", leader, "", secret1, ""},
}

// staffSpec is a post in a leading body's office.
type staffSpec struct {
	section string // "" for the office itself
	title   string
	level   org.Classification
	roles   []org.Role
	also    string // a section where the person also heads, e.g. 督查室
}

// officeStaff lists each office's people other than its head when the head
// is in leaderRoster (区委办's 主任 is a 区委常委).
var officeStaff = map[string][]staffSpec{
	"区委办": {
		{"", "常务副主任", secret1, []org.Role{leader}, ""},
		{"", "副主任", secret1, []org.Role{leader, supervisor}, "督查室"},
		{"秘书科", "科长", secret1, []org.Role{clerk}, ""},
		{"秘书科", "科员", secret1, []org.Role{clerk}, ""},
		{"综合科", "科长", secret1, []org.Role{handler}, ""},
		{"机要科", "科长", secret2, []org.Role{confidential}, ""},
		{"机要科", "科员", secret2, []org.Role{confidential}, ""},
		{"督查室", "科员", secret1, []org.Role{supervisor}, ""},
		{"信息科", "科员", secret1, []org.Role{handler}, ""},
	},
	"政府办": {
		{"", "主任", secret1, []org.Role{director}, ""},
		{"", "副主任", secret1, []org.Role{leader, supervisor}, "督查室"},
		{"", "副主任", secret1, []org.Role{leader}, ""},
		{"秘书科", "科长", secret1, []org.Role{clerk}, ""},
		{"秘书科", "科员", secret1, []org.Role{clerk}, ""},
		{"综合科", "科长", secret1, []org.Role{handler}, ""},
		{"综合科", "科员", secret1, []org.Role{handler}, ""},
		{"文电科", "科长", secret2, []org.Role{confidential}, ""},
		{"文电科", "科员", secret1, []org.Role{clerk}, ""},
		{"督查室", "科员", secret1, []org.Role{supervisor}, ""},
		{"督查室", "科员", secret1, []org.Role{supervisor}, ""},
		{"信息科", "科长", secret1, []org.Role{handler}, ""},
	},
	"人大办": {
		{"", "主任", secret1, []org.Role{director}, ""},
		{"秘书科", "科长", secret1, []org.Role{clerk}, ""},
		{"综合科", "科员", secret1, []org.Role{handler}, ""},
	},
	"政协办": {
		{"", "主任", secret1, []org.Role{director}, ""},
		{"秘书科", "科长", secret1, []org.Role{clerk}, ""},
		{"综合科", "科员", secret1, []org.Role{handler}, ""},
	},
}

// administrators are the three separated administrators (三员), each a
// different person with no business role, placed where such staff sit.
var administrators = []struct {
	unit, section, title string
	role                 org.Role
}{
	{"区数据局", "电子政务科", "系统管理员", org.RoleSysAdmin},
	{"区委办", "机要科", "安全保密管理员", org.RoleSecurityOfficer},
	{"区委网信办", "网络安全科", "安全审计员", org.RoleAuditor},
}

// printedLogins are the accounts shown at start, one per role, each naming
// the post (unit full name/title/n) of the person who holds it.
var printedLogins = []struct {
	login string
	role  org.Role
	post  string
}{
	{"wenmi", clerk, "清澜区人民政府办公室秘书科/科员/1"},
	{"zhuren", director, "清澜区人民政府办公室/主任/1"},
	{"lingdao", leader, "清澜区人民政府/副区长/1"},
	{"chengban", handler, "清澜区发展和改革局综合规划科/科员/1"},
	{"ducha", supervisor, "清澜区人民政府办公室督查室/科员/1"},
	{"jiyao", confidential, "中共清澜区委办公室机要科/科员/1"},
	{"sysadmin", org.RoleSysAdmin, "清澜区数据局电子政务科/系统管理员/1"},
	{"secadmin", org.RoleSecurityOfficer, "中共清澜区委办公室机要科/安全保密管理员/1"},
	{"auditor", org.RoleAuditor, "中共清澜区委网络安全和信息化委员会办公室网络安全科/安全审计员/1"},
}

func (b *builder) staffLeaders() {
	committee := b.unitID("区委")
	for _, l := range leaderRoster {
		unit := b.unitID(l.unit)
		pid := b.hire(unit, l.title, l.level, l.role)
		if b.units[unit].Kind == org.KindDepartment {
			b.headed[unit] = true
		}
		if l.also != "" {
			b.also(pid, committee, l.also, leader)
		}
		b.leaders[l.key] = pid
	}
}

func (b *builder) staffOffices() {
	for _, o := range offices {
		office := b.unitID(o.unit.short)
		for _, s := range officeStaff[o.unit.short] {
			unit := office
			if s.section != "" {
				unit = b.childID(office, s.section)
			}
			pid := b.hire(unit, s.title, s.level, s.roles...)
			if s.also != "" {
				b.also(pid, b.childID(office, s.also), s.also+"主任")
			}
		}
	}
}

func (b *builder) staffDepartments() {
	for _, d := range departments {
		dept := b.unitID(d.unit.short)
		head := headTitle(d)
		// Clearances follow the rule of thumb of the district: office and
		// confidential staff are cleared, line staff and heads of line
		// departments are not unless their post needs it.
		if !b.headed[dept] {
			b.hire(dept, head, unclassified, leader)
		}
		if d.size == big {
			b.hire(dept, "副"+head, unclassified, leader)
		}
		office := b.childID(dept, officeSection(d))
		officeHead := []org.Role{director}
		if d.size == small {
			// A small unit's office head also does the clerk's work.
			officeHead = append(officeHead, clerk)
		}
		b.hire(office, sectionHead(officeSection(d)), secret1, officeHead...)
		if d.size != small {
			b.hire(office, "科员", secret1, clerk)
		}
		for i, s := range strings.Fields(d.sections) {
			section := b.childID(dept, s)
			b.hire(section, sectionHead(s), unclassified, handler)
			if d.size == big && i == 0 {
				b.hire(section, "科员", unclassified, handler)
			}
		}
	}
}

// sectionHead is the title of a section's head: 主任 of an 办公室 or 室, 部长 of
// a 部, 大队长 of a 大队, 科长 of a 科.
func sectionHead(section string) string {
	switch {
	case strings.HasSuffix(section, "室"):
		return "主任"
	case strings.HasSuffix(section, "部"):
		return "部长"
	case strings.HasSuffix(section, "大队"):
		return "大队长"
	}
	return "科长"
}

func (b *builder) staffTowns() {
	for _, t := range towns {
		town := b.unitID(t)
		if isStreet(t) {
			b.hire(town, "街道党工委书记", unclassified, leader)
			b.hire(town, "街道党工委副书记、办事处主任", unclassified, leader)
		} else {
			b.hire(town, "镇党委书记", unclassified, leader)
			b.hire(town, "镇党委副书记、镇长", unclassified, leader)
		}
		office := b.childID(town, "党政办公室")
		b.hire(office, "主任", secret1, director)
		b.hire(office, "科员", secret1, clerk)
	}
}

func (b *builder) staffAdministrators() {
	for _, a := range administrators {
		b.hire(b.childID(b.unitID(a.unit), a.section), a.title, unclassified, a.role)
	}
}

func (b *builder) buildOversight() {
	for _, l := range leaderRoster {
		for _, short := range strings.Fields(l.oversees) {
			b.d.Oversight = append(b.d.Oversight, org.Oversight{LeaderID: b.leaders[l.key], UnitID: b.unitID(short)})
		}
	}
}

// buildDelegations adds one delegation in force at now (the 常务副区长 is away
// at a training course and the first 副区长, the lingdao login, acts for them)
// and one that starts two days later (the 区委办 director away, the executive
// deputy acting).
//
// Times are office hours in Beijing whatever the server's time zone, so a demo
// started on a UTC host still shows the leader away from 08:30.
func (b *builder) buildDelegations(now time.Time) {
	now = now.In(calendar.Shanghai())
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	at := func(days, hour, minute int) time.Time {
		return day.AddDate(0, 0, days).Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
	}
	b.d.Delegations = []org.Delegation{
		{
			ID:     id("delegation:1"),
			FromID: b.leaders["executive"],
			ToID:   b.leaders["vice-social"],
			Start:  at(-1, 8, 30),
			End:    at(3, 18, 0),
			Reason: "赴省委党校参加专题研讨班",
		},
		{
			ID:     id("delegation:2"),
			FromID: b.leaders["office"],
			ToID:   b.person("中共清澜区委办公室/常务副主任/1"),
			Start:  at(2, 8, 30),
			End:    at(5, 18, 0),
			Reason: "带队赴对口帮扶地区考察",
		},
	}
}

func (b *builder) buildLogins() {
	for _, l := range printedLogins {
		pid := b.person(l.post)
		if pid == "" {
			continue
		}
		b.setLogin(pid, l.login)
		p := b.d.People[b.people[pid]]
		login := Login{Login: l.login, Password: Password, PersonID: pid, Name: p.Name, Role: l.role}
		for _, pos := range b.d.Positions {
			if pos.PersonID == pid && pos.Primary {
				login.Title, login.Unit = pos.Title, b.units[pos.UnitID].Name
			}
		}
		b.d.Logins = append(b.d.Logins, login)
	}
	// The printed 办公室主任 also heads the 秘书科 (兼任), where the printed
	// 文秘 drafts: the draft's 处室审核 is then a printed login's too, and the
	// printed logins walk the 发文 route end to end. (The 收文 route they walk
	// already: 登记收文 at the 政府办, 拟办 by its director, 批办 and 传阅 by the
	// 领导, 承办 by the 承办人.)
	if director := b.person("清澜区人民政府办公室/主任/1"); director != "" {
		b.also(director, b.childID(b.unitID("政府办"), "秘书科"), "科长")
	}
}
